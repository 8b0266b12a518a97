"""The production planner against the rule: a return planned and applied by `plan_import` and
`apply_import` (what the window and `import-xlsx` call) does to the project exactly what
`core.merge.apply_return` does to the same base, project and workbook — the same changes, the
same conflicts, the same result — for workbooks the exporter wrote (the whole 自评表 or a
department's, with or without the hidden base) and a colleague then edited cell by cell.
The catalogue's cell-by-cell merge is `apply_return` again, on its cells (`the_rule`).

tests/core/test_merge.py proves the rule order independent and idempotent; equal outcomes
carry that over, and both promises are also checked here on the production path directly;
a state machine then runs whole seasons of sends, returns and undo against a plain model.
Each example writes and reads real workbooks (~0.5 s): CI runs a few; a long run:
`CSR_RETURN_EXAMPLES=500 CSR_RETURN_STEPS=20 ./test.sh tests/formats/test_returns_properties.py`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    MultipleResults,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
)

from csr_desktop.core.merge import Outcome, apply_return, merge
from csr_desktop.core.model.evidence import EvidenceItem
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.operations.departments import assign
from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx.departments import send
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import ImportPlan, apply_import, plan_import
from tests.formats import colleague as C

EXAMPLES = int(os.environ.get("CSR_RETURN_EXAMPLES", "6"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

NOS = (1, 2, 3)
DEPARTMENT = "信息部"
OWN = (1, 2)  # the department's indicators; 3 is not in its workbook
COVER = FieldRef.company("contact_person")
FIELDS = [COVER] + [
    FieldRef.indicator(no, name)
    for no in NOS
    for name in ("rating", "remark", "narrative", "evidence")
]
KEYS = [f.key for f in FIELDS]
# texts a spreadsheet gives back as they were written: the tolerance itself is another test's
TEXTS = st.sampled_from(["", "甲", "乙", "丙\n丁", "+86 10"])
RATINGS = st.sampled_from([None, 1, 2, 5])
# a 佐证材料目录 as the sheet shows it without files: (材料名称, 备注) per row
NAMES = st.sampled_from(["制度", "报告", "记录"])
ROW = st.tuples(NAMES, TEXTS)
ROWS = st.lists(ROW, max_size=3).map(tuple)
EVIDENCE = FieldRef.indicator(1, "evidence").key
REMARK = FieldRef.indicator(1, "remark").key

Values = dict[str, Any]
Rows = tuple[tuple[str, str], ...]


def is_catalogue(key: str) -> bool:
    return key.endswith(".evidence")


def values_of(key: str) -> st.SearchStrategy[Any]:
    """What the office may make of a field."""
    if is_catalogue(key):
        return ROWS
    return RATINGS if key.endswith(".rating") else TEXTS


@st.composite
def retyped(draw: st.DrawFn, rows: Rows) -> Rows:
    """What a colleague makes of a catalogue in the sheet: cells retyped, perhaps a row added
    at the end (the file column left alone: returned files are test_returns_files.py's)."""
    new = [(draw(st.just(n) | NAMES), draw(st.just(r) | TEXTS)) for n, r in rows]
    if draw(st.integers(0, 3)) == 0:
        new.append(draw(ROW))
    return tuple(new)


def colleague_values(key: str, base: Values) -> st.SearchStrategy[Any]:
    """What a colleague may make of a field of a workbook whose base is `base`."""
    return retyped(base[key]) if is_catalogue(key) else values_of(key)


def office_values(key: str, now: Values) -> st.SearchStrategy[Any]:
    """What the office may make of a field that is `now`: a catalogue retyped in place as
    often as rewritten (cell by cell merges need both sides to keep the rows)."""
    return retyped(now[key]) | retyped(now[key]) | ROWS if is_catalogue(key) else values_of(key)


def stored(values: Mapping[str, Any]) -> Values:
    """`values` as the store takes them (catalogue rows as EvidenceItems)."""
    return {
        k: [EvidenceItem(name, remark) for name, remark in v] if is_catalogue(k) else v
        for k, v in values.items()
    }


def shown_in(department: bool) -> list[str]:
    """The keys a workbook shows: a department's holds its own rows, and the cover, which a
    colleague may retype but the import refuses (the office fills it in)."""
    if not department:
        return KEYS
    return [COVER.key] + [f.key for f in FIELDS if f.no in OWN]


def read(project: Project) -> Values:
    """The fields under test, through the read model."""
    a = project.assessment()
    got: Values = {}
    for f in FIELDS:
        if f.no is None:
            got[f.key] = a.company[f.name]
        elif f.name == "evidence":
            got[f.key] = tuple((e.name, e.remark) for e in a.answer(f.no).evidence)
        else:
            got[f.key] = getattr(a.answer(f.no), f.name)
    return got


def edits(key: str, was: Any, value: Any) -> list[C.Edit]:
    """What a colleague does in the spreadsheet to turn `key` from `was` into `value`."""
    ref = FieldRef.parse(key)
    assert ref.no is not None or ref.section == "company"
    if ref.no is None:
        return [C.cover(ref.name, value)]
    if ref.name == "rating":
        return [C.rate(ref.no, value)]
    if ref.name == "remark":
        return [C.remark(ref.no, value)]
    if ref.name == "narrative":
        return [C.narrative(ref.no, value)]
    return [
        C.catalogue_row(ref.no, k, *row)
        for k, row in enumerate(value, start=1)
        if k > len(was) or row != was[k - 1]
    ]


class Sent(NamedTuple):
    """An export as it left: the workbook and the values it showed (the base)."""

    book: Path
    base: Values


def send_out(project: Project, dest: Path, department: bool) -> Sent:
    """Export the whole 自评表, or a department's (分发, as the window does)."""
    if department:
        assign(project, DEPARTMENT, OWN)
        send(project, DEPARTMENT, dest)
    else:
        export_xlsx(project, dest)
    now = read(project)
    return Sent(dest, {k: now[k] for k in shown_in(department)})


def returned(
    sent: Sent, dest: Path, changes: Mapping[str, Any], *more: C.Edit
) -> tuple[Path, Values]:
    """The colleague's copy with `changes` typed in (and `more` done), and what it shows."""
    C.returned(
        sent.book, dest, *(e for k, v in changes.items() for e in edits(k, sent.base[k], v)), *more
    )
    return dest, {**sent.base, **changes}


def the_rule(
    base: Values | None, project: Values, workbook: Values, take: bool
) -> tuple[Values, dict[str, Outcome]]:
    """`apply_return` on the fields, with design.md's one refinement for a catalogue: where
    both sides changed it but kept its rows and no cell differently, it merges cell by cell
    (`apply_return` again, on the cells). The project after the return, and each field's
    outcome where it is taken or a conflict. `base` None: a workbook without one (two-way)."""
    fields = [k for k in workbook if not is_catalogue(k)]
    was = None if base is None else pick(base, fields)
    result, _ = apply_return(was, project, pick(workbook, fields), take)
    decided = {k: o for k, o in merge(was, project, pick(workbook, fields)).items() if o in _ACTS}
    for key in filter(is_catalogue, workbook):
        rows, outcome = catalogue_rule(
            None if base is None else base[key], project[key], workbook[key], take
        )
        result[key] = rows
        if outcome is not None:
            decided[key] = outcome
    return result, decided


def catalogue_rule(
    base: Rows | None, project: Rows, workbook: Rows, take: bool
) -> tuple[Rows, Any]:
    whole = None if base is None else {"c": base}, {"c": project}, {"c": workbook}
    [(_, outcome)] = merge(*whole).items()
    if (
        base is not None
        and outcome is Outcome.CONFLICT
        and len(base) == len(project) == len(workbook)
    ):
        merged, clashes = apply_return(cells(base), cells(project), cells(workbook))
        if not clashes:
            rows = tuple((merged[k, "name"], merged[k, "remark"]) for k in range(len(base)))
            return rows, Outcome.TAKE if rows != project else None
    result, _ = apply_return(*whole, take_conflicts=take)
    return result["c"], outcome if outcome in _ACTS else None


def cells(rows: Rows) -> dict[tuple[int, str], str]:
    """A catalogue's cells, each a field of its own."""
    names = {(k, "name"): name for k, (name, _) in enumerate(rows)}
    return names | {(k, "remark"): remark for k, (_, remark) in enumerate(rows)}


def pick(values: Values, keys: list[str]) -> Values:
    return {k: values[k] for k in keys}


def outcomes(plan: ImportPlan) -> dict[str, Outcome]:
    """What the production plan decided for each field it would change or asks about."""
    got = {c.key: Outcome.TAKE for c in plan.changes}
    got.update({c.key: Outcome.CONFLICT for c in plan.conflicts})
    return got


def import_like_the_rule(
    project: Project, book: Path, base: Values | None, workbook: Values, take: bool
) -> None:
    """Plan and apply one return through production; check it against `apply_return`,
    outcome by outcome and in the result, and that undo and redo give both states back."""
    before = read(project)
    applied, expected = import_checked(project, book, base, workbook, take)
    assert read(project) == expected
    if applied:
        project.undo()
        assert read(project) == before
        project.redo()
        assert read(project) == expected


def import_checked(
    project: Project, book: Path, base: Values | None, workbook: Values, take: bool
) -> tuple[int, Values]:
    """Plan `book` as the window and the CLI do, check every outcome against the rule,
    apply it (conflicts taken or kept); the fields changed and the rule's result."""
    now = read(project)
    plan = plan_import(project, book)
    assert plan.three_way == (base is not None)
    own = {k: v for k, v in workbook.items() if not (plan.department and k == COVER.key)}
    expected, decided = the_rule(base, now, own, take)
    assert outcomes(plan) == decided
    if plan.department:  # the cover in a department's copy: what the rule would take, refused
        assert base is not None
        [(_, cover)] = merge(
            {"c": base[COVER.key]}, {"c": now[COVER.key]}, {"c": workbook[COVER.key]}
        ).items()
        assert [r for r in plan.refused if "封面“联系人”" in r] == plan.refused
        assert len(plan.refused) == (cover in _ACTS)
    else:
        assert plan.refused == []
    applied = apply_import(project, plan, [c.key for c in plan.conflicts] if take else ())
    return applied, expected


_ACTS = (Outcome.TAKE, Outcome.CONFLICT)


@contextmanager
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="csr-returns-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@st.composite
def assignments(
    draw: st.DrawFn,
    keys: list[str],
    min_size: int = 0,
    base: Values | None = None,
    office: Values | None = None,
) -> Values:
    """Some of `keys`, each with a value of its kind: a colleague's edit of `base`, or the
    office's of `office`, if given."""
    chosen = draw(st.sets(st.sampled_from(keys), min_size=min_size))
    if base is not None:
        return {k: draw(colleague_values(k, base)) for k in keys if k in chosen}
    if office is not None:
        return {k: draw(office_values(k, office)) for k in keys if k in chosen}
    return {k: draw(values_of(k)) for k in keys if k in chosen}


class Case(NamedTuple):
    department: bool
    two_way: bool  # the returns carry no base (their hidden record cleared)
    base: Values  # the project when the workbook left
    office: Values  # what the office changed since
    returns: list[Values]  # what each colleague typed
    take: list[bool]  # each import: conflicts taken (else kept)


@st.composite
def cases(draw: st.DrawFn, agreeing: bool = False) -> Case:
    """One export, the office's edits since, and 1–3 returns of it. `agreeing`: where two
    returns change a field they agree, and every conflict is resolved the same way — the
    returns whose order cannot matter."""
    department = draw(st.booleans())
    two_way = not agreeing and not department and draw(st.integers(0, 3)) == 0
    shown = shown_in(department)
    base = {k: draw(values_of(k)) for k in KEYS}
    office = draw(assignments(KEYS, office=base))
    agreed = {k: draw(colleague_values(k, base)) for k in shown}
    returns = []
    for _ in range(draw(st.integers(1, 3))):
        changes = draw(assignments(shown, min_size=1, base=base))
        returns.append({k: agreed[k] for k in changes} if agreeing else changes)
    if agreeing:
        take = [draw(st.booleans())] * len(returns)
    else:
        take = [draw(st.booleans()) for _ in returns]
    return Case(department, two_way, base, office, returns, take)


def prepare(case: Case, where: Path) -> tuple[Path, Sent, list[tuple[Path, Values]]]:
    """The project with the case's base exported and the office's edits made since, closed;
    and every colleague's returned workbook."""
    path = where / "项目.csrproj"
    with Project.create(path) as project:
        project.apply(stored(case.base), "填写")
        sent = send_out(project, where / "发出.xlsx", case.department)
        if case.office:
            project.apply(stored(case.office), "办公室的修改")
    forget = (C.forget_base(),) if case.two_way else ()
    books = [
        returned(sent, where / f"回收{i}.xlsx", changes, *forget)
        for i, changes in enumerate(case.returns)
    ]
    return path, sent, books


def _blank(**fields: Any) -> Values:
    empty = {k: None if k.endswith(".rating") else () if is_catalogue(k) else "" for k in KEYS}
    return {**empty, **fields}


_TWO_ROWS = (("制度", ""), ("报告", "甲"))


@PROPERTY
@given(cases())
@example(  # both keep the rows and change different cells: merged cell by cell
    Case(
        False,
        False,
        _blank(**{EVIDENCE: _TWO_ROWS}),
        {EVIDENCE: (("制度", "乙"), ("报告", "甲"))},
        [{EVIDENCE: (("制度", ""), ("记录", "甲"))}],
        [False],
    )
)
@example(  # the same cell changed differently: the whole catalogue is one conflict
    Case(
        True,
        False,
        _blank(**{EVIDENCE: _TWO_ROWS}),
        {EVIDENCE: (("制度", "乙"), ("报告", "甲"))},
        [{EVIDENCE: (("制度", "丙\n丁"), ("记录", "甲"))}, {EVIDENCE: (*_TWO_ROWS, ("记录", ""))}],
        [True, False],
    )
)
@example(  # no base: the office's later 备注 is overwritten by the workbook's, as the preview warns
    Case(
        False,
        True,
        _blank(**{REMARK: "甲"}),
        {REMARK: "乙"},
        [{FieldRef.indicator(1, "rating").key: 2}],
        [False],
    )
)
def test_each_return_does_what_the_rule_does(case: Case) -> None:
    with folder() as where:
        path, sent, books = prepare(case, where)
        with Project.open(path) as project:
            for (book, workbook), take in zip(books, case.take, strict=True):
                base = None if case.two_way else sent.base
                import_like_the_rule(project, book, base, workbook, take)


@PROPERTY
@given(cases(agreeing=True), st.data())
def test_returns_merge_the_same_in_any_order_and_a_second_import_changes_nothing(
    case: Case, data: st.DataObject
) -> None:
    with folder() as where:
        path, sent, books = prepare(case, where)
        order = data.draw(st.permutations(range(len(books))))
        results = []
        for run, sequence in enumerate((range(len(books)), order)):
            copy = where / f"顺序{run}.csrproj"
            shutil.copyfile(path, copy)
            with Project.open(copy) as project:
                for i in sequence:
                    book, workbook = books[i]
                    import_like_the_rule(project, book, sent.base, workbook, case.take[0])
                results.append(read(project))
                settled = read(project)
                label = project.undo_label
                for book, _ in books:
                    plan = plan_import(project, book)
                    assert plan.changes == []
                    assert case.take[0] is False or plan.conflicts == []
                    take = [c.key for c in plan.conflicts] if case.take[0] else ()
                    assert apply_import(project, plan, take) == 0
                    assert read(project) == settled and project.undo_label == label
        assert results[0] == results[1]


class Returned(NamedTuple):
    """A colleague's copy as it came back: the file, its export's base, what it shows."""

    book: Path
    base: Values
    workbook: Values


class SeasonOfReturns(RuleBasedStateMachine):
    """A project through a season of returns: the office types, sends the 自评表 out whole or
    to a department, colleagues edit their copies, copies come back in any order (some twice)
    with conflicts kept or taken, the office undoes and redoes. The model is a plain dict
    merged by `apply_return`, with plain undo/redo stacks of snapshots."""

    returns = Bundle("returns")

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="csr-season-"))
        self.path = self.folder / "项目.csrproj"
        with Project.create(self.path) as project:
            assign(project, DEPARTMENT, OWN)
        self.project = Project.open(self.path)  # reopened: the assignment is not undoable
        self.model = read(self.project)
        self.undo: list[Values] = []
        self.redo: list[Values] = []
        self.files = 0

    def teardown(self) -> None:
        self.project.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _step(self, after: Values) -> None:
        """The project took one undo step: the model becomes `after`."""
        self.undo.append(self.model)
        self.redo.clear()
        self.model = after

    def _name(self, what: str) -> Path:
        self.files += 1
        return self.folder / f"{what}{self.files}.xlsx"

    @rule(data=st.data(), key=st.sampled_from(KEYS))
    def office_types(self, data: st.DataObject, key: str) -> None:
        self.office_types_value(key, data.draw(office_values(key, self.model)))

    def office_types_value(self, key: str, value: Any) -> None:
        if self.project.apply(stored({key: value}), "办公室的修改"):
            self._step({**self.model, key: value})
        assert read(self.project)[key] == value

    @initialize(target=returns, department=st.booleans(), data=st.data())
    def first_send(self, department: bool, data: st.DataObject) -> MultipleResults[Returned]:
        for key, value in data.draw(assignments(KEYS)).items():
            self.office_types_value(key, value)
        return self.send(department, data)

    @rule(target=returns, department=st.booleans(), data=st.data())
    def send(self, department: bool, data: st.DataObject) -> MultipleResults[Returned]:
        """The 自评表 goes out; 1–3 colleagues edit their copies (when they do does not
        matter: a copy is the export's, whatever the office did since)."""
        out = send_out(self.project, self._name("发出"), department)
        if department:
            self._step(dict(self.model))  # 分发 is noted on the project: one undo step
        copies = []
        for _ in range(data.draw(st.integers(1, 3))):
            changes = data.draw(assignments(list(out.base), min_size=1, base=out.base))
            book, workbook = returned(out, self._name("回收"), changes)
            copies.append(Returned(book, out.base, workbook))
        return multiple(*copies)

    @rule(backs=st.lists(returns, min_size=1, max_size=3), take=st.booleans())
    def import_returns(self, backs: list[Returned], take: bool) -> None:
        """Copies come back, in any order, the same one perhaps twice."""
        for back in backs:
            self.import_return(back, take)

    def import_return(self, back: Returned, take: bool) -> None:
        applied, expected = import_checked(self.project, back.book, back.base, back.workbook, take)
        if applied:
            self._step(expected)
        else:
            assert expected == self.model

    @rule()
    def undo_step(self) -> None:
        assert (self.project.undo() is None) == (not self.undo)
        if self.undo:
            self.redo.append(self.model)
            self.model = self.undo.pop()

    @rule()
    def redo_step(self) -> None:
        assert (self.project.redo() is None) == (not self.redo)
        if self.redo:
            self.undo.append(self.model)
            self.model = self.redo.pop()

    @invariant()
    def project_equals_model(self) -> None:
        assert read(self.project) == self.model
        assert self.project.can_undo == bool(self.undo)
        assert self.project.can_redo == bool(self.redo)


SeasonOfReturns.TestCase.settings = settings(
    PROPERTY,
    stateful_step_count=int(os.environ.get("CSR_RETURN_STEPS", "10")),
)
TestSeasonOfReturns = SeasonOfReturns.TestCase

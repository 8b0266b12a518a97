"""The production planner against the rule: a return planned and applied by `plan_import` and
`apply_import` (what the window and `import-xlsx` call) does to the project exactly what
`core.merge.apply_return` does to the same base, project and workbook — the same changes, the
same conflicts, the same result — for workbooks the exporter wrote (the whole 自评表 or a
department's) and a colleague then edited cell by cell.

tests/core/test_merge.py proves the rule order independent and idempotent; equal outcomes
carry that over, and both promises are also checked here on the production path directly.
Each example writes and reads real workbooks (~0.5 s): CI runs a few; a long run:
`CSR_RETURN_EXAMPLES=500 ./test.sh tests/formats/test_returns_properties.py`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from hypothesis import HealthCheck, given, settings
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

from csr_desktop.core import departments as D
from csr_desktop.core.merge import Outcome, apply_return, merge
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx_departments import send
from csr_desktop.formats.xlsx_export import export_xlsx
from csr_desktop.formats.xlsx_import import ImportPlan, apply_import, plan_import
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
    FieldRef.indicator(no, name) for no in NOS for name in ("rating", "remark", "narrative")
]
KEYS = [f.key for f in FIELDS]
# texts a spreadsheet gives back as they were written: the tolerance itself is another test's
TEXTS = st.sampled_from(["", "甲", "乙", "丙\n丁", "+86 10"])
RATINGS = st.sampled_from([None, 1, 2, 5])

Values = dict[str, Any]


def values_of(key: str) -> st.SearchStrategy[Any]:
    return RATINGS if key.endswith(".rating") else TEXTS


def shown_in(department: bool) -> list[str]:
    """The keys a workbook shows: a department's holds its own rows and no cover to edit."""
    if not department:
        return KEYS
    return [f.key for f in FIELDS if f.no in OWN]


def read(project: Project) -> Values:
    """The fields under test, through the read model."""
    a = project.assessment()
    return {
        f.key: a.company[f.name] if f.no is None else getattr(a.answer(f.no), f.name)
        for f in FIELDS
    }


def edit(key: str, value: Any) -> C.Edit:
    """What a colleague does in the spreadsheet to give `key` the value `value`."""
    ref = FieldRef.parse(key)
    if ref.no is None:
        return C.cover(ref.name, value)
    if ref.name == "rating":
        return C.rate(ref.no, value)
    if ref.name == "remark":
        return C.remark(ref.no, value)
    return C.narrative(ref.no, value)


class Sent(NamedTuple):
    """An export as it left: the workbook and the values it showed (the base)."""

    book: Path
    base: Values


def send_out(project: Project, dest: Path, department: bool) -> Sent:
    """Export the whole 自评表, or a department's (分发, as the window does)."""
    if department:
        D.assign(project, DEPARTMENT, OWN)
        send(project, DEPARTMENT, dest)
    else:
        export_xlsx(project, dest)
    now = read(project)
    return Sent(dest, {k: now[k] for k in shown_in(department)})


def returned(sent: Sent, dest: Path, changes: Mapping[str, Any]) -> tuple[Path, Values]:
    """The colleague's copy with `changes` typed in, and what it now shows."""
    C.returned(sent.book, dest, *(edit(k, v) for k, v in changes.items()))
    return dest, {**sent.base, **changes}


def outcomes(plan: ImportPlan) -> dict[str, Outcome]:
    """What the production plan decided for each field it would change or asks about."""
    got = {c.key: Outcome.TAKE for c in plan.changes}
    got.update({c.key: Outcome.CONFLICT for c in plan.conflicts})
    return got


def import_like_the_rule(
    project: Project, book: Path, base: Values, workbook: Values, take: bool
) -> None:
    """Plan and apply one return through production; check it against `apply_return`,
    outcome by outcome and in the result, and that undo and redo give both states back."""
    before = read(project)
    expected, conflicts = apply_return(base, before, workbook, take_conflicts=take)
    plan = plan_import(project, book)
    assert plan.three_way and not plan.refused
    decided = {k: o for k, o in merge(base, before, workbook).items() if o in _ACTS}
    assert outcomes(plan) == decided
    assert sorted(c.key for c in plan.conflicts) == sorted(conflicts)
    applied = apply_import(project, plan, [c.key for c in plan.conflicts] if take else ())
    assert read(project) == expected
    if applied:
        project.undo()
        assert read(project) == before
        project.redo()
        assert read(project) == expected


_ACTS = (Outcome.TAKE, Outcome.CONFLICT)


@contextmanager
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="csr-returns-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@st.composite
def assignments(draw: st.DrawFn, keys: list[str], min_size: int = 0) -> Values:
    """Some of `keys`, each with a value of its kind."""
    chosen = draw(st.sets(st.sampled_from(keys), min_size=min_size))
    return {k: draw(values_of(k)) for k in keys if k in chosen}


class Case(NamedTuple):
    department: bool
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
    shown = shown_in(department)
    base = {k: draw(values_of(k)) for k in KEYS}
    office = draw(assignments(KEYS))
    agreed = {k: draw(values_of(k)) for k in shown}
    returns = []
    for _ in range(draw(st.integers(1, 3))):
        changes = draw(assignments(shown, min_size=1))
        returns.append({k: agreed[k] for k in changes} if agreeing else changes)
    if agreeing:
        take = [draw(st.booleans())] * len(returns)
    else:
        take = [draw(st.booleans()) for _ in returns]
    return Case(department, base, office, returns, take)


def prepare(case: Case, where: Path) -> tuple[Path, Sent, list[tuple[Path, Values]]]:
    """The project with the case's base exported and the office's edits made since, closed;
    and every colleague's returned workbook."""
    path = where / "项目.csrproj"
    with Project.create(path) as project:
        project.apply(case.base, "填写")
        sent = send_out(project, where / "发出.xlsx", case.department)
        if case.office:
            project.apply(case.office, "办公室的修改")
    books = [
        returned(sent, where / f"回收{i}.xlsx", changes) for i, changes in enumerate(case.returns)
    ]
    return path, sent, books


@PROPERTY
@given(cases())
def test_each_return_does_what_the_rule_does(case: Case) -> None:
    with folder() as where:
        path, sent, books = prepare(case, where)
        with Project.open(path) as project:
            for (book, workbook), take in zip(books, case.take, strict=True):
                import_like_the_rule(project, book, sent.base, workbook, take)


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
            D.assign(project, DEPARTMENT, OWN)
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
        self.office_types_value(key, data.draw(values_of(key)))

    def office_types_value(self, key: str, value: Any) -> None:
        if self.project.apply({key: value}, "办公室的修改"):
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
            changes = data.draw(assignments(list(out.base), min_size=1))
            book, workbook = returned(out, self._name("回收"), changes)
            copies.append(Returned(book, out.base, workbook))
        return multiple(*copies)

    @rule(backs=st.lists(returns, min_size=1, max_size=3), take=st.booleans())
    def import_returns(self, backs: list[Returned], take: bool) -> None:
        """Copies come back, in any order, the same one perhaps twice."""
        for back in backs:
            self.import_return(back, take)

    def import_return(self, back: Returned, take: bool) -> None:
        expected, conflicts = apply_return(back.base, self.model, back.workbook, take)
        plan = plan_import(self.project, back.book)
        assert plan.three_way and not plan.refused
        decided = {
            k: o for k, o in merge(back.base, self.model, back.workbook).items() if o in _ACTS
        }
        assert outcomes(plan) == decided
        assert sorted(c.key for c in plan.conflicts) == sorted(conflicts)
        if apply_import(self.project, plan, [c.key for c in plan.conflicts] if take else ()):
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

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

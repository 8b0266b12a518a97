"""The official layout typed by hand (no hidden sheet, the template's own quirks) still imports."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx.importer import apply_import, plan_import
from tests.corpus.xlsx.make_workbooks import hand_typed, seed_rows

MARKS = "☑■√✓●☒"


def typed_by_a_person(no: int, printed: str) -> tuple[str, int]:
    """What someone types into 企业自评 of row `no`, and the rating that means."""
    rating = (no * 3) % 5 + 1
    lines = [line.strip() for line in printed.split("\n") if line.strip()]
    if not lines:  # rows 14 and 20: the template prints no options
        return ("2", 2) if no == 14 else ("比较完善", 2)
    style = no % 4
    if style == 0:  # all other options deleted
        return lines[rating - 1], rating
    if style == 1:  # a mark in place of the box
        lines[rating - 1] = lines[rating - 1].replace("□", MARKS[no % len(MARKS)])
    elif style == 2:  # a tick after the box
        lines[rating - 1] += "√"
    else:  # just the number
        return str(rating), rating
    return "\n".join(lines), rating


def test_the_template_typed_by_hand_imports_its_ratings(tmp_path: Path):
    xlsx = hand_typed(tmp_path, lambda no, printed: typed_by_a_person(no, printed)[0])
    rows = {int(r[0]): r for r in seed_rows()}
    expected = {no: typed_by_a_person(no, rows[no][5])[1] for no in rows}
    ws = load_workbook(xlsx).active
    assert "网络内容生态\n治理" in [c.value for c in ws["D"]]  # the template's own line break
    assert any(str(c.value).startswith("1全部参与") for c in ws["F"])  # and its missing dot
    project = tmp_path / "blank.csrproj"
    Project.create(project).close()
    with Project.open(project) as p:
        plan = plan_import(p, xlsx)
        apply_import(p, plan)
        got = {no: p.assessment().answer(no).rating for no in default_indicator_set().numbers}
    assert got == expected
    assert {c.field for c in plan.changes} == {"企业自评"}
    assert any("手工录入" in w for w in plan.warnings)
    assert any("没有佐证材料表" in w for w in plan.warnings)


def test_hand_typed_table_leaves_narratives_and_catalogues_alone(
    tmp_path: Path, sample_project: Path
):
    xlsx = hand_typed(tmp_path, lambda no, printed: "3")
    with Project.open(sample_project) as p:
        before = p.assessment()
        plan = plan_import(p, xlsx)
        apply_import(p, plan)
        after = p.assessment()
    for no in default_indicator_set().numbers:
        assert after.answer(no).rating == 3
        assert after.answer(no).narrative == before.answer(no).narrative
        assert after.answer(no).evidence == before.answer(no).evidence
        assert after.answer(no).remark == ""  # the typed table's 备注 column is empty

"""Issue 27 item 15: Word's manual line break (U+000B) is a line break in the Excel export,
and a workbook returned untouched brings no change."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import plan_import


def test_a_manual_line_break_stays_a_line_break(tmp_path: Path) -> None:
    path = tmp_path / "p.csrproj"
    Project.create(path).close()
    with Project.open(path) as p:
        p.set("indicator.2.narrative", "第一行\x0b第二行")
        p.set("indicator.2.remark", "备注一\x0b备注二")
        export_xlsx(p, tmp_path / "out.xlsx")
    book = load_workbook(tmp_path / "out.xlsx")
    texts = {
        str(c.value)
        for name in (layout.TABLE_SHEET, layout.EVIDENCE_SHEET)
        for row in book[name].iter_rows()
        for c in row
        if c.value
    }
    assert "第一行\n第二行" in texts and "备注一\n备注二" in texts
    assert not any("第一行第二行" in t for t in texts)
    with Project.open(path) as p:
        plan = plan_import(p, tmp_path / "out.xlsx")
    assert plan.changes == [] and plan.conflicts == []

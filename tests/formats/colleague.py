"""What a colleague does to an exported 自评表 in a spreadsheet, cell by cell (for tests)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from csr_desktop.core.indicators import default_indicator_set
from csr_desktop.formats.xlsx import layout
from csr_desktop.formats.xlsx.export import options_text

Edit = Callable[[Workbook], None]


def table_row(ws: Worksheet, no: int) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 1).value == no:
            return row
    raise KeyError(no)


def rate(no: int, rating: int | None) -> Edit:
    """Tick option `rating` of indicator `no` (☑ in place of its □)."""

    def edit(wb: Workbook) -> None:
        ws = wb[layout.TABLE_SHEET]
        ind = default_indicator_set().indicator(no)
        ws.cell(table_row(ws, no), 6).value = options_text(ind, rating)

    return edit


def remark(no: int, text: str) -> Edit:
    def edit(wb: Workbook) -> None:
        ws = wb[layout.TABLE_SHEET]
        ws.cell(table_row(ws, no), 7).value = text

    return edit


def _block(ws: Worksheet, no: int) -> int:
    for row in range(1, ws.max_row + 1):
        value = ws.cell(row, 1).value
        if isinstance(value, str) and re.match(rf"^三级指标{no}[:：]", value):
            return row
    raise KeyError(no)


def narrative(no: int, text: str) -> Edit:
    """Replace the narrative (its first row; continuation rows are cleared)."""

    def edit(wb: Workbook) -> None:
        ws = wb[layout.EVIDENCE_SHEET]
        row = _block(ws, no) + 1
        ws.cell(row, 2).value = text
        row += 1
        while str(ws.cell(row, 1).value or "").startswith("（续"):
            ws.cell(row, 2).value = None
            row += 1

    return edit


def catalogue_row(no: int, k: int, name: str, note: str = "", file_name: str = "") -> Edit:
    """Write row `k` (1-based) of indicator `no`'s 佐证材料目录, inserting a row if needed."""

    def edit(wb: Workbook) -> None:
        ws = wb[layout.EVIDENCE_SHEET]
        row = _block(ws, no)
        while ws.cell(row, 2).value != "材料名称":
            row += 1
        target = row + k
        below = ws.cell(target, 1).value
        if below not in (None, k) or (below is None and ws.cell(target, 2).value):
            ws.insert_rows(target)
        if ws.cell(target, 4).value != file_name:
            ws.cell(target, 5).value = None  # the SHA-256 of the file no longer named there
        ws.cell(target, 1).value = k
        ws.cell(target, 2).value = name
        ws.cell(target, 3).value = note
        ws.cell(target, 4).value = file_name

    return edit


def returned(export: Path, dest: Path, *edits: Edit) -> Path:
    """A copy of `export` as it comes back from a colleague who made `edits`."""
    wb = load_workbook(export)
    for edit in edits:
        edit(wb)
    dest.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dest)
    return dest


def cover(key: str, text: str) -> Edit:
    """Retype the cover field `key` (the value cell beside its label)."""

    def edit(wb: Workbook) -> None:
        ws = wb[layout.TABLE_SHEET]
        [field] = [f for f in default_indicator_set().cover_fields if f.key == key]
        for row in range(1, ws.max_row + 1):
            if ws.cell(row, 1).value == f"{field.label}：":
                ws.cell(row, 5).value = text
                return
        raise KeyError(key)

    return edit


def forget_base() -> Edit:
    """The hidden record of what the workbook held when it left, gone (a workbook exported
    before returns were merged three-way, or its hidden sheet cleared)."""

    def edit(wb: Workbook) -> None:
        ws = wb[layout.META_SHEET]
        for row in ws.iter_rows(min_col=5, max_col=6):
            for cell in row:
                cell.value = None

    return edit

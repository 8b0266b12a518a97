"""The text and tables of a Word or Excel evidence file, for the complete documents to show.

Colleagues' Word reports and Excel tables are much of real evidence; a reviewer should read
them in the 自评材料, not only a name and a hash. The file is checked as an imported workbook
is (`zip_safety` limits, then XML element counts as `xlsx_bounds` counts them) before
python-docx or openpyxl parse anything, and what is shown is capped: the original is in the
package. A file that cannot be read gives a reason, never an exception.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csr_desktop.core.errors import CsrError
from csr_desktop.formats.printable import clean_text
from csr_desktop.formats.zip_safety import MiB, ZipLimits, open_checked

MAX_CHARS = 20_000  # of paragraph text: about 20 pages of 五号 text
MAX_ROWS = 2_000  # table rows, all tables and sheets together
MAX_COLUMNS = 12  # a wider table is cut at the right; the original has the rest
MAX_CELL_CHARS = 300
MAX_DOCUMENT_ELEMENTS = 1_500_000  # word/document.xml; a 100-page report has ~200,000
MAX_OTHER_ELEMENTS = 200_000
LIMITS = ZipLimits(
    max_members=2_000,
    max_member_bytes=100 * MiB,
    max_total_bytes=300 * MiB,
    max_ratio=100.0,
    kind="Office 文件",
)
MORE = "其余见原件"
ORIGINAL = "原件见提交材料包"


@dataclass(frozen=True)
class Block:
    """A paragraph (`text`) or a table (`rows`, the first row printed as its header)."""

    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    title: str = ""  # a sheet's name above its table


@dataclass(frozen=True)
class Content:
    blocks: tuple[Block, ...]
    truncated: bool  # the caps cut it: "其余见原件"


class _Budget:
    def __init__(self) -> None:
        self.chars = MAX_CHARS
        self.rows = MAX_ROWS
        self.truncated = False

    @property
    def spent(self) -> bool:
        return self.chars <= 0 or self.rows <= 0


def read_content(path: Path, kind: str) -> Content:
    """`kind` "docx" or "xlsx"; CsrError (InputFileError) says why a file cannot be read."""
    members = open_checked(path, LIMITS)
    _check_elements(path, members)
    try:
        return _read_docx(path) if kind == "docx" else _read_xlsx(path)
    except CsrError:
        raise
    except Exception as exc:  # a damaged file: python-docx / openpyxl raise many kinds
        raise CsrError(f"文件已损坏或格式不受支持（{type(exc).__name__}）", str(exc)) from exc


def _check_elements(path: Path, members: list[zipfile.ZipInfo]) -> None:
    from csr_desktop.formats.xlsx_bounds import MAX_SHEET_ELEMENTS, _bounded

    with zipfile.ZipFile(path) as zf:
        sheets = 0
        for info in members:
            name = info.filename.casefold()
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            if name == "word/document.xml":
                _bounded(path, zf, info, MAX_DOCUMENT_ELEMENTS, "正文")
            elif name.startswith("xl/worksheets/"):
                limit = MAX_SHEET_ELEMENTS - sheets
                sheets += _bounded(path, zf, info, limit, "各工作表的单元格", sheets)
            else:
                _bounded(path, zf, info, MAX_OTHER_ELEMENTS, info.filename)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value.replace(microsecond=0)
    text = clean_text(str(value)).strip()
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS] + "…"


def _table(rows: list[list[str]], budget: _Budget) -> tuple[tuple[str, ...], ...]:
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    if width > MAX_COLUMNS:
        budget.truncated = True
        width = MAX_COLUMNS
    if len(rows) > budget.rows:
        budget.truncated = True
        rows = rows[: budget.rows]
    budget.rows -= len(rows)
    return tuple(tuple((r + [""] * width)[:width]) for r in rows if width)


def _read_docx(path: Path) -> Content:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    budget = _Budget()
    blocks: list[Block] = []
    for element in doc.element.body.iterchildren():
        if budget.spent:
            budget.truncated = True
            break
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_text(Paragraph(element, doc).text).strip()
            if not text:
                continue
            if len(text) > budget.chars:
                text, budget.truncated = text[: budget.chars] + "…", True
            budget.chars -= len(text)
            blocks.append(Block(text=text))
        elif tag == "tbl":
            table = Table(element, doc)
            rows = [[_cell(c.text) for c in row.cells] for row in table.rows[: budget.rows + 1]]
            if len(table.rows) > budget.rows:
                budget.truncated = True
            rows = [_dedupe_merged(r) for r in rows]
            shown = _table(rows, budget)
            if shown:
                blocks.append(Block(rows=shown))
    return Content(tuple(blocks), budget.truncated)


def _dedupe_merged(row: list[str]) -> list[str]:
    """python-docx repeats a horizontally merged cell once per grid column: print it once."""
    out: list[str] = []
    for cell in row:
        out.append("" if out and cell and cell == out[-1] else cell)
    return out


def _read_xlsx(path: Path) -> Content:
    from openpyxl import load_workbook

    fh = open(path, "rb")  # noqa: SIM115 - a file object: openpyxl checks a path's extension
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except BaseException:
        fh.close()
        raise
    budget = _Budget()
    blocks: list[Block] = []
    try:
        for ws in wb.worksheets:
            if budget.spent:
                budget.truncated = True
                break
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            ws.reset_dimensions()  # read_only trusts <dimension>, which may hide rows
            rows: list[list[str]] = []
            for values in ws.iter_rows(values_only=True):
                if len(rows) > budget.rows:
                    budget.truncated = True
                    break
                rows.append([_cell(v) for v in values[: MAX_COLUMNS + 1]])
                if len(values) > MAX_COLUMNS and any(v is not None for v in values[MAX_COLUMNS:]):
                    budget.truncated = True
            while rows and not any(rows[0]):
                rows.pop(0)
            shown = _table(rows, budget)
            if shown:
                blocks.append(Block(rows=shown, title=clean_text(ws.title)))
    finally:
        wb.close()
        fh.close()
    return Content(tuple(blocks), budget.truncated)

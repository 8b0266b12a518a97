"""Open a returned workbook safely and find the 自评表 and 佐证材料 in it, cell by cell.

The file is checked as a zip and for DTDs (entity bombs) before openpyxl parses anything. The
layout is found from what a person sees — the header row, 序号, the block headings — so a
workbook whose rows were inserted, re-saved by LibreOffice/WPS, or typed by hand still reads;
the hidden sheet, when present, identifies the format and indicator set.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook

from csr_desktop.core.errors import InputFileError, quoted
from csr_desktop.core.indicators import IndicatorSet
from csr_desktop.formats.xlsx import bounds as xlsx_bounds
from csr_desktop.formats.xlsx import fit, layout
from csr_desktop.formats.xlsx.cell_text import cell_text, squash
from csr_desktop.formats.xlsx.display import is_date, shown
from csr_desktop.formats.xlsx.merge_base import Base, read_base
from csr_desktop.formats.zip_safety import (
    DTD_MARKERS,
    XML_PART_SUFFIXES,
    office_limits,
    open_checked,
)

XLSX_LIMITS = office_limits("Excel 工作簿（.xlsx）")
HEADER_SCAN_ROWS = 60
TABLE_SCAN_ROWS = 600  # rows below the header; the form has 28
_HEADING = re.compile(r"^三级指标(\d+)[:：]")
_CATALOGUE = re.compile(r"^指标(\d+)佐证材料目录")
_NO = re.compile(r"^(\d+)(?:\.0*)?\.?$")

_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    EOFError,
    OSError,
    ParseError,
    SyntaxError,  # lxml's XMLSyntaxError (python-docx brings lxml, and openpyxl then uses it)
    InvalidFileException,
)


@dataclass(frozen=True, slots=True)
class TableRow:
    """One indicator's row of the 自评表 as found in the workbook."""

    no: int
    row: int
    rating_cell: str
    rating_text: str
    remark_cell: str | None
    remark: str | None


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    row: int
    name: str
    remark: str
    file_name: str
    sha256: str


@dataclass
class EvidenceBlock:
    """One indicator's part of the 佐证材料 sheet."""

    no: int
    row: int
    narrative_rows: list[tuple[str, str]] = field(default_factory=list)
    items: list[CatalogueRow] | None = None  # None: no catalogue header found

    @property
    def narrative(self) -> str | None:
        return fit.join_rows(self.narrative_rows) if self.narrative_rows else None


@dataclass
class WorkbookContent:
    """Everything the import needs, with the cells it came from for messages."""

    path: Path
    meta: dict[str, str]
    table_sheet: str
    cover: dict[str, tuple[str, str]]  # field key -> (cell, text)
    rows: dict[int, TableRow]
    evidence_sheet: str | None
    blocks: dict[int, EvidenceBlock]
    row_ids: dict[str, tuple[str, int]]  # id -> (sheet, row) as exported
    base: Base | None = None  # what the fields were at export (three-way import)
    dates: set[str] = field(default_factory=set)  # `sheet!A1` of cells holding a date

    def where(self, sheet: str, cell: str) -> str:
        return f"工作表“{sheet}”单元格 {cell}"

    def is_date(self, sheet: str, cell: str) -> bool:
        return f"{sheet}!{cell}" in self.dates


def refuse(path: Path, zh: str, en: str = "") -> InputFileError:
    return InputFileError(f"{quoted(path)}：{zh}", f"{path}: {en or 'cannot import'}")


def _check_container(path: Path) -> None:
    members = open_checked(path, XLSX_LIMITS)
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            kind = "这是 Word 文档"
        elif "content.xml" in names:
            kind = "这是 OpenDocument（.ods/.odt）文件，请另存为 .xlsx"
        else:
            kind = "其中没有工作簿"
        raise refuse(path, f"不是 Excel 工作簿（.xlsx）：{kind}", "not an xlsx workbook")
    with zipfile.ZipFile(path) as zf:
        for info in members:
            if info.filename.lower().endswith(XML_PART_SUFFIXES):
                _forbid_dtd(path, zf, info)
    xlsx_bounds.check_workbook(path, members)  # name, duplicate parts, strings/styles/cells


def _forbid_dtd(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Workbooks never carry a DTD; one that does is an entity bomb or worse."""
    tail = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(256 * 1024):
                window = tail + chunk
                if any(marker in window for marker in DTD_MARKERS):
                    raise refuse(
                        path,
                        f"其中的 {info.filename} 含有 XML 实体定义（DTD），疑似 XML 炸弹，已拒绝",
                        f"DTD in {info.filename}",
                    )
                tail = window[-32:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise refuse(
            path, f"文件已损坏（{info.filename} 无法解压），无法读取", f"{info.filename}: {exc}"
        ) from exc


def _rows(
    wb: Workbook,
    sheet: str,
    max_col: int,
    max_row: int | None = None,
    dates: set[str] | None = None,
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Rows of values as the colleague saw them (number formats applied); the cells holding
    dates are added to `dates` as `sheet!A1`."""
    ws = wb[sheet]
    ws.reset_dimensions()  # a wrong <dimension> would hide the rows below it
    for number, cells in enumerate(
        ws.iter_rows(min_row=1, max_row=max_row, max_col=max_col), start=1
    ):
        values = []
        for col, c in enumerate(cells, start=1):
            value = c.value
            if value is not None and not isinstance(value, str):
                if dates is not None and is_date(value):
                    dates.add(f"{sheet}!{get_column_letter(col)}{number}")
                value = shown(value, getattr(c, "number_format", None))
            values.append(value)
        yield number, tuple(values) + (None,) * (max_col - len(values))


def _read_meta(
    wb: Workbook, path: Path, iset: IndicatorSet
) -> tuple[dict[str, str], dict[str, tuple[str, int]]]:
    meta: dict[str, str] = {}
    meta_cells: dict[str, str] = {}
    row_ids: dict[str, tuple[str, int]] = {}
    in_ids = False
    for number, (key, value, rid) in _rows(wb, layout.META_SHEET, 3, 20_000):
        k = cell_text(key)
        if k == layout.META_ROW_IDS:
            in_ids = True
        elif in_ids and k and isinstance(value, int | float):
            row_ids[cell_text(rid)] = (k, int(value))
        elif k and not in_ids:
            meta[k] = cell_text(value)
            meta_cells[k] = f"B{number}"
    where = f"隐藏工作表“{layout.META_SHEET}”"
    if meta.get(layout.META_FORMAT) != layout.FORMAT_ID:
        raise refuse(path, f"{where}不是本软件写入的，无法识别这份工作簿", "foreign meta sheet")
    try:
        version = int(meta.get(layout.META_VERSION, ""))
    except ValueError:
        version = -1
    if version < 1:
        raise refuse(path, f"{where}中的格式版本无效", "bad format version")
    if version > layout.FORMAT_VERSION:
        raise refuse(
            path,
            f"这份工作簿由更新版本的软件导出（格式版本 {version}），请升级本软件后再导入",
            f"format version {version} is newer",
        )
    set_id = meta.get(layout.META_SET_ID, "")
    if set_id != iset.id:
        cell = meta_cells.get(layout.META_SET_ID, "B3")
        raise refuse(
            path,
            f"{where}单元格 {cell} 中的指标体系“{set_id}”未知（本项目使用“{iset.id}”），无法导入",
            f"unknown indicator set {set_id!r}",
        )
    return meta, row_ids


def _header_columns(values: Sequence[Any], wanted: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in enumerate(values):
        text = squash(cell_text(value))
        if text in wanted and text not in found:
            found[text] = col
    return found


def _find_table(wb: Workbook, path: Path, iset: IndicatorSet) -> tuple[str, int, dict[str, int]]:
    """(sheet, header row, columns) of the first sheet with the form's header row."""
    wanted = [squash(h) for h in iset.table_headers]
    order = [layout.TABLE_SHEET] if layout.TABLE_SHEET in wb.sheetnames else []
    order += [s for s in wb.sheetnames if s not in (layout.TABLE_SHEET, layout.META_SHEET)]
    no_key, rating_key = wanted[0], wanted[5]
    for sheet in order:
        for number, values in _rows(wb, sheet, 30, HEADER_SCAN_ROWS):
            cols = _header_columns(values, wanted)
            if no_key in cols and rating_key in cols:
                return sheet, number, cols
    raise refuse(
        path,
        f"不是{iset.title}：在各工作表中都找不到含“{iset.table_headers[0]}”和"
        f"“{iset.table_headers[5]}”的表头行",
        "no self-assessment table found",
    )


def _is_header(values: Sequence[Any], cols: dict[str, int]) -> bool:
    """Whether a row is the table's (or a 佐证材料目录's) header row (the exporter writes it
    at the top of every page, and of a page that continues a catalogue; a person may copy it
    too): every header found holds its own words again."""
    return all(squash(cell_text(values[col])) == head for head, col in cols.items())


def _cover(values: Sequence[Any], number: int, iset: IndicatorSet) -> dict[str, tuple[str, str]]:
    """A cover field in this row: its label in the first filled cell, the value after the
    colon in the same cell or in the next filled cell."""
    labels: dict[str, str] = {}
    for f in iset.cover_fields:
        labels[squash(f.label)] = f.key
        labels[re.sub(r"\(.*?\)", "", squash(f.label))] = f.key  # 企业名称 without （公章）
    cells = [(col, cell_text(v)) for col, v in enumerate(values) if cell_text(v) != ""]
    if not cells:
        return {}
    col, text = cells[0]
    label, colon, after = squash(text).partition(":")
    key = labels.get(label)
    if key is None:
        return {}
    if colon and after:
        value = re.split(r"[:：]", text, maxsplit=1)[1].strip()
        return {key: (f"{get_column_letter(col + 1)}{number}", value)}
    if len(cells) > 1:
        vcol, value = cells[1]
        return {key: (f"{get_column_letter(vcol + 1)}{number}", value)}
    return {key: (f"{get_column_letter(col + 1)}{number}", "")}


def _parse_no(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    m = _NO.match(squash(cell_text(value)))
    return int(m.group(1)) if m else None


def _read_table(
    wb: Workbook,
    path: Path,
    iset: IndicatorSet,
    sheet: str,
    header: int,
    cols: dict[str, int],
    dates: set[str],
) -> tuple[dict[str, tuple[str, str]], dict[int, TableRow]]:
    heads = [squash(h) for h in iset.table_headers]
    c_no, c_name, c_rating = cols[heads[0]], cols.get(heads[3]), cols[heads[5]]
    c_remark = cols.get(heads[6])
    width = max(cols.values()) + 1
    cover: dict[str, tuple[str, str]] = {}
    rows: dict[int, TableRow] = {}
    # A 备注 too long for one printed row continues in rows labelled as a narrative's are.
    continued: dict[int, list[tuple[str, str]]] = {}
    last: int | None = None
    for number, values in _rows(wb, sheet, max(width, 12), header + TABLE_SCAN_ROWS, dates):
        if number < header:
            for key, found in _cover(values, number, iset).items():
                cover.setdefault(key, found)
            continue
        if number == header or _is_header(values, cols):  # the header again atop a page
            continue
        no = _parse_no(values[c_no])
        if no is None:
            label = squash(cell_text(values[c_no]))
            if last is not None and c_remark is not None and label.startswith("(续"):
                kind = "same" if "接上行" in label else "new"
                continued.setdefault(last, []).append((kind, cell_text(values[c_remark])))
            continue
        last = no
        here = f"工作表“{sheet}”单元格 {get_column_letter(c_no + 1)}{number}"
        if no not in iset.numbers:
            raise refuse(
                path,
                f"{here}的序号 {no} 不在本指标体系中（应为 1–{len(iset.numbers)}），"
                "这不是本项目使用的自评表",
                f"unknown row number {no}",
            )
        if no in rows:
            raise refuse(
                path, f"{here}的序号 {no} 重复（第 {rows[no].row} 行已有）", f"duplicate row {no}"
            )
        ind = iset.indicator(no)
        if c_name is not None and squash(cell_text(values[c_name])) != squash(ind.name):
            cell = f"{get_column_letter(c_name + 1)}{number}"
            raise refuse(
                path,
                f"工作表“{sheet}”单元格 {cell} 的三级指标是“{cell_text(values[c_name]).strip()}”，"
                f"而本项目第{no}项是“{ind.name}”：这是另一份表格或另一版指标体系，无法导入",
                f"row {no} names another indicator",
            )
        rows[no] = TableRow(
            no=no,
            row=number,
            rating_cell=f"{get_column_letter(c_rating + 1)}{number}",
            rating_text=cell_text(values[c_rating]),
            remark_cell=None if c_remark is None else f"{get_column_letter(c_remark + 1)}{number}",
            remark=None if c_remark is None else cell_text(values[c_remark]),
        )
    for no, rest in continued.items():
        rows[no] = replace(
            rows[no], remark=fit.join_rows([("first", rows[no].remark or ""), *rest])
        )
    return cover, rows


def _find_evidence_sheet(wb: Workbook, table_sheet: str) -> str | None:
    if layout.EVIDENCE_SHEET in wb.sheetnames:
        return layout.EVIDENCE_SHEET
    names: list[str] = list(wb.sheetnames)
    for sheet in names:
        if sheet in (table_sheet, layout.META_SHEET):
            continue
        for _number, (first,) in _rows(wb, sheet, 1, 200):
            if _HEADING.match(squash(cell_text(first))):
                return sheet
    return None


def _read_evidence(
    wb: Workbook,
    path: Path,
    iset: IndicatorSet,
    sheet: str,
    expected: Sequence[int],
    dates: set[str],
) -> dict[int, EvidenceBlock]:
    blocks: dict[int, EvidenceBlock] = {}
    block: EvidenceBlock | None = None
    item_cols: dict[str, int] | None = None
    expecting_header = False
    heads = [
        squash(h) for h in (*iset.evidence.catalogue_headers, layout.FILE_HEADER, layout.SHA_HEADER)
    ]
    narrative_label = squash(layout.NARRATIVE_LABEL)
    for number, values in _rows(wb, sheet, 8, None, dates):
        first = squash(cell_text(values[0]))
        heading = _HEADING.match(first)
        if heading:
            no = int(heading.group(1))
            if no not in iset.numbers:
                raise refuse(
                    path, f"工作表“{sheet}”单元格 A{number} 的三级指标{no}不在本指标体系中"
                )
            if no in blocks:
                raise refuse(path, f"工作表“{sheet}”单元格 A{number} 重复了三级指标{no}")
            block = blocks[no] = EvidenceBlock(no, number)
            item_cols, expecting_header = None, False
            continue
        if block is None:
            continue
        if _CATALOGUE.match(first):
            item_cols, expecting_header = None, True
            continue
        if expecting_header:
            cols = _header_columns(values, heads)
            if heads[1] in cols:  # rows count as the catalogue only under its header row
                item_cols, expecting_header = cols, False
                block.items = block.items or []
                continue
        if (item_cols is None and first.strip("()（）") == narrative_label) or (
            item_cols is None and "续" in first and block.narrative_rows
        ):
            kind = "first" if not block.narrative_rows else "new"
            if "接上行" in first:
                kind = "same"
            block.narrative_rows.append((kind, cell_text(values[1])))
            continue
        if item_cols is not None and _is_header(values, item_cols):
            continue  # the catalogue's header again, atop a page that continues it
        if item_cols is not None and block.items is not None:
            item = _catalogue_row(number, values, item_cols, heads)
            if item is not None:
                block.items.append(item)
    missing = [n for n in expected if n not in blocks]
    if missing:
        raise refuse(
            path,
            f"工作表“{sheet}”缺少三级指标{missing[0]}（第{missing[0]}项）的佐证材料部分",
            f"evidence block {missing[0]} missing",
        )
    return blocks


def _catalogue_row(
    number: int, values: Sequence[Any], cols: dict[str, int], heads: Sequence[str]
) -> CatalogueRow | None:
    def text(head: str) -> str:
        col = cols.get(head)
        return "" if col is None else cell_text(values[col])

    name, remark, file_name, sha = (text(h) for h in heads[1:5])
    if not (name.strip() or remark.strip() or file_name.strip() or sha.strip()):
        return None  # a blank row, or one with only its 序号 left
    return CatalogueRow(number, name, remark, file_name.strip(), sha.strip().lower())


def _load(path: Path) -> Workbook:
    try:
        return load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except _BROKEN as exc:
        raise refuse(
            path, f"工作簿已损坏或格式不对，无法读取（{type(exc).__name__}）", str(exc)
        ) from exc


def read_workbook(path: Path, iset: IndicatorSet) -> WorkbookContent:
    """Read and locate everything; raises InputFileError naming the file and the cell."""
    path = Path(path)
    _check_container(path)
    wb = _load(path)
    try:
        meta: dict[str, str] = {}
        row_ids: dict[str, tuple[str, int]] = {}
        base = None
        if layout.META_SHEET in wb.sheetnames:
            meta, row_ids = _read_meta(wb, path, iset)
            base = read_base(wb, iset)
        expected = base.numbers if base else iset.numbers  # a department's rows, or all
        sheet, header, cols = _find_table(wb, path, iset)
        dates: set[str] = set()
        cover, rows = _read_table(wb, path, iset, sheet, header, cols, dates)
        missing = [n for n in expected if n not in rows]
        if missing:
            no = missing[0]
            was = row_ids.get(f"indicator.{no}")
            hint = f"（导出时在第 {was[1]} 行）" if was else ""
            raise refuse(
                path,
                f"工作表“{sheet}”缺少序号为 {no} 的一行{hint}：{iset.indicator(no).label}",
                f"row {no} missing",
            )
        evidence_sheet = _find_evidence_sheet(wb, sheet)
        blocks = (
            _read_evidence(wb, path, iset, evidence_sheet, expected, dates)
            if evidence_sheet
            else {}
        )
    except InputFileError:
        raise
    except _BROKEN as exc:
        raise refuse(
            path, f"工作簿已损坏或格式不对，无法读取（{type(exc).__name__}）", str(exc)
        ) from exc
    finally:
        wb.close()
    return WorkbookContent(
        path, meta, sheet, cover, rows, evidence_sheet, blocks, row_ids, base, dates
    )

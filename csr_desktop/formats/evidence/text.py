"""The text and tables of a Word or Excel evidence file, read safely and capped, for both documents.

Colleagues' Word reports and Excel tables are a large part of real evidence; a reviewer should
read them in the 自评材料, not only find their hash. They are files from anywhere, so they pass
the same gates as an imported workbook before any parser sees them: the zip's stated sizes
(`zip_safety`), no DTD (entity bombs), and a bound on the XML elements each part holds (a few
megabytes of `<w:p/>` are millions of objects to python-docx). What is shown is capped at about
twenty printed pages or 2,000 table rows; the original travels in the submission package.

Nothing here raises for a bad file: `read_evidence_text` returns the blocks, or a short Chinese
reason the content is not shown. The model is Qt-, ReportLab- and python-docx-free, so each
renderer only lays it out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from csr_desktop.core.bounded_read import open_regular
from csr_desktop.core.errors import CsrError
from csr_desktop.core.os_errors import problem_text
from csr_desktop.formats.xlsx.display import shown
from csr_desktop.formats.zip_safety import (
    DTD_MARKERS,
    XML_PART_SUFFIXES,
    MiB,
    office_limits,
    open_checked,
)

WORD_SUFFIXES = frozenset({".docx", ".docm", ".dotx", ".dotm"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
LEGACY_SUFFIXES = frozenset({".doc", ".dot", ".xls", ".xlt", ".wps", ".et"})

# About twenty printed pages: ~1,000 characters a page at the evidence's body size, a short
# paragraph counting as a full line.
MAX_TEXT_CHARS = 20_000
LINE_CHARS = 40
MAX_TABLE_ROWS = 2_000  # all tables and sheets together
MAX_TABLE_CHARS = 150_000  # rows of long cells would otherwise make hundreds of pages
MAX_CELL_CHARS = 500
MAX_COLUMNS = 15  # more would not fit a portrait page readably
TIME_BUDGET = 4.0  # seconds of reading per file; then the rest is left to the original

# The imported workbook's limits (xlsx/read.py), for Word documents too.
DOCX_LIMITS = office_limits("Word 文档（.docx）")
XLSX_LIMITS = office_limits("Excel 工作簿（.xlsx）")
# A 300-page report's word/document.xml holds a few hundred thousand elements.
MAX_DOCUMENT_ELEMENTS = 600_000
MAX_PART_ELEMENTS = 200_000  # styles, numbering, headers, relationships…
MAX_TOTAL_ELEMENTS = 800_000  # all parts: ~2.5 s of python-docx parsing here
# Parts are inflated to be checked and parsed whole (shared strings, document.xml): past these
# sizes the gates alone would take longer than the 5 s a file may. A 300-page report's
# document.xml is ~10 MB; a 50,000-row sheet ~20 MB.
MAX_XML_PART_BYTES = 32 * MiB
MAX_XML_TOTAL_BYTES = 64 * MiB
ATTRIBUTES_PER_ELEMENT = 12
SPARE_ATTRIBUTES = 20_000
MAX_ROW_CELLS = 16_384  # Excel's columns: no honest row holds more cells
MAX_UNSIZED_SHEET_ELEMENTS = 150_000  # a sheet without <dimension> is parsed whole on opening
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData[\s/>]")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension[\s/>]")
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")  # the CFB stream of an encrypted OOXML
_SIGNATURES = (
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"%PDF-", "PDF 文件"),
    (b"{\\rtf", "RTF 文档"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
)

CAP_NOTE = "（其余内容见原件）"
LEGACY_REASON = "旧版格式，内容未显示"


def original_note(file_name: str) -> str:
    return f"原件见提交材料包（{file_name}）"


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1 = the file's top level
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cell texts, all of one width; the first row is repeated on every page."""

    rows: tuple[tuple[str, ...], ...]
    columns_cut: int = 0  # columns beyond MAX_COLUMNS not shown


Block = Heading | Paragraph | Table


@dataclass(frozen=True, slots=True)
class EvidenceText:
    """What a Word or Excel file says, or why that is not shown (`reason`)."""

    kind: str  # "Word 文档" or "Excel 工作簿"
    blocks: tuple[Block, ...] = ()
    truncated: bool = False
    reason: str = ""

    def intro(self, file_name: str) -> str:
        """The line under the item's heading: what follows, and where the original is."""
        if self.reason:
            if self.reason == LEGACY_REASON:
                return f"{LEGACY_REASON}，{original_note(file_name)}"
            return f"内容无法显示：{self.reason}。{original_note(file_name)}"
        return f"以下为该 {self.kind}的文字和表格内容（格式从略），{original_note(file_name)}"


class _Unreadable(Exception):
    """Why a file's content is not shown, as a short Chinese sentence."""


@dataclass
class _Budget:
    """The cap on what is shown, and the time spent reading."""

    started: float = field(default_factory=time.monotonic)
    chars: int = 0
    rows: int = 0
    table_chars: int = 0
    full: bool = False

    def text(self, text: str) -> str | None:
        """`text` (cut to what is left) if it still fits, else None and the budget is full."""
        if self.full or self.overtime() or self.chars >= MAX_TEXT_CHARS:
            self.full = True
            return None
        left = MAX_TEXT_CHARS - self.chars
        self.chars += max(len(text), LINE_CHARS)
        if len(text) > left:
            self.full = True
            return text[:left] + "…"
        return text

    def row(self, cells: tuple[str, ...]) -> bool:
        if self.full or self.overtime() or self.rows >= MAX_TABLE_ROWS:
            self.full = True
            return False
        if self.table_chars >= MAX_TABLE_CHARS:
            self.full = True
            return False
        self.rows += 1
        self.table_chars += sum(len(c) for c in cells)
        return True

    def overtime(self) -> bool:
        if time.monotonic() - self.started > TIME_BUDGET:
            self.full = True
        return self.full


def office_kind(file_name: str) -> str | None:
    """ "word", "excel" or "legacy" for the names whose content is shown (or said to be old)."""
    suffix = Path(file_name).suffix.lower()
    if suffix in WORD_SUFFIXES:
        return "word"
    if suffix in EXCEL_SUFFIXES:
        return "excel"
    if suffix in LEGACY_SUFFIXES:
        return "legacy"
    return None


def read_evidence_text(path: Path, file_name: str) -> EvidenceText | None:
    """The content of a stored Word/Excel file (spooled at `path`, originally `file_name`);
    None when the name is no Word or Excel file. Never raises for what the file holds."""
    kind = office_kind(file_name)
    if kind is None:
        return None
    label = "Excel 工作簿" if kind == "excel" or _is_excel_name(file_name) else "Word 文档"
    if kind == "legacy":
        return EvidenceText(label, reason=LEGACY_REASON)
    try:
        return _read(Path(path), kind, label, _Budget())
    except _Unreadable as exc:
        return EvidenceText(label, reason=str(exc))
    except CsrError as exc:
        return EvidenceText(label, reason=_without_path(exc.zh))
    except OSError as exc:  # the spool folder's disk, not the file (e.g. full while copying)
        return EvidenceText(label, reason=f"读取时出错（{problem_text(exc)}）")
    except MemoryError:
        return EvidenceText(label, reason="文件内容过大，无法在限定内存内读取")
    except RecursionError:
        return EvidenceText(label, reason="文件结构嵌套过深，疑似恶意构造的文件")
    except Exception:  # a third-party parser on hostile bytes: any failure is "damaged"
        return EvidenceText(label, reason="文件已损坏或格式无法识别")


def _is_excel_name(file_name: str) -> bool:
    return Path(file_name).suffix.lower() in {".xls", ".xlt", ".et"}


def _without_path(zh: str) -> str:
    """A gate's message without the temporary file's name it starts with."""
    head, sep, rest = zh.partition("”：")
    return rest if sep and head.startswith("“") else zh


def _read(path: Path, kind: str, label: str, budget: _Budget) -> EvidenceText:
    head = _head(path)
    if head.startswith(_OLE_MAGIC):
        if _encrypted(path):
            raise _Unreadable("文件设置了打开密码（已加密），无法读取")
        raise _Unreadable(f"文件实为旧版格式（.doc/.xls 另存为新扩展名），{LEGACY_REASON}")
    if not head.startswith(b"PK"):
        what = next((name for magic, name in _SIGNATURES if head.startswith(magic)), "")
        raise _Unreadable(
            f"文件内容是 {what}，不是 {label}" if what else f"文件格式不对，不是 {label}"
        )
    members = open_checked(path, DOCX_LIMITS if kind == "word" else XLSX_LIMITS)
    _check_xml_sizes(members)
    names = {m.filename for m in members}
    if "word/document.xml" in names:
        return _read_docx(path, members, budget)
    if "xl/workbook.xml" in names:
        return _read_xlsx(path, budget)
    raise _Unreadable(f"压缩包内没有{label}的内容，不是 {label}")


def _check_xml_sizes(members: list[zipfile.ZipInfo]) -> None:
    """Refuse, by the sizes the zip states, XML too large to read within the time a file may."""
    total = 0
    for info in members:
        if not info.filename.casefold().endswith(XML_PART_SUFFIXES):
            continue
        total += info.file_size
        if info.file_size > MAX_XML_PART_BYTES or total > MAX_XML_TOTAL_BYTES:
            limit = (
                MAX_XML_PART_BYTES if info.file_size > MAX_XML_PART_BYTES else MAX_XML_TOTAL_BYTES
            )
            raise _Unreadable(
                f"文件内容过大（其中的 {info.filename} 解压后为 {info.file_size / MiB:.1f} MB，"
                f"文字部分上限 {limit // MiB} MB），内容未显示"
            )


def _head(path: Path) -> bytes:
    with open_regular(path) as fh:
        head = fh.read(16)
    if not head:
        raise _Unreadable("文件是空的")
    return head


def _encrypted(path: Path) -> bool:
    """Whether a compound file is an encrypted OOXML (it names an EncryptionInfo stream)."""
    tail = b""
    seen = 0
    with open_regular(path) as fh:
        while seen < 64 * MiB and (chunk := fh.read(MiB)):
            if _ENCRYPTION_INFO in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTION_INFO) :]
            seen += len(chunk)
    return False


# ---- Word ----------------------------------------------------------------------------------


def _check_parts(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """No DTD anywhere, and no more elements (or attributes) than a long report has."""
    total = 0
    with zipfile.ZipFile(path) as zf:
        for info in members:
            name = info.filename.casefold()
            if name.endswith(XML_PART_SUFFIXES):
                limit = MAX_DOCUMENT_ELEMENTS if name == "word/document.xml" else MAX_PART_ELEMENTS
                total += _scan_part(zf, info, limit)
                if total > MAX_TOTAL_ELEMENTS:  # python-docx parses every part it knows
                    raise _Unreadable(
                        f"各部分共含有超过 {MAX_TOTAL_ELEMENTS} 个 XML 元素（在 {info.filename} 处），"
                        "远超正常文档，疑似恶意构造的文件，已拒绝"
                    )


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> int:
    """The part's element count; refused for a DTD or too many elements or attributes."""
    n = attributes = 0
    tail = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(MiB):
                window = tail + chunk
                if any(marker in window for marker in DTD_MARKERS):
                    raise _Unreadable(
                        f"其中的 {info.filename} 含有 XML 实体定义（DTD），疑似 XML 炸弹，已拒绝"
                    )
                tail = window[-32:]
                n += chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?")
                n -= chunk.count(b"<!")
                attributes += chunk.count(b'="') + chunk.count(b"='")
                if n > limit:
                    raise _Unreadable(
                        f"其中的 {info.filename} 含有超过 {limit} 个 XML 元素，"
                        "远超正常文档，疑似恶意构造的文件，已拒绝"
                    )
                if attributes > ATTRIBUTES_PER_ELEMENT * n + SPARE_ATTRIBUTES:
                    raise _Unreadable(
                        f"其中的 {info.filename} 含有 {attributes} 个以上的 XML 属性，"
                        "疑似恶意构造的文件，已拒绝"
                    )
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise _Unreadable(f"文件已损坏（{info.filename} 无法解压）") from exc
    return n


def _read_docx(path: Path, members: list[zipfile.ZipInfo], budget: _Budget) -> EvidenceText:
    from docx import Document
    from docx.oxml.ns import qn

    _check_parts(path, members)
    with open_regular(path) as fh:
        doc: Any = Document(fh)
    levels = _heading_levels(doc)
    blocks: list[Block] = []
    tags = {"p": qn("w:p"), "tbl": qn("w:tbl"), "sdt": qn("w:sdt"), "c": qn("w:sdtContent")}
    for el in _body_children(doc.element.body, tags):
        if el.tag == tags["p"]:
            text = _squash(el.text)
            if not text:
                continue
            shown_text = budget.text(text)
            if shown_text is None:
                break
            level = _paragraph_level(el, levels, qn)
            blocks.append(Heading(level, shown_text) if level else Paragraph(shown_text))
        else:
            table = _docx_table(el, budget, qn)
            if table is not None:
                blocks.append(table)
            if budget.full:
                break
    if not blocks and not budget.full:
        blocks.append(Paragraph("（文件中没有文字内容）"))
    return EvidenceText("Word 文档", tuple(blocks), truncated=budget.full)


def _body_children(parent: Any, tags: dict[str, str]) -> Iterator[Any]:
    """Paragraphs and tables in document order, content controls (w:sdt) opened."""
    for child in parent.iterchildren():
        if child.tag in (tags["p"], tags["tbl"]):
            yield child
        elif child.tag == tags["sdt"]:
            content = child.find(tags["c"])
            if content is not None:
                yield from _body_children(content, tags)


def _heading_levels(doc: Any) -> dict[str, int]:
    """Paragraph style id → heading level (1…), from the style's name or outline level."""
    from docx.enum.style import WD_STYLE_TYPE

    levels: dict[str, int] = {}
    for style in doc.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        name = (style.name or "").strip().casefold()
        level = 0
        for prefix in ("heading", "标题"):
            rest = name.removeprefix(prefix).strip()
            if name.startswith(prefix) and rest.isdigit():
                level = int(rest)
        if name in ("title", "标题"):
            level = 1
        if not level:
            level = _outline_level(style.element)
        if level:
            levels[style.style_id] = min(level, 6)
    return levels


def _outline_level(el: Any) -> int:
    from docx.oxml.ns import qn

    ppr = el.find(qn("w:pPr"))
    lvl = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if lvl is None:
        return 0
    try:
        value = int(lvl.get(qn("w:val")))
    except (TypeError, ValueError):
        return 0
    return value + 1 if 0 <= value < 9 else 0


def _paragraph_level(p: Any, levels: dict[str, int], qn: Any) -> int:
    own = _outline_level(p)
    if own:
        return min(own, 6)
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return levels.get(style.get(qn("w:val")), 0) if style is not None else 0


def _docx_table(tbl: Any, budget: _Budget, qn: Any) -> Table | None:
    rows: list[list[str]] = []
    for tr in tbl.iterchildren(qn("w:tr")):
        cells: list[str] = []
        for tc in tr.iterchildren(qn("w:tc")):
            text = "\n".join(t for p in tc.iter(qn("w:p")) if (t := _squash(p.text)))
            cells.append(_cell(text))
            span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            extra = _int(span.get(qn("w:val"))) - 1 if span is not None else 0
            cells += [""] * max(0, min(extra, MAX_COLUMNS))
            if len(cells) > MAX_COLUMNS + 1:
                break
        if not any(cells):
            continue
        if not budget.row(tuple(cells)):
            break
        rows.append(cells)
    return _table(rows)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


# ---- Excel ---------------------------------------------------------------------------------


def _read_xlsx(path: Path, budget: _Budget) -> EvidenceText:
    from openpyxl import load_workbook

    from csr_desktop.formats.xlsx import read as xlsx_read

    linked = _with_suffix(path, ".xlsx")
    try:
        # the imported workbook's own gates: zip sizes, DTDs, strings, styles and cells
        xlsx_read._check_container(linked)
        _check_row_widths(linked)
    finally:
        if linked != path:
            with contextlib.suppress(OSError):
                linked.unlink()
    blocks: list[Block] = []
    with open_regular(path) as fh:
        wb = load_workbook(fh, read_only=True, data_only=True)
        try:
            hidden = 0
            for ws in wb.worksheets:
                if getattr(ws, "sheet_state", "visible") != "visible":
                    hidden += 1
                    continue
                if budget.full:
                    break
                blocks.append(Heading(1, f"工作表“{ws.title}”"))
                table = _sheet(ws, budget)
                blocks.append(table if table is not None else Paragraph("（空工作表）"))
            if hidden:
                blocks.append(Paragraph(f"（另有 {hidden} 个隐藏的工作表，未显示）"))
        finally:
            wb.close()
    return EvidenceText("Excel 工作簿", tuple(blocks), truncated=budget.full)


def _with_suffix(path: Path, suffix: str) -> Path:
    """The spooled file under a name the workbook gates accept (they check the extension)."""
    if path.suffix.lower() == suffix:
        return path
    linked = path.with_name(f"{path.name}.check{suffix}")
    with contextlib.suppress(FileNotFoundError):
        linked.unlink()
    try:
        os.link(path, linked)
    except OSError:
        shutil.copyfile(path, linked)
    return linked


def _check_row_widths(path: Path) -> None:
    """Refuse a sheet row with more cells than a sheet has columns: openpyxl builds every cell
    of a row it reads (400,000 of them took 17 s), however few columns are asked for."""
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.casefold().startswith("xl/worksheets/"):
                _row_widths(zf, info)


def _row_widths(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Count cells per row, and elements, in one pass over the sheet's bytes."""
    cells = elements = 0
    dimension: bool | None = None  # found before the rows? (None: rows not reached yet)
    carry = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(MiB)
            data = carry + chunk
            # a tag start cut at the chunk's end is counted with the next chunk
            cut = data.rfind(b"<", max(len(data) - 64, 0)) if chunk else -1
            cut = len(data) if cut < 0 else cut
            body, carry = data[:cut], data[cut:]
            if dimension is None:
                rows_at = _SHEET_DATA.search(body)
                dimension_at = _DIMENSION.search(body)
                if dimension_at is not None:
                    dimension = True
                elif rows_at is not None:
                    dimension = False
            elements += body.count(b"<") - body.count(b"</")
            if dimension is False and elements > MAX_UNSIZED_SHEET_ELEMENTS:
                # openpyxl then reads the whole sheet to learn its size before the first row
                raise _Unreadable(
                    f"其中的 {info.filename} 没有记录表格范围，且含有超过 "
                    f"{MAX_UNSIZED_SHEET_ELEMENTS} 个 XML 元素，无法在限定时间内读取"
                )
            for n, piece in enumerate(_ROW_START.split(body)):
                cells = (cells if n == 0 else 0) + len(_CELL_START.findall(piece))
                if cells > MAX_ROW_CELLS:
                    raise _Unreadable(
                        f"其中的 {info.filename} 有一行含有超过 {MAX_ROW_CELLS} 个单元格，"
                        "超出工作表的列数，疑似恶意构造的文件，已拒绝"
                    )
            if not chunk:
                return


def _sheet(ws: Any, budget: _Budget) -> Table | None:
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # a wrong <dimension> would hide rows
    rows: list[list[str]] = []
    for cells in ws.iter_rows(max_col=MAX_COLUMNS + 1):
        if budget.overtime():  # empty rows cost time too
            break
        values = [_cell(_displayed(c)) for c in cells]
        if not any(values):
            continue
        if not budget.row(tuple(values)):
            break
        rows.append(values)
    return _table(rows)


def _displayed(cell: Any) -> str:
    """A cell's value as a spreadsheet shows it, where that is cheap to know."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    fmt = getattr(cell, "number_format", None) or ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date_text(value, fmt)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        result = shown(value, fmt)
        if isinstance(result, str):
            return result
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.10g}" if isinstance(value, float) else str(value)
    return _squash(str(value))


def _date_text(value: dt.date | dt.datetime | dt.time, fmt: str) -> str:
    chinese = "年" in fmt
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if "s" in fmt.lower() else "%H:%M")
    if isinstance(value, dt.datetime) and (
        value.time() != dt.time(0) or "h" in fmt.lower() or value.date() == dt.date(1899, 12, 30)
    ):
        if value.date() == dt.date(1899, 12, 30):
            return value.strftime("%H:%M")
        day = _day(value.date(), chinese)
        return f"{day} {value:%H:%M}"
    return _day(value if not isinstance(value, dt.datetime) else value.date(), chinese)


def _day(day: dt.date, chinese: bool) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if chinese else day.isoformat()


# ---- shared --------------------------------------------------------------------------------


def _squash(text: str | None) -> str:
    """Text without control characters and runs of blank lines (nothing XML cannot hold)."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    clean = "".join(ch for ch in text if ch == "\n" or (ch >= " " and ch not in "\ufffe\uffff"))
    clean = "".join(ch for ch in clean if not 0xD800 <= ord(ch) <= 0xDFFF and ord(ch) != 0x7F)
    return "\n".join(line.strip() for line in clean.split("\n") if line.strip())


def _cell(text: str) -> str:
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS] + "…"


def _table(rows: list[list[str]]) -> Table | None:
    """Rows padded to one width, trailing empty columns dropped, at most MAX_COLUMNS shown."""
    if not rows:
        return None
    width = max((max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows), default=0)
    if width == 0:
        return None
    shown_width = min(width, MAX_COLUMNS)
    padded = tuple(tuple((r + [""] * width)[:shown_width]) for r in rows)
    return Table(padded, columns_cut=width - shown_width)


def column_widths(
    rows: tuple[tuple[str, ...], ...], width: float, char_width: float, pad: float, least: float
) -> list[float]:
    """Columns as wide as their longest line wants (up to 30 characters), shared out over
    `width`; none narrower than `least` while that fits. Units are the caller's (pt or mm)."""
    columns = len(rows[0])
    want = [0.0] * columns
    for row in rows[:200]:
        for i, text in enumerate(row):
            longest = max((_units(line) for line in text.split("\n")), default=0.0)
            want[i] = max(want[i], min(longest, 30.0))
    need = [max(w * char_width + pad, least) for w in want]
    total = sum(need)
    if total <= width:
        spare = (width - total) / columns
        return [n + spare for n in need]
    floor = min(least, width / columns)
    flexible = sum(n - floor for n in need) or 1.0
    room = width - floor * columns
    return [floor + (n - floor) * room / flexible for n in need]


def _units(text: str) -> float:
    """Width in full-width characters: CJK one, Latin about half."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)

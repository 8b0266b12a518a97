"""PDF reports through PDFium (pypdfium2, Apache-2.0/BSD-3): fast, and it reads CJK fonts.

PDFium gives each page's text line by line. Lines are grouped into paragraphs by their
geometry (a line ending short of the column, a wider gap, an indented first line), so the
passages come out as the .txt and .docx forms of the same report give them. A line that
repeats at the top or bottom of many pages (a running header, a footer) is dropped.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from csr_desktop.core.errors import Cancelled, InputFileError, quoted
from csr_desktop.formats.report.layout import clean, join, spaced_style
from csr_desktop.formats.report.model import Block

MAX_PAGES = 5000
PARALLEL_PAGES = 300  # from this many pages a second process reads half (its start costs ~0.3 s)
HELPER_ENV = "CSR_DESKTOP_PDF_HELPER"
GAP_IS_SPACE = 0.3  # of the line height, between two characters' advance boxes (justified
# Chinese text stretches the gaps up to ~0.25)
GAP_IS_TAB = 1.5

_DIGITS = re.compile(r"\d+")
# a space PDFium put between two Chinese characters or punctuation marks: the sign of a line
# drawn out of order (rebuilt from its characters' positions), or of letter-spaced headings
_WIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…·"
_SUSPECT = re.compile(f"[{_WIDE}] [{_WIDE}]")
# Chinese punctuation takes no space beside it: a gap there is the punctuation's own font
_NO_SPACE = re.compile(
    r"(?<=[“”‘’、，。：；！？（）《》【】—…]) | (?=[“”‘’、，。：；！？（）《》【】—…])"
)
_QUOTES = re.compile("[“”‘’]")
_LINE_BREAK = re.compile(r"(\r\n|\n|\r)")
_QUOTE_SPACE = re.compile(f"(?<=[“‘]) | (?=[”’])|(?<=[”’]) (?=[{_WIDE}])|(?<=[{_WIDE}]) (?=[“‘])")
# a line ending in a number may be a contents line whose leader PDFium dropped: its gap tells
_TRAILING_NUMBER = re.compile(f"[{_WIDE}A-Za-z.] ?(?P<number>\\d{{1,4}})$")


class _Line:
    __slots__ = ("bottom", "left", "right", "text", "top")

    def __init__(self, text: str, left: float, right: float, top: float, bottom: float) -> None:
        self.text, self.left, self.right, self.top, self.bottom = text, left, right, top, bottom


def _refuse(path: Path, zh: str, en: str) -> InputFileError:
    return InputFileError(f"{quoted(path)}：{zh}", f"{path}: {en}")


def _open(path: Path, data: bytes) -> Any:
    import pypdfium2 as pdfium

    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise _refuse(path, "不是 PDF 文件（文件格式不对）", "not a PDF")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise _refuse(
                path, "PDF 已加密（需要密码才能打开），请提供未加密的版本", "encrypted PDF"
            ) from exc
        raise _refuse(path, "PDF 文件已损坏，无法读取", str(exc)) from exc


def _page_lines(raw: Any, page: Any) -> list[_Line]:
    """The lines PDFium finds on a page, with the box of each line's first and last character.

    Raw PDFium calls, as few as a line needs (each costs a microsecond or two through ctypes,
    and a 2,000-page report has ~80,000 lines): two boxes per line; a character's own code
    and generated flag only where a line may be out of order or end in a page number."""
    textpage = raw.FPDFText_LoadPage(page)
    if not textpage:
        raise ValueError("PDFium could not read the page's text")
    try:
        count = raw.FPDFText_CountChars(textpage)
        if count <= 0:
            return []
        buffer = (ctypes.c_ushort * (count + 1))()
        written = raw.FPDFText_GetText(textpage, 0, count, buffer)
        data = memoryview(buffer).cast("B")[: max(0, written - 1) * 2]
        text = bytes(data).decode("utf-16-le", errors="replace")
        identity = written - 1 == count  # text index = character index: no lookups needed
        bmp_page = len(text) == written - 1  # no surrogate pairs: a character is one unit
        rect = raw.FS_RECTF()
        ref = ctypes.byref(rect)
        loose_box = raw.FPDFText_GetLooseCharBox
        char_index = raw.FPDFText_GetCharIndexFromTextIndex
        generated = raw.FPDFText_IsGenerated
        unicode_of = raw.FPDFText_GetUnicode

        def drawn(index: int) -> int:
            """The character at a text index, or -1 for none or one PDFium made up (a space)."""
            char = index if identity else char_index(textpage, index)
            if char < 0 or generated(textpage, char) == 1:
                return -1
            return int(char)

        def contents_line(start: int, stop: int, shown: str) -> str | None:
            """A line ending in a number far right of its words (a contents line whose leader
            or tab PDFium dropped): the words, a tab, the number."""
            m = _TRAILING_NUMBER.search(shown)
            if m is None:
                return None
            digits = len(m.group("number"))
            # the drawn, visible characters from the end: the number's, then the one before
            tail: list[tuple[float, float, float, float]] = []
            for index in range(stop - 1, max(start, stop - digits - 8) - 1, -1):
                char = drawn(index)
                if char < 0 or chr(unicode_of(textpage, char)).isspace():
                    continue
                if not loose_box(textpage, char, ref):
                    continue
                tail.append((rect.left, rect.right, rect.top, rect.bottom))
                if len(tail) > digits:
                    break
            if len(tail) <= digits:
                return None
            before, first_digit = tail[digits], tail[digits - 1]
            if first_digit[0] - before[1] <= GAP_IS_TAB * (first_digit[2] - first_digit[3]):
                return None
            return f"{shown[: m.start('number')].rstrip()}\t{m.group('number')}"

        def in_order(start: int, stop: int) -> _Line | None:
            """A line PDFium may have put out of order, checked against its characters'
            positions: Word and LibreOffice draw quotes and dashes from another font after the
            Chinese run, so PDFium's stream order (and its guessed spaces) misplaces them.
            None: the line is in order and PDFium's text stands."""
            boxes: list[tuple[float, float, float, float, int]] = []
            for index in range(start, stop):
                char = drawn(index)
                if char >= 0 and loose_box(textpage, char, ref):
                    boxes.append((rect.left, rect.right, rect.top, rect.bottom, char))
            if not boxes:
                return None
            height = max(c[2] - c[3] for c in boxes) or 1.0
            if all(b[0] >= a[0] - 0.1 * height for a, b in itertools.pairwise(boxes)):
                return None
            chars = [(*c[:4], chr(unicode_of(textpage, c[4]))) for c in boxes]
            chars.sort(key=lambda c: c[0])
            parts: list[str] = []
            right = None
            for left, r, _top, _bottom, ch in chars:
                gap = left - right if right is not None else 0.0
                if gap > GAP_IS_TAB * height:
                    parts.append("\t")  # a tab or a leader: a contents line, a table
                elif gap > GAP_IS_SPACE * height:
                    parts.append(" ")  # a gap as wide as a space: the words were apart
                parts.append(ch)
                right = r if right is None else max(right, r)
            text = _NO_SPACE.sub("", clean("".join(parts)))
            first, last = chars[0], max(chars, key=lambda c: c[1])
            return _Line(text, first[0], last[1], first[2], first[3]) if text else None

        lines: list[_Line] = []
        pos = 0  # in UTF-16 units, as PDFium counts
        pieces = _LINE_BREAK.split(text)
        for piece, sep in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
            units = len(piece)
            shown = clean(piece)
            if shown:
                lead = units - len(piece.lstrip())
                end = len(piece.rstrip())
                if not bmp_page and max(piece) > "\uffff":  # count in UTF-16 units
                    units = len(piece.encode("utf-16-le")) // 2
                    lead = len(piece[:lead].encode("utf-16-le")) // 2
                    end = len(piece[:end].encode("utf-16-le")) // 2
                rebuilt = (
                    in_order(pos + lead, pos + end)
                    if " " in shown and _SUSPECT.search(shown)
                    else None
                )
                if rebuilt is not None:
                    lines.append(rebuilt)
                else:
                    if " " in shown and _QUOTES.search(shown):
                        shown = _QUOTE_SPACE.sub("", shown)  # PDFium's guesses beside quotes
                    if shown[-1].isdigit():
                        shown = contents_line(pos + lead, pos + end, shown) or shown
                    first = pos + lead if identity else char_index(textpage, pos + lead)
                    if first >= 0 and loose_box(textpage, first, ref):
                        left, top, bottom = rect.left, rect.top, rect.bottom
                        last = pos + end - 1 if identity else char_index(textpage, pos + end - 1)
                        if last >= 0 and loose_box(textpage, last, ref):
                            lines.append(_Line(shown, left, rect.right, top, bottom))
                            pos += units + len(sep)
                            continue
                    lines.append(_Line(shown, 0.0, 0.0, 0.0, 0.0))
            elif not bmp_page and piece and max(piece) > "\uffff":
                units = len(piece.encode("utf-16-le")) // 2
            pos += units + len(sep)
        return lines
    finally:
        raw.FPDFText_ClosePage(textpage)


class _Geometry:
    """The body text's measures over the whole report: size, line pitch, column edges."""

    def __init__(self, pages: list[list[_Line]]) -> None:
        lines = [ln for page in pages for ln in page if ln.top > ln.bottom]
        heights = [ln.top - ln.bottom for ln in lines]
        self.size = statistics.median(heights) if heights else 10.0
        pitches = sorted(
            a.top - b.top
            for page in pages
            for a, b in itertools.pairwise(page)
            if 0.5 * self.size < a.top - b.top < 4 * self.size
        )
        # the pitch inside a paragraph is the smallest common one; paragraphs add space
        self.pitch = pitches[len(pitches) // 4] if pitches else 1.5 * self.size
        rights = sorted(ln.right for ln in lines) or [0.0]
        self.right = rights[int(len(rights) * 0.9)]
        lefts = sorted(ln.left for ln in lines) or [0.0]
        self.left = lefts[int(len(lefts) * 0.1)]


def _paragraphs(lines: list[_Line], spaced: bool, geo: _Geometry) -> list[str]:
    """Lines of one page grouped into paragraphs by their geometry."""
    size, pitch, column_right, column_left = geo.size, geo.pitch, geo.right, geo.left
    paragraphs: list[str] = []
    current = ""
    previous: _Line | None = None
    for line in lines:
        text = line.text
        starts = previous is None or (
            previous.top - line.top > pitch * 1.25  # a wider gap, or a new column / page part
            or previous.top - line.top < 0
            or previous.right < column_right - 1.5 * size  # the previous line ended short
            or line.left > column_left + 1.2 * size  # an indented first line
        )
        if starts and current:
            paragraphs.append(current)
            current = ""
        current = join(current, text, spaced) if current else text
        previous = line
    if current:
        paragraphs.append(current)
    return paragraphs


def _running(pages: list[list[_Line]]) -> set[str]:
    """Header and footer lines: the same words (numbers aside) at a page edge, page after page."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {_DIGITS.sub("#", ln.text) for ln in lines[:2] + lines[-2:]}
        counts.update(edges)
    threshold = max(3, len(pages) * 0.3)
    return {t for t, n in counts.items() if n >= threshold and t}


def _read_page(raw: Any, document: Any, index: int) -> list[_Line]:
    page = raw.FPDF_LoadPage(document, index)
    if not page:
        raise ValueError(f"PDFium could not load page {index + 1}")
    try:
        return _page_lines(raw, page)
    finally:
        raw.FPDF_ClosePage(page)  # at once: a page's objects are most of PDFium's memory


def lines_of_file(path: str, start: int, stop: int) -> list[list[_Line]]:
    """Pages start..stop-1 of a PDF file (what the helper process reads)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(path)
    try:
        return [_read_page(raw, pdf.raw, index) for index in range(start, stop)]
    finally:
        pdf.close()


def _free_cores() -> float:
    """Cores no other work is using now (as many as there are where the load is unknown)."""
    import os

    cores = os.cpu_count() or 1
    if not hasattr(os, "getloadavg"):  # Windows
        return float(cores)
    try:
        return float(cores - os.getloadavg()[0])
    except OSError:
        return float(cores)


def _helper_share(path: Path, count: int) -> int:
    """How many pages (from the end) a second process should read: none for a short report,
    a report that is not a file of its own, or where no core is free — the helper costs ~15 %
    more CPU in all, which only a free core turns into a shorter wait."""
    import os

    choice = os.environ.get(HELPER_ENV, "").lower()  # on / off: whatever the load (smoke, IT)
    if count < PARALLEL_PAGES or not path.is_file() or choice == "off":
        return 0
    if choice != "on" and _free_cores() < 1:
        return 0
    return count // 2


def _read_pages(
    path: Path, document: Any, count: int, progress: Callable[[int, int], bool] | None
) -> list[list[_Line]]:
    """Every page's lines; a long report's back half read by a second process meanwhile."""
    import pypdfium2.raw as raw

    from csr_desktop.formats.report import pdf_helper

    def keep_going(done: int) -> bool:
        return progress is None or progress(done, count)

    share = _helper_share(path, count)
    own = count - share
    helper = None
    if share:
        try:
            helper = pdf_helper.Helper(lines_of_file, path, own, count)
        except pdf_helper.HelperFailed:
            helper = None
    try:
        pages: list[list[_Line]] = []
        for index in range(own if helper is not None else 0):
            if not keep_going(index * count // own):  # the helper reads as fast
                raise Cancelled
            pages.append(_read_page(raw, document, index))
        if helper is not None:
            try:
                pages += helper.result(lambda: keep_going(count - 1))
            except pdf_helper.PageError as exc:
                raise ValueError(str(exc)) from exc
            except pdf_helper.HelperFailed:
                pass  # not the report's fault: its pages are read here below
        for index in range(len(pages), count):
            if not keep_going(index):
                raise Cancelled
            pages.append(_read_page(raw, document, index))
        return pages
    finally:
        if helper is not None:
            helper.stop()


def read_blocks(
    path: Path, data: bytes, progress: Callable[[int, int], bool] | None = None
) -> tuple[list[Block], int, bool]:
    """The report's paragraphs with the page each starts on, the number of pages, and whether
    the report spaces Chinese from Latin letters and digits (see `layout.spaced_style`)."""
    pdf = _open(path, data)
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise _refuse(path, f"共 {count} 页，超过上限 {MAX_PAGES} 页，已拒绝", f"{count} pages")
        pages = _read_pages(path, pdf.raw, count, progress)
    except (InputFileError, Cancelled):
        raise
    except Exception as exc:  # PDFium fails on a damaged page with its own errors
        raise _refuse(path, "PDF 文件已损坏，无法读取", f"{type(exc).__name__}: {exc}") from exc
    finally:
        pdf.close()
    if not any(lines for lines in pages):
        raise _refuse(
            path, "没有可提取的文字，可能是扫描件（请使用带文字层的 PDF 或 Word 版）", "no text"
        )
    running = _running(pages)
    geometry = _Geometry(pages)
    spaced = spaced_style(ln.text for lines in pages for ln in lines)
    blocks: list[Block] = []
    for number, lines in enumerate(pages, start=1):
        edge = {id(ln) for ln in lines[:2] + lines[-2:]}
        kept = [ln for ln in lines if not (id(ln) in edge and _DIGITS.sub("#", ln.text) in running)]
        blocks += [Block(p, number) for p in _paragraphs(kept, spaced, geometry)]
    return blocks, count, spaced

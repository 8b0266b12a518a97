"""Word reports (.docx): paragraphs and table rows in order, headings by style or numbering.

The file is checked as a zip (sizes, ratio, member count) and its XML parts counted before
python-docx parses anything, with the bounds the workbook import uses."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from csr_desktop.core.errors import InputFileError, quoted
from csr_desktop.formats.report.model import Block
from csr_desktop.formats.xlsx.bounds import MAX_OTHER_ELEMENTS, _bounded
from csr_desktop.formats.zip_safety import office_limits, open_checked

DOCX_LIMITS = office_limits("Word 文档")
MAX_DOCUMENT_ELEMENTS = 3_000_000  # a 2,000-page report has a few hundred thousand
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check(path: Path) -> None:
    members = open_checked(path, DOCX_LIMITS)
    names = {m.filename for m in members}
    if "word/document.xml" not in names:
        raise InputFileError(
            f"{quoted(path)}：不是 Word 文档（缺少 word/document.xml）",
            f"{path}: no word/document.xml",
        )
    with zipfile.ZipFile(path) as zf:
        for info in members:
            if info.filename.casefold().endswith((".xml", ".rels")):
                limit = (
                    MAX_DOCUMENT_ELEMENTS
                    if info.filename == "word/document.xml"
                    else MAX_OTHER_ELEMENTS
                )
                _bounded(path, zf, info, limit, info.filename)
            if info.filename.casefold().endswith(".xml"):
                with zf.open(info) as fh:
                    head = fh.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise InputFileError(
                        f"{quoted(path)}：其中的 {info.filename} 含有 DTD，疑似恶意构造的文件，已拒绝",
                        f"{path}: DTD in {info.filename}",
                    )


def _level(paragraph: Any) -> int | None:
    """The heading level a Word style or outline level gives, if any."""
    style = paragraph.style
    name = style.name if style is not None else ""
    if name == "Title":
        return 1
    m = _HEADING_STYLE.match(name or "")
    if m:
        return int(m.group(1))
    for element in (paragraph._p.pPr, style.element.pPr if style is not None else None):
        if element is not None:
            outline = element.find(f"{_W}outlineLvl")
            if outline is not None:
                value = int(outline.get(f"{_W}val", "9"))
                if value < 9:
                    return value + 1
    return None


def read_blocks(path: Path) -> list[Block]:
    """Paragraphs with their heading level; each table row becomes one line of text."""
    _check(path)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise InputFileError(
            f"{quoted(path)}：Word 文档已损坏，无法读取（{type(exc).__name__}）",
            f"{path}: {exc}",
        ) from exc
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                blocks.append(Block(item.text, None, _level(item)))
        elif isinstance(item, Table):
            for row in item.rows:
                cells = [c.text.strip() for c in row.cells]
                line = "\t".join(dict.fromkeys(c for c in cells if c))  # merged cells repeat
                if line:
                    blocks.append(Block(line))
    return blocks

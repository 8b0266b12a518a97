"""Read a company's CSR report (.txt, .docx, .pdf) into passages under its own headings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from csr_desktop.core.bounded_read import read_limited
from csr_desktop.core.errors import InputFileError, quoted
from csr_desktop.formats.report.layout import passages_from_blocks
from csr_desktop.formats.report.model import Block, Passage, Report

__all__ = ["MAX_REPORT_BYTES", "Passage", "Report", "read_report"]

MAX_REPORT_BYTES = 100 * 1024 * 1024
SUFFIXES = (".txt", ".docx", ".pdf")


def read_report(path: Path, progress: Callable[[int, int], bool] | None = None) -> Report:
    """The passages of a report; a file that cannot be read is one clear Chinese message.

    `progress(done, total)` is told of every PDF page read; False from it cancels."""
    path = Path(path)
    suffix = path.suffix.lower()
    pages: int | None = None
    spaced: bool | None = None  # found by the reader, else by the layout
    blocks: list[Block]
    if suffix == ".docx":
        from csr_desktop.formats.report import docx

        blocks = docx.read_blocks(path)
    elif suffix in (".txt", ".pdf"):
        data = read_limited(path, MAX_REPORT_BYTES, "报告")
        if suffix == ".pdf":
            from csr_desktop.formats.report import pdf

            blocks, pages, spaced = pdf.read_blocks(path, data, progress)
        else:
            from csr_desktop.formats.report import text

            blocks = text.read_blocks(path, data)
    else:
        shown = f"“{path.suffix}”" if path.suffix else "没有扩展名"
        raise InputFileError(
            f"{quoted(path)}：无法读取这种文件（{shown}），请使用 .docx、.pdf 或 .txt 格式的报告",
            f"{path}: unsupported report type",
        )
    passages = passages_from_blocks(blocks, spaced)
    if not passages:
        raise InputFileError(f"{quoted(path)}：没有可提取的文字", f"{path}: no text in the report")
    return Report(path.name, tuple(passages), pages)

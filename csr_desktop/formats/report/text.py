"""Plain-text reports: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030."""

from __future__ import annotations

from pathlib import Path

from csr_desktop.core.errors import InputFileError, quoted
from csr_desktop.formats.report.model import Block

_BOMS = (("\ufeff".encode("utf-8"), "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(path: Path, data: bytes) -> str:
    """The text of a .txt report; the encoding is found, never asked for."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", "gb18030"):  # GB18030 reads every GBK and GB2312 file
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputFileError(
        f"{quoted(path)}：无法识别文字编码（不是 UTF-8 或 GBK），请另存为 UTF-8 文本后再试",
        f"{path}: neither UTF-8 nor GBK",
    )


def read_blocks(path: Path, data: bytes) -> list[Block]:
    """Every non-blank line is a block; broken sentences are joined later."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(
            f"{quoted(path)}：不是文本文件（含有二进制内容）", f"{path}: binary content"
        )
    text = decode(path, data)
    return [Block(line) for line in text.splitlines() if line.strip()]

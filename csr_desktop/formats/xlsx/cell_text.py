"""Text as a spreadsheet cell can carry it, and back.

XML 1.0 cannot hold most control characters (Word pastes \\x0b and \\x07), lone surrogates or
U+FFFE/U+FFFF: they are dropped on export. OOXML's `_xHHHH_` escape carries a carriage return
(XML parsers turn a raw CR into LF); a literal `_xHHHH_` typed by a user is escaped as
`_x005F_xHHHH_` so that Excel shows what was typed. Reading reverses both.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

EXCEL_CELL_LIMIT = 32_767  # characters (UTF-16 code units) Excel keeps in one cell

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A "_" that a reader would take as the start of an escape: before `x0041_`, or before
# `x0041` and a CR (which itself becomes `_x000D_`).
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}[_\r])")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NEWLINES = re.compile(r"\r\n?")


def xml_safe(text: str) -> str:
    """`text` without the characters an XML document cannot hold; nothing else changes."""
    return _ILLEGAL.sub("", text)


def encode(text: str) -> str:
    """The cell string to write for `text` (illegal characters dropped, CR and `_x` escaped)."""
    text = _ESCAPE_LIKE.sub("_x005F_", xml_safe(text))
    return text.replace("\r", "_x000D_")


def decode(value: str) -> str:
    """The text a cell string stands for (inverse of `encode` on what it produced)."""
    if "_x" in value:
        value = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
    return xml_safe(value)


def utf16_len(text: str) -> int:
    """Length as Excel counts it: characters outside the BMP take two code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def same_text(stored: str, read: str) -> bool:
    """Whether `read` is `stored` as a spreadsheet gives it back, i.e. the user did not edit it.

    Spreadsheets drop what XML cannot hold and LibreOffice turns CR LF into LF; neither is an
    edit, so the stored text (with its control characters) is kept.
    """
    if stored == read:
        return True
    return _NEWLINES.sub("\n", xml_safe(stored)) == _NEWLINES.sub("\n", read)


def cell_text(value: object) -> str:
    """Any cell value as the text a user sees (numbers without a spurious `.0`)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return decode(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def squash(text: str) -> str:
    """A form for comparing labels typed by people: NFKC, no whitespace at all."""
    return "".join(unicodedata.normalize("NFKC", text).split())

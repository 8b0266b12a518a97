"""A cell as the colleague saw it, not as the spreadsheet stored it.

Excel, WPS and LibreOffice turn some typed text into numbers with a display format: `-5%`
becomes -0.05 shown as a percentage, `3.50` becomes 3.5 shown with two decimals, and `1/2`
becomes a date. openpyxl gives the stored value; the import applies the number format again
so that a 备注 reads back as typed, and flags dates so that a typed `1/2` is reported rather than
stored as 2026-01-02.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_PERCENT = re.compile(r"^(#,##)?0(?:\.(0+))?%$")
_FIXED = re.compile(r"^(#,##)?0(?:\.(0+))?$")


def _section(number_format: str) -> str:
    """The format for positive numbers, without colours, conditions or quoting."""
    first = number_format.split(";", 1)[0]
    return re.sub(r"\[[^\]]*\]|\\.|\"[^\"]*\"|_.|\*.", "", first).strip()


def shown(value: Any, number_format: str | None) -> Any:
    """`value` as text where its number format changes what a person sees; else unchanged."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not number_format:
        return value
    fmt = _section(number_format)
    m = _PERCENT.match(fmt)
    if m:
        decimals = len(m.group(2) or "")
        grouping = "," if m.group(1) else ""
        return f"{value * 100:{grouping}.{decimals}f}%"
    m = _FIXED.match(fmt)
    if m and (m.group(1) or m.group(2)):
        decimals = len(m.group(2) or "")
        grouping = "," if m.group(1) else ""
        return f"{value:{grouping}.{decimals}f}"
    return value


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date | dt.datetime | dt.time)

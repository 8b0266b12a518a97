"""User text as a printed page shows it: one rule for the PDF, the Word file and the evidence
texts they quote."""

from __future__ import annotations

import unicodedata

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Zl", "Zp"})


def clean_text(text: str) -> str:
    """User text as it should print: Windows line ends unified, tabs as spaces, controls gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = text.replace("\t", "    ").replace("\u2028", "\n").replace("\u2029", "\n")
    return "".join(
        ch for ch in text if ch == "\n" or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )

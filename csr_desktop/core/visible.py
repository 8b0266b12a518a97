"""Make text that came from a file safe to print: control characters shown, never obeyed.

A member name or a manifest line in a crafted package can carry `ESC [2J` (clear the screen),
an OSC 52 sequence (write the clipboard), a carriage return that overwrites a line with a
forged "全部完整", or a bidirectional override that reverses what a name shows. Everything a
verifier prints from a package goes through `visible`, in the terminal and in the window.
"""

from __future__ import annotations

import unicodedata

# C0 controls have their own visible pictures (U+2400 block): ␛ for ESC, ␍ for CR, ␀ for NUL.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_ESCAPED_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


def visible(text: str) -> str:
    """`text` with every control, format, separator or unassigned character made visible.

    C0 controls and DEL become their Unicode control pictures (`\\x1b` → `␛`); anything else
    that could steer a terminal or a text layout (C1 controls, bidi overrides, zero-width
    characters, lone surrogates) becomes a `\\uXXXX` escape. Ordinary text, Chinese included,
    passes unchanged.
    """
    if text.isprintable():
        return text  # fast path: isprintable() is False for every category escaped below
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if code in _PICTURES:
            out.append(_PICTURES[code])
        elif ch == " " or unicodedata.category(ch) not in _ESCAPED_CATEGORIES:
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02x}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out)

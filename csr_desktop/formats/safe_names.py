"""File and folder names that every reviewer's machine can create, whatever the user typed.

A 材料名称 is free text: it may hold `:` or `?`, be `CON`, end in a dot, run to 300 characters
or repeat another row's name. Windows refuses or silently mangles such names when a package is
extracted, and Linux refuses components over 255 UTF-8 bytes. Everything here is pure text
manipulation, so the rules are testable without touching a disk.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

MAX_COMPONENT = 100  # UTF-16 code units, as Windows counts them
MAX_COMPONENT_BYTES = 240  # UTF-8 bytes, as Linux and macOS count them (limit 255)
MAX_PATH = 240  # UTF-16 code units of a relative path `verify` accepts (earlier packages)
# What this app writes: Explorer's 全部解压缩 extracts into `C:\Users\<name>\Downloads\<zip
# name>\` (~28 + MAX_PACKAGE_NAME + 1 units), and Windows' path limit is 260 in all.
MAX_PACKAGE_PATH = 150
MAX_PACKAGE_NAME = 60  # the proposed .zip name, extension included
MAX_EXTENSION = 16
REPLACEMENT = "_"

_RESERVED_CHARS = frozenset('<>:"/\\|?*')
# Bidirectional overrides could make "exe.pdf" display as a PDF name; they never belong in one.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_RESERVED_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)


def _units(text: str) -> int:
    """Length as Windows counts it: characters outside the BMP take two UTF-16 units."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def _fits(text: str, units: int, nbytes: int) -> bool:
    return _units(text) <= units and _bytes(text) <= nbytes


def _truncate(text: str, units: int, nbytes: int) -> str:
    """The longest prefix within both limits (never splits a character)."""
    out: list[str] = []
    used_units = used_bytes = 0
    for ch in text:
        u, b = (2 if ord(ch) > 0xFFFF else 1), len(ch.encode("utf-8"))
        if used_units + u > units or used_bytes + b > nbytes:
            break
        out.append(ch)
        used_units += u
        used_bytes += b
    return "".join(out)


def _clean_chars(text: str) -> str:
    """NFC-normalise and replace what no file system or archive should carry."""
    text = unicodedata.normalize("NFC", text)
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if (
            ch in _RESERVED_CHARS
            or ch in _BIDI_CONTROLS
            or cat in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")
        ):
            out.append(REPLACEMENT)
        else:
            out.append(ch)
    return "".join(out)


def _trim(text: str) -> str:
    """Windows drops trailing dots and spaces; leading ones confuse every file manager."""
    return text.strip(" ").rstrip(".").rstrip(" ").lstrip(".") if text else text


def is_reserved(component: str) -> bool:
    """`CON`, `nul.txt`, `Com1 .tar.gz`: Windows treats these as devices, not files."""
    base = component.split(".", 1)[0].rstrip(" ").upper()
    return base in _RESERVED_NAMES


def safe_extension(file_name: str | None) -> str:
    """The extension of the user's original file (`.pdf`), made safe; "" if there is none."""
    if not file_name:
        return ""
    name = _clean_chars(file_name.replace("\\", "/").rsplit("/", 1)[-1])
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip(" .") or not ext:
        return ""
    ext = re.sub(r"[^0-9A-Za-z]", "", ext)[:MAX_EXTENSION]
    return f".{ext.lower()}" if ext else ""


def safe_component(
    stem: str,
    extension: str = "",
    fallback: str = "未命名",
    units: int = MAX_COMPONENT,
    nbytes: int = MAX_COMPONENT_BYTES,
) -> str:
    """One safe path component from free text and an extension (see `safe_extension`)."""
    extension = safe_extension(f"x{extension}") if extension else ""
    stem = _trim(_clean_chars(stem))
    if stem.lower().endswith(extension) and extension:
        stem = _trim(stem[: -len(extension)])  # "报告.pdf" + ".pdf" is "报告.pdf", not doubled
    room_units = units - _units(extension)
    room_bytes = nbytes - _bytes(extension)
    stem = _trim(_truncate(stem, room_units - 1, room_bytes - 1)) or fallback
    if is_reserved(stem + extension):
        stem = f"{REPLACEMENT}{stem}"
    return stem + extension


@functools.lru_cache(maxsize=4096)  # verify asks about the same folder names 100,000 times
def is_safe_component(component: str) -> bool:
    """What every name written into a package satisfies (used by tests and by verify)."""
    return (
        bool(component)
        and component not in (".", "..")
        and _fits(component, MAX_COMPONENT, MAX_COMPONENT_BYTES)
        and component == _trim(component)
        and component == _clean_chars(component)
        and not is_reserved(component)
    )


def is_safe_path(path: str) -> bool:
    """A relative `/`-separated path whose every component is safe and whose length fits."""
    parts = path.split("/")
    return _units(path) <= MAX_PATH and all(is_safe_component(p) for p in parts)


def _key(name: str) -> str:
    """Windows and macOS compare names case-insensitively: `A.pdf` and `a.PDF` collide."""
    return unicodedata.normalize("NFC", name).casefold()


def collision_key(path: str) -> str:
    """Two paths with the same key land on one file when extracted on Windows or macOS:
    they differ only in case or in Unicode normalisation (é as one character or e + ´)."""
    return _key(path.replace("\\", "/"))


@dataclass
class UniqueNames:
    """Hands out names unique within their folder: a repeat becomes `名称_2.pdf`, `名称_3.pdf`."""

    taken: dict[str, set[str]] = field(default_factory=dict)

    def claim(self, folder: str, component: str, units: int = MAX_COMPONENT) -> str:
        """Reserve `component` (already safe, within `units`) in `folder`, suffixing it if
        already taken, still within `units`."""
        used = self.taken.setdefault(_key(folder), set())
        stem, dot, ext = component.rpartition(".")
        if not dot or not stem:
            stem, ext = component, ""
        else:
            ext = f".{ext}"
        candidate, n = component, 1
        while _key(candidate) in used:
            n += 1
            tail = f"_{n}{ext}"
            room = units - _units(tail)
            base = _trim(_truncate(stem, room, MAX_COMPONENT_BYTES - _bytes(tail)))
            candidate = f"{base}{tail}"
        used.add(_key(candidate))
        return candidate

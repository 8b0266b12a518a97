"""The fonts every PDF is set in: a Song body face, three heading faces, and fallbacks so no glyph
prints as a box.

ReportLab embeds a subset of every TrueType font it draws with, so the PDFs look the same in
every viewer and printer. A character the main face lacks (a rare name character, an emoji) is
drawn from the first fallback that has it: the bundled rare-ideograph and emoji faces, then
rare-ideograph fonts already on the computer (SimSun-ExtB on every Windows since Vista).

The heading faces follow GB/T 9704 (titles 小标宋, 一级 黑体, 二级 楷体) with free stand-ins, cut
to GB 2312 to keep the installer small (`resources/fonts/build_heading_faces.py`): a heading
character outside that set is drawn from the body face, then the same fallbacks.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.formats.outline import clean_text
from csr_desktop.resources import resource_path

MAIN = "CsrSerif"
"""The Song face for all text: Noto Serif SC (OFL)."""

RARE = "CsrRareHan"
"""Rare ideographs (Ext B–F) and the ☐☑ boxes of the form, from a Hanazono subset."""

EMOJI = "CsrEmoji"
"""Pictographs people paste into narratives, from Noto Emoji (monochrome)."""

TITLE = "CsrTitle"
"""Titles, in place of 方正小标宋 (not free): Noto Serif SC Bold, a real weight (OFL)."""

HEI = "CsrHei"
"""一级 headings, 黑体: Noto Sans SC Medium (OFL)."""

KAI = "CsrKai"
"""二级 headings, 楷体: AR PL UKai CN (Arphic Public License)."""

BUNDLED = {
    MAIN: "NotoSerifSC-Regular.ttf",
    RARE: "CsrRareHan.ttf",
    EMOJI: "NotoEmoji-Regular.ttf",
}

HEADING_FACES = {
    TITLE: "CsrTitle.ttf",
    HEI: "CsrHei.ttf",
    KAI: "CsrKai.ttf",
}
"""Faces a style names but nothing falls back to: each holds GB 2312 only."""

# Characters dropped rather than drawn: format controls and selectors no font needs to show.


def system_font_candidates() -> list[Path]:
    """Rare-ideograph fonts commonly installed, checked only when the bundled ones fall short."""
    windir = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    local = Path(os.environ.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
    names = ("simsunb.ttf", "SimsunExtG.ttf", "HanaMinB.ttf", "BabelStoneHan.ttf")
    paths = [folder / name for folder in (windir, local) for name in names]
    if sys.platform != "win32":
        paths += [
            Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"),
            Path("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"),
            Path.home() / ".local/share/fonts/HanaMinB.ttf",
            Path("/Library/Fonts/HanaMinB.ttf"),
        ]
    return paths


@dataclass
class FontChain:
    """Registered fonts in the order they are tried, with the characters each one has.

    `charmaps` also holds the heading faces, which are never tried as a fallback.
    """

    names: list[str]
    charmaps: dict[str, frozenset[int]]
    system_paths: list[Path]
    _system_loaded: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def font_for(self, ch: str) -> str | None:
        """The first font that draws `ch`, loading system fallbacks on first need."""
        code = ord(ch)
        for name in self.names:
            if code in self.charmaps[name]:
                return name
        if not self._system_loaded:
            self._load_system_fonts()
            return self.font_for(ch)
        return None

    def _load_system_fonts(self) -> None:
        with self._lock:
            if self._system_loaded:
                return
            for number, path in enumerate(self.system_paths, start=1):
                name = f"CsrSystemHan{number}"
                font = _load_optional(name, path)
                if font is not None:
                    self.names.append(name)
                    self.charmaps[name] = frozenset(font.face.charToGlyph)
            self._system_loaded = True


def _load(name: str, path: Path) -> TTFont:
    try:
        font = TTFont(name, str(path))
    except (OSError, TTFError) as exc:
        raise CsrError(
            f"无法加载字体文件 {quoted(path)}（{exc}），请重新安装本软件",
            f"cannot load font {path}: {exc}",
        ) from exc
    pdfmetrics.registerFont(font)
    return font


def _load_optional(name: str, path: Path) -> TTFont | None:
    """A system font that is missing, unreadable or forbids embedding is simply skipped."""
    try:
        if not path.is_file():
            return None
        font = TTFont(name, str(path))
    except (OSError, TTFError, ValueError):
        return None
    pdfmetrics.registerFont(font)
    return font


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 pairs.

    ReportLab 4–5 writes `<%04X>` of the code point, so a reader extracting U+2123C gets
    U+2123 ("℣"): a rare name character would print right but copy and search wrong.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{chr(v).encode('utf-16-be').hex().upper()}>" for i, v in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


@cache
def font_chain() -> FontChain:
    """Register the bundled fonts once per process (about 0.2 s) and return the chain."""
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    names: list[str] = []
    charmaps: dict[str, frozenset[int]] = {}
    for name, file_name in {**BUNDLED, **HEADING_FACES}.items():
        font = _load(name, resource_path("fonts", file_name))
        charmaps[name] = frozenset(font.face.charToGlyph)
        if name in BUNDLED:
            names.append(name)
    pdfmetrics.registerFontFamily(MAIN, normal=MAIN, bold=MAIN, italic=MAIN, boldItalic=MAIN)
    return FontChain(names, charmaps, system_font_candidates())


def runs(text: str, chain: FontChain | None = None, base: str = MAIN) -> Iterator[tuple[str, str]]:
    """Split `text` into (font name, piece) runs, each drawn by one font: `base` where it has
    the character, else the first of the fallback chain that does.

    A character no font has stays in `base` (it will print as a box) — `missing()` lists
    those so callers can warn.
    """
    chain = chain or font_chain()
    own = chain.charmaps[base]
    if all(map(own.__contains__, map(ord, text.replace("\n", " ")))):
        if text:  # the usual case, checked at C speed: every character is in the base face
            yield base, text
        return
    current = base
    piece: list[str] = []
    for ch in text:
        own_char = ch == "\n" or ch == " " or ord(ch) in own
        font = base if own_char else (chain.font_for(ch) or base)
        if font != current and piece:
            yield current, "".join(piece)
            piece = []
        current = font
        piece.append(ch)
    if piece:
        yield current, "".join(piece)


def missing(texts: Iterable[str], chain: FontChain | None = None) -> list[str]:
    """Characters in `texts` that no available font can draw, in order of first appearance.

    The UI can warn about these before export (they print as boxes).
    """
    chain = chain or font_chain()
    seen: dict[str, None] = {}
    for text in texts:
        for ch in clean_text(text):
            if ch not in seen and ch not in "\n " and chain.font_for(ch) is None:
                seen[ch] = None
    return list(seen)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text: str, base: str = MAIN) -> str:
    """ReportLab paragraph markup for plain user text in a style whose font is `base`,
    switching fonts where glyphs demand."""
    parts = []
    for font, piece in runs(clean_text(text), base=base):
        body = escape(piece).replace("\n", "<br/>")
        parts.append(body if font == base else f'<font face="{font}">{body}</font>')
    return "".join(parts)

"""Chinese line breaking for ReportLab paragraphs: no line starts with a closing mark.

ReportLab's own CJK wrapping only knows Japanese rules: it lets "，" "；" "：" "！" "？" "”" "》"
start a line. Chinese typesetting (GB/T 15834, 行首禁则) forbids that, and also forbids an
opening bracket or quote at a line end (行尾禁则). Here the break point moves back instead
(推出): the previous character goes to the next line with the mark, so text never overhangs
the margin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus.paragraph import (
    Paragraph,
    ParaLines,
    _handleBulletWidth,
    cjkU,
    makeCJKParaLine,
)
from reportlab.rl_config import _FUZZ

CANNOT_START = frozenset(
    "!%),.:;?]}¢°’”‰′″℃∶、。〃〉》」』】〕〗〞︶︺︾﹀﹄﹚﹜﹞！＂％＇），．：；？］｝～"
    "…‥—–·・ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
)
"""Marks that may not begin a line (行首禁则)."""

CANNOT_END = frozenset("([{£¥‘“〈《「『【〔〖〝﹙﹛﹝（［｛￡￥＄＃＠")
"""Marks that may not end a line (行尾禁则)."""


def _is_word_char(ch: str) -> bool:
    """Latin letters and digits: a word of them is kept whole where the line allows."""
    return ch.isascii() and (ch.isalnum() or ch in "-_@./:%+#&=?~")


def _forbidden(chars: Sequence[str], k: int) -> bool:
    """A line may not end before `chars[k]`."""
    return chars[k] in CANNOT_START or chars[k - 1] in CANNOT_END


def break_point(chars: Sequence[str], start: int, overflow: int) -> int:
    """Where the line starting at `start` should end, given `chars[overflow]` does not fit.

    Returns the index of the first character of the next line; always > start.
    """
    brk = overflow
    # Keep a Latin word or number together, if that leaves something on the line.
    if _is_word_char(chars[brk]) and _is_word_char(chars[brk - 1]):
        k = brk - 1
        while k > start and _is_word_char(chars[k - 1]):
            k -= 1
        if k > start:
            brk = k
    # Chinese kinsoku: pull characters down until the break is allowed.
    k = brk
    while k > start + 1 and _forbidden(chars, k):
        k -= 1
    if not _forbidden(chars, k):
        brk = k
    return brk


def kinsoku_frag_split(frags: Any, max_widths: Sequence[float], calc_bounds: bool) -> Any:
    """`cjkFragSplit` from ReportLab with Chinese line-start/line-end rules."""
    units: list[Any] = []
    for frag in frags:
        text = frag.text
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if text:
            units.extend(cjkU(t, frag, "utf8") for t in text)
        else:
            units.append(cjkU(text, frag, "utf8"))
    chars = [str(u) or "\n" for u in units]
    lines: list[Any] = []
    start = i = 0
    used = 0.0
    max_width = max_widths[0]
    count = len(units)
    while i < count:
        unit = units[i]
        width = unit.width
        if hasattr(width, "normalizedValue"):
            width._normalizer = max_width
            width = width.normalizedValue(max_width)
        if hasattr(unit.frag, "lineBreak"):
            lines.append(
                makeCJKParaLine(
                    units[start : i + 1], max_width, used, max_width - used, True, calc_bounds
                )
            )
            start = i = i + 1
            used = 0.0
        elif used + width > max_width + _FUZZ and i > start:
            brk = break_point(chars, start, i)
            line_width = sum(_width(u, max_width) for u in units[start:brk])
            lines.append(
                makeCJKParaLine(
                    units[start:brk],
                    max_width,
                    line_width,
                    max_width - line_width,
                    False,
                    calc_bounds,
                )
            )
            start = i = brk
            used = 0.0
        else:
            used += width
            i += 1
            continue
        max_width = max_widths[min(len(lines), len(max_widths) - 1)]
    if start < count:
        lines.append(
            makeCJKParaLine(units[start:], max_width, used, max_width - used, False, calc_bounds)
        )
    return ParaLines(kind=1, lines=lines)


def char_widths(text: str, font_name: str, size: float) -> list[float]:
    """The advance of each character: a dict lookup per character for TrueType faces."""
    font = getFont(font_name)
    if isinstance(font, TTFont):
        get = font.face.charWidths.get
        default = font.face.defaultWidth
        scale = 0.001 * size
        return [get(ord(ch), default) * scale for ch in text]
    return [stringWidth(ch, font_name, size) for ch in text]


def kinsoku_split(text: str, widths: Sequence[float], max_widths: Sequence[float]) -> list[Any]:
    """Lines of one run of text in one font, as ReportLab's simple paragraphs hold them.

    The same greedy breaking as `kinsoku_frag_split` without building an object per character:
    most paragraphs are a single run, and this is several times faster.
    """
    lines: list[Any] = []
    start = i = 0
    used = 0.0
    max_width = max_widths[0]
    limit = max_width + _FUZZ
    count = len(text)
    while i < count:
        width = widths[i]
        if used + width > limit and i > start:
            brk = break_point(text, start, i)
            lines.append((max_width - sum(widths[start:brk]), [text[start:brk]]))
            start = i = brk
            used = 0.0
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            limit = max_width + _FUZZ
        else:
            used += width
            i += 1
    if start < count:
        lines.append((max_width - used, [text[start:]]))
    return lines


def simple_frag(frags: Sequence[Any], style: Any) -> Any | None:
    """The one plain fragment of a paragraph in a single font, or None when there is markup."""
    if len(frags) != 1 or style.endDots:
        return None
    frag = frags[0]
    for attr in ("cbDefn", "lineBreak", "link", "backColor", "underline", "strike", "us_lines"):
        if getattr(frag, attr, None):
            return None
    return frag


def _frag_text(frag: Any) -> str:
    text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
    return text.decode("utf8") if isinstance(text, bytes) else str(text)


def _width(unit: Any, max_width: float) -> float:
    width = unit.width
    if hasattr(width, "normalizedValue"):
        width._normalizer = max_width
        return float(width.normalizedValue(max_width))
    return float(width)


class CjkParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph wrapped by Chinese rules (its style must have `wordWrap="CJK"`).

    When a paragraph is split across pages, ReportLab re-wraps the whole remainder on every
    page: quadratic, a minute for a 50,000-character narrative. Greedy breaking depends only on
    where a line starts, so the remainder keeps the lines already computed.
    """

    _continuation: tuple[float, list[Any]] | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        if not hasattr(self, "blPara"):
            self.wrap(availWidth, availHeight)
        lines = list(getattr(self.blPara, "lines", []))
        widths = list(getattr(self, "_wrapWidths", [availWidth]))
        parts: list[Any] = super().split(availWidth, availHeight)
        if len(parts) == 2 and isinstance(parts[1], CjkParagraph):
            head = len(parts[0].blPara.lines)
            parts[1]._continuation = (widths[-1], lines[head:])
        return parts

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        style = self.style
        self.height = 0
        _handleBulletWidth(self.bulletText, style, maxWidths)
        single = simple_frag(self.frags, style)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            lines = self.blPara.lines
            if single is not None and lines and isinstance(lines[0], tuple):
                return self._simple_lines(single, lines)
            return self.blPara
        cont = self._continuation
        if cont is not None and all(abs(w - cont[0]) < 1e-6 for w in maxWidths):
            if single is not None and cont[1] and isinstance(cont[1][0], tuple):
                return self._simple_lines(single, cont[1])
            return ParaLines(kind=1, lines=cont[1])
        text = _frag_text(single) if single is not None else ""
        if single is not None and text:
            widths = char_widths(text, single.fontName, single.fontSize)
            return self._simple_lines(single, kinsoku_split(text, widths, maxWidths))
        if not self.frags:
            return ParaLines(
                kind=0,
                fontSize=style.fontSize,
                fontName=style.fontName,
                textColor=style.textColor,
                lines=[],
                ascent=style.fontSize,
                descent=-0.2 * style.fontSize,
            )
        auto_leading = getattr(self, "autoLeading", getattr(style, "autoLeading", ""))
        return kinsoku_frag_split(self.frags, maxWidths, auto_leading not in ("", "off"))

    @staticmethod
    def _simple_lines(frag: Any, lines: list[Any]) -> Any:
        """ReportLab's kind-0 paragraph lines: (extra space, [text]) in the fragment's font."""
        size = frag.fontSize
        return frag.clone(kind=0, lines=lines, ascent=size, descent=-0.2 * size)

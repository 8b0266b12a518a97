"""From paragraphs as a reader found them to passages under the report's own headings.

Shared by every format, so a report gives the same passages whether it arrives as .txt, .docx
or .pdf. Text extracted from a PDF breaks sentences at every page end and sometimes inside a
paragraph (a blank line, a running header in between); a break is joined back without
inserting a space, because Chinese runs on without one and pasted text is compared verbatim.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

from csr_desktop.formats.report.model import Block, Passage

MAX_PASSAGE_CHARS = 1500  # a longer section is cut at paragraph ends: a suggestion stays readable
MAX_HEADING_CHARS = 60
MAX_PLAIN_HEADING_CHARS = 24
STYLE_SAMPLE = 5000  # lines or paragraphs enough to know a report's spacing habit

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CN_NUM = "一二三四五六七八九十百零〇"
# numbered headings, in no particular nesting order: the report's first use of a kind decides
_NUMBERED = (
    ("chapter", re.compile(rf"^第[{_CN_NUM}\d]+[章节部篇]")),
    ("cn", re.compile(rf"^[{_CN_NUM}]+[、．.]")),
    ("cn-paren", re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    ("num-paren", re.compile(r"^[（(]\d{1,2}[）)]")),
    ("num-dot", re.compile(r"^\d{1,2}(?:[.．]\d{1,2})*[.．、](?!\d)")),
    ("num-half", re.compile(r"^\d{1,2}[)）]")),
)
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;]")
_PLAIN_PUNCT = re.compile(r"[，,。！？!?；;：:]")
_ENDS = "。！？!?；;…：:"
_CLOSERS = "”’」』）)】》\"'"
# a table-of-contents line or a running header/footer: words, a separator, a page number
_PAGE_REF = re.compile(r"^(?P<words>.*?\S)(?:\s*[.…·。\-—_]{2,}\s*|\s*[|｜]\s*|\s*\t\s*)\d{1,4}$")
_PAGE_ONLY = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?)$"
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002-\u200a]+")
_UNUSUAL = re.compile("[\t\u00a0\u3000\u2002-\u200d\u2060\ufeff\u00ad]|  ")
_TAB = re.compile(
    r"[ \u00a0\u3000\u2002-\u200a]*\t[ \t\u00a0\u3000\u2002-\u200a]*|[ \u00a0\u3000\u2002-\u200a]{3,}"
)
_CJK_SPACE_ALNUM = re.compile(rf"[{_CJK}] [0-9A-Za-z]|[0-9A-Za-z] [{_CJK}]")
_CJK_ALNUM = re.compile(rf"[{_CJK}][0-9A-Za-z]|[0-9A-Za-z][{_CJK}]")
_IS_CJK = re.compile(rf"[{_CJK}]")


def clean(text: str) -> str:
    """One line of text: invisible characters dropped, a tab (or a wide run of spaces, as a
    tab turns into in a PDF) one tab, every other run of spaces one space."""
    if not _UNUSUAL.search(text):  # the common case, one scan
        return text.strip()
    return _SPACES.sub(" ", _TAB.sub("\t", _INVISIBLE.sub("", text))).strip()


def spaced_style(texts: Iterable[str]) -> bool:
    """Whether the report puts a space between Chinese and Latin letters or digits ("2025 年").

    A line broken there lost the space in the PDF; it comes back only where that is the
    report's own habit."""
    spaced = tight = 0
    for t in itertools.islice(texts, STYLE_SAMPLE):
        spaced += len(_CJK_SPACE_ALNUM.findall(t))
        tight += len(_CJK_ALNUM.findall(t))
    return spaced > tight


def join(a: str, b: str, spaced: bool) -> str:
    """Two pieces of one sentence broken across lines or pages."""
    a, b = a.rstrip(), b.lstrip()
    if not a or not b:
        return a + b
    left, right = a[-1], b[0]
    left_word, right_word = left.isascii() and left.isalnum(), right.isascii() and right.isalnum()
    if left_word and right_word and not (left.isdigit() and right.isdigit()):
        return f"{a} {b}"  # Latin words are not broken without a hyphen
    if spaced and ((left_word and _IS_CJK.match(right)) or (right_word and _IS_CJK.match(left))):
        return f"{a} {b}"
    return a + b


def ends_sentence(text: str) -> bool:
    """Whether a paragraph ends where a sentence does (else the next block continues it)."""
    t = text.rstrip()
    if not t:
        return True
    if t[-1] in _ENDS:
        return True
    return len(t) > 1 and t[-1] in _CLOSERS and t[-2] in _ENDS


def is_noise(text: str) -> bool:
    """A table-of-contents line, a running header or footer, a bare page number."""
    if len(text) > MAX_HEADING_CHARS + 8:
        return False
    if _PAGE_ONLY.match(text):
        return True
    if not text[-1:].isdecimal():  # _PAGE_REF ends in a number; spare it its backtracking
        return False
    m = _PAGE_REF.match(text)
    if not m or _SENTENCE_PUNCT.search(text):
        return False
    return bool(re.search(rf"[{_CJK}A-Za-z]", m.group("words")))


def numbered_kind(text: str) -> str | None:
    """The numbering kind of a heading such as 一、 （一） 1. (1), or None if it is not one."""
    if len(text) > MAX_HEADING_CHARS or _SENTENCE_PUNCT.search(text):
        return None
    for kind, pattern in _NUMBERED:
        m = pattern.match(text)
        if m and text[m.end() :].strip():
            return kind
    return None


def is_plain_heading(text: str) -> bool:
    """A short line standing alone without numbering: 致辞, 关于本报告, 展望 …"""
    if len(text) > MAX_PLAIN_HEADING_CHARS or _PLAIN_PUNCT.search(text):
        return False
    return bool(re.search(rf"[{_CJK}A-Za-z]", text))


class _Builder:
    """Walks the blocks once, keeping the heading stack and the open paragraph.

    A heading's depth is its kind's rank: a Word heading style its level, a numbering kind
    (一、 （一） 1. …) the order in which the report first uses it, a plain heading the top."""

    def __init__(self, spaced: bool, styled: bool) -> None:
        self.spaced = spaced
        self.styled = styled  # numbering then nests under the Word heading styles
        self.stack: list[tuple[float, str]] = []  # (rank, heading text)
        self.ranks: dict[str, float] = {}
        self.sections: list[tuple[tuple[str, ...], list[tuple[str, int | None]]]] = []
        self.paragraphs: list[tuple[str, int | None]] = []
        self.after_heading = False

    def heading(self, kind: str, text: str, level: int | None) -> None:
        self.close()
        if level is not None:
            rank = float(level - 1)
        elif kind == "plain":
            rank = 0.0
        else:
            rank = self.ranks.setdefault(kind, float(len(self.ranks)))
            if self.styled:
                rank += 100
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        self.stack.append((rank, text))
        self.after_heading = kind != "plain"

    def body(self, text: str, page: int | None) -> None:
        self.after_heading = False
        if self.continues():
            last, first_page = self.paragraphs[-1]
            self.paragraphs[-1] = (join(last, text, self.spaced), first_page)
        else:
            self.paragraphs.append((text, page))

    def mid_sentence(self) -> bool:
        """A long paragraph broken off mid-sentence: what follows continues it, however short
        (a short unfinished one is a signature or a caption, and a heading may follow it)."""
        return self.continues() and len(self.paragraphs[-1][0]) > MAX_PLAIN_HEADING_CHARS * 2

    def continues(self) -> bool:
        return bool(self.paragraphs) and not ends_sentence(self.paragraphs[-1][0])

    def close(self) -> None:
        if self.paragraphs:
            self.sections.append((tuple(t for _, t in self.stack), self.paragraphs))
        self.paragraphs = []


def passages_from_blocks(blocks: Sequence[Block], spaced: bool | None = None) -> list[Passage]:
    """The report's passages: one per section under its lowest heading, long ones cut."""
    cleaned = [(clean(b.text), b) for b in blocks]
    cleaned = [(t.replace("\t", " "), b) for t, b in cleaned if t and not is_noise(t)]
    if spaced is None:
        spaced = spaced_style(t for t, _ in cleaned)
    builder = _Builder(spaced, any(b.heading_level is not None for _, b in cleaned))
    for text, block in cleaned:
        if block.heading_level is not None:
            builder.heading(f"style{block.heading_level}", text, block.heading_level)
            continue
        kind = numbered_kind(text)
        if kind is not None:
            builder.heading(kind, text, None)
        elif not builder.after_heading and not builder.mid_sentence() and is_plain_heading(text):
            builder.heading("plain", text, None)
        else:
            builder.body(text, block.page)
    builder.close()
    passages: list[Passage] = []
    for path, paragraphs in builder.sections:
        chunk: list[str] = []
        page: int | None = None
        for para, para_page in paragraphs:
            if chunk and sum(map(len, chunk)) + len(para) > MAX_PASSAGE_CHARS:
                passages.append(Passage(path, "\n".join(chunk), page))
                chunk = []
            if not chunk:
                page = para_page
            chunk.append(para)
        passages.append(Passage(path, "\n".join(chunk), page))
    return passages

"""Two versions of a text side by side, the words that differ marked: what a person needs to
choose between two narratives that begin alike (a return's conflict, a change it brings, and a
field's history). The changed parts are shown in context; 显示全文 shows both texts whole."""

from __future__ import annotations

import difflib
import html
import re
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QWidget,
)

from csr_desktop.core.edits import common_ends
from csr_desktop.ui.i18n import tr

CONTEXT = 40  # characters of unchanged text kept either side of a change
MAX_TOKENS = 6000  # beyond this many tokens left after the common ends, one span is marked
_TOKEN = re.compile(r"[A-Za-z0-9_.%]+|\s+|.", re.S)
_REMOVED = "background:#ffd7d5;color:#82071e;text-decoration:line-through;"
_INSERTED = "background:#ccffd8;color:#055d20;text-decoration:underline;"
_ELIDED = "color:#777;"


class Span(NamedTuple):
    """A run of the two texts: equal, or what one side has in place of the other's."""

    same: bool
    old: str
    new: str


def spans(old: str, new: str) -> list[Span]:
    """The two texts as alternating equal and differing runs, compared word by word (a Latin
    word, a number, or one Chinese character)."""
    start, end = common_ends(old, new)
    while start and _word(old[start - 1]) and (_word(old, start) or _word(new, start)):
        start -= 1  # never split a Latin word or a number
    while end and _word(old[-end]) and (_word(old, -end - 1) or _word(new, -end - 1)):
        end -= 1
    mid_old, mid_new = old[start : len(old) - end], new[start : len(new) - end]
    out: list[Span] = []
    if start:
        out.append(Span(True, old[:start], old[:start]))
    a, b = _TOKEN.findall(mid_old), _TOKEN.findall(mid_new)
    if len(a) + len(b) > MAX_TOKENS:
        out.append(Span(False, mid_old, mid_new))
    elif a or b:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            x, y = "".join(a[i1:i2]), "".join(b[j1:j2])
            out.append(Span(tag == "equal", x, y))
    if end:
        tail = old[len(old) - end :]
        out.append(Span(True, tail, tail))
    return _merged(out)


def _word(text: str, at: int = 0) -> bool:
    """Whether text[at] exists and belongs to a Latin word or a number."""
    try:
        return _TOKEN.fullmatch(text[at]) is not None and text[at].isascii() and text[at].isalnum()
    except IndexError:
        return False


def _merged(items: list[Span]) -> list[Span]:
    """Join neighbours of one kind, and swallow a single unchanged character between two
    changes (Chinese text otherwise turns into confetti)."""
    out: list[Span] = []
    for span in items:
        if out and out[-1].same == span.same:
            last = out.pop()
            span = Span(span.same, last.old + span.old, last.new + span.new)
        elif (
            len(out) >= 2
            and not span.same
            and out[-1].same
            and len(out[-1].old) <= 1
            and not out[-2].same
        ):
            gap = out.pop()
            last = out.pop()
            span = Span(False, last.old + gap.old + span.old, last.new + gap.new + span.new)
        out.append(span)
    return out


def changes(old: str, new: str) -> int:
    return sum(1 for s in spans(old, new) if not s.same)


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def side_html(items: list[Span], new_side: bool, whole: bool) -> str:
    """One side as HTML: its differing runs marked; unchanged runs cut to their ends unless
    `whole`."""
    parts: list[str] = []
    for n, span in enumerate(items):
        text = span.new if new_side else span.old
        if span.same:
            if not whole and len(text) > 2 * CONTEXT:
                head = text[:CONTEXT] if n > 0 else ""
                tail = text[-CONTEXT:] if n < len(items) - 1 else ""
                parts.append(_escape(head) + f'<span style="{_ELIDED}"> … </span>' + _escape(tail))
            else:
                parts.append(_escape(text))
        elif text:
            style = _INSERTED if new_side else _REMOVED
            parts.append(f'<span style="{style}">{_escape(text)}</span>')
        else:
            parts.append(f'<span style="{_ELIDED}">{tr("〔无〕")}</span>')
    return "".join(parts) or f'<span style="{_ELIDED}">{tr("（空）")}</span>'


class DiffView(QWidget):
    """Old and new text in two equal columns that wrap (never a horizontal scrollbar)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diffView")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.old_title = QLabel(self)
        self.new_title = QLabel(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.whole = QPushButton(tr("显示全文(&W)"), self)
        self.whole.setCheckable(True)
        self.whole.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.whole.toggled.connect(lambda _on: self._render())
        self.old_text = self._browser(tr("原来的内容"))
        self.new_text = self._browser(tr("新的内容"))
        grid.addWidget(self.summary, 0, 0)
        grid.addWidget(self.whole, 0, 1)
        grid.addWidget(self.old_title, 1, 0)
        grid.addWidget(self.new_title, 1, 1)
        grid.addWidget(self.old_text, 2, 0)
        grid.addWidget(self.new_text, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._spans: list[Span] = []
        self.set_texts("", "")

    def _browser(self, name: str) -> QTextBrowser:
        view = QTextBrowser(self)
        view.setAccessibleName(name)
        view.setOpenLinks(False)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        view.setMinimumWidth(120)
        return view

    def set_texts(
        self, old: str, new: str, old_title: str = "", new_title: str = "", note: str = ""
    ) -> None:
        self.old_title.setText(old_title or tr("原来的内容"))
        self.new_title.setText(new_title or tr("新的内容"))
        self.old_text.setAccessibleName(self.old_title.text())
        self.new_text.setAccessibleName(self.new_title.text())
        self._spans = spans(old, new)
        n = sum(1 for s in self._spans if not s.same)
        if n:
            count = tr("{n} 处不同（红色删除线：只在左边；绿色下划线：只在右边）").format(n=n)
        else:
            count = tr("两边内容相同")
        self.summary.setText(f"{note}\n{count}" if note else count)
        self._render()

    def _render(self) -> None:
        whole = self.whole.isChecked()
        self.whole.setText(tr("只看不同处(&W)") if whole else tr("显示全文(&W)"))
        self.old_text.setHtml(side_html(self._spans, new_side=False, whole=whole))
        self.new_text.setHtml(side_html(self._spans, new_side=True, whole=whole))

    def old_plain(self) -> str:
        return self.old_text.toPlainText()

    def new_plain(self) -> str:
        return self.new_text.toPlainText()

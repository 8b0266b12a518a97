"""参考素材: the passages of the company's CSR report found for one indicator.

Shows what `formats.report.stored` ranked and forwards the three buttons to it; nothing is
decided here. Built with the indicator page (on its first show), never at start-up."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from csr_desktop.core.errors import Cancelled, CsrError
from csr_desktop.core.report_source import REPORT_KEYS, SOURCE_KEY
from csr_desktop.formats.report import stored
from csr_desktop.formats.report.rank import Suggestion
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.session import Session

MARK = "background-color:#ffe58f;"
_reading = False  # a stored report is being read on the worker thread
PASSAGE_LINES = 7


def marked_html(text: str, words: tuple[str, ...]) -> str:
    """The passage as HTML with every matched word marked (longest first, no overlaps)."""
    if not words:
        return html.escape(text).replace("\n", "<br>")
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last : m.start()]))
        out.append(f'<span style="{MARK}">{html.escape(m.group())}</span>')
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out).replace("\n", "<br>")


def reading_runner(parent: QWidget | None, name: str) -> stored.Runner:
    """Read and rank a report on a worker thread behind a progress dialog (a 2,000-page PDF
    takes seconds); the window keeps painting and 取消 stops between pages."""

    def run(job: Callable[[stored.Progress], stored.Prepared]) -> stored.Prepared:
        from csr_desktop.ui.worker import run_with_progress

        return run_with_progress(
            parent,
            tr("读取社会责任报告"),
            tr("正在读取并分析《{name}》…").format(name=name),
            job,
        )

    return run


class ReportPanel(QGroupBox):
    """The 参考素材 box of indicator `no`."""

    def __init__(self, session: Session, no: int, parent: QWidget | None = None) -> None:
        super().__init__(tr("参考素材（来自公司社会责任报告）"), parent)
        self.setObjectName("reportPanel")
        self.setAccessibleName(tr("参考素材"))
        self.session = session
        self.no = no
        self.on_read: Callable[[], object] = self.refresh  # the page replaces it
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.items: list[QFrame] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        self.buttons: list[tuple[QPushButton, QPushButton, QPushButton]] = []

    def keys(self) -> set[str]:
        return set(REPORT_KEYS)

    def refresh(self) -> bool:
        """Show the passages for this indicator; False when the project holds no report."""
        layout = self.layout()
        assert layout is not None  # set in __init__
        for frame in self.items:
            layout.removeWidget(frame)
            frame.deleteLater()
        self.items, self.buttons = [], []
        project = self.session.project
        if stored.has_report(project) and stored.cached(project) is None:
            # read on first need, outside the change notice that asked for this refresh
            self.status.setText(tr("正在读取已载入的社会责任报告…"))
            QTimer.singleShot(0, self._read)
            return True
        try:
            ranked = stored.current(project)
        except CsrError as exc:
            self.status.setText(tr("无法读取已载入的社会责任报告：{reason}").format(reason=exc.zh))
            return True
        if ranked is None:
            self.status.setText("")
            return False
        found = stored.shown(project, ranked, self.no)
        if not found:
            if stored.all_hidden(project, ranked, self.no):
                text = tr("报告《{name}》中与本项相关的段落都已标为不相关。")
            else:
                text = tr("报告《{name}》中没有找到与本项明显相关的内容。")
            self.status.setText(text.format(name=ranked.name))
            return True
        self.status.setText(
            tr("来自《{name}》，按相关度排列（标黄的是与本项相关的词）：").format(name=ranked.name)
        )
        for s in found:
            self._add(ranked, s)
        return True

    def _read(self) -> None:
        global _reading
        project = self.session.project
        if stored.cached(project) is not None or not stored.has_report(project):
            self._page_refresh()
            return
        if _reading:  # PDFium serves one thread at a time: after the read under way
            QTimer.singleShot(200, self._read)
            return
        source = project.get(SOURCE_KEY) or {}
        _reading = True
        try:
            stored.current(project, reading_runner(self.window(), str(source.get("name", ""))))
        except Cancelled:
            self.status.setText(tr("已取消读取社会责任报告。再次打开本页时将重新读取。"))
            return
        except CsrError as exc:
            self.status.setText(tr("无法读取已载入的社会责任报告：{reason}").format(reason=exc.zh))
            return
        finally:
            _reading = False
        self._page_refresh()

    def _page_refresh(self) -> None:
        """Shown again through the page, which also makes room for the narrative."""
        self.on_read()

    def _add(self, ranked: stored.Ranked, s: Suggestion) -> None:
        frame = QFrame()
        frame.setObjectName("reportPassage")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(frame)
        page = tr(" · 第 {page} 页").format(page=s.passage.page) if s.passage.page else ""
        heading = QLabel(
            f"<b>{html.escape(s.passage.heading_text or tr('（无标题）'))}</b>{page}"
            f" · {tr('相关度')} {s.score:.2f}"
        )
        heading.setWordWrap(True)
        box.addWidget(heading)
        text = QTextBrowser()
        text.setAccessibleName(tr("参考段落"))
        text.setHtml(marked_html(s.passage.text, s.matched))
        line = text.fontMetrics().lineSpacing()
        text.setFixedHeight(line * PASSAGE_LINES + 12)
        box.addWidget(text)
        row = QHBoxLayout()
        insert = QPushButton(tr("插入到情况介绍"))
        insert.setToolTip(tr("把这一段追加到“相关工作情况介绍”末尾（可撤销）"))
        evidence = QPushButton(tr("作为佐证材料"))
        evidence.setToolTip(tr("把报告本身加入佐证材料目录，页码写入备注"))
        irrelevant = QPushButton(tr("不相关"))
        irrelevant.setToolTip(tr("本项不再显示这一段"))
        writable = not self.session.readonly
        for button, command in (
            (insert, stored.insert_into_narrative),
            (evidence, stored.add_as_evidence),
        ):
            button.setEnabled(writable)
            button.clicked.connect(self._run(command, ranked, s))
        irrelevant.setEnabled(writable)
        irrelevant.clicked.connect(
            lambda: self.session.edit(
                lambda: stored.mark_irrelevant(self.session.project, self.no, s)
            )
        )
        row.addWidget(insert)
        row.addWidget(evidence)
        row.addStretch(1)
        row.addWidget(irrelevant)
        box.addLayout(row)
        layout = self.layout()
        assert layout is not None  # set in __init__
        layout.addWidget(frame)
        self.items.append(frame)
        self.buttons.append((insert, evidence, irrelevant))

    def _run(
        self,
        command: Callable[..., bool],
        ranked: stored.Ranked,
        s: Suggestion,
    ) -> Callable[[], None]:
        def run() -> None:
            if not self.session.flush():  # typing still waiting is saved first
                return
            self.session.edit(lambda: command(self.session.project, ranked, self.no, s))

        return run

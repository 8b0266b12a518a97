"""检查与导出: what is still missing (the core's validation), each a link to its page, and the
export buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from csr_desktop.core.validation import Finding, Severity, has_gaps, validate
from csr_desktop.formats.exporters import EXPORTERS
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.pages.base import LazyPage
from csr_desktop.ui.session import Session

if TYPE_CHECKING:
    from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton

# Qt, QFont and the list items are imported where used: this module loads at start-up, when
# the review page is not shown yet (and PySide6 builds a class's enums on first import).
FINDING_ROLE = 0x0100  # Qt.ItemDataRole.UserRole
CONFLICT_COLUMN = 5  # 待核对冲突
EXPORT_COLUMNS = 3


def _when(at: str) -> str:
    """`2026-12-02 10:31` from an ISO time, for the tracking table."""
    return at[:16].replace("T", " ")


class ReviewPage(LazyPage):
    """`go_to(key)` asks the window to show the page that holds field `key`."""

    go_to = Signal(str)
    export = Signal(str)  # an exporter's id (formats/exporters.py; see MainWindow.export)
    action = Signal(str)  # import_xlsx, verify_package or distribute (MainWindow._file_action)
    resolve = Signal(str)  # a department whose latest return left conflicts to look at

    def __init__(self, session: Session) -> None:
        super().__init__(session, tr("检查与导出"))
        self.findings: list[Finding] = []
        self.complete = False  # validation finds no gap: the one meaning of 材料完整

    def build(self, content: QWidget) -> None:
        from csr_desktop.ui.forms.ui_review_page import Ui_ReviewPage  # ~1.6 ms, on first show

        self.form = Ui_ReviewPage()
        self.form.setupUi(content)
        self.form.findingsList.itemClicked.connect(self._follow)
        self.form.findingsList.installEventFilter(self)
        f = self.form
        self.export_buttons = self._add_export_buttons()
        for button, name in (
            (f.importXlsxButton, "import_xlsx"),
            (f.verifyPackageButton, "verify_package"),
            (f.distributeButton, "distribute"),
        ):
            button.clicked.connect(lambda _=False, n=name: self.action.emit(n))
        f.importXlsxButton.setEnabled(not self.session.readonly)
        f.distributeButton.setEnabled(not self.session.readonly)
        f.trackingTable.verticalHeader().setVisible(False)
        f.trackingTable.cellClicked.connect(self._tracking_clicked)
        f.trackingTable.cellActivated.connect(self._tracking_clicked)
        f.trackingTable.horizontalHeader().setAccessibleName(tr("各部门自评表的列"))

    def _add_export_buttons(self) -> dict[str, QPushButton]:
        """One button per entry of the exporter registry, in its order, three to a row; then
        导入 Excel and 校验提交材料包, then the draft hint under them all."""
        from PySide6.QtWidgets import QPushButton

        f = self.form
        grid = f.exportLayout
        after = (f.importXlsxButton, f.verifyPackageButton)
        for widget in (*after, f.draftHintLabel):
            grid.removeWidget(widget)
        buttons = {}
        for exp in EXPORTERS:
            button = QPushButton(tr(exp.label), f.exportBox)
            button.setAccessibleName(tr(exp.title))
            button.clicked.connect(lambda _=False, i=exp.id: self.export.emit(i))
            buttons[exp.id] = button
        for n, widget in enumerate((*buttons.values(), *after)):
            grid.addWidget(widget, *divmod(n, EXPORT_COLUMNS))
        rows = -(-(len(buttons) + len(after)) // EXPORT_COLUMNS)
        grid.addWidget(f.draftHintLabel, rows, 0, 1, EXPORT_COLUMNS)
        return buttons

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter follows the link and is used up, so the wizard does not also press 下一步."""
        from PySide6.QtCore import Qt  # the Qt namespace: ~21 ms

        findings: QListWidget = self.form.findingsList
        if (
            watched is findings
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            item = findings.currentItem()
            if item is not None:
                self._follow(item)
            return True
        return super().eventFilter(watched, event)

    def _follow(self, item: QListWidgetItem) -> None:
        key = item.data(FINDING_ROLE)
        if key:
            self.go_to.emit(str(key))

    def refresh(self, keys: frozenset[str] | None) -> None:
        from PySide6.QtGui import QColor, QFont  # ~1.9 ms
        from PySide6.QtWidgets import QListWidgetItem

        if not self.isVisible() and keys is not None:
            self._stale = True
            return
        self._stale = False
        project = self.session.project
        self.findings = validate(project.assessment(), self.session.blob_ok)
        self.complete = not has_gaps(self.findings)
        gaps = [f for f in self.findings if f.severity is Severity.GAP]
        warnings = [f for f in self.findings if f.severity is Severity.WARNING]
        lst = self.form.findingsList
        lst.clear()
        link = QFont(lst.font())
        link.setUnderline(True)
        for f in gaps + warnings:
            item = QListWidgetItem(f.line())
            item.setData(FINDING_ROLE, f.key)
            item.setFont(link)
            item.setForeground(QColor("#b00020") if f.severity is Severity.GAP else QColor("#555"))
            item.setToolTip(tr("单击或按回车转到该页"))
            lst.addItem(item)
        if not self.findings:
            lst.addItem(QListWidgetItem(tr("没有缺项，也没有提示。")))
        if not self.complete:
            summary = tr("尚有 {g} 处缺项、{w} 条提示。单击一项转到该页补充。").format(
                g=len(gaps), w=len(warnings)
            )
            draft = tr("材料尚有缺项：此时导出的承诺书、完整自评材料和提交材料包将标为“草稿”。")
        else:
            summary = tr("材料完整，可以导出提交（{w} 条提示供参考）。").format(w=len(warnings))
            draft = tr("导出的文件为正式版本。")
        self.form.summaryLabel.setText(summary)
        self.form.draftHintLabel.setText(draft)
        self._fill_tracking()

    def _fill_tracking(self) -> None:
        """Per department: when its workbook went out and came back, what its returns did."""
        from PySide6.QtGui import QColor
        from PySide6.QtWidgets import QTableWidgetItem  # ~0.5 ms

        from csr_desktop.core.departments import tracking  # ~1.3 ms

        rows = tracking(self.session.project)
        table = self.form.trackingTable
        table.setRowCount(len(rows))
        for r, t in enumerate(rows):
            cells = (
                (t.department, ""),
                ("、".join(map(str, t.indicators)) or tr("（未分配）"), ""),
                (_when(t.sent_at) or tr("尚未发出"), t.sent_file),
                (_when(t.returned_at) or tr("尚未收回"), t.returned_file),
                (str(t.applied) if t.returns else "", ""),
                (str(t.conflicts) if t.returns else "", ""),
            )
            for c, (text, file) in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(file or text)  # the workbook's name, where there is one
                if c == CONFLICT_COLUMN and t.returns and t.conflicts:
                    item.setText(tr("{n}（查看并处理）").format(n=t.conflicts))
                    item.setData(FINDING_ROLE, t.department)
                    font = item.font()
                    font.setUnderline(True)
                    item.setFont(font)
                    item.setForeground(QColor("#0645ad"))
                    item.setToolTip(tr("单击查看冲突的字段和同事写的内容，并决定采用哪一边"))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        metrics = header.fontMetrics()
        for c in range(table.columnCount()):  # an empty table sizes to nothing: keep the titles
            title = table.horizontalHeaderItem(c)
            need = metrics.horizontalAdvance(title.text() if title else "") + 24
            table.setColumnWidth(c, max(table.columnWidth(c), header.sectionSizeHint(c), need))
        header.setStretchLastSection(True)
        hint = (
            tr(
                "在各指标页填写“负责部门”后，可在此为每个部门分发一份只含其指标的 Excel；收回后用“导入 Excel”合并。"
            )
            if not rows
            else tr(
                "“待核对冲突”：最近一次收回时，同事与项目都改过、导入时保留了项目内容的字段数。"
            )
        )
        self.form.departmentsHintLabel.setText(hint)

    def _tracking_clicked(self, row: int, column: int) -> None:
        """待核对冲突 N opens those conflicts."""
        table = self.form.trackingTable
        item, dept = table.item(row, column), table.item(row, 0)
        if (
            column == CONFLICT_COLUMN
            and item is not None
            and dept is not None
            and item.data(FINDING_ROLE)
        ):
            self.resolve.emit(dept.text())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.built and getattr(self, "_stale", True):
            self.refresh(None)

    def first_focus(self) -> QWidget | None:
        findings: QListWidget = self.form.findingsList
        return findings

"""One 三级指标: the same class for all 28 pages, filled from the indicator set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QButtonGroup

from csr_desktop.core.indicators import OPTIONS_PER_SCALE
from csr_desktop.core.model.fields import REPORT_HIDDEN, REPORT_SOURCE, REVIEW_FIELD, FieldRef
from csr_desktop.core.operations.fields import set_field, set_rating
from csr_desktop.ui import dialogs
from csr_desktop.ui.binding import TextBinding
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.pages.base import LazyPage
from csr_desktop.ui.session import Session
from csr_desktop.ui.settings import remember_folder, start_folder

if TYPE_CHECKING:
    from PySide6.QtWidgets import QRadioButton, QTableWidgetItem, QWidget

# The widgets, the compiled form and the evidence code are imported when the first indicator
# page is built, not at start-up (the app opens on the cover).

COL_NO, COL_NAME, COL_REMARK, COL_FILE = range(4)


# the fields the report panel shows; from the model, not core.report_source, whose hashlib
# (OpenSSL, ~3 ms) the first paint does not need
REPORT_KEYS = frozenset({REPORT_SOURCE.key, REPORT_HIDDEN.key})


class IndicatorPage(LazyPage):
    """Rating, 备注, 相关工作情况介绍 and the 佐证材料目录 of indicator `no`."""

    def __init__(self, session: Session, no: int) -> None:
        self.no = no
        self.indicator = session.project.indicator_set.indicator(no)
        super().__init__(
            session, tr("三级指标 {no}：{name}").format(no=no, name=self.indicator.name)
        )
        self._keys = {
            FieldRef.indicator(no, f).key
            for f in ("rating", "remark", "narrative", "evidence", REVIEW_FIELD)
        } | REPORT_KEYS
        self._filling = False

    # ---- building -------------------------------------------------------------------------

    def build(self, content: QWidget) -> None:
        # built on first show; before the first paint these would cost ~1.8 and ~2.1 ms
        from csr_desktop.ui.evidence import EvidenceController
        from csr_desktop.ui.forms.ui_indicator_page import Ui_IndicatorPage

        form = self.form = Ui_IndicatorPage()
        form.setupUi(content)
        ind = self.indicator
        form.pathLabel.setText(ind.path)
        form.descriptionLabel.setText(ind.description)
        self.group = QButtonGroup(self)
        self.radios: list[QRadioButton] = []
        for r in range(1, OPTIONS_PER_SCALE + 1):
            radio: QRadioButton = getattr(form, f"rating{r}")
            radio.setText(ind.scale.option_text(r))
            radio.setAccessibleName(tr("企业自评：") + ind.scale.option_text(r))
            self.group.addButton(radio, r)
            self.radios.append(radio)
        if not ind.scale.printed:
            form.ratingBox.setToolTip(tr("模板中此项未印选项，沿用相邻指标的“完善”等级"))
        self.group.idClicked.connect(self.choose)
        self.remark = TextBinding(
            self.session, FieldRef.indicator(ind.no, "remark").key, form.remarkEdit
        )
        self.department = TextBinding(
            self.session, FieldRef.department(ind.no).key, form.departmentEdit
        )
        from PySide6.QtWidgets import QCompleter  # ~0.6 ms

        self.department_names = QCompleter([], form.departmentEdit)  # the names already used
        form.departmentEdit.setCompleter(self.department_names)
        self.narrative = TextBinding(
            self.session, FieldRef.indicator(ind.no, "narrative").key, form.narrativeEdit
        )
        form.narrativeEdit.textChanged.connect(self._count_chars)
        # a file dropped on the narrative is evidence, never its file:// address typed in
        form.narrativeEdit.viewport().installEventFilter(self)
        self._build_table()
        self.evidence = EvidenceController(self.session, ind.no, self)
        form.addButton.clicked.connect(self.pick_files)
        form.attachButton.clicked.connect(self.pick_attachment)
        form.openButton.clicked.connect(lambda: self._with_row(self.evidence.open))
        form.upButton.clicked.connect(lambda: self._move(-1))
        form.downButton.clicked.connect(lambda: self._move(1))
        form.removeButton.clicked.connect(lambda: self._with_row(self.evidence.remove))
        for radio in self.radios:
            radio.setEnabled(not self.session.readonly)
        form.confirmButton.clicked.connect(self.confirm_review)
        form.confirmButton.setEnabled(not self.session.readonly)
        from csr_desktop.ui.report_panel import ReportPanel  # ~34 ms

        self.report_panel = ReportPanel(self.session, ind.no, content)
        form.pageLayout.insertWidget(
            form.pageLayout.indexOf(form.narrativeEdit) + 1, self.report_panel
        )
        self.report_panel.setVisible(False)  # shown once the project holds a report
        self.report_panel.on_read = self._show_report_panel

    def _build_table(self) -> None:
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView  # ~0.6 ms

        table = self.form.evidenceTable
        header = table.horizontalHeader()
        header.setSectionResizeMode(COL_NO, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_REMARK, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_FILE, QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.NoEditTriggers
            if self.session.readonly
            else QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        table.itemChanged.connect(self._item_edited)
        table.itemSelectionChanged.connect(self._update_buttons)
        table.itemActivated.connect(self._activated)
        table.viewport().setAcceptDrops(True)
        table.viewport().installEventFilter(self)

    # ---- commands ---------------------------------------------------------------------

    def choose(self, rating: int) -> None:
        """Keys 1–5 and clicks land here: one command, saved at once."""
        if self.session.readonly or self._filling:
            return
        self.session.run(lambda: set_rating(self.session.project, self.no, rating))
        self._show_rating()

    def confirm_review(self) -> None:
        """One click (or Alt+K, the button's mnemonic): last year's answer has been checked for this year."""
        if self.session.readonly or not self.review_pending():
            return
        key = FieldRef.indicator(self.no, REVIEW_FIELD).key
        label = tr("{label}已复核").format(label=self.indicator.label)
        self.session.run(lambda: set_field(self.session.project, key, None, label))

    def review_pending(self) -> bool:
        return self.session.project.assessment().answer(self.no).review_pending

    def rating_button(self, rating: int) -> QRadioButton:
        self.ensure_built()
        return self.radios[rating - 1]

    def selected_row(self) -> int | None:
        rows = self.form.evidenceTable.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _with_row(self, action: object) -> None:
        row = self.selected_row()
        if row is not None and callable(action):
            action(row)

    def _move(self, delta: int) -> None:
        row = self.selected_row()
        if row is not None and self.evidence.move(row, delta):
            self.form.evidenceTable.selectRow(row + delta)

    def _evidence_folder(self) -> str:
        return start_folder(self, "evidence", self.session.project.path.parent)

    def pick_files(self) -> None:
        paths = dialogs.open_files(self, tr("选择佐证材料文件（可多选）"), self._evidence_folder())
        if paths:
            remember_folder(self, "evidence", paths[0])
            self.evidence.add_files(paths)

    def pick_attachment(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        path = dialogs.open_file(self, tr("选择文件"), self._evidence_folder(), tr("所有文件 (*)"))
        if path is not None:
            remember_folder(self, "evidence", path)
            self.evidence.attach(row, path)

    def _item_edited(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        if item.column() == COL_NAME:
            if not self.evidence.rename(item.row(), item.text()):
                self._fill_table()
        elif item.column() == COL_REMARK:
            self.evidence.set_remark(item.row(), item.text())

    def _activated(self, item: QTableWidgetItem) -> None:
        if item.column() == COL_FILE:
            self.evidence.open(item.row())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Files dropped from the file manager onto the table or the narrative are added as
        evidence (anything else dropped on the narrative, text or a web link, is typed)."""
        kind = event.type()
        drop: Any = event  # a QDragEnterEvent, QDragMoveEvent or QDropEvent below
        dragging = kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)
        if dragging and not any(u.isLocalFile() for u in drop.mimeData().urls()):
            return super().eventFilter(watched, event)
        if dragging and self.session.readonly:
            drop.ignore()
            return True
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            drop.acceptProposedAction()
            return True
        if kind == QEvent.Type.Drop:
            urls = drop.mimeData().urls()
            paths = [Path(u.toLocalFile()) for u in urls if u.isLocalFile()]
            if paths:
                drop.acceptProposedAction()
                self.evidence.add_files(paths)
                return True
        return super().eventFilter(watched, event)

    # ---- showing the project ------------------------------------------------------------

    def initializePage(self) -> None:
        super().initializePage()
        from csr_desktop.core.departments import departments  # ~1.4 ms

        self.department_names.model().setStringList(departments(self.session.project))  # type: ignore[attr-defined]

    def refresh(self, keys: frozenset[str] | None) -> None:
        if keys is not None and not (keys & self._keys):
            return
        self.refresh_bindings(keys)
        self.form.reviewFrame.setVisible(self.review_pending())
        self._show_rating()
        if keys is None or FieldRef.indicator(self.no, "evidence").key in keys:
            self._fill_table()
        if keys is None or keys & REPORT_KEYS:
            self._show_report_panel()
        self._count_chars()

    def _show_report_panel(self) -> None:
        """The 参考素材 box, only while the project holds a report: the page then scrolls,
        and the narrative keeps room for typing all the same."""
        shown = self.report_panel.refresh()
        edit = self.form.narrativeEdit
        if not hasattr(self, "_narrative_min"):
            self._narrative_min = edit.minimumHeight()
        lines = edit.fontMetrics().lineSpacing() * 8 + 12
        edit.setMinimumHeight(max(self._narrative_min, lines) if shown else self._narrative_min)
        self.report_panel.setVisible(shown)

    def _show_rating(self) -> None:
        rating = self.session.project.assessment().answer(self.no).rating
        current = self.group.checkedId()
        if rating == current or (rating is None and current == -1):
            return
        if rating is None:
            self.group.setExclusive(False)
            for radio in self.radios:
                radio.setChecked(False)
            self.group.setExclusive(True)
        else:
            self.radios[rating - 1].setChecked(True)

    def _count_chars(self) -> None:
        n = len(self.form.narrativeEdit.toPlainText())
        self.form.charCountLabel.setText(tr("{n} 字").format(n=n))

    def _fill_table(self) -> None:
        from PySide6.QtCore import Qt  # the Qt namespace: ~21 ms
        from PySide6.QtWidgets import QTableWidgetItem

        from csr_desktop.core.units import human_size

        table = self.form.evidenceTable
        selected = self.selected_row()
        items = self.session.project.assessment().answer(self.no).evidence
        self._filling = True
        try:
            table.setRowCount(len(items))
            for row, item in enumerate(items):
                no = QTableWidgetItem(str(row + 1))
                no.setFlags(no.flags() & ~Qt.ItemFlag.ItemIsEditable)
                no.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                name = QTableWidgetItem(item.name)
                name.setToolTip(tr("双击或按 F2 修改材料名称"))
                remark = QTableWidgetItem(item.remark)
                if item.sha256 is None:
                    file_text = tr("（未附文件）")
                else:
                    file_text = f"{item.file_name or ''}（{human_size(item.size)}）"
                file = QTableWidgetItem(file_text)
                file.setFlags(file.flags() & ~Qt.ItemFlag.ItemIsEditable)
                file.setToolTip(tr("按回车或双击打开文件"))
                if item.sha256 is None:
                    file.setForeground(Qt.GlobalColor.darkRed)
                for col, cell in enumerate((no, name, remark, file)):
                    table.setItem(row, col, cell)
            if selected is not None and items:
                table.selectRow(min(selected, len(items) - 1))
        finally:
            self._filling = False
        self._update_buttons()

    def _update_buttons(self) -> None:
        form = self.form
        row = self.selected_row()
        count = form.evidenceTable.rowCount()
        writable = not self.session.readonly
        form.addButton.setEnabled(writable)
        form.attachButton.setEnabled(writable and row is not None)
        form.openButton.setEnabled(row is not None)
        form.upButton.setEnabled(writable and row is not None and row > 0)
        form.downButton.setEnabled(writable and row is not None and row < count - 1)
        form.removeButton.setEnabled(writable and row is not None)

    def first_focus(self) -> QWidget | None:
        checked = self.group.checkedButton()
        return checked if checked is not None else self.radios[0]

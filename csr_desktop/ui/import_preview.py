"""The import preview: the changes a return brings and its conflicts, each chosen in a list and
compared below in the difference view (the words that differ marked, the whole text on
demand); every conflict has its own choice (keep the project's value unless told otherwise)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csr_desktop.ui.diff_view import DiffView
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.screen_fit import fit_to_screen

KEEP, TAKE = 0, 1


class ConflictLine(NamedTuple):
    """A conflict as the dialog shows it (the format module's Conflict, flattened)."""

    key: str
    where: str
    field: str
    project_text: str
    workbook_text: str


class ChangeLine(NamedTuple):
    """A change the import would make: a line for the list, the two whole texts to compare."""

    text: str
    old: str
    new: str


def _as_change(change: ChangeLine | str) -> ChangeLine:
    return change if isinstance(change, ChangeLine) else ChangeLine(change, "", change)


class ImportPreview(QDialog):
    """`taken()` after `exec()`: the keys of the conflicts the user gave to the workbook."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        changes: Sequence[ChangeLine | str],
        conflicts: Sequence[ConflictLine],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.conflicts = list(conflicts)
        self.change_lines = [_as_change(c) for c in changes]
        layout = QVBoxLayout(self)
        label = QLabel(text, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        split = QSplitter(Qt.Orientation.Vertical, self)
        lists = QSplitter(Qt.Orientation.Horizontal, split)
        self.table = QTableWidget(len(conflicts), 3, self)
        self.table.hide()  # shown in its box when there are conflicts
        self.choices: list[QComboBox] = []
        if conflicts:
            right = QGroupBox(tr("冲突（{n} 处）：同事和项目都改过").format(n=len(conflicts)))
            QVBoxLayout(right).addWidget(self._conflict_table(right))
            lists.addWidget(right)
        left = QGroupBox(tr("将导入的修改（{n} 处）").format(n=len(self.change_lines)))
        left_layout = QVBoxLayout(left)
        self.changes = QListWidget(left)
        self.changes.setAccessibleName(tr("将要做的修改"))
        self.changes.setWordWrap(True)
        self.changes.addItems([c.text for c in self.change_lines] or [tr("（没有不冲突的修改）")])
        self.changes.currentRowChanged.connect(self._show_change)
        left_layout.addWidget(self.changes)
        lists.addWidget(left)
        self.diff = DiffView(split)
        split.addWidget(lists)
        split.addWidget(self.diff)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(
            tr("导入（一步可撤销）"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel = self.buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 1100, 680)
        if conflicts:
            self.table.selectRow(0)
            self._show_conflict(0)
        elif self.change_lines:
            self.changes.setCurrentRow(0)

    def _conflict_table(self, parent: QWidget) -> QTableWidget:
        table = self.table
        table.setParent(parent)
        table.show()
        table.setAccessibleName(tr("冲突"))
        table.setHorizontalHeaderLabels([tr("指标"), tr("字段"), tr("采用")])
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setAccessibleName(tr("冲突的列"))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setWordWrap(True)
        for row, c in enumerate(self.conflicts):
            for col, value in enumerate((c.where, c.field)):
                table.setItem(row, col, QTableWidgetItem(value))
            combo = QComboBox(table)
            combo.addItems([tr("保留项目中的"), tr("采用工作簿的")])
            combo.setCurrentIndex(KEEP)
            combo.setAccessibleName(
                tr("{where}{field}采用哪一边").format(where=c.where, field=c.field)
            )
            combo.currentIndexChanged.connect(lambda _i, r=row: self._show_conflict(r))
            table.setCellWidget(row, 2, combo)
            self.choices.append(combo)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.resizeRowsToContents()
        table.currentCellChanged.connect(lambda row, *_a: self._show_conflict(row))
        return table

    def _show_conflict(self, row: int) -> None:
        if not 0 <= row < len(self.conflicts):
            return
        c = self.conflicts[row]
        taken = self.choices[row].currentIndex() == TAKE
        self.diff.set_texts(
            c.project_text,
            c.workbook_text,
            tr("项目中的内容") + ("" if taken else tr("（将保留）")),
            tr("工作簿中的内容（同事写的）") + (tr("（将采用）") if taken else ""),
            note=tr("冲突：{where} {field}").format(where=c.where, field=c.field),
        )

    def _show_change(self, row: int) -> None:
        if not 0 <= row < len(self.change_lines):
            return
        change = self.change_lines[row]
        self.diff.set_texts(
            change.old, change.new, tr("项目中现在的内容"), tr("导入后的内容"), note=change.text
        )

    def taken(self) -> list[str]:
        return [
            c.key
            for c, combo in zip(self.conflicts, self.choices, strict=True)
            if combo.currentIndex() == TAKE
        ]

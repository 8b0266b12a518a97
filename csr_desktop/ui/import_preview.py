"""The import preview: the changes a return brings on one side, its conflicts on the other,
each conflict with its own choice (keep the project's value unless told otherwise)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csr_desktop.ui.i18n import tr

KEEP, TAKE = 0, 1


class ConflictLine(NamedTuple):
    """A conflict as the dialog shows it (the format module's Conflict, flattened)."""

    key: str
    where: str
    field: str
    project_text: str
    workbook_text: str


class ImportPreview(QDialog):
    """`taken()` after `exec()`: the keys of the conflicts the user gave to the workbook."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        text: str,
        changes: Sequence[str],
        conflicts: Sequence[ConflictLine],
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.conflicts = list(conflicts)
        layout = QVBoxLayout(self)
        label = QLabel(text, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        sides = QHBoxLayout()
        left = QGroupBox(tr("将导入的修改（{n} 处）").format(n=len(changes)), self)
        left_layout = QVBoxLayout(left)
        self.changes = QListWidget(left)
        self.changes.setAccessibleName(tr("将要做的修改"))
        self.changes.setWordWrap(True)
        self.changes.addItems(list(changes) or [tr("（没有不冲突的修改）")])
        left_layout.addWidget(self.changes)
        sides.addWidget(left, 2)
        right = QGroupBox(tr("冲突（{n} 处）：同事和项目都改过").format(n=len(conflicts)), self)
        right_layout = QVBoxLayout(right)
        self.table = QTableWidget(len(conflicts), 5, right)
        self.table.setAccessibleName(tr("冲突"))
        self.table.setHorizontalHeaderLabels(
            [tr("指标"), tr("字段"), tr("项目中的内容"), tr("工作簿中的内容"), tr("采用")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setAccessibleName(tr("冲突的列"))
        self.table.setWordWrap(True)
        self.choices: list[QComboBox] = []
        for row, c in enumerate(conflicts):
            for col, value in enumerate((c.where, c.field, c.project_text, c.workbook_text)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, col, item)
            combo = QComboBox(self.table)
            combo.addItems([tr("保留项目中的"), tr("采用工作簿的")])
            combo.setCurrentIndex(KEEP)
            combo.setAccessibleName(
                tr("{where}{field}采用哪一边").format(where=c.where, field=c.field)
            )
            self.table.setCellWidget(row, 4, combo)
            self.choices.append(combo)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        right_layout.addWidget(self.table)
        sides.addWidget(right, 3)
        layout.addLayout(sides)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("导入（一步可撤销）"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(1100, 520)

    def taken(self) -> list[str]:
        return [
            c.key
            for c, combo in zip(self.conflicts, self.choices, strict=True)
            if combo.currentIndex() == TAKE
        ]

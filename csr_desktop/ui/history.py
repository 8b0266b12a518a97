"""编辑 › 历史版本: every earlier value of the field in focus (or any field of the page), with
time, OS user and how it came, compared with now; 恢复此版本 is a new undoable step. For a
佐证材料目录, removed rows are listed and come back with their files (from the project while it
still holds them, else from the newest backup that does)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from csr_desktop.core import field_history
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.model.fields import describe as describe_key
from csr_desktop.ui.i18n import tr

if TYPE_CHECKING:
    from csr_desktop.core.field_history import RemovedRow, Version
    from csr_desktop.ui.session import Session

INDICATOR_FIELDS = ("narrative", "remark", "rating", "evidence", "department")
ALL = "*"


def _diff_view(parent: QWidget) -> Any:
    """The window's difference view (issue #27) once it is in the app; until then two plain
    columns with the same `set_texts` call, so nothing here changes when it arrives."""
    try:
        from csr_desktop.ui.diff_view import DiffView

        return DiffView(parent)
    except ImportError:
        return _PlainTwoColumns(parent)


class _PlainTwoColumns(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        grid = QHBoxLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.old_text, self.new_text = QTextBrowser(self), QTextBrowser(self)
        self.summary = QLabel(self)
        for box in (self.old_text, self.new_text):
            grid.addWidget(box)

    def set_texts(
        self, old: str, new: str, old_title: str = "", new_title: str = "", note: str = ""
    ) -> None:
        self.old_text.setPlainText(f"{old_title}\n\n{old}")
        self.new_text.setPlainText(f"{new_title}\n\n{new}")


def keys_of_page(session: Session, page: Any) -> list[str]:
    """The fields a page shows, in page order."""
    no = getattr(page, "no", None)
    if isinstance(no, int):
        return [FieldRef.indicator(no, f).key for f in INDICATOR_FIELDS]
    iset = session.project.indicator_set
    name = type(page).__name__.lower()
    if "commitment" in name:
        return [FieldRef.commitment(f.key).key for f in iset.commitment.fields]
    return [FieldRef.company(f.key).key for f in iset.cover_fields]


def as_text(session: Session, key: str, value: Any) -> str:
    """A stored value as a person reads it in the history."""
    if value in (None, "", []):
        return tr("（空）")
    if key.endswith(".rating"):
        no = int(key.split(".")[1])
        return str(session.project.indicator_set.indicator(no).scale.option_text(int(value)))
    if key.endswith(".evidence"):
        lines = []
        for n, row in enumerate(value, start=1):
            if isinstance(row, dict):
                file = f"（{row['file_name']}）" if row.get("file_name") else ""
                lines.append(f"{n}. {row.get('name', '')}{file}  {row.get('remark', '')}".rstrip())
        return "\n".join(lines)
    return str(value)


class HistoryDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        session: Session,
        keys: list[str],
        key: str,
        backup_root: Path | None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(tr("历史版本"))
        self.session = session
        self.backup_root = backup_root
        self.versions: list[Version] = []
        self.version_keys: list[str] = []  # the field of each row (all one field, or a page's)
        self.removed: list[RemovedRow] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("内容(&F)："), self))
        self.field = QComboBox(self)
        iset = session.project.indicator_set
        for k in keys:
            self.field.addItem(describe_key(iset, k), k)
        if len(keys) > 1:  # every field of the page (or indicator) in one list
            self.field.addItem(tr("以上全部内容"), ALL)
        self.page_keys = keys
        top.addWidget(self.field, 1)
        layout.addLayout(top)
        split = QSplitter(self)
        split.setOrientation(split.orientation().Vertical)
        self.table = QTableWidget(0, 4, split)
        self.table.setHorizontalHeaderLabels([tr("时间"), tr("修改人"), tr("来源"), tr("内容")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.diff = _diff_view(split)
        split.addWidget(self.table)
        split.addWidget(self.diff)
        layout.addWidget(split, 1)
        self.removed_label = QLabel(self)
        self.removed_label.setWordWrap(True)
        layout.addWidget(self.removed_label)
        row = QHBoxLayout()
        self.restore_button = QPushButton(tr("恢复此版本(&R)"), self)
        self.restore_button.clicked.connect(self.restore_selected)
        self.bring_back_button = QPushButton(tr("找回已删除的目录行(&D)"), self)
        self.bring_back_button.clicked.connect(self.bring_back_all)
        row.addWidget(self.restore_button)
        row.addWidget(self.bring_back_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.field.currentIndexChanged.connect(lambda _i: self.refresh())
        self.field.setCurrentIndex(max(0, keys.index(key)) if key in keys else 0)
        self.resize(980, 640)
        self.refresh()

    @property
    def key(self) -> str:
        return str(self.field.currentData())

    def refresh(self) -> None:
        project = self.session.project
        keys = self.page_keys if self.key == ALL else [self.key]
        found = [(k, v) for k in keys for v in field_history.versions(project, k)]
        if self.key == ALL:  # newest first across the fields; each field's present value on top
            found.sort(key=lambda kv: (kv[1].current, kv[1].at), reverse=True)
        self.version_keys = [k for k, _ in found]
        self.versions = [v for _, v in found]
        iset = project.indicator_set
        self.table.setRowCount(len(self.versions))
        for r, (k, v) in enumerate(found):
            when = v.at[:16].replace("T", " ") or "—"
            how = v.how + (tr("（{n} 步）").format(n=v.steps) if v.steps > 1 else "")
            text = as_text(self.session, k, v.value).replace("\n", " ")
            if self.key == ALL:
                text = f"{describe_key(iset, k)}：{text}"
            if v.current:
                when = tr("{when}（当前）").format(when=when)
            cells = (when, v.user or "—", how, text[:120])
            for c, cell in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(cell))
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(3, 420)
        self.removed = []
        catalogue = next((k for k in keys if k.endswith(".evidence")), None)
        if catalogue is not None:
            self.removed = field_history.removed_rows(project, int(catalogue.split(".")[1]))
        if self.removed:
            names = "、".join(
                f"{r.row.get('name', '')}（{r.removed_at[:16].replace('T', ' ')} 由 {r.removed_by} 删除）"
                for r in self.removed
            )
            self.removed_label.setText(tr("已删除的目录行：{names}").format(names=names))
        else:
            self.removed_label.setText("")
        self.bring_back_button.setVisible(bool(self.removed))
        first_old = next((n for n, v in enumerate(self.versions) if not v.current), 0)
        self.table.selectRow(first_old)
        self._show_selected()

    def selected(self) -> Version | None:
        rows = self.table.selectionModel().selectedRows()
        return self.versions[rows[0].row()] if rows else None

    def selected_key(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return self.version_keys[rows[0].row()] if rows else self.key

    def _show_selected(self) -> None:
        v = self.selected()
        key = self.selected_key()
        now = self.session.project.get(key)
        writable = not self.session.readonly
        self.restore_button.setEnabled(writable and v is not None and not v.current)
        self.bring_back_button.setEnabled(writable)
        if v is None:
            return
        when = v.at[:16].replace("T", " ")
        self.diff.set_texts(
            as_text(self.session, key, v.value),
            as_text(self.session, key, now),
            tr("{when} 的版本（{how}）").format(when=when, how=v.how),
            tr("现在"),
        )

    def restore_selected(self) -> bool:
        v = self.selected()
        if v is None or v.current:
            return False
        key = self.selected_key()
        done = self.session.edit(
            lambda: field_history.restore_version(self.session.project, key, v)
        )
        self.refresh()
        return done

    def bring_back_all(self) -> int:
        """Every removed row back at the end of the 目录 (one undo step each); the number
        that came back. A file kept nowhere any more is named."""
        from csr_desktop.ui import dialogs

        catalogue = next(k for k in self.page_keys if k.endswith(".evidence"))
        no = int(catalogue.split(".")[1])
        back = 0
        lost = []
        for r in list(self.removed):
            ok = [False]

            def bring(row: RemovedRow = r, ok: list[bool] = ok) -> None:
                ok[0] = field_history.bring_back(self.session.project, no, row, self.backup_root)

            self.session.edit(bring)
            if ok[0]:
                back += 1
            else:
                lost.append(str(r.row.get("name", "")))
        if lost:
            dialogs.warning(
                self,
                tr("未能全部找回"),
                tr("项目和备份中都已没有这些文件：{names}").format(names="、".join(lost)),
            )
        self.refresh()
        return back

"""Automatic backups while a project is open and when it closes, and 文件 › 备份与恢复.

A backup runs on a worker thread at low priority with its own read-only connection; the core
reads the project in statements of milliseconds, so typing is never held back. The window is
told the outcome through a queued signal."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from csr_desktop.core.backups import location
from csr_desktop.core.errors import CsrError
from csr_desktop.ui import dialogs
from csr_desktop.ui.i18n import tr

if TYPE_CHECKING:
    from csr_desktop.core.backups.listing import BackupInfo
    from csr_desktop.ui.settings import AppSettings

EVERY = dt.timedelta(minutes=30)  # at most one automatic backup per this much editing
DAILY_DELAY_MS = 60_000  # the daily backup waits until the window has settled


def backup_root(settings: AppSettings) -> Path | None:
    """Where backups go, or None when IT (environment) or the user (settings) turned them off."""
    if location.disabled_by_environment():
        return None
    enabled = str(settings.q.value("backups/enabled", "true")).lower()
    if enabled in ("false", "0", "off", "no"):
        return None
    folder = str(settings.q.value("backups/folder", "") or "")
    return Path(folder) if folder else location.default_root()


def _lower_priority() -> None:
    """The worker yields the CPU to the window (per thread on Linux; Windows: below normal)."""
    with contextlib.suppress(OSError, AttributeError, ValueError):
        if sys.platform == "win32":
            import ctypes

            kernel32 = ctypes.windll.kernel32
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), -1)
        else:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class BackupRunner(QObject):
    """Runs backups of one project on a worker thread, one at a time."""

    finished = Signal(object)  # a BackupResult or a CsrError

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, project_path: Path, root: Path) -> bool:
        if self.busy:
            return False

        def job() -> None:
            _lower_priority()
            from csr_desktop.core.backups.take import take_backup

            try:
                result: Any = take_backup(project_path, root, workers=1)
            except CsrError as exc:
                result = exc
            except OSError as exc:
                from csr_desktop.core.os_errors import describe_os_error

                result = describe_os_error(exc)
            self.finished.emit(result)

        # not a daemon: quitting waits for a backup to finish rather than cutting it off
        self._thread = threading.Thread(target=job, name="csr-backup")
        self._thread.start()
        return True

    def wait(self, seconds: float) -> bool:
        if self._thread is not None:
            self._thread.join(seconds)
        return not self.busy


class AutoBackup(QObject):
    """At most every 30 minutes of editing, and once when the project closes."""

    done = Signal(str)  # a line for the status bar

    def __init__(self, settings: AppSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.runner = BackupRunner(self)
        self.runner.finished.connect(self._finished)
        self._path: Path | None = None
        self._dirty_since: float | None = None
        self._last = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(60_000)
        self._timer.timeout.connect(self.tick)

    def attach(self, project_path: Path, project_id: str = "") -> None:
        self._path = project_path
        self._dirty_since = None
        self._last = time.monotonic()
        self._timer.start()
        if project_id:  # one a day: a minute after opening, if the newest is a day old
            QTimer.singleShot(DAILY_DELAY_MS, self, lambda: self.daily(project_path, project_id))

    def daily(self, project_path: Path, project_id: str) -> bool:
        """A backup of a project whose newest backup is older than a day (or that has none);
        it also runs the weekly re-hash of the backup folder when that is due."""
        root = backup_root(self.settings)
        if root is None or self._path != project_path:
            return False
        from csr_desktop.core.backups.listing import list_folder

        infos = list_folder(location.project_folder(root, project_id))
        now = dt.datetime.now().astimezone()
        if infos and now - infos[0].taken_at < dt.timedelta(days=1):
            return False
        return self._start()

    def edited(self) -> None:
        if self._dirty_since is None:
            self._dirty_since = time.monotonic()

    def tick(self, now: float | None = None) -> bool:
        """Start a backup if there was editing and the last one is 30 minutes old."""
        now = time.monotonic() if now is None else now
        if self._path is None or self._dirty_since is None:
            return False
        if now - self._last < EVERY.total_seconds():
            return False
        return self._start()

    def closed(self) -> bool:
        """The project was closed: one last backup if anything changed since the last."""
        self._timer.stop()
        started = self._dirty_since is not None and self._start()
        self._path = None
        return started

    def _start(self) -> bool:
        root = backup_root(self.settings)
        if root is None or self._path is None:
            return False
        if self.runner.start(self._path, root):
            self._dirty_since = None
            self._last = time.monotonic()
            return True
        return False

    def _finished(self, result: object) -> None:
        if isinstance(result, CsrError):
            self.done.emit(tr("自动备份未完成：{why}").format(why=result.zh))
        else:
            when = dt.datetime.now().strftime("%H:%M")
            self.done.emit(tr("已自动备份（{when}）").format(when=when))


def _size(n: int) -> str:
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} GB"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    return f"{max(1, n // 1024)} KB"


class BackupsDialog(QDialog):
    """文件 › 备份与恢复: the project's backups, newest first, to look at or restore."""

    def __init__(
        self,
        parent: QWidget | None,
        project_path: Path | None,
        root: Path | None,
        runner: BackupRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle(tr("备份与恢复"))
        self.project_path = project_path
        self.root = root
        self.runner = runner
        self.restored: Path | None = None
        self.infos: list[BackupInfo] = []
        layout = QVBoxLayout(self)
        self.where = QLabel(self)
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [tr("时间"), tr("大小"), tr("与上一份相比"), tr("修改人"), tr("编号")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection)
        self.table.doubleClicked.connect(lambda _i: self.look())
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.backup_now = QPushButton(tr("立即备份(&B)"), self)
        self.backup_now.clicked.connect(self.take_now)
        self.look_button = QPushButton(tr("查看（只读）(&L)"), self)
        self.look_button.clicked.connect(self.look)
        self.restore_button = QPushButton(tr("恢复为新项目(&R)…"), self)
        self.restore_button.clicked.connect(self.restore_selected)
        for b in (self.backup_now, self.look_button, self.restore_button):
            row.addWidget(b)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(900, 420)
        if runner is not None:
            runner.finished.connect(self._taken)
        self.refresh()

    def refresh(self) -> None:
        from csr_desktop.core.backups import files
        from csr_desktop.core.backups.listing import list_for_project
        from csr_desktop.core.backups.take import policy_words

        self.infos = []
        folder: Path | None = None
        if self.root is None:
            self.where.setText(
                tr("备份已关闭（管理员设置了 {env}=off，或在设置中关闭）。").format(
                    env=location.ENV_SWITCH
                )
            )
        elif self.project_path is not None:
            try:
                folder, self.infos = list_for_project(self.project_path, self.root)
            except CsrError as exc:
                self.where.setText(exc.zh)
        if folder is not None:
            used = files.folder_size(folder) if folder.is_dir() else 0
            self.where.setText(
                tr(
                    "备份位置：{folder}（本机，不随漫游配置文件同步）\n共 {n} 份，占用 {used}。{policy}。"
                ).format(folder=folder, n=len(self.infos), used=_size(used), policy=policy_words())
            )
        self.table.setRowCount(len(self.infos))
        for r, info in enumerate(self.infos):
            cells = (info.when(), _size(info.size), info.changed_words(), info.by_whom(), info.id)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip("、".join(info.fields) if c == 2 and info.fields else text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        if self.infos:
            self.table.selectRow(0)
        self.backup_now.setEnabled(self.root is not None and self.project_path is not None)
        self._selection()

    def _selection(self) -> None:
        chosen = self.selected() is not None
        self.look_button.setEnabled(chosen)
        self.restore_button.setEnabled(chosen)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.infos[rows[0].row()] if rows else None

    def take_now(self) -> None:
        """A backup now, on the window's backup worker (the dialog stays responsive)."""
        if self.root is None or self.project_path is None:
            return
        if self.runner is not None:
            if self.runner.start(self.project_path, self.root):
                self.backup_now.setEnabled(False)
                self.backup_now.setText(tr("正在备份…"))
            return
        from csr_desktop.core.backups.take import take_backup

        try:
            take_backup(self.project_path, self.root, workers=1)
        except CsrError as exc:
            dialogs.failure(self, tr("未能备份"), exc)
        self.refresh()

    def _taken(self, result: object) -> None:
        self.backup_now.setText(tr("立即备份(&B)"))
        if isinstance(result, CsrError):
            dialogs.failure(self, tr("未能备份"), result)
        self.refresh()

    def look(self) -> None:
        info = self.selected()
        if info is None:
            return
        view = BackupView(self, info)
        view.exec()

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        start = self.project_path.parent if self.project_path else Path.home()
        stem = self.project_path.stem if self.project_path else "恢复的项目"
        name = f"{stem}（{info.taken_at.strftime('%Y-%m-%d %H%M')} 的备份）.csrproj"
        dest = dialogs.new_project(self, tr("恢复为新项目"), str(start / name))
        if dest is None:
            return
        from csr_desktop.core.backups.restore import restore

        try:
            report = restore(info.path, dest)
        except CsrError as exc:
            dialogs.failure(self, tr("未能恢复"), exc)
            return
        self.restored = report.path
        dialogs.information(self, tr("已恢复"), report.line())
        self.accept()


class BackupView(QDialog):
    """One backup, read-only: the cover, the 承诺书 and each indicator as they were."""

    def __init__(self, parent: QWidget | None, info: BackupInfo) -> None:
        super().__init__(parent)
        self.setObjectName("backupView")
        self.setWindowTitle(tr("备份 {when}（只读）").format(when=info.when()))
        layout = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        layout.addWidget(buttons)
        self.resize(760, 560)
        self.text.setHtml(backup_html(info))


def backup_html(info: BackupInfo) -> str:
    import html
    import json

    from csr_desktop.core.backups.take import read_manifest
    from csr_desktop.core.indicators import IndicatorSet
    from csr_desktop.core.model.fields import FieldRef
    from csr_desktop.core.model.fields import describe as describe_key

    data = read_manifest(info.path)
    iset = IndicatorSet.from_json(data["meta"]["indicator_set"], str(info.path))
    fields = {k: json.loads(v) for k, v in data["fields"].items()}
    out = [
        f"<h3>{html.escape(tr('备份于 {when}，{who}').format(when=info.when(), who=info.taken_by))}</h3>",
        f"<p>{html.escape(info.source)}</p>",
    ]

    def section(key: str) -> str:
        try:
            return FieldRef.parse(key).section
        except ValueError:
            return ""

    for key in sorted(k for k in fields if section(k) in ("company", "commitment")):
        value = fields[key]
        out.append(
            f"<p><b>{html.escape(describe_key(iset, key))}</b>：{html.escape(str(value))}</p>"
        )
    for ind in iset.indicators:
        no = ind.no
        parts = []
        rating = fields.get(FieldRef.indicator(no, "rating").key)
        if rating:
            parts.append(f"{tr('自评')}：{html.escape(ind.scale.option_text(int(rating)))}")
        for field, word in (("remark", "备注"), ("narrative", "相关工作情况介绍")):
            text = str(fields.get(FieldRef.indicator(no, field).key) or "")
            if text:
                shown = text if len(text) <= 400 else text[:400] + "…"
                parts.append(f"{tr(word)}：{html.escape(shown)}")
        rows = fields.get(FieldRef.indicator(no, "evidence").key) or []
        if rows:
            names = "、".join(
                html.escape(str(r.get("name", ""))) for r in rows if isinstance(r, dict)
            )
            parts.append(f"{tr('佐证材料')}（{len(rows)}）：{names}")
        if parts:
            out.append(f"<h4>{html.escape(ind.label)}</h4><p>" + "<br>".join(parts) + "</p>")
    return "".join(out)

"""The main window: File/Edit/Go menus, the side list and the wizard on one open project."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QCloseEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QSizePolicy, QWidget

from csr_desktop import __version__
from csr_desktop.core import indicators
from csr_desktop.core.bounded_read import check_regular
from csr_desktop.core.errors import Cancelled, CsrError, ProjectLockedError, quoted
from csr_desktop.core.lock import break_lock
from csr_desktop.core.opening import open_project as open_where_it_lies
from csr_desktop.core.store import Project
from csr_desktop.core.validation import Severity, validate
from csr_desktop.formats.exporters import EXPORTERS
from csr_desktop.ui import dialogs
from csr_desktop.ui.first_paint import after_first_paint
from csr_desktop.ui.forms.ui_main_window import Ui_MainWindow
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.session import Session
from csr_desktop.ui.settings import AppSettings
from csr_desktop.ui.shortcuts import add_shortcut
from csr_desktop.ui.side_list import SideList
from csr_desktop.ui.wizard import COVER, Wizard

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from csr_desktop.ui.backups import AutoBackup
    from csr_desktop.ui.exports import Exports

APP_TITLE = "互联网平台企业社会责任自评"


def readable(iset: indicators.IndicatorSet, text: str) -> str:
    """`ui.labels.readable`, imported on first use: its regex is not needed before the first
    paint (nothing can be undone yet)."""
    from csr_desktop.ui.labels import readable as words  # ~1 ms: nothing to undo yet

    return words(iset, text)


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or AppSettings()
        self.form = Ui_MainWindow()
        self.form.setupUi(self)
        self.session: Session | None = None
        self.wizard: Wizard | None = None
        self.side: SideList | None = None
        self.exports: Exports | None = None
        f = self.form
        f.splitter.setStretchFactor(1, 1)
        f.splitter.setSizes([250, 950])
        f.sidePanel.setMinimumWidth(180)
        f.actionNew.triggered.connect(self.new_project)
        f.actionOpen.triggered.connect(self.choose_project)
        f.actionNewYear.triggered.connect(self.new_year)
        f.actionFindInReport.triggered.connect(self.find_in_report)
        f.actionSaveAs.triggered.connect(self.save_as)
        f.actionQuit.triggered.connect(self.close)
        f.actionUndo.triggered.connect(self.undo)
        f.actionRedo.triggered.connect(self.redo)
        # Windows' redo, besides the menu's Ctrl+Shift+Z
        add_shortcut(self, "Ctrl+Y", self.redo, tr("重做"))
        f.actionPreviousPage.triggered.connect(lambda: self.wizard and self.wizard.previous())
        f.actionNextPage.triggered.connect(lambda: self.wizard and self.wizard.following())
        f.actionReviewPage.triggered.connect(self.go_to_review)
        f.actionAbout.triggered.connect(self.show_about)
        f.actionShortcuts.triggered.connect(self.show_shortcuts)
        self.export_actions = self._add_export_actions()
        for action, method in (
            (f.actionImportXlsx, "import_xlsx"),
            (f.actionVerifyPackage, "verify_package"),
        ):
            action.triggered.connect(lambda _=False, m=method: self._file_action(m))
        f.menuRecent.aboutToShow.connect(self._fill_recent)
        self._add_backup_action()
        self._add_history_action()
        self.welcome: QWidget | None = None
        self.banner: QLabel | None = None  # why the open project is read-only
        self.notice_bar: QLabel | None = None  # where it lies, what opening found (once)
        self._readonly_asked = False  # the user chose read-only (the project was in use)
        self.recent_check: QObject | None = None  # start-up: reopening the last project
        self.setMinimumSize(640, 400)  # 1366×768 at 150 % leaves 911×512 logical pixels
        self._fitted = False
        geometry = self.settings.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._update_state()

    history_dialog: QWidget | None = None

    # ---- opening and closing ------------------------------------------------------------

    def open_project(self, path: Path, readonly: bool = False) -> bool:
        """Open `path` in place of the current project; on failure nothing changes."""
        path = Path(path)
        try:
            if path.exists():  # a FIFO would block the window for ever inside Project.open
                check_regular(path)
            opened = open_where_it_lies(path, readonly=readonly, waiting=self._waiting)
            project = opened.project
        except ProjectLockedError as exc:
            from csr_desktop.ui.messages import user_message  # its regexes: ~4 ms

            question = user_message(exc)[0] + "\n\n" + tr("是否以只读方式打开？")
            choice = dialogs.ask(
                self,
                tr("项目正在使用中"),
                question,
                (tr("取消"), tr("以只读方式打开"), tr("解除锁定…")),
            )
            if choice == 0:
                return False
            if choice == 2:
                return self._break_lock_and_open(path)
            self._readonly_asked = True
            try:
                return self.open_project(path, readonly=True)
            finally:
                self._readonly_asked = False
        except CsrError as exc:
            restored = self._offer_backup(path, exc)
            if restored is not None:
                return self.open_project(restored)
            dialogs.failure(self, tr("无法打开项目"), exc)
            return False
        upgraded = None if project.readonly else self._offer_upgrade(project)
        if upgraded is not None:
            project.close()
            return self.open_project(upgraded)
        if not self.close_project():
            project.close()
            return False
        self._install(project, opened.notices)
        return True

    def _waiting(self, message: str, done: int, total: int) -> bool:
        """Opening waits (OneDrive downloading the file): say so in the status bar."""
        percent = f" {done * 100 // total}%" if total else ""
        self.statusBar().showMessage(message + percent)
        QApplication.processEvents()
        return True

    def _install(self, project: Project, notices: tuple[str, ...] = ()) -> None:
        session = self.session = Session(project, self)
        wizard = self.wizard = Wizard(session, self.form.wizardHost)
        self.form.wizardLayout.addWidget(wizard)
        if project.readonly:
            self._show_readonly_banner(project)
        if notices:
            self._show_notices(notices)
        self.side = SideList(wizard, self.form.pageList, self.form.progressLabel)
        wizard.review_page().export.connect(self.export)
        wizard.review_page().action.connect(self._file_action)
        wizard.review_page().resolve.connect(
            lambda department: self._exports_for_project().resolve_conflicts(department)
        )
        wizard.finish_requested.connect(self.finish)
        session.changed.connect(self._saved)
        if not project.readonly:
            # attached after the first paint (ui.backups and its timers: ~5 ms), or by the
            # first edit, whichever comes first
            self._backup_pending = (project.path, project.project_id)
            after_first_paint(wizard, self.auto_backup)
            session.changed.connect(lambda _keys: self.auto_backup().edited())
        session.pending_changed.connect(self._update_state)
        wizard.currentIdChanged.connect(lambda _id: self._update_state())
        self.form.stack.setCurrentWidget(self.form.workspacePage)
        start = self.settings.last_page(project.path)
        wizard.setStartId(start if start in wizard.pageIds() else COVER)
        wizard.restart()
        self.settings.add_recent(project.path)
        self.settings.set_folder("projects", project.path)
        self._update_state()

    def close_project(self, quitting: bool = False) -> bool:
        """Save pending typing and close; False if the user chose to stay (save failed).
        The welcome page takes its place unless the window is closing anyway."""
        session = self.session
        if session is None:
            return True
        if not session.flush() and not dialogs.confirm(
            self,
            tr("未能保存"),
            tr("刚输入的{fields}未能保存到 {path}。仍要关闭吗？").format(
                fields="、".join(f"“{b.label}”" for b in session.unsaved()),
                path=quoted(session.project.path),
            ),
        ):
            return False
        if not self._settle_invalid(session):
            return False
        if self.wizard is not None:
            self.settings.set_last_page(session.project.path, self.wizard.currentId())
            self.wizard.hide()
            self.wizard.deleteLater()
        if self.side is not None:
            self.side.detach()
        for bar in (self.banner, self.notice_bar):
            if bar is not None:
                bar.hide()
                bar.deleteLater()
        self.banner = self.notice_bar = None
        session.close()
        self._backup_pending = None  # never attached: nothing was edited
        if self._auto_backup is not None and not session.project.readonly:
            self._auto_backup.closed()  # once more, now that the file is closed and compact
        self.session = self.wizard = self.side = self.exports = None
        if not quitting:
            self.show_welcome()
        self._update_state()
        return True

    def readonly_reason(self, project: Project) -> str:
        """Why nothing can be changed, in the user's words: the store's own reason if it gives
        one, else what the file system or the lock says."""
        reason = str(getattr(project, "readonly_reason", "") or "")
        if reason:
            return reason
        path = project.path
        if not os.access(path, os.W_OK):
            return tr("项目文件 {path} 不允许写入（文件为只读或没有写入权限）").format(
                path=quoted(path)
            )
        if not os.access(path.parent, os.W_OK):
            return tr("项目所在的文件夹 {folder} 不允许写入").format(folder=quoted(path.parent))
        if self._readonly_asked:
            return tr("该项目正在别处使用，已按您的选择以只读方式打开")
        return tr("项目以只读方式打开")

    def _show_readonly_banner(self, project: Project) -> None:
        banner = self.banner = QLabel(self.form.wizardHost)
        banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        banner.setObjectName("readonlyBanner")
        banner.setWordWrap(True)
        banner.setStyleSheet(
            "background: #fff4ce; color: #5c4400; border: 1px solid #e0b000; padding: 6px;"
        )
        reason = self.readonly_reason(project).rstrip("。")
        if "另存为" in reason:  # the store's reason already says what to do
            text = tr("只读：{reason}。").format(reason=reason)
        else:
            text = tr(
                "只读：{reason}。可以查看和导出，不能修改；要修改，请用“另存为”保存一份副本。"
            ).format(reason=reason)
        banner.setText(text)
        banner.setAccessibleName(banner.text())
        self.form.wizardLayout.insertWidget(0, banner)

    def _show_notices(self, notices: tuple[str, ...]) -> None:
        """Where the project lies and what opening found, said once above the pages."""
        bar = self.notice_bar = QLabel(self.form.wizardHost)
        bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        bar.setObjectName("openNotices")
        bar.setWordWrap(True)
        bar.setStyleSheet(
            "background: #e8f1fb; color: #153e66; border: 1px solid #8db4dc; padding: 6px;"
        )
        bar.setText("\n".join(notices))
        bar.setAccessibleName(bar.text())
        self.form.wizardLayout.insertWidget(1 if self.banner is not None else 0, bar)

    def _settle_invalid(self, session: Session) -> bool:
        """A field holding a value it cannot take: go back to it, or give that value up.
        False when the user goes back (the window stays open on that field)."""
        for binding in session.invalid():
            choice = dialogs.ask(
                self,
                tr("有内容格式不对"),
                binding.problem() + "\n\n" + tr("要返回修改，还是放弃这一项并关闭？"),
                (tr("返回修改"), tr("放弃这一项并关闭")),
            )
            if choice == 0:
                if self.wizard is not None:
                    self.wizard.go_to_key(binding.key)
                binding.widget.setFocus()
                return False
            binding.discard()
        return True

    def show_welcome(self) -> None:
        """新建 / 打开, while no project is open. Built on first need: a window started on a
        project never shows it, and its widgets would cost start-up time."""
        if self.welcome is None:
            from csr_desktop.ui.forms.ui_welcome_page import Ui_WelcomePage  # ~1 ms

            page = QWidget()
            self.welcome_form = Ui_WelcomePage()
            self.welcome_form.setupUi(page)
            self.welcome_form.newButton.clicked.connect(self.new_project)
            self.welcome_form.openButton.clicked.connect(self.choose_project)
            self.form.stack.addWidget(page)
            self.welcome = page
        self.form.stack.setCurrentWidget(self.welcome)

    def showEvent(self, event: QShowEvent) -> None:
        if self.session is None:
            self.show_welcome()
        if not self._fitted:
            self._fitted = True
            self.fit_into_screen()
        super().showEvent(event)

    def fit_into_screen(self) -> None:
        """Shrink and move the window into its screen's available area: the .ui's size or a
        size remembered from a bigger screen would put 下一步 and the status bar off-screen."""
        if self.isMaximized() or self.isFullScreen():
            return
        screen = self.screen()
        if screen is None:
            return
        room = screen.availableGeometry()
        frame, inner = self.frameGeometry(), self.geometry()
        # the window manager's frame, or room for a title bar while it is not known yet
        extra_w = frame.width() - inner.width() or 16
        extra_h = frame.height() - inner.height() or 40
        width = min(self.width(), room.width() - extra_w)
        height = min(self.height(), room.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), room.x()), room.x() + room.width() - width - extra_w)
        y = min(max(self.y(), room.y()), room.y() + room.height() - height - extra_h)
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

    def closeEvent(self, event: QCloseEvent) -> None:
        from csr_desktop.ui import worker  # ~2 ms (was 22 with its Qt namespace)

        if worker.running():  # a copy or an export: say so rather than ignore the user
            choice = dialogs.ask(
                self,
                tr("正在复制或导出"),
                tr("文件仍在复制（或导出）中。要取消并关闭窗口，还是等它完成？"),
                (tr("等待完成"), tr("取消复制并关闭")),
            )
            if choice == 1:
                worker.cancel_running()
                worker.when_done(self.close)
            event.ignore()
            return
        if not self.close_project(quitting=True):
            event.ignore()
            return
        self.settings.set_geometry(self.saveGeometry())
        self.settings.sync()
        if self._auto_backup is not None:
            self.hide()
            self._auto_backup.runner.wait(120)  # the closing backup (seconds: evidence is shared)
        event.accept()

    # ---- backups ---------------------------------------------------------------------------

    _auto_backup: AutoBackup | None = None
    _backup_pending: tuple[Path, str] | None = None  # the open project, not yet attached

    def auto_backup(self) -> AutoBackup:
        if self._auto_backup is None:
            from csr_desktop.ui.backups import AutoBackup  # ~5 ms, after the first paint

            self._auto_backup = AutoBackup(self.settings, self)
            self._auto_backup.done.connect(lambda line: self.statusBar().showMessage(line, 10_000))
        if self._backup_pending is not None:
            path, project_id = self._backup_pending
            self._backup_pending = None
            self._auto_backup.attach(path, project_id)
        return self._auto_backup

    def _add_backup_action(self) -> None:
        # QAction(self) then setText, as the forms do: QAction(text, parent) makes PySide6 try
        # the (QIcon, text) overload first and build QIcon's enums (7–14 ms before the first paint)
        action = self.action_backups = QAction(self)
        action.setText(tr("备份与恢复(&K)…"))
        action.setObjectName("actionBackups")
        action.triggered.connect(self.show_backups)
        first_export = next(iter(self.export_actions.values()))
        self.form.menuFile.insertAction(first_export, action)
        self.form.menuFile.insertSeparator(first_export)

    def _add_history_action(self) -> None:
        action = self.action_history = QAction(self)  # not (text, parent): see above
        action.setText(tr("历史版本(&H)…"))
        action.setObjectName("actionHistory")
        action.setProperty("shortcut", "Ctrl+Shift+H")
        action.triggered.connect(self.show_history)
        self.form.menuEdit.addSeparator()
        self.form.menuEdit.addAction(action)

    def focused_key(self) -> tuple[list[str], str]:
        """The current page's fields and the one in focus (the page's first if none is)."""
        from PySide6.QtWidgets import QRadioButton, QTableWidget  # ~0.5 ms

        from csr_desktop.ui.history import keys_of_page  # ~5 ms

        assert self.session is not None and self.wizard is not None
        page = self.wizard.currentPage()
        keys = keys_of_page(self.session, page)
        focus = QApplication.focusWidget()
        for binding in self.session.bindings():
            w = binding.widget
            if focus is not None and (w is focus or w.isAncestorOf(focus)):
                return keys, binding.key
        if isinstance(focus, QRadioButton):
            return keys, next((k for k in keys if k.endswith(".rating")), keys[0])
        if isinstance(focus, QTableWidget):
            return keys, next((k for k in keys if k.endswith(".evidence")), keys[0])
        return keys, keys[0]

    def show_history(self) -> None:
        """编辑 › 历史版本 for the field in focus."""
        session = self.session
        if session is None or self.wizard is None:
            return
        session.flush()
        from csr_desktop.ui.backups import backup_root  # ~5 ms
        from csr_desktop.ui.history import HistoryDialog  # ~5 ms

        keys, key = self.focused_key()
        dialog = HistoryDialog(self, session, keys, key, backup_root(self.settings))
        self.history_dialog = dialog
        dialog.exec()

    def show_backups(self) -> Path | None:
        """文件 › 备份与恢复; opens a project restored there. Returns its path."""
        from csr_desktop.ui.backups import BackupsDialog, backup_root  # ~5 ms

        session = self.session
        if session is not None:
            session.flush()
        path = session.project.path if session is not None else None
        dialog = BackupsDialog(self, path, backup_root(self.settings), self.auto_backup().runner)
        dialog.exec()
        if dialog.restored is not None:
            self.open_project(dialog.restored)
        return dialog.restored

    def _break_lock_and_open(self, path: Path) -> bool:
        """解除锁定: for a lock whose PC crashed or was switched off. Only the lock goes: every
        saved edit is in the project file itself (docs/storage-design.md)."""
        warning = tr(
            "只有在确认对方已经关闭这个项目，或那台电脑已关机、程序已崩溃时，才应解除锁定。"
            "已保存的内容不会丢失；但如果对方其实仍在编辑，两处的修改会互相覆盖。\n\n"
            "确定要解除锁定并以编辑方式打开吗？"
        )
        if not dialogs.confirm(self, tr("解除锁定"), warning):
            return False
        try:
            break_lock(path)
        except CsrError as exc:
            dialogs.failure(self, tr("无法解除锁定"), exc)
            return False
        return self.open_project(path)

    def _offer_backup(self, path: Path, exc: CsrError) -> Path | None:
        """A project that is missing or will not open: offer its newest backup, by its time."""
        from csr_desktop.core.backups.listing import latest_for_path  # ~14 ms
        from csr_desktop.ui.backups import backup_root  # ~5 ms

        root = backup_root(self.settings)
        if root is None:
            return None
        try:
            info = latest_for_path(path, root)
        except (CsrError, OSError):
            return None
        if info is None:
            return None
        from csr_desktop.ui.messages import user_message  # ~4 ms

        text = tr(
            "{why}\n\n找到这个项目 {when} 的备份（{changes}）。要把它恢复为一个新项目并打开吗？"
            "原来的文件不会被改动。"
        ).format(why=user_message(exc)[0], when=info.when(), changes=info.changed_words())
        choice = dialogs.ask(
            self,
            tr("无法打开项目"),
            text,
            (tr("不用了"), tr("从 {when} 的备份恢复…").format(when=info.when())),
        )
        if choice != 1:
            return None
        name = f"{path.stem}（{info.taken_at.strftime('%Y-%m-%d %H%M')} 的备份）.csrproj"
        dest = dialogs.new_project(self, tr("恢复为新项目"), str(path.with_name(name)))
        if dest is None:
            return None
        from csr_desktop.core.backups.restore import restore  # ~13 ms

        try:
            return restore(info.path, dest).path
        except CsrError as err:
            dialogs.failure(self, tr("未能恢复"), err)
            return None

    # ---- File menu ---------------------------------------------------------------------

    def choose_project(self) -> bool:
        path = dialogs.open_project(self, self.settings.folder("projects"))
        return path is not None and self.open_project(path)

    def new_project(self) -> bool:
        start = str(Path(self.settings.folder("projects")) / tr("社会责任自评.csrproj"))
        path = dialogs.new_project(self, tr("新建项目"), start)
        if path is None:
            return False
        if path.exists():
            dialogs.error(
                self,
                tr("无法新建项目"),
                tr("文件 {path} 已存在。请换一个文件名，或用“打开”打开它。").format(
                    path=quoted(path)
                ),
            )
            return False
        try:
            Project.create(path).close()
        except CsrError as exc:
            dialogs.failure(self, tr("无法新建项目"), exc)
            return False
        return self.open_project(path)

    def new_year(self) -> bool:
        """Next year's project from this year's: every answer and file, each 待复核."""
        from csr_desktop.ui import carry_over  # ~23 ms

        session = self.session
        if session is not None and not session.flush():
            return False
        current = session.project.path if session else None
        dest = carry_over.new_year(self, current, self.settings.folder("projects"))
        return dest is not None and self.open_project(dest)

    def find_in_report(self) -> bool:
        """Load the company's CSR report into the project; each indicator page then shows
        the passages found for it (参考素材)."""
        session = self.session
        if session is None or session.readonly or not session.flush():
            return False
        path = dialogs.open_file(
            self,
            tr("选择公司的社会责任报告或 ESG 报告"),
            self.settings.folder("evidence"),
            tr("社会责任报告 (*.docx *.pdf *.txt)"),
        )
        if path is None:
            return False
        from csr_desktop.formats.report import stored  # ~28 ms
        from csr_desktop.ui.report_panel import reading_runner  # ~33 ms

        try:
            ranked = stored.load_into(session.project, path, reading_runner(self, path.name))
        except Cancelled:
            return False
        except CsrError as exc:
            dialogs.failure(self, tr("无法读取社会责任报告"), exc)
            return False
        self.statusBar().showMessage(
            tr("已载入《{name}》，共 {n} 段；各指标页的“参考素材”列出与该项相关的段落").format(
                name=ranked.name, n=len(ranked.report.passages)
            ),
            10000,
        )
        return True

    def _offer_upgrade(self, project: Project) -> Path | None:
        """A project made with the previous version of the app's indicator set: the upgraded
        copy the user chose to make, or None to open the project as it is."""

        app_set = indicators.default_indicator_set()  # the module's: tests replace it
        if not indicators.offers_upgrade(project.indicator_set, app_set):
            return None
        from csr_desktop.ui import carry_over  # ~23 ms

        return carry_over.offer_upgrade(self, project.path, project.indicator_set, app_set)

    def save_as(self) -> bool:
        """Write a complete copy, then carry on working in the copy."""
        session = self.session
        if session is None or not session.flush():
            return False
        current = session.project.path
        proposed = str(current.with_name(current.stem + tr("_副本") + current.suffix))
        dest = dialogs.save_file(
            self, tr("另存为"), proposed, tr("自评项目 (*.csrproj)"), ".csrproj"
        )
        if dest is None or dest.resolve() == current.resolve():
            return False
        try:
            session.project.save_copy(dest)
        except CsrError as exc:
            dialogs.failure(self, tr("另存为失败"), exc)
            return False
        if not self.open_project(dest):
            self.open_project(current)
            return False
        return True

    def _fill_recent(self) -> None:
        menu = self.form.menuRecent
        menu.clear()
        recent = self.settings.recent_projects()
        for n, path in enumerate(recent, start=1):
            action = menu.addAction(f"&{n} {path.name}  ({path.parent})")
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        if not recent:
            menu.addAction(tr("（无）")).setEnabled(False)

    def _open_recent(self, path: Path) -> None:
        if not path.exists():
            dialogs.error(
                self, tr("无法打开项目"), tr("项目文件 {path} 已不存在。").format(path=quoted(path))
            )
            self.settings.remove_recent(path)
            return
        self.open_project(path)

    def _add_export_actions(self) -> dict[str, QAction]:
        """File › one item per entry of the exporter registry, in its order, before 导入 Excel."""
        actions = {}
        for exp in EXPORTERS:
            action = QAction(self)  # not (text, parent): see _add_backup_action
            action.setText(tr(exp.label))
            action.triggered.connect(lambda _=False, i=exp.id: self.export(i))
            self.form.menuFile.insertAction(self.form.actionImportXlsx, action)
            actions[exp.id] = action
        return actions

    def export(self, exporter_id: str) -> None:
        """An export of the registry on the open project (`ui/exports.py`, imported on first
        use: its format modules are slow to import)."""
        if self.session is not None:
            self._exports_for_project().run_export(exporter_id)

    def _file_action(self, method: str) -> None:
        """导入 Excel, 校验提交材料包, 分发: the code is imported on first use, not at start."""
        if self.session is None:
            if method == "verify_package":  # a package is checked without any project
                from csr_desktop.ui.exports import verify_package  # ~23 ms

                verify_package(self, self.settings)
            return
        getattr(self._exports_for_project(), method)()

    def _exports_for_project(self) -> Exports:
        assert self.session is not None
        if self.exports is None:
            from csr_desktop.ui.exports import Exports  # ~23 ms

            self.exports = Exports(self.session, self, self.settings)
        return self.exports

    # ---- Edit and Go menus ------------------------------------------------------------------

    def undo(self) -> None:
        self._undo_redo(redo=False)

    def redo(self) -> None:
        self._undo_redo(redo=True)

    def _undo_redo(self, redo: bool) -> None:
        session = self.session
        if session is None or session.readonly or not session.flush():
            return
        project = session.project
        label: str | None = None

        def run() -> None:
            nonlocal label
            label = project.redo() if redo else project.undo()

        if session.edit(run) and label:
            verb = tr("已重做：") if redo else tr("已撤销：")
            self.statusBar().showMessage(verb + readable(project.indicator_set, label), 8000)
        self._update_state()

    def finish(self) -> None:
        """完成: with gaps, say how many and which (返回检查 / 关闭); without, that everything is
        saved and what to export next (关闭 / 返回)."""

        session = self.session
        if session is None:
            return
        findings = validate(session.project.assessment(), session.blob_ok)
        gaps = [f.line() for f in findings if f.severity is Severity.GAP]
        if gaps:
            shown = "\n".join("· " + g.removeprefix(tr("缺项：")) for g in gaps[:5])
            more = tr("\n……另有 {n} 处").format(n=len(gaps) - 5) if len(gaps) > 5 else ""
            text = (
                tr("材料尚有 {n} 处缺项：").format(n=len(gaps))
                + "\n"
                + shown
                + more
                + "\n\n"
                + tr("已输入的内容都已保存。要返回检查，还是关闭窗口？")
            )
            choice = dialogs.ask(self, tr("材料尚未完成"), text, (tr("返回检查"), tr("关闭")))
            if choice == 0:
                self.go_to_review()
                return
        else:
            text = tr(
                "所有内容都已保存在 {path}。\n\n下一步：在“检查与导出”页导出诚信承诺书（PDF）打印、"
                "签字盖章并扫描附上，再导出提交材料包（zip）提交。"
            ).format(path=session.project.path)
            if dialogs.ask(self, tr("材料已完整"), text, (tr("关闭"), tr("返回"))) != 0:
                return
        self.close()

    def go_to_review(self) -> None:
        if self.wizard is not None:
            self.wizard.go_to(self.wizard.REVIEW)

    # ---- Help menu --------------------------------------------------------------------------

    def about_text(self) -> str:
        """Version, the indicator set in use and where the logs are: what support asks for."""
        from csr_desktop.crashlog import log_dir  # ~18 ms

        iset = (
            self.session.project.indicator_set
            if self.session
            else indicators.default_indicator_set()
        )
        return tr(
            "互联网平台企业履行社会责任自评材料填写工具\n"
            "版本 {version}\n"
            "指标体系：{title}（{set_id}，版本 {set_version}）\n"
            "本软件完全离线运行，不连接任何网络。\n"
            "日志文件夹：{logs}"
        ).format(
            version=__version__,
            title=iset.title,
            set_id=iset.id,
            set_version=iset.version,
            logs=log_dir(),
        )

    def show_shortcuts(self) -> QWidget:
        from csr_desktop.ui import shortcut_list  # ~1.5 ms

        return shortcut_list.show(self)

    def show_about(self) -> None:
        dialogs.information(self, tr("关于 csr-desktop"), self.about_text())

    # ---- title and action state --------------------------------------------------------

    def _saved(self, _keys: frozenset[str]) -> None:
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.statusBar().showMessage(tr("已保存 {time}").format(time=now))
        self._update_state()

    def _update_state(self) -> None:
        f = self.form
        session = self.session
        has = session is not None
        writable = has and not session.readonly  # type: ignore[union-attr]
        for action in (
            f.actionSaveAs,
            *self.export_actions.values(),  # an export needs a project, nothing more
            f.actionPreviousPage,
            f.actionNextPage,
            f.actionReviewPage,
        ):
            action.setEnabled(has)
        f.actionImportXlsx.setEnabled(writable)
        f.actionFindInReport.setEnabled(writable)
        self.action_history.setEnabled(has)
        if session is None:
            self.setWindowTitle(tr(APP_TITLE))
            f.actionUndo.setEnabled(False)
            f.actionRedo.setEnabled(False)
            return
        project = session.project
        f.actionUndo.setEnabled(writable and (project.can_undo or session.pending))
        f.actionRedo.setEnabled(writable and project.can_redo)
        f.actionUndo.setText(
            tr("撤销：{label}").format(label=readable(project.indicator_set, project.undo_label))
            if project.can_undo
            else tr("撤销(&U)")
        )
        f.actionRedo.setText(
            tr("重做：{label}").format(label=readable(project.indicator_set, project.redo_label))
            if project.can_redo
            else tr("重做(&R)")
        )
        invalid = len(session.invalid())
        if project.readonly:
            state = tr("只读")
        elif invalid:
            state = tr("有 {n} 处内容格式不对").format(n=invalid)
        elif session.pending:
            state = tr("正在保存…")
        else:
            state = tr("已保存")
        self.setWindowTitle(f"{project.path.stem} — {state} — {tr(APP_TITLE)}")
        self.setWindowFilePath(str(project.path))

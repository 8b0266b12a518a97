"""Start the desktop app: QApplication, translations, a CJK font, settings, the crash hook."""

from __future__ import annotations

import gc
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from csr_desktop.core.errors import CsrError
from csr_desktop.resources import resource_path
from csr_desktop.ui import dialogs
from csr_desktop.ui.first_paint import after_first_paint
from csr_desktop.ui.i18n import tr
from csr_desktop.ui.main_window import MainWindow
from csr_desktop.ui.pyside_fixes import keep_bools_alive
from csr_desktop.ui.settings import AppSettings

TERMINATE = "--terminate-after-init"
DEFAULT_LANGUAGE = "zh_CN"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
PRIMARY_FONT = "NotoSerifSC-Regular.ttf"
EXIT_OK, EXIT_ERROR = 0, 2


def language(settings: QSettings) -> str:
    """zh_CN unless the environment or the settings ask for another translation."""
    value = os.environ.get("CSR_DESKTOP_LANG") or settings.value("ui/language", DEFAULT_LANGUAGE)
    return str(value or DEFAULT_LANGUAGE)


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Qt's own strings (上一步/下一步/完成, file dialogs) from qtbase_<lang>.qm; the app's strings
    are written in Chinese, so only other languages need `resources/i18n/csr_desktop_<lang>.qm`."""
    QLocale.setDefault(QLocale(lang))
    loaded = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", qt_dir):
        app.installTranslator(qt)
        loaded.append(qt)
        # what Qt's catalogue lacks for this Qt version (the file dialog's "&Look in:" …)
        extra = QTranslator(app)
        if extra.load(f"qtbase_extra_{lang}", str(resource_path("i18n"))):
            app.installTranslator(extra)
            loaded.append(extra)
    own = QTranslator(app)
    if lang != DEFAULT_LANGUAGE and own.load(f"csr_desktop_{lang}", str(resource_path("i18n"))):
        app.installTranslator(own)
        loaded.append(own)
    return loaded


def ensure_cjk_font(app: QApplication) -> str | None:
    """Register the bundled font when the system has no Chinese font (boxes otherwise).
    Returns the family now used for Chinese, or None if there is none at all."""
    system = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if system:
        return system[0]
    folder = resource_path("fonts")
    families: list[str] = []
    if folder.is_dir():
        # the full Chinese face first: it becomes the UI font; the others only fill gaps
        for file in sorted(folder.iterdir(), key=lambda f: (f.name != PRIMARY_FONT, f.name)):
            if file.suffix.lower() in FONT_SUFFIXES:
                font_id = QFontDatabase.addApplicationFont(str(file))
                if font_id >= 0:
                    families += QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    from PySide6.QtGui import QFont  # its enums cost ~1.8 ms; most systems have a CJK font

    font = QFont(app.font())
    font.setFamilies([families[0], *font.families()])
    app.setFont(font)
    return families[0]


_in_hook = False


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Nothing unforeseen ends in a traceback on screen: log it, tell the user where."""
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt) or _in_hook:
        sys.__excepthook__(exc_type, exc, tb)
        return
    _in_hook = True
    try:
        from csr_desktop.crashlog import log_exception  # ~18 ms, only after a failure
        from csr_desktop.ui.messages import user_message  # its regexes: ~4 ms

        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        log = log_exception(exc)
        if isinstance(exc, CsrError):
            text = user_message(exc)[0]
        else:
            text = tr("发生了意外错误（{name}）。已保存的内容不受影响。").format(
                name=exc_type.__name__
            )
        text += "\n\n" + tr(
            "详细信息已记录在：\n{path}\n如问题反复出现，请将该文件发给技术支持。"
        ).format(path=log)
        dialogs.error(QApplication.activeWindow(), tr("意外错误"), text)
    finally:
        _in_hook = False


class _QuitOnFirstPaint(QObject):
    """--terminate-after-init: exit as soon as the first page has been painted. With
    CSR_DESKTOP_STARTUP_STAMP set, print the wall-clock time of that paint and the CPU time
    the process had used by then (bench/)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            if os.environ.get("CSR_DESKTOP_STARTUP_STAMP"):
                print(f"first-paint {time.time():.6f} {time.process_time():.6f}", flush=True)
            QTimer.singleShot(0, QCoreApplication.quit)
        return False


def _headless_dialogs() -> None:
    """In --terminate-after-init runs nobody can answer a box: errors go to stderr."""

    def report(_parent: object, _title: str, text: str, _details: str = "") -> None:
        print(f"csr-desktop: {text}", file=sys.stderr)

    dialogs.error = report  # type: ignore[assignment]
    dialogs.warning = report  # type: ignore[assignment]
    dialogs.information = lambda *_a: None
    dialogs.confirm = lambda *_a, **_k: True  # a locked project opens read-only
    dialogs.confirm_upgrade = lambda *_a: False  # an old project opens as it is


def _remove_stale_temp_dirs() -> None:
    """What exports, new-year and load killed in an earlier run left (core/inflight.py)."""
    from csr_desktop.core import inflight  # with atomic ~3 ms, 3 s after the start
    from csr_desktop.core.atomic import remove_stale_temp_dirs

    inflight.sweep()
    remove_stale_temp_dirs()


def _reopen_recent(window: MainWindow) -> None:
    from csr_desktop.ui.recent_check import reopen_recent  # ~1.9 ms, only without a project

    window.recent_check = reopen_recent(window)


# Qt's own command-line options (QApplication, QGuiApplication), taken out of our arguments
# as QApplication takes them out of app.arguments().
_QT_OPTIONS_WITH_VALUE = frozenset(
    [
        "platform",
        "platformpluginpath",
        "platformtheme",
        "plugin",
        "style",
        "stylesheet",
        "session",
        "qwindowgeometry",
        "geometry",
        "qwindowtitle",
        "title",
        "qwindowicon",
        "display",
    ]
)
_QT_FLAGS = frozenset(["reverse", "widgetcount", "nograb", "dograb", "sync"])


def app_arguments(argv: Sequence[str]) -> list[str]:
    """Our arguments from Python's `sys.argv` (on Windows from the wide command line), minus
    the options Qt handles."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.lstrip("-").split("=", 1)[0] if arg.startswith("-") else ""
        if name in _QT_OPTIONS_WITH_VALUE:
            skip = "=" not in arg
        elif name not in _QT_FLAGS:
            out.append(arg)
    return out


def run_app(argv: Sequence[str]) -> int:
    """`csr-desktop [--terminate-after-init] [PROJECT]`."""
    QCoreApplication.setOrganizationName("csr-desktop")
    QCoreApplication.setApplicationName("csr-desktop")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    args = app_arguments(argv)  # not app.arguments(): Qt's conversion loses characters
    terminate = TERMINATE in args
    args = [a for a in args if a != TERMINATE]
    unknown = [a for a in args if a.startswith("-")]
    if unknown or len(args) > 1:
        print(
            f"csr-desktop: 无法识别的参数：{' '.join(unknown or args[1:])}（用 --help 查看用法）",
            file=sys.stderr,
        )
        return EXIT_ERROR
    settings = QSettings()
    install_translators(app, language(settings))
    ensure_cjk_font(app)
    if terminate:
        _headless_dialogs()
    else:
        sys.excepthook = excepthook

    window = MainWindow(AppSettings(settings))
    target = Path(args[0]) if args else None
    opened = window.open_project(target) if target is not None else True
    if terminate and not opened:
        return EXIT_ERROR
    window.show()
    if not terminate:  # after the first paint: start-up time counts
        QTimer.singleShot(3000, _remove_stale_temp_dirs)
    shown = window.wizard if window.wizard is not None else window
    # before the first signal emitted from Python could matter, after the first paint
    after_first_paint(shown, keep_bools_alive)
    after_first_paint(shown, gc.enable)  # cli.main disabled it
    QTimer.singleShot(5000, gc.enable)  # and if no paint comes (a window started minimized)
    if target is None and not terminate:  # a share that does not answer must not hold the window
        after_first_paint(shown, lambda: _reopen_recent(window))
    if terminate:
        shown.installEventFilter(_QuitOnFirstPaint(app))
        QTimer.singleShot(10_000, app.quit)
    code = app.exec()
    if terminate:
        window.close()
    return code

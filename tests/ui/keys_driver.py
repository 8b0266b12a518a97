"""Real key events on a real X server (xcb), where QLineEdit's X11 key bindings and window
activation behave as users meet them (offscreen has neither).

`QT_QPA_PLATFORM=xcb xvfb-run python -m tests.ui.keys_driver PROJECT WORKDIR` prints JSON:
  "alt_n_after_dialog": the pages Alt+N reached before and after a file dialog opened with
      Alt+A (添加文件) and closed with Escape;
  "taken": each menu shortcut that a focused text field of the pages takes for itself;
  "review_from_line_edit": the page the 检查与导出 shortcut reaches from the 备注 field;
  "redo_still_possible_after_ctrl_y_during_a_job": Ctrl+Y pressed while a copy runs."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit

ALT = Qt.KeyboardModifier.AltModifier


def spin(app: QApplication, n: int = 15) -> None:
    for _ in range(n):  # a mnemonic clicks its button after a short animation
        app.processEvents()
        time.sleep(0.02)


def main(project: Path, work: Path) -> None:
    from csr_desktop.app import ensure_cjk_font, install_translators
    from csr_desktop.ui.main_window import MainWindow
    from csr_desktop.ui.settings import AppSettings

    app = QApplication([sys.argv[0]])
    install_translators(app, "zh_CN")
    ensure_cjk_font(app)
    window = MainWindow(AppSettings(QSettings(str(work / "s.ini"), QSettings.Format.IniFormat)))
    assert window.open_project(project)
    window.show()
    window.activateWindow()
    spin(app, 50)
    wizard = window.wizard
    assert wizard is not None
    wizard.go_to(3)
    spin(app)
    handle = window.windowHandle()
    out: dict[str, object] = {}

    def alt_n() -> int:
        QTest.keyClick(handle, Qt.Key.Key_N, ALT)
        spin(app)
        return wizard.currentId()

    reached = [alt_n()]

    def in_dialog() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(30, in_dialog)
            return
        spin(app, 5)
        QTest.keyRelease(box.windowHandle(), Qt.Key.Key_Alt, Qt.KeyboardModifier.NoModifier)
        QTest.keyClick(box.windowHandle(), Qt.Key.Key_Escape)

    QTimer.singleShot(30, in_dialog)
    QTest.keyPress(handle, Qt.Key.Key_Alt, ALT)
    QTest.keyClick(handle, Qt.Key.Key_A, ALT)  # 添加文件(&A)…, Alt still held
    spin(app, 60)
    reached += [alt_n(), alt_n()]
    out["alt_n_after_dialog"] = reached

    taken = []
    fields = [
        w
        for page_id in (0, 3, wizard.COMMITMENT)
        for kind in (QLineEdit, QPlainTextEdit)
        for w in wizard.go_to(page_id).findChildren(kind)
        if not w.isReadOnly()
    ]
    for widget in fields:
        for action in window.findChildren(type(window.form.actionQuit)):
            for seq in action.shortcuts():
                combo = seq[0]
                event = QKeyEvent(
                    QEvent.Type.ShortcutOverride, combo.key(), combo.keyboardModifiers()
                )
                event.ignore()
                QApplication.sendEvent(widget, event)
                if event.isAccepted():
                    name = action.text().replace("&", "")
                    where = widget.accessibleName() or widget.objectName()
                    taken.append(f"{where} {seq.toString()} {name}")
    out["taken"] = taken

    page = wizard.go_to(3)
    spin(app)
    remark = page.form.remarkEdit  # type: ignore[attr-defined]
    remark.setFocus()
    spin(app)
    seq = QKeySequence(window.form.actionReviewPage.shortcut())[0]
    QTest.keyClick(handle, seq.key(), seq.keyboardModifiers())
    spin(app)
    out["review_from_line_edit"] = [wizard.currentId(), wizard.REVIEW]

    from csr_desktop.ui.worker import run_with_progress

    project = window.session.project  # type: ignore[union-attr]
    project.set("indicator.1.remark", "可以重做的一步")
    window.undo()
    seen: list[bool] = []

    def press_redo() -> None:
        QTest.keyClick(handle, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
        spin(app, 5)
        seen.append(project.can_redo)

    def job(progress: object) -> None:
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            progress(1, 100)  # type: ignore[operator]
            time.sleep(0.01)

    QTimer.singleShot(200, press_redo)
    run_with_progress(window, "复制", "正在复制…", job)
    out["redo_still_possible_after_ctrl_y_during_a_job"] = seen
    print(json.dumps(out, ensure_ascii=False))
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

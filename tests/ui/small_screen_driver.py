"""Open the window on the X server's screen the way a user does (a window size remembered from
a bigger screen, or none) and print where it landed, as JSON.

`QT_SCALE_FACTOR=1.25 xvfb-run -s "-screen 0 1366x768x24" python -m tests.ui.small_screen_driver
PROJECT WORKDIR fresh|remembered [SHOT.png]`: prints {"available": [x, y, w, h], "frame": […], "next": […],
"status": […]} in logical pixels, each widget's rectangle in global coordinates."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, QRect, QSettings
from PySide6.QtWidgets import QApplication, QWidget, QWizard


def global_rect(widget: QWidget) -> list[int]:
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return [top_left.x(), top_left.y(), widget.width(), widget.height()]


def main(project: Path, work: Path, remembered: bool, shot: Path | None) -> None:
    from csr_desktop.app import ensure_cjk_font, install_translators
    from csr_desktop.ui.main_window import MainWindow
    from csr_desktop.ui.settings import AppSettings

    app = QApplication([sys.argv[0]])
    install_translators(app, "zh_CN")
    ensure_cjk_font(app)
    settings = AppSettings(QSettings(str(work / "s.ini"), QSettings.Format.IniFormat))
    if remembered:  # a session on a big screen left its geometry behind
        big = MainWindow(settings)
        big.setGeometry(QRect(40, 40, 1800, 1020))
        settings.set_geometry(QByteArray(big.saveGeometry()))
        big.deleteLater()
    window = MainWindow(settings)
    assert window.open_project(project)
    window.show()
    assert window.wizard is not None
    window.wizard.go_to(3)
    for _ in range(20):
        app.processEvents()
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    out = {
        "available": [screen.x(), screen.y(), screen.width(), screen.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "next": global_rect(window.wizard.button(QWizard.WizardButton.NextButton)),
        "status": global_rect(window.statusBar()),
    }
    print(json.dumps(out))
    if shot is not None:
        window.screen().grabWindow(0).save(str(shot))
    window.close()


if __name__ == "__main__":
    shot = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "remembered", shot)

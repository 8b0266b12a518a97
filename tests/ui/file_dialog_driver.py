"""The app's own file dialog (dialogs.open_files, as 添加文件 opens it) on a real X server with
the app's translators: prints the texts of its labels and the type column, as JSON.

`QT_QPA_PLATFORM=xcb xvfb-run python -m tests.ui.file_dialog_driver FOLDER [SHOT.png]`"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QTreeView


def main(folder: Path, shot: Path | None) -> None:
    from csr_desktop.app import ensure_cjk_font, install_translators
    from csr_desktop.ui import dialogs

    app = QApplication([sys.argv[0]])
    install_translators(app, "zh_CN")
    ensure_cjk_font(app)
    out: dict[str, list[str]] = {}

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QFileDialog):
            QTimer.singleShot(30, look)
            return
        for _ in range(30):
            app.processEvents()
            time.sleep(0.02)
        out["labels"] = [w.text() for w in box.findChildren(QLabel) if w.isVisible()]
        tree = next(v for v in box.findChildren(QTreeView) if v.isVisible())
        model = tree.model()
        out["types"] = [
            str(model.index(r, 2, tree.rootIndex()).data())
            for r in range(model.rowCount(tree.rootIndex()))
        ]
        if shot is not None:
            box.grab().save(str(shot))
        box.reject()

    QTimer.singleShot(30, look)
    dialogs.open_files(None, "选择佐证材料文件", str(folder))
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)

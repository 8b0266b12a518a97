"""Screenshots of issue 27's window fixes, for looking at:

    QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" \\
        python scripts/screenshots_window.py [--out docs/screenshots]

export-confirm.png (an export with gaps asks 仍要导出 / 返回), import-diff.png (a return's
conflict between two long narratives that begin alike: the words that differ marked),
tracking-conflict.png (待核对冲突 in the tracking table, a link) and tracking-conflict-open.png
(what it opens), shortcuts.png (帮助 › 键盘快捷键). The small-screen shot
(small-screen-1366x768-125.png) comes from `tests/ui/small_screen_driver.py`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

OPENING = (
    "星澜严格按照国家有关规定开展未成年人保护工作，建立了由分管副总裁牵头、合规部统筹、"
    "各业务线落实的工作机制，报告期内完成了全部产品的未成年人模式改造。"
) * 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = ap.parse_args()
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    from csr_desktop.app import ensure_cjk_font, install_translators
    from csr_desktop.core.operations import departments
    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange
    from csr_desktop.formats.xlsx import departments as xlsx_departments
    from csr_desktop.sample import build_interchange
    from tests.formats import colleague as C

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    install_translators(app, "zh_CN")
    ensure_cjk_font(app)
    from csr_desktop.ui import dialogs
    from csr_desktop.ui.import_preview import ImportPreview
    from csr_desktop.ui.main_window import MainWindow
    from csr_desktop.ui.settings import AppSettings

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def settle(n: int = 10) -> None:
        for _ in range(n):
            app.processEvents()

    def grab_next_dialog(name: str, button: str) -> None:
        """Screenshot the next modal dialog, then press `button` in it."""
        from PySide6.QtWidgets import QAbstractButton

        def poll() -> None:
            box = QApplication.activeModalWidget()
            if box is None:
                QTimer.singleShot(30, poll)
                return
            settle()
            box.grab().save(str(out / name))
            written.append(out / name)
            for b in box.findChildren(QAbstractButton):
                if button in b.text():
                    b.click()
                    return
            if isinstance(box, QDialog):
                box.reject()

        QTimer.singleShot(0, poll)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "星澜自评.csrproj"
        interchange.load(build_interchange(folder / "in", evidence_per_indicator=2), path)
        with Project.open(path) as p:
            p.set("company.contact", "")  # a gap: exports are drafts
            p.set("indicator.20.narrative", OPENING + "结尾：持续改进。")
            departments.assign(p, "法务部", [20, 21])
            [sent] = xlsx_departments.distribute(p, folder)
            p.set(
                "indicator.20.narrative",
                OPENING + "办公室补充：寒暑假期间开展线下宣讲。结尾：持续改进。",
            )
        back = C.returned(
            sent,
            folder / "回收" / sent.name,
            C.narrative(20, OPENING + "法务部补充：志愿服务队进校园12场。结尾：持续改进。"),
            C.remark(21, "法务部：已完成适老化改造"),
        )
        settings = AppSettings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(1280, 720)
        if not window.open_project(path):
            raise SystemExit("could not open the sample project")
        window.show()
        settle()

        # 1: the export confirmation
        grab_next_dialog("export-confirm.png", "返回")
        window.export("document")

        # 2: the import preview of a conflict between two long narratives
        real_preview = dialogs.import_preview

        def preview_shot(name: str) -> Any:
            def show(parent: Any, title: str, text: str, changes: Any, conflicts: Any) -> Any:
                dialog = ImportPreview(parent, title, text, changes, conflicts)
                dialog.resize(1100, 640)
                dialog.show()
                settle(20)
                dialog.grab().save(str(out / name))
                written.append(out / name)
                keep = dialog.taken()
                dialog.close()
                return keep

            return show

        dialogs.import_preview = preview_shot("import-diff.png")
        dialogs.open_file = lambda *_a: back
        dialogs.information = lambda *_a: None
        window._file_action("import_xlsx")

        # 7: the tracking table's 待核对冲突, and what it opens
        page = window.wizard.go_to(window.wizard.REVIEW)
        page.refresh(None)
        settle()
        page.form.departmentsBox.grab().save(str(out / "tracking-conflict.png"))
        written.append(out / "tracking-conflict.png")
        dialogs.import_preview = preview_shot("tracking-conflict-open.png")
        page._tracking_clicked(0, 5)
        dialogs.import_preview = real_preview

        # 帮助 › 键盘快捷键
        shortcuts = window.show_shortcuts()
        shortcuts.resize(640, 900)
        settle(20)
        shortcuts.grab().save(str(out / "shortcuts.png"))
        written.append(out / "shortcuts.png")
        shortcuts.close()
        window.close()
    for shot in written:
        print(shot)


if __name__ == "__main__":
    main()

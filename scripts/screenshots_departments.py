"""Screenshots of the departments workflow, for the README and for looking at.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots_departments.py [--out docs/screenshots]

On the sample company: 法务部 answers 13–15 and 人力资源部 16–17; 分发 writes their workbooks;
法务部's copy comes back while the office edited two of its fields meanwhile (one the same
way, one differently). Writes import-conflict.png (the preview, a conflict decided per row)
and tracking.png (the review page's table after the return), plus review-departments.png
(the whole window on the review page).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = ap.parse_args()
    from openpyxl import load_workbook
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from csr_desktop.app import ensure_cjk_font, install_translators
    from csr_desktop.core.operations import departments
    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange
    from csr_desktop.formats.xlsx import departments as xlsx_departments
    from csr_desktop.formats.xlsx.export import options_text
    from csr_desktop.formats.xlsx.importer import plan_import
    from csr_desktop.sample import build_interchange

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    install_translators(app, "zh_CN")
    ensure_cjk_font(app)
    from csr_desktop.ui import dialogs
    from csr_desktop.ui.exports import change_line, whole_text
    from csr_desktop.ui.import_preview import TAKE, ConflictLine, ImportPreview
    from csr_desktop.ui.main_window import MainWindow
    from csr_desktop.ui.settings import AppSettings

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "星澜自评.csrproj"
        interchange.load(build_interchange(folder / "in", evidence_per_indicator=2), path)
        with Project.open(path) as p:
            departments.assign(p, "法务部", [13, 14, 15])
            departments.assign(p, "人力资源部", [16, 17])
            departments.assign(p, "内容安全部", [7, 8, 9])
            sent = xlsx_departments.distribute(p, folder)
            p.set("indicator.13.remark", "办公室：已报董事会审议")
            p.set("indicator.15.remark", "已更新反腐败制度")
            iset = p.indicator_set
        legal = next(f for f in sent if "法务部" in f.name)
        wb = load_workbook(legal)
        ws = wb["自评表"]
        for row in range(1, ws.max_row + 1):
            no = ws.cell(row, 1).value
            if no == 13:
                ws.cell(row, 7).value = "法务部：制度已修订，待发布"
            if no == 14:
                ws.cell(row, 6).value = options_text(iset.indicator(14), 2)
                ws.cell(row, 7).value = "新增合规审查流程"
            if no == 15:
                ws.cell(row, 7).value = "已更新反腐败制度"
        back = folder / "回收" / legal.name
        back.parent.mkdir()
        wb.save(back)

        settings = AppSettings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(1280, 720)
        if not window.open_project(path):
            raise SystemExit("could not open the sample project")
        window.show()
        project = window.session.project
        plan = plan_import(project, back)
        text = (
            f"从“{back.name}”导入以下 {len(plan.changes)} 处修改？导入后可用“撤销”一步还原。\n"
            "三方合并：只取同事改动过的内容，项目在导出后的修改保留。\n"
            f"有 {len(plan.conflicts)} 处冲突：请逐条选择采用哪一边（默认保留项目中的内容）。"
        )
        shown = [
            ConflictLine(
                c.key,
                c.where,
                c.field,
                whole_text(project.get(c.key), c.project_text),
                whole_text(c.value, c.workbook_text),
            )
            for c in plan.conflicts
        ]
        lines = [change_line(plan, c) for c in plan.changes]
        dialog = ImportPreview(window, "导入 Excel", text, lines, shown)
        dialog.show()
        for _ in range(5):
            app.processEvents()
        dialog.grab().save(str(args.out / "import-conflict.png"))
        dialog.choices[0].setCurrentIndex(TAKE)
        taken = dialog.taken()
        dialog.close()

        dialogs.import_preview = lambda *_a: taken  # the user's choice above
        dialogs.open_file = lambda *_a: back
        dialogs.information = lambda *_a: None
        window._file_action("import_xlsx")
        page = window.wizard.go_to(window.wizard.REVIEW)
        page.refresh(None)
        for _ in range(5):
            app.processEvents()
        page.form.departmentsBox.grab().save(str(args.out / "tracking.png"))
        window.grab().save(str(args.out / "review-departments.png"))
        window.close()
    for name in ("import-conflict.png", "tracking.png", "review-departments.png"):
        print(args.out / name)


if __name__ == "__main__":
    main()

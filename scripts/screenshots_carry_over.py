"""Screenshots of next year's project: an indicator page marked 待复核 and the report of an
upgrade onto the test-only next indicator set (tests/data/indicators-next.json).

    xvfb-run -a python scripts/screenshots_carry_over.py [--out docs/screenshots]

Writes indicator-review-pending.png (the window at 1280×720, on indicator 7, which the next
set splits in two) and upgrade-report.png (the report dialog as the window shows it)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NEXT = REPO / "tests" / "data" / "indicators-next.json"
INDICATOR_SHOWN = 7


def capture(out: Path) -> list[Path]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from csr_desktop.app import ensure_cjk_font, install_translators
    from csr_desktop.core.carry_over import carry_over, read_indicator_set
    from csr_desktop.formats import interchange
    from csr_desktop.sample import build_interchange

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    install_translators(app, "zh_CN")
    ensure_cjk_font(app)
    from csr_desktop.ui import dialogs
    from csr_desktop.ui.main_window import MainWindow
    from csr_desktop.ui.settings import AppSettings

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old = folder / "星澜自评2024.csrproj"
        interchange.load(build_interchange(folder / "in", evidence_per_indicator=3), old)
        new = folder / "星澜自评2025.csrproj"
        report = carry_over(old, new, read_indicator_set(NEXT))
        settings = AppSettings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(1280, 720)
        if not window.open_project(new):
            raise SystemExit("could not open the carried-over project")
        window.show()
        assert window.wizard is not None
        window.wizard.go_to(INDICATOR_SHOWN)
        if window.side is not None:
            window.form.pageList.scrollToItem(window.form.pageList.item(INDICATOR_SHOWN))
        for _ in range(5):
            app.processEvents()
        path = out / "indicator-review-pending.png"
        window.grab().save(str(path))
        written.append(path)
        dialog = dialogs.report_dialog(window, "指标体系升级报告", report.lines())
        dialog.show()
        for _ in range(5):
            app.processEvents()
        path = out / "upgrade-report.png"
        dialog.grab().save(str(path))
        written.append(path)
        dialog.close()
        window.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    for path in capture(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

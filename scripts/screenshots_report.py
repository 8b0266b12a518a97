"""Screenshots of the 参考素材 panel (issue 29) on a real X server, for looking at.

    python scripts/screenshots_report.py [--out docs/screenshots] [--scales 1 1.5]

Loads the fictional company's report (tests/data/reports/other-report.txt, as a PDF) into the
sample project and shows indicator 20 (未成年人保护) scrolled to its panel; writes
report-panel-<pct>.png. Re-runs itself under xvfb-run without a DISPLAY, one process a scale."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
INDICATOR = 20


def capture(out: Path, scale: float) -> Path:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QScrollArea

    from csr_desktop.app import ensure_cjk_font, install_translators

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    install_translators(app, "zh_CN")
    ensure_cjk_font(app)
    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange
    from csr_desktop.formats.report import stored
    from csr_desktop.sample import build_interchange
    from csr_desktop.ui.main_window import MainWindow
    from csr_desktop.ui.settings import AppSettings
    from tests.formats.report_forms import make_pdf

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "星澜自评.csrproj"
        interchange.load(build_interchange(folder / "in", evidence_per_indicator=1), path)
        pdf = make_pdf(
            REPO / "tests/data/reports/other-report.txt", folder / "2025 ESG 报告.pdf", "ESG 报告"
        )
        with Project.open(path) as project:
            stored.load_into(project, pdf)
        settings = AppSettings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(1280, 800)
        if not window.open_project(path):
            raise SystemExit("could not open the sample project")
        window.show()
        wizard = window.wizard
        assert wizard is not None
        page = wizard.go_to(INDICATOR)
        for _ in range(5):
            app.processEvents()
        panel = page.report_panel  # type: ignore[attr-defined]
        area = panel.parent()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parent()
        if area is not None:
            area.verticalScrollBar().setValue(panel.y() - 40)
        for _ in range(5):
            app.processEvents()
        shot = out / f"report-panel-{round(scale * 100)}.png"
        if not window.grab().save(str(shot)):
            raise SystemExit(f"could not write {shot}")
        window.close()
    return shot


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 1.5])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.child:
        print(capture(args.out, float(os.environ.get("QT_SCALE_FACTOR", "1"))))
        return 0
    for scale in args.scales:
        env = dict(os.environ, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=str(scale))
        env.pop("QT_SCREEN_SCALE_FACTORS", None)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--out", str(args.out)]
        if not env.get("DISPLAY"):
            xvfb = shutil.which("xvfb-run")
            if xvfb is None:
                raise SystemExit("no DISPLAY and no xvfb-run: apt-get install xvfb xauth")
            cmd = [xvfb, "-a", "-s", "-screen 0 2700x1600x24", *cmd]
        done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise SystemExit(f"screenshot at {scale}x failed:\n{done.stderr[-3000:]}")
        print(done.stdout.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main())

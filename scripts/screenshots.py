"""Screenshots of the wizard on a real X server (xcb), for the README and for looking at.

    python scripts/screenshots.py [--out docs/screenshots] [--scales 1 1.5 2]

Each scale runs in its own process (QT_SCALE_FACTOR must be set before Qt starts) on the xcb
platform; without a DISPLAY the script re-runs itself under `xvfb-run`. It writes
cover-<pct>.png, indicator-<pct>.png and review-<pct>.png: the window at 1280×720 logical
pixels, on a filled example project with a few answers removed so the review page has
findings to show."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHOTS = ("cover", "indicator", "review")
INDICATOR_SHOWN = 3


def _project(folder: Path) -> Path:
    """The sample company, minus a rating, a narrative and a cover field."""
    from csr_desktop.core.store import Project
    from csr_desktop.formats import interchange
    from csr_desktop.sample import build_interchange

    path = folder / "星澜自评.csrproj"
    interchange.load(build_interchange(folder / "in", evidence_per_indicator=3), path)
    with Project.open(path) as project:
        project.set("company.contact", "")
        project.set_rating(12, None)
        project.set("indicator.19.narrative", "")
    return path


def capture(out: Path, scale: float) -> list[Path]:
    """In this process (QT_SCALE_FACTOR already set): open the app and save the shots."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from csr_desktop.app import ensure_cjk_font, install_translators

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    install_translators(app, "zh_CN")
    ensure_cjk_font(app)
    from csr_desktop.ui.main_window import MainWindow
    from csr_desktop.ui.settings import AppSettings

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = AppSettings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
        window = MainWindow(settings)
        window.resize(1280, 720)
        if not window.open_project(_project(folder)):
            raise SystemExit("could not open the sample project")
        window.show()
        window.resize(1280, 720)  # the same picture on any screen (show() fits it into this one)
        wizard = window.wizard
        assert wizard is not None
        pct = round(scale * 100)
        for name in SHOTS:
            page_id = {"cover": 0, "indicator": INDICATOR_SHOWN, "review": wizard.REVIEW}[name]
            page = wizard.go_to(page_id)
            if name == "indicator":
                page.form.evidenceTable.selectRow(1)  # type: ignore[attr-defined]
            for _ in range(5):  # let layouts settle and paint
                app.processEvents()
            path = out / f"{name}-{pct}.png"
            if not window.grab().save(str(path)):
                raise SystemExit(f"could not write {path}")
            written.append(path)
        window.close()
    return written


def _child(out: Path, scale: float) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=str(scale))
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--out", str(out)]
    if not env.get("DISPLAY"):
        xvfb = shutil.which("xvfb-run")
        if xvfb is None:
            raise SystemExit("no DISPLAY and no xvfb-run: apt-get install xvfb xauth")
        cmd = [xvfb, "-a", "-s", "-screen 0 2700x1600x24", *cmd]
    return subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=180)


def make_screenshots(out: Path, scales: list[float]) -> list[Path]:
    """One child process per scale; returns every PNG written."""
    written = []
    for scale in scales:
        done = _child(out, scale)
        if done.returncode != 0:
            raise SystemExit(f"screenshots at {scale}x failed:\n{done.stderr}")
        written += [out / f"{n}-{round(scale * 100)}.png" for n in SHOTS]
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--scales", type=float, nargs="+", default=[1.0, 1.5, 2.0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.child:
        capture(args.out, float(os.environ.get("QT_SCALE_FACTOR", "1")))
        return 0
    for path in make_screenshots(args.out, args.scales):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start-up, translations, fonts, the crash hook, accessibility and the compiled forms."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
    QWizard,
)

from csr_desktop import app as app_module
from csr_desktop import crashlog
from csr_desktop.ui import build_forms
from csr_desktop.ui.pages.base import FitScrollArea

REPO = Path(__file__).resolve().parents[2]


def run_app(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XDG_CONFIG_HOME=str(home), HOME=str(home), PYTHONIOENCODING="utf-8")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run(
        [sys.executable, "-m", "csr_desktop", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        timeout=60,
    )


def test_terminate_after_init_opens_the_project_and_exits(
    sample_project: Path, tmp_path: Path
) -> None:
    done = run_app("--terminate-after-init", sample_project, home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not Path(f"{sample_project.parent}/.~lock.{sample_project.name}#").exists()
    bad = tmp_path / "不是项目.csrproj"
    bad.write_text("你好", encoding="utf-8")
    failed = run_app("--terminate-after-init", bad, home=tmp_path)
    assert failed.returncode == 2
    assert str(bad) in failed.stderr and "Traceback" not in failed.stderr


def test_wizard_buttons_are_chinese_with_the_qt_translation(
    make_window: Any, empty_project: Path
) -> None:
    app = QCoreApplication.instance()
    translators = app_module.install_translators(app, "zh_CN")
    try:
        window = make_window(empty_project)
        assert "下一步" in window.wizard.button(QWizard.WizardButton.NextButton).text()
        assert "完成" in window.wizard.button(QWizard.WizardButton.FinishButton).text()
    finally:
        for t in translators:
            app.removeTranslator(t)
        QLocaleReset()


def QLocaleReset() -> None:
    from PySide6.QtCore import QLocale

    QLocale.setDefault(QLocale.system())


def test_bundled_font_is_registered_when_the_system_has_no_chinese_font(qapp, monkeypatch) -> None:
    app = qapp
    before = app.font()
    monkeypatch.setattr(QFontDatabase, "families", lambda *_a: [])
    try:
        family = app_module.ensure_cjk_font(app)
        assert family == "Noto Serif SC"  # the full Chinese face, not the rare-character subset
        assert app.font().families()[0] == family
    finally:
        app.setFont(before)


def test_unexpected_errors_are_logged_and_shown_in_chinese(
    fake_dialogs, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(crashlog, "log_dir", lambda: tmp_path)
    crashlog.logger().handlers.clear()  # re-created in tmp_path
    try:
        raise KeyError("意外")
    except KeyError as exc:
        app_module.excepthook(type(exc), exc, exc.__traceback__)
    [text] = fake_dialogs.texts("error")
    log = tmp_path / "csr-desktop.log"
    assert str(log) in text and "KeyError" in text
    assert "Traceback" in log.read_text(encoding="utf-8")
    crashlog.logger().handlers.clear()


def controls(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QPlainTextEdit, QAbstractItemView)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds)]


def test_every_control_has_an_accessible_name(make_window: Any, sample_project: Path) -> None:
    window = make_window(sample_project)
    for page_id in window.wizard.page_ids():
        window.wizard.go_to(page_id)
    unnamed = [
        f"{type(w).__name__} {w.objectName()}"
        for w in controls(window)
        if w.isVisibleTo(window)
        and not w.accessibleName()
        and not (isinstance(w, QAbstractButton) and w.text())
        and w.objectName() != "qt_scrollarea_viewport"
    ]
    assert unnamed == []


def test_an_indicator_page_is_reachable_by_tab_and_fits_1280x720(
    qtbot: Any, make_window: Any, sample_project: Path
) -> None:
    window = make_window(sample_project)
    page = window.wizard.go_to(10)
    page.rating_button(1).setFocus()
    seen = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    f = page.form
    for widget in (f.remarkEdit, f.narrativeEdit, f.evidenceTable, f.addButton):
        assert widget in seen
    scroll = page.findChild(FitScrollArea)
    # no scrolling needed at 1280×720 (once the first layout pass has settled)
    qtbot.waitUntil(lambda: not scroll.verticalScrollBar().isVisible(), timeout=1000)
    bottom = f.addButton.mapTo(page, f.addButton.rect().bottomLeft()).y()
    assert 0 < bottom <= page.height()


@pytest.mark.parametrize("ui", build_forms.ui_files(), ids=lambda p: p.name)
def test_compiled_forms_match_the_designer_files(ui: Path) -> None:
    target = build_forms.target_for(ui)
    assert target.read_text(encoding="utf-8") == build_forms.compile_ui(ui), (
        "run: python -m csr_desktop.ui.build_forms"
    )


def _setup_form(code: str, ui: Path) -> Any:
    """Run a compiled form's setupUi on a fresh top-level widget of the form's class."""
    import re

    from PySide6 import QtWidgets

    namespace: dict[str, Any] = {}
    exec(compile(code, str(ui), "exec"), namespace)  # our own compiled form
    form_class = next(v for k, v in namespace.items() if k.startswith("Ui_"))
    top = re.search(r'<widget class="(\w+)"', ui.read_text(encoding="utf-8"))
    assert top is not None
    host = getattr(QtWidgets, top[1])()
    form = form_class()
    form.setupUi(host)
    form._host = host  # keep it alive
    return form


@pytest.mark.parametrize("ui", build_forms.ui_files(), ids=lambda p: p.name)
def test_enum_properties_set_by_name_equal_what_uic_writes(qapp: QApplication, ui: Path) -> None:
    """The build step writes setProperty("alignment", "AlignCenter") and the like instead of
    uic's enum setters (start-up time): every such property ends up with uic's value."""
    import re

    ours = build_forms.compile_ui(ui)
    uic = build_forms.compile_ui(ui, by_name=False)
    by_name = re.findall(r'self\.(\w+)\.setProperty\("(\w+)", ', ours)
    assert "Qt." not in ours
    if "Qt." in uic:
        assert by_name, "uic's enum setters were not rewritten"
    ours_form, uic_form = _setup_form(ours, ui), _setup_form(uic, ui)
    for name, prop in by_name:
        ours_value = getattr(getattr(ours_form, name), prop)()
        uic_value = getattr(getattr(uic_form, name), prop)()
        assert ours_value == uic_value, f"{ui.name}: {name}.{prop}"
        assert getattr(ours_form, name).dynamicPropertyNames() == []  # no misspelt property


def colour_class(image: Any, x: int, y: int) -> str:
    """What a person would call the pixel: clear, white, green, orange or grey."""
    c = image.pixelColor(x, y)
    r, g, b, a = c.red(), c.green(), c.blue(), c.alpha()
    if a < 60:
        return "clear"
    if min(r, g, b) > 200:
        return "white"
    if g > r + 40 and g > b + 40:
        return "green"
    if r > 180 and 90 < g < 190 and b < 90:
        return "orange"
    if max(r, g, b) - min(r, g, b) < 30:
        return "grey"
    return "other"


# (x, y) -> colour, sampled away from anti-aliased edges; the marks are 64×64, circle 6..58
EXPECTED_MARKS = {
    "done": {(3, 3): "clear", (14, 32): "green", (32, 52): "green", (37, 33): "white"},
    "incomplete": {(3, 3): "clear", (18, 32): "orange", (46, 32): "clear", (58, 32): "orange"},
    "empty": {(3, 3): "clear", (6, 32): "grey", (32, 32): "clear", (58, 32): "grey"},
}


def opaque_box(image: Any) -> tuple[int, int, int, int]:
    xs, ys = [], []
    for y in range(image.height()):
        for x in range(image.width()):
            if image.pixelColor(x, y).alpha() > 128:
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def test_status_marks_show_their_shape_and_colour(qapp: QApplication) -> None:
    """Checks the drawing (colours of a few regions, the mark's extent), not exact pixels:
    anti-aliasing differs from one CPU to another."""
    from PySide6.QtGui import QImage

    from csr_desktop.ui import status_icons

    assert status_icons.stale_icons() == [], "run: python -m csr_desktop.ui.build_forms"
    for status in status_icons.STATUSES:
        for image in (status_icons.draw(status), QImage(str(status_icons.icon_file(status)))):
            seen = {xy: colour_class(image, *xy) for xy in EXPECTED_MARKS[status]}
            assert seen == EXPECTED_MARKS[status], status
            left, top, right, bottom = opaque_box(image)
            assert 2 <= left <= 8 and 2 <= top <= 8, status
            assert 56 <= right <= 61 and 56 <= bottom <= 61, status


def test_the_icon_check_accepts_another_cpus_anti_aliasing(qapp: QApplication) -> None:
    """Edge pixels a few levels off (another SIMD path) are the same mark; another mark is not."""
    from PySide6.QtGui import QColor

    from csr_desktop.ui import status_icons

    for status in status_icons.STATUSES:
        image = status_icons.draw(status)
        other_cpu = image.copy()
        for y in range(image.height()):
            for x in range(image.width()):
                c = image.pixelColor(x, y)
                if 0 < c.alpha() < 255:  # an anti-aliased edge pixel
                    shift = 12 if (x + y) % 2 else -12
                    other_cpu.setPixelColor(
                        x,
                        y,
                        QColor(c.red(), c.green(), c.blue(), max(1, min(254, c.alpha() + shift))),
                    )
        assert other_cpu != image
        assert status_icons._same(other_cpu, image), status
        for different in status_icons.STATUSES:
            if different != status:
                assert not status_icons._same(status_icons.draw(different), image)


def test_about_shows_the_version_and_the_indicator_set(
    qtbot, make_window, sample_project: Path, fake_dialogs
) -> None:
    from csr_desktop import __version__

    window = make_window(sample_project)
    window.form.actionAbout.trigger()
    [(kind, title, text)] = fake_dialogs.shown
    assert kind == "information" and "关于" in title
    assert __version__ in text and window.session.project.indicator_set.id in text
    assert window.form.menuHelp.title() == "帮助(&H)"

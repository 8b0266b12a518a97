"""文件 › 从社会责任报告中查找素材… and the 参考素材 panel, as a user goes through them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from csr_desktop.core.store import Project
from csr_desktop.formats.report import stored
from csr_desktop.ui.pages.base import FitScrollArea
from tests.formats.report_forms import make_pdf

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


def _click(qtbot: Any, page: Any, button: Any) -> None:
    """Scroll the button into view, as a user would, and click it."""
    area = page.findChild(FitScrollArea)
    window = button.window()

    def under_the_mouse() -> bool:
        area.ensureWidgetVisible(button, 50, 80)
        return window.childAt(button.mapTo(window, button.rect().center())) is button

    qtbot.waitUntil(under_the_mouse, timeout=2000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _report(tmp_path: Path) -> Path:
    return make_pdf(REPORTS / "other-report.txt", tmp_path / "栖木 ESG 报告.pdf", "ESG 报告")


def test_load_a_report_insert_cite_hide_and_find_it_again_after_a_reopen(
    qtbot: Any, make_window: Any, fake_dialogs: Any, empty_project: Path, tmp_path: Path
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(20)
    assert not page.report_panel.isVisible()  # no report yet: the page looks as before
    fake_dialogs.file = _report(tmp_path)
    window.form.actionFindInReport.trigger()
    assert not fake_dialogs.texts("error")
    panel = page.report_panel
    qtbot.waitUntil(panel.isVisible, timeout=2000)
    assert len(panel.items) >= 1
    assert "《栖木 ESG 报告.pdf》" in panel.status.text()
    insert = panel.buttons[0][0]
    first_heading = panel.items[0].findChildren(type(panel.status))[0].text()
    assert "守护成长" in first_heading and "第 3 页" in first_heading

    _click(qtbot, page, insert)
    narrative = page.form.narrativeEdit.toPlainText()
    assert "“青芽模式”开启后，单日使用时长默认不超过 40 分钟" in narrative
    window.undo()  # one step takes it out again
    assert page.form.narrativeEdit.toPlainText() == ""

    _click(qtbot, page, panel.buttons[0][1])
    table = page.form.evidenceTable
    assert table.rowCount() == 1
    assert table.item(0, 2).text().startswith("第 3 页")
    assert "栖木 ESG 报告.pdf" in table.item(0, 3).text()

    before = len(panel.items)
    _click(qtbot, page, panel.buttons[0][2])
    assert all("守护成长" not in f.findChildren(type(panel.status))[0].text() for f in panel.items)
    assert len(panel.items) <= before
    window.close()

    stored._cache.clear()  # as after a restart: the stored report is read again, on a worker
    again = make_window(empty_project)
    page = again.wizard.go_to(20)
    qtbot.waitUntil(lambda: len(page.report_panel.items) >= 1, timeout=5000)
    assert page.report_panel.isVisible()
    assert "《栖木 ESG 报告.pdf》" in page.report_panel.status.text()
    with Project.open(empty_project, readonly=True) as project:
        (row,) = project.assessment().answer(20).evidence
        assert project.file_is_intact(row.sha256)


def test_a_scanned_report_is_refused_with_a_chinese_message(
    make_window: Any, fake_dialogs: Any, empty_project: Path, tmp_path: Path
) -> None:
    from reportlab.pdfgen import canvas

    scan = tmp_path / "扫描版.pdf"
    c = canvas.Canvas(str(scan))
    c.rect(50, 50, 300, 300, fill=1)
    c.showPage()
    c.save()
    window = make_window(empty_project)
    fake_dialogs.file = scan
    window.form.actionFindInReport.trigger()
    (text,) = fake_dialogs.texts("error")
    assert "扫描版.pdf" in text and "可能是扫描件" in text
    assert window.session.project.get("report.source") is None


def test_an_indicator_the_report_is_silent_on_says_so_and_shows_no_passage(
    qtbot: Any, make_window: Any, fake_dialogs: Any, empty_project: Path, tmp_path: Path
) -> None:
    """The fictional report says nothing on jobs for the disabled (24, silent in the labels);
    a passage on riders' insurance used to be offered there as a weak match."""
    window = make_window(empty_project)
    page = window.wizard.go_to(24)
    fake_dialogs.file = _report(tmp_path)
    window.form.actionFindInReport.trigger()
    panel = page.report_panel
    qtbot.waitUntil(panel.isVisible, timeout=2000)
    assert panel.items == []
    assert "没有找到与本项明显相关的内容" in panel.status.text()
    assert "《栖木 ESG 报告.pdf》" in panel.status.text()


def test_when_every_passage_is_marked_irrelevant_the_panel_says_that(
    qtbot: Any, make_window: Any, fake_dialogs: Any, empty_project: Path, tmp_path: Path
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(20)
    fake_dialogs.file = _report(tmp_path)
    window.form.actionFindInReport.trigger()
    panel = page.report_panel
    qtbot.waitUntil(panel.isVisible, timeout=2000)
    while panel.items:
        _click(qtbot, page, panel.buttons[0][2])
    assert "都已标为不相关" in panel.status.text()
    assert "没有找到" not in panel.status.text()


def test_a_long_report_read_with_the_helper_process_from_the_worker_thread(
    qtbot: Any,
    make_window: Any,
    fake_dialogs: Any,
    empty_project: Path,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    """The window reads on a worker thread; the helper is spawned from there (never forked)."""
    from csr_desktop.formats.report import pdf, pdf_helper, read_report

    started: list[Any] = []
    real = pdf_helper.Helper

    def counted(*args: Any) -> Any:
        started.append(args)
        return real(*args)

    monkeypatch.setattr(pdf, "PARALLEL_PAGES", 2)
    monkeypatch.setattr(pdf, "_free_cores", lambda: 1.5)
    monkeypatch.setattr(pdf_helper, "Helper", counted)
    report = make_pdf(REPORTS / "other-report.txt", tmp_path / "长报告.pdf", "ESG 报告", repeat=2)
    window = make_window(empty_project)
    page = window.wizard.go_to(20)
    fake_dialogs.file = report
    window.form.actionFindInReport.trigger()
    assert not fake_dialogs.texts("error")
    qtbot.waitUntil(page.report_panel.isVisible, timeout=5000)
    assert started
    ranked = stored.cached(window.session.project)
    assert ranked is not None
    monkeypatch.setattr(pdf, "PARALLEL_PAGES", 10**6)
    assert ranked.report.passages == read_report(report).passages

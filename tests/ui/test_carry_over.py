"""The user's sequence in the window: 文件 › 以上一年度项目为基础新建, confirm each 待复核
indicator on its page (click or Alt+K), and the offer to upgrade an old project."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from csr_desktop.core import indicators
from csr_desktop.core.carry_over import read_indicator_set
from csr_desktop.core.store import Project
from csr_desktop.ui import dialogs

NEXT = Path(__file__).resolve().parent.parent / "data" / "indicators-next.json"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    shown: list[list[str]] = []
    monkeypatch.setattr(dialogs, "report", lambda _p, _t, lines: shown.append(lines))
    return shown


def test_new_year_from_the_menu_then_confirm_page_by_page(
    make_window: Any, fake_dialogs: Any, reports: list[list[str]], sample_project: Path, qtbot: Any
) -> None:
    before = digest(sample_project)
    window = make_window(sample_project)
    new_path = sample_project.with_name("2025.csrproj")
    fake_dialogs.project = sample_project
    fake_dialogs.save_as = new_path
    window.form.actionNewYear.trigger()
    assert window.session is not None and window.session.project.path == new_path
    assert reports and any("待复核：28 项指标" in line for line in reports[0])
    side = window.form.pageList
    assert side.item(1).text() == "1. 责任意识建立 · 待复核"
    assert window.form.progressLabel.text() == "已完成 0/28"
    page = window.wizard.go_to(1)
    assert page.form.reviewFrame.isVisible()
    qtbot.mouseClick(page.form.confirmButton, Qt.MouseButton.LeftButton, pos=QPoint(8, 8))
    assert not page.form.reviewFrame.isVisible()
    assert side.item(1).text() == "1. 责任意识建立"
    assert window.form.progressLabel.text() == "已完成 1/28"
    page = window.wizard.go_to(2)
    window.activateWindow()  # the progress dialog took it; mnemonics reach the active window
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    page.form.narrativeEdit.setFocus()
    qtbot.keyClick(page.form.narrativeEdit, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not page.review_pending(), timeout=2000)
    assert side.item(2).text() == "2. 履责文件发布"
    assert side.item(3).text().endswith("· 待复核")  # only the page the key was pressed on
    window.close()
    with Project.open(new_path, readonly=True) as project:
        pending = [n for n, a in project.assessment().answers.items() if a.review_pending]
        assert pending == list(range(3, 29))
        labels = [e.label for e in project.audit_log()]
        assert "第1项「责任意识建立」已复核" in labels and "第2项「履责文件发布」已复核" in labels
    assert digest(sample_project) == before


def test_opening_an_old_project_offers_the_upgrade(
    make_window: Any,
    fake_dialogs: Any,
    reports: list[list[str]],
    sample_project: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    next_set = read_indicator_set(NEXT)
    monkeypatch.setattr(indicators, "default_indicator_set", lambda: next_set)
    asked: list[str] = []
    answer = {"yes": False}

    def confirm_upgrade(_parent: Any, _title: str, text: str) -> bool:
        asked.append(text)
        return answer["yes"]

    monkeypatch.setattr(dialogs, "confirm_upgrade", confirm_upgrade)
    before = digest(sample_project)
    window = make_window(sample_project)  # No: it keeps the set it was made with
    assert asked and "2024.1" in asked[0] and "2025.1" in asked[0]
    assert len(window.session.project.indicator_set.indicators) == 28
    assert window.form.pageList.count() == 31
    window.close_project()
    answer["yes"] = True
    upgraded = sample_project.with_name("sample_2025.1.csrproj")
    fake_dialogs.save_as = upgraded
    assert window.open_project(sample_project)
    assert window.session.project.path == upgraded
    assert len(window.session.project.indicator_set.indicators) == 29
    assert window.form.pageList.count() == 32  # cover, 29 indicators, letter, review
    assert window.form.pageList.item(24).text() == "24. 科技伦理治理"
    # an upgrade asks again only where the form changed: the split 7, 8 and the reworded 19
    answers = window.session.project.assessment().answers
    assert [n for n, a in answers.items() if a.review_pending] == [7, 8, 19]
    assert window.form.pageList.item(8).text() == "8. 网络生态专项治理 · 待复核"
    assert window.form.progressLabel.text() == "已完成 25/29"  # less the three and the new 24
    text = "\n".join(reports[-1])
    assert "原第12项「内容建设管理」" in text and "第24项「科技伦理治理」" in text
    page = window.wizard.go_to(29)
    assert page.indicator.name == "传递环保理念"
    window.wizard.go_to(window.wizard.REVIEW)
    window.close()
    assert digest(sample_project) == before


def test_new_year_can_move_onto_the_apps_newer_set(
    make_window: Any,
    fake_dialogs: Any,
    reports: list[list[str]],
    sample_project: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    next_set = read_indicator_set(NEXT)
    monkeypatch.setattr(indicators, "default_indicator_set", lambda: next_set)
    monkeypatch.setattr(dialogs, "confirm_upgrade", lambda *_a: True)
    window = make_window()
    fake_dialogs.project = sample_project
    fake_dialogs.save_as = sample_project.with_name("2025.csrproj")
    window.form.actionNewYear.trigger()
    project = window.session.project
    assert len(project.indicator_set.indicators) == 29
    answers = project.assessment().answers
    assert [n for n, a in answers.items() if a.review_pending] == [n for n in answers if n != 24]
    assert project.assessment().company["submission_date"] == ""
    assert any("提交日期与承诺书日期已清空" in line for line in reports[0])
    window.close()

"""The whole form through the real widgets: keys and clicks only, then close and reopen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from csr_desktop.core.store import Project
from csr_desktop.core.validation import Severity
from csr_desktop.ui.pages.commitment import CommitmentPage
from csr_desktop.ui.pages.cover import CoverPage
from csr_desktop.ui.pages.indicator import IndicatorPage
from csr_desktop.ui.pages.review import ReviewPage
from tests.ui.typist import type_text

DIGIT_KEYS = {1: Qt.Key.Key_1, 2: Qt.Key.Key_2, 3: Qt.Key.Key_3, 4: Qt.Key.Key_4, 5: Qt.Key.Key_5}
COVER = {
    "name": "星澜数字科技有限公司",
    "business_unit": "星澜短视频平台",
    "contact_person": "林晓雯",
    "contact": "010-88886666",
    "submission_date": "2025/6/30",  # typed the Chinese way; stored as ISO
}
LETTER = {
    "company_name": "星澜数字科技有限公司",
    "responsible_person": "周启明",
    "date": "2025-07-01",
}


def rating_for(no: int) -> int:
    return no % 5 + 1


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def next_page(qtbot: Any, wizard: QWizard, by_key: bool) -> None:
    before = wizard.currentId()
    if by_key:  # the button's mnemonic, as a keyboard user presses it (animated click)
        qtbot.keyClick(wizard.currentPage(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: wizard.currentId() != before, timeout=2000)
    else:
        click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentId() != before


def type_into(qtbot: Any, widget: Any, text: str) -> None:
    type_text(qtbot, widget, text)


def test_every_page_completed_by_keys_and_clicks_survives_reopening(
    qtbot: Any, make_window: Any, empty_project: Path, evidence_files: list[Path], fake_dialogs
) -> None:
    window = make_window(empty_project)
    wizard = window.wizard
    cover = wizard.currentPage()
    assert isinstance(cover, CoverPage)
    for key, text in COVER.items():
        type_into(qtbot, cover.edits[key], text)
    next_page(qtbot, wizard, by_key=False)

    iset = window.session.project.indicator_set
    attach = {1: evidence_files[:2], 14: evidence_files[2:], len(iset.indicators): evidence_files}
    for ind in iset.indicators:
        page = wizard.currentPage()
        assert isinstance(page, IndicatorPage) and page.no == ind.no
        assert page.form.pathLabel.text() == ind.path
        assert page.form.descriptionLabel.text() == ind.description
        if ind.no % 2:  # the number keys …
            qtbot.keyClick(wizard.focusWidget() or page, DIGIT_KEYS[rating_for(ind.no)])
        else:  # … or a click on the option (inside its clickable area)
            radio = page.rating_button(rating_for(ind.no))
            qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
        type_into(qtbot, page.form.remarkEdit, f"备注{ind.no}")
        type_into(qtbot, page.form.narrativeEdit, f"第{ind.no}项：已建立机制")
        assert page.form.charCountLabel.text().startswith(str(len(f"第{ind.no}项：已建立机制")))
        if ind.no in attach:
            fake_dialogs.files = attach[ind.no]
            click(qtbot, page.form.addButton)
            assert page.form.evidenceTable.rowCount() == len(attach[ind.no])
        next_page(qtbot, wizard, by_key=ind.no % 3 == 0)

    letter = wizard.currentPage()
    assert isinstance(letter, CommitmentPage)
    for key, text in LETTER.items():
        type_into(qtbot, letter.edits[key], text)
    next_page(qtbot, wizard, by_key=True)

    review = wizard.currentPage()
    assert isinstance(review, ReviewPage)
    assert not [f for f in review.findings if f.severity is Severity.GAP]
    assert (
        window.form.progressLabel.text() == f"已完成 {len(iset.indicators)}/{len(iset.indicators)}"
    )
    assert "已保存" in window.windowTitle()
    assert fake_dialogs.texts("error") == []
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))  # 完成 closes the window
    assert window.session is None

    with Project.open(empty_project, readonly=True) as project:
        a = project.assessment()
        assert dict(a.company) == {**COVER, "submission_date": "2025-06-30"}
        assert dict(a.commitment) == LETTER
        for ind in iset.indicators:
            answer = a.answer(ind.no)
            assert answer.rating == rating_for(ind.no)
            assert answer.remark == f"备注{ind.no}"
            assert answer.narrative == f"第{ind.no}项：已建立机制"
            expected = attach.get(ind.no, [])
            assert [e.file_name for e in answer.evidence] == [p.name for p in expected]
            assert [e.name for e in answer.evidence] == [p.stem for p in expected]
            for item, path in zip(answer.evidence, expected, strict=True):
                assert project.file_is_intact(item.sha256)
                assert item.size == path.stat().st_size

    reopened = make_window(empty_project)  # and the widgets show it all again
    page = reopened.wizard.go_to(7)
    assert page.group.checkedId() == rating_for(7)
    assert page.form.narrativeEdit.toPlainText() == "第7项：已建立机制"
    last = reopened.wizard.go_to(len(iset.indicators))
    assert last.form.evidenceTable.rowCount() == len(evidence_files)


def test_closing_mid_typing_loses_nothing(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    window = make_window(empty_project)
    cover = window.wizard.currentPage()
    type_into(qtbot, cover.edits["name"], "星澜")
    page = window.wizard.go_to(5)
    type_into(qtbot, page.form.narrativeEdit, "刚刚输入、还没等到自动保存的文字")
    type_into(qtbot, page.form.remarkEdit, "备注也是")
    assert window.session.pending  # the debounce has not fired yet
    assert "正在保存" in window.windowTitle()
    window.close()  # no wait: closing must save what was typed
    with Project.open(empty_project, readonly=True) as project:
        answer = project.assessment().answer(5)
        assert answer.narrative == "刚刚输入、还没等到自动保存的文字"
        assert answer.remark == "备注也是"
        assert project.assessment().company["name"] == "星澜"


def test_typing_is_saved_after_a_pause_without_leaving_the_field(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(2)
    type_into(qtbot, page.form.narrativeEdit, "停顿后自动保存")
    with Project.open(empty_project, readonly=True) as reader:
        assert reader.assessment().answer(2).narrative == ""
    qtbot.waitUntil(lambda: not window.session.pending, timeout=2000)
    with Project.open(empty_project, readonly=True) as reader:  # a fresh reader sees it
        assert reader.assessment().answer(2).narrative == "停顿后自动保存"
    assert "已保存" in window.windowTitle()

"""Window defects found in real use (issue 12): each test follows the user's sequence."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from csr_desktop.core.errors import ProjectFileError
from csr_desktop.core.store import Project
from csr_desktop.core.validation import Severity, validate
from csr_desktop.ui.side_list import STATUS_ROLE
from tests.ui.typist import type_text

CTRL = Qt.KeyboardModifier.ControlModifier
NARRATIVE = "".join(f"第{n}段：我司建立了平台治理制度并定期评估落实情况。" for n in range(1, 61))


def stored(path: Path, key: str) -> Any:
    with Project.open(path, readonly=True) as project:
        return project.get(key)


def paste(qtbot: Any, widget: Any, text: str) -> None:
    QApplication.clipboard().setText(text)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_V, CTRL)


# ---- 1. a paste is its own undo step ---------------------------------------------------------


def test_one_undo_after_a_paste_and_two_typed_characters_keeps_the_paste(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    assert len(NARRATIVE) > 1400
    window = make_window(empty_project)
    page = window.wizard.go_to(5)
    edit = page.form.narrativeEdit
    paste(qtbot, edit, NARRATIVE)
    type_text(qtbot, edit, "ab")  # at once: within the debounce
    undo, redo = window.form.actionUndo, window.form.actionRedo
    undo.trigger()
    key = "indicator.5.narrative"
    assert stored(empty_project, key) == NARRATIVE  # only the two typed characters are gone
    assert edit.toPlainText() == NARRATIVE
    undo.trigger()
    assert stored(empty_project, key) in ("", None)  # then the paste itself
    redo.trigger()
    assert stored(empty_project, key) == NARRATIVE  # redo gives back exactly what undo took
    redo.trigger()
    assert stored(empty_project, key) == NARRATIVE + "ab"
    assert edit.toPlainText() == NARRATIVE + "ab"


def test_typing_before_a_paste_is_not_merged_into_it(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(6)
    edit = page.form.narrativeEdit
    type_text(qtbot, edit, "前言：")
    paste(qtbot, edit, NARRATIVE)  # within the debounce of the typing
    key = "indicator.6.narrative"
    assert stored(empty_project, key) == "前言：" + NARRATIVE  # the paste is saved at once
    window.form.actionUndo.trigger()
    assert stored(empty_project, key) == "前言："
    assert edit.toPlainText() == "前言："


# ---- 2. impossible dates ----------------------------------------------------------------


def test_an_impossible_date_is_named_at_once_and_other_fields_still_save(
    qtbot: Any, make_window: Any, empty_project: Path, fake_dialogs: Any
) -> None:
    window = make_window(empty_project)
    cover = window.wizard.go_to(0)
    date = cover.edits["submission_date"]
    label = window.session.project.indicator_set.cover_fields
    date_label = next(f.label for f in label if f.key == "submission_date")
    type_text(qtbot, date, "2025年6月31日")
    message = cover.findChild(
        type(cover.form.documentTitleLabel), "company_submission_date_message"
    )
    qtbot.waitUntil(lambda: message.isVisible(), timeout=2000)  # the field says so at once
    assert date_label in message.text() and "2025年6月31日" in message.text()
    assert date_label in date.toolTip()
    assert "正在保存" not in window.windowTitle()
    assert "有 1 处内容格式不对" in window.windowTitle()
    type_text(qtbot, cover.edits["name"], "星澜科技")  # another field goes on saving
    cover.edits["contact"].setFocus()
    assert stored(empty_project, "company.name") == "星澜科技"
    assert "有 1 处内容格式不对" in window.windowTitle()
    assert fake_dialogs.shown == []  # no box while typing
    # closing names the field; going back lands on it
    fake_dialogs.choice = 0
    window.wizard.go_to(3)
    assert not window.close()
    [(kind, _title, text)] = fake_dialogs.shown
    assert kind == "ask" and date_label in text and "2025年6月31日" in text
    assert "磁盘" not in text and "未能保存到" not in text
    assert window.wizard.currentId() == 0 and QApplication.focusWidget() is date
    # correcting it saves it, and the title is clean again
    date.selectAll()
    type_text(qtbot, date, "2025-06-30")
    cover.edits["name"].setFocus()
    assert stored(empty_project, "company.submission_date") == "2025-06-30"
    assert not message.isVisible()
    assert "格式不对" not in window.windowTitle()


def test_closing_with_an_impossible_date_can_discard_just_that_value(
    qtbot: Any, make_window: Any, empty_project: Path, fake_dialogs: Any
) -> None:
    window = make_window(empty_project)
    cover = window.wizard.go_to(0)
    type_text(qtbot, cover.edits["name"], "星澜科技")
    type_text(qtbot, cover.edits["submission_date"], "2025-02-30")
    fake_dialogs.choice = 1  # 放弃这一项并关闭
    assert window.close()
    assert [k for k, _t, _x in fake_dialogs.shown] == ["ask"]
    assert "放弃" in fake_dialogs.choices[0][1]
    assert stored(empty_project, "company.name") == "星澜科技"
    assert stored(empty_project, "company.submission_date") in ("", None)


# ---- 6. SQLite's English stays out of the message ---------------------------------------


def test_a_failed_save_shows_chinese_and_keeps_sqlite_english_for_the_details(
    qtbot: Any, make_window: Any, empty_project: Path, fake_dialogs: Any, monkeypatch: Any
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(4)
    project = window.session.project

    def refuse(*_a: Any, **_k: Any) -> None:
        raise ProjectFileError(
            f"无法写入 “{project.path}”：database or disk is full",
            f"{project.path}: database or disk is full",
        )

    monkeypatch.setattr(project, "commit", refuse)  # where every edit is written
    type_text(qtbot, page.form.remarkEdit, "备注")
    page.form.narrativeEdit.setFocus()
    [text] = fake_dialogs.texts("error")
    assert str(project.path) in text
    assert "database" not in text and "disk is full" not in text
    assert "disk is full" in fake_dialogs.details[0]


def test_a_damaged_project_is_refused_in_chinese_with_sqlite_text_in_the_details(
    make_window: Any, tmp_path: Path, fake_dialogs: Any, monkeypatch: Any
) -> None:
    path = tmp_path / "坏了.csrproj"
    Project.create(path).close()

    def refuse(cls: Any, where: Any, readonly: bool = False) -> Any:  # as the store words it
        raise ProjectFileError(
            f"项目文件 “{where}” 已损坏，无法打开（unable to open database file）",
            f"{where}: unable to open database file",
        )

    monkeypatch.setattr(Project, "open", classmethod(refuse))
    window = make_window()
    fake_dialogs.project = path
    assert not window.choose_project()
    [text] = fake_dialogs.texts("error")
    assert str(path) in text
    assert not any(word in text for word in ("unable", "database", "file", "Error"))
    assert "unable to open database file" in fake_dialogs.details[0]


# ---- 4. one meaning of "complete" --------------------------------------------------------


def _no_narrative(project: Project) -> None:
    project.set("indicator.2.narrative", "")  # a warning only: still done


def _no_rating(project: Project) -> None:
    project.set_rating(3, None)  # a gap


def _row_without_file(project: Project) -> None:
    items = list(project.assessment().answer(4).evidence)
    items[0] = items[0]._replace(sha256=None, file_name="", size=0)
    project.set_evidence(4, items, "row without file")


def _several(project: Project) -> None:
    _no_narrative(project)
    _no_rating(project)
    _row_without_file(project)
    for no in range(10, 16):
        project.set(f"indicator.{no}.narrative", "")


@pytest.mark.parametrize(
    "change", [_no_narrative, _no_rating, _row_without_file, _several], ids=lambda f: f.__name__
)
def test_side_list_counter_and_review_page_agree_with_validation(
    qtbot: Any, make_window: Any, sample_project: Path, change: Any
) -> None:
    with Project.open(sample_project) as project:
        change(project)
        assessment = project.assessment()
        findings = validate(assessment, project.file_is_intact)
    gaps_in = {f.indicator_no for f in findings if f.severity is Severity.GAP}
    window = make_window(sample_project)
    side = window.form.pageList
    numbers = window.session.project.indicator_set.numbers
    marks = {no: side.item(window.side.row_of(no)).data(STATUS_ROLE) for no in numbers}
    for no in numbers:
        expected = "incomplete" if no in gaps_in else "done"  # the sample has every one started
        assert marks[no] == expected, no
    done = sum(1 for m in marks.values() if m == "done")
    assert window.form.progressLabel.text() == f"已完成 {done}/{len(numbers)}"
    review = window.wizard.go_to(window.wizard.REVIEW)
    complete = not any(f.severity is Severity.GAP for f in findings)
    assert review.complete == complete
    summary = review.form.summaryLabel.text()
    assert ("材料完整" in summary) == complete
    assert ("正式版本" in review.form.draftHintLabel.text()) == complete
    assert (done == len(numbers)) == (not gaps_in - {None})


# ---- 5. undo labels in Chinese ---------------------------------------------------------


def test_undo_and_redo_labels_never_show_field_keys(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    window = make_window(empty_project)
    undo, redo = window.form.actionUndo, window.form.actionRedo
    texts: list[str] = []
    page = window.wizard.go_to(3)
    type_text(qtbot, page.form.remarkEdit, "见附件")
    page.form.narrativeEdit.setFocus()
    texts.append(undo.text())
    assert "备注" in undo.text() and "第3项" in undo.text()
    type_text(qtbot, page.form.narrativeEdit, "已建立制度")
    page.form.remarkEdit.setFocus()
    texts.append(undo.text())
    qtbot.keyClick(page, Qt.Key.Key_2)
    texts.append(undo.text())
    cover = window.wizard.go_to(0)
    type_text(qtbot, cover.edits["name"], "星澜科技")
    cover.edits["contact"].setFocus()
    texts.append(undo.text())
    letter = window.wizard.go_to(window.wizard.COMMITMENT)
    edit = next(iter(letter.edits.values()))
    type_text(qtbot, edit, "张三")
    window.wizard.go_to(3)
    texts.append(undo.text())
    for _ in range(5):
        undo.trigger()
        texts += [undo.text(), redo.text(), window.statusBar().currentMessage()]
    for _ in range(5):
        redo.trigger()
        texts += [undo.text(), redo.text(), window.statusBar().currentMessage()]
    assert all(t for t in texts[:5])
    for text in texts:
        assert not any(key in text for key in ("indicator.", "company.", "commitment.")), text


# ---- 7. a read-only project opens read-only, and says why --------------------------------


def assert_nothing_editable(qtbot: Any, window: Any, path: Path) -> None:
    from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QPlainTextEdit, QRadioButton

    before = path.read_bytes()
    wizard = window.wizard
    for page_id in wizard.page_ids():
        wizard.go_to(page_id)
    host = window.form.wizardHost
    texts = [w for w in host.findChildren(QLineEdit) + host.findChildren(QPlainTextEdit)]
    assert texts
    for w in texts:
        assert w.isReadOnly() or not w.isEnabled(), w.objectName()
    radios = host.findChildren(QRadioButton)
    assert radios and not any(r.isEnabled() for r in radios)
    for no in (1, 3, 28):
        page = wizard.indicator_page(no)
        f = page.form
        for button in (f.addButton, f.attachButton, f.upButton, f.downButton, f.removeButton):
            assert not button.isEnabled(), button.objectName()
        triggers = f.evidenceTable.editTriggers()
        assert triggers == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not wizard.review_page().form.importXlsxButton.isEnabled()
    for action in (window.form.actionUndo, window.form.actionRedo, window.form.actionImportXlsx):
        assert not action.isEnabled(), action.objectName()
    page = wizard.go_to(3)
    type_text(qtbot, page.form.narrativeEdit, "不应保存")
    qtbot.keyClick(page, Qt.Key.Key_2)
    page.form.remarkEdit.setFocus()
    assert path.read_bytes() == before


@pytest.mark.parametrize("denied", ["file", "folder"])
def test_a_read_only_project_file_opens_read_only_with_a_banner_saying_why(
    qtbot: Any,
    make_window: Any,
    sample_project: Path,
    monkeypatch: Any,
    fake_dialogs: Any,
    denied: str,
) -> None:
    import os

    target = sample_project if denied == "file" else sample_project.parent
    if denied == "file":
        sample_project.chmod(0o444)
    real_access = os.access

    def access(path: Any, mode: int, **kw: Any) -> bool:  # as for any user but root
        if mode & os.W_OK and Path(path) == target:
            return False
        return real_access(path, mode, **kw)

    monkeypatch.setattr(os, "access", access)
    window = make_window(sample_project)
    assert window.session.project.readonly
    banner = window.banner
    assert banner is not None and banner.isVisible()
    assert "只读" in banner.text() and str(target) in banner.text()
    assert ("文件夹" in banner.text()) == (denied == "folder")
    assert "只读" in window.windowTitle()
    assert_nothing_editable(qtbot, window, sample_project)
    assert fake_dialogs.texts("error") == []
    window.close_project()
    assert window.banner is None


def test_a_project_opened_read_only_shows_the_reason_it_was_given(
    qtbot: Any, make_window: Any, sample_project: Path, fake_dialogs: Any
) -> None:
    window = make_window()
    project = Project.open(sample_project, readonly=True)
    reason = "项目文件所在的磁盘不允许写入"
    with contextlib.suppress(AttributeError):  # a read-only property once the store has one
        project.readonly_reason = reason  # type: ignore[attr-defined]  # what the store says
    window.close_project()
    window._install(project)
    if getattr(project, "readonly_reason", "") == reason:
        assert reason in window.banner.text()
    assert window.banner.isVisible()
    assert_nothing_editable(qtbot, window, sample_project)


def test_ctrl_z_pressed_in_the_narrative_after_a_paste_keeps_the_paste(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    window = make_window(empty_project)
    page = window.wizard.go_to(7)
    edit = page.form.narrativeEdit
    paste(qtbot, edit, NARRATIVE)
    type_text(qtbot, edit, "ab")
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL)  # in the field, as the user does
    page.form.remarkEdit.setFocus()
    assert edit.toPlainText() == NARRATIVE
    assert stored(empty_project, "indicator.7.narrative") == NARRATIVE
    assert f"{len(NARRATIVE)}" in page.form.charCountLabel.text()
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(edit, Qt.Key.Key_Z, CTRL | shift)  # redo, in the field too
    assert edit.toPlainText() == NARRATIVE + "ab"
    assert stored(empty_project, "indicator.7.narrative") == NARRATIVE + "ab"
    remark = page.form.remarkEdit
    type_text(qtbot, remark, "见附件")
    qtbot.keyClick(remark, Qt.Key.Key_Z, CTRL)  # a line edit's Ctrl+Z is the window's too
    assert remark.text() == ""
    assert stored(empty_project, "indicator.7.remark") in ("", None)


def test_a_damaged_file_found_by_the_review_page_marks_its_indicator_in_the_side_list(
    qtbot: Any, make_window: Any, sample_project: Path
) -> None:
    import sqlite3

    with Project.open(sample_project) as project:
        sha = project.assessment().answer(8).evidence[0].sha256
    db = sqlite3.connect(sample_project)
    with db:
        db.execute(
            "UPDATE blob_chunks SET data = zeroblob(length(data)) WHERE blob_id ="
            " (SELECT id FROM blobs WHERE sha256 = ?)",
            (sha,),
        )
    db.close()
    window = make_window(sample_project)
    side = window.form.pageList
    review = window.wizard.go_to(window.wizard.REVIEW)
    assert not review.complete
    assert any("已损坏" in f.message and f.indicator_no == 8 for f in review.findings)
    assert side.item(window.side.row_of(8)).data(STATUS_ROLE) == "incomplete"
    numbers = len(window.session.project.indicator_set.numbers)
    assert window.form.progressLabel.text() == f"已完成 {numbers - 1}/{numbers}"


def test_sqlite_reasons_are_said_in_chinese_and_kept_in_english_only_for_the_details() -> None:
    from csr_desktop.ui.messages import user_message

    full = ProjectFileError("无法写入 “/p/自评.csrproj”：database or disk is full", "p: full")
    text, details = user_message(full)
    assert text == "无法写入 “/p/自评.csrproj”：磁盘空间不足。"
    assert "database or disk is full" in details and "p: full" in details
    jam = ProjectFileError("无法写入 “/p/a.csrproj”：UNIQUE constraint failed: blob_chunks.seq")
    text, details = user_message(jam)
    assert "UNIQUE" not in text and "“/p/a.csrproj”" in text and "UNIQUE" in details
    plain = ProjectFileError("第3项「构建规则体系」：尚未选择企业自评")
    assert user_message(plain) == ("第3项「构建规则体系」：尚未选择企业自评", "")
    denied = PermissionError(13, "Permission denied", "/p/导出.pdf")
    text, details = user_message(denied)
    assert text == "无法读写“/p/导出.pdf”：没有权限" and "Permission denied" in details

"""Backups in the window (issue #30): automatic while editing and at close, on a worker thread;
文件 › 备份与恢复 lists them, shows one read-only and restores it as a new project; a missing
project at open offers its newest backup by its time."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core.backups.listing import list_folder
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.ui.backups import EVERY, BackupsDialog, BackupView

DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shots(tmp_path: Path) -> Path:
    """docs/screenshots only when asked (CSR_DOCS_SCREENSHOTS=1): a test run leaves the
    repository as it found it."""
    return DOCS_SHOTS if os.environ.get("CSR_DOCS_SCREENSHOTS") else tmp_path


@pytest.fixture
def backups_on(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> Path:
    monkeypatch.setenv("CSR_DESKTOP_BACKUPS", "on")
    root = tmp_path / "备份"
    settings.q.setValue("backups/folder", str(root))
    return root


def _wait(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: not window.auto_backup().runner.busy, timeout=30_000)
    qtbot.wait(50)  # the queued `finished` signal


def test_editing_backs_up_at_most_every_30_minutes_and_at_close(
    qtbot: Any, make_window: Any, sample_project: Path, backups_on: Path
) -> None:
    window = make_window(sample_project)
    auto = window.auto_backup()
    assert not auto.tick(time.monotonic() + 3600)  # nothing edited: no backup
    window.session.edit(lambda: window.session.project.set("company.contact", "第一次修改"))
    assert not auto.tick(time.monotonic() + EVERY.total_seconds() - 60)
    assert auto.tick(time.monotonic() + EVERY.total_seconds() + 1)
    _wait(qtbot, window)
    [folder] = list(backups_on.iterdir())
    assert len(list_folder(folder)) == 1
    assert "已自动备份" in window.statusBar().currentMessage()
    window.session.edit(lambda: window.session.project.set("company.contact", "第二次修改"))
    assert window.close_project()
    _wait(qtbot, window)
    infos = list_folder(folder)
    assert len(infos) == 2 and infos[0].changes == 1 and infos[0].fields == ("封面“联系方式”",)


def test_a_project_opened_without_a_backup_for_a_day_gets_one(
    qtbot: Any, make_window: Any, sample_project: Path, backups_on: Path
) -> None:
    window = make_window(sample_project)
    auto = window.auto_backup()
    project = window.session.project
    assert auto.daily(project.path, project.project_id)  # none yet
    _wait(qtbot, window)
    assert not auto.daily(project.path, project.project_id)  # one of today


def test_the_backup_list_looks_at_one_and_restores_it_as_a_new_project(
    qtbot: Any,
    make_window: Any,
    sample_project: Path,
    backups_on: Path,
    fake_dialogs: Any,
    tmp_path: Path,
) -> None:
    from csr_desktop.core.backups.take import take_backup

    take_backup(sample_project, backups_on)
    with Project.open(sample_project) as p:
        p.set("indicator.2.remark", "备份之后改的备注")
        p.set("indicator.3.narrative", "备份之后重写的介绍。")
    take_backup(sample_project, backups_on)
    window = make_window(sample_project)
    dialog = BackupsDialog(window, sample_project, backups_on, window.auto_backup().runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 2
    dialog.take_now()  # on the worker: the dialog keeps answering
    assert not dialog.backup_now.isEnabled()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 3, timeout=30_000)
    assert dialog.backup_now.isEnabled() and dialog.table.item(0, 2).text() == "与上一份相同"
    assert dialog.table.item(1, 2).text().startswith("2 处修改")
    assert dialog.table.item(2, 2).text() == "首次备份"
    assert "本机" in dialog.where.text() and "保留最近 10 份" in dialog.where.text()
    shots = _shots(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(shots / "backups.png"))
    dialog.table.selectRow(2)
    view = BackupView(dialog, dialog.selected())
    qtbot.addWidget(view)
    assert "星澜数字科技有限公司" in view.text.toPlainText()
    assert "备份之后重写的介绍" not in view.text.toPlainText()
    dest = tmp_path / "从备份恢复.csrproj"
    fake_dialogs.save_as = dest
    dialog.restore_selected()
    assert dialog.restored == dest
    with Project.open(dest, readonly=True) as p:
        assert p.get("indicator.2.remark") != "备份之后改的备注"


def test_a_missing_project_offers_its_newest_backup_by_its_time(
    qtbot: Any,
    make_window: Any,
    sample_project: Path,
    backups_on: Path,
    fake_dialogs: Any,
    tmp_path: Path,
) -> None:
    from csr_desktop.core.backups.take import take_backup

    result = take_backup(sample_project, backups_on)
    with Project.open(sample_project, readonly=True) as p:
        before = interchange.dump(p)
    sample_project.unlink()
    window = make_window()
    fake_dialogs.choice = 1
    fake_dialogs.save_as = tmp_path / "恢复的项目.csrproj"
    assert window.open_project(sample_project)
    [(_kind, _title, text)] = [s for s in fake_dialogs.shown if s[0] == "ask"]
    assert "不存在" in text and result.taken_at[:10] in text
    assert window.session.project.path == fake_dialogs.save_as
    assert interchange.dump(window.session.project) == before


def test_a_damaged_project_without_backups_is_refused_as_before(
    qtbot: Any, make_window: Any, tmp_path: Path, backups_on: Path, fake_dialogs: Any
) -> None:
    bad = tmp_path / "坏.csrproj"
    bad.write_bytes(b"garbage" * 100)
    window = make_window()
    assert not window.open_project(bad)
    assert [k for k, _t, _x in fake_dialogs.shown] == ["error"]


def test_history_of_the_field_in_focus_restores_a_version_and_brings_back_removed_rows(
    qtbot: Any,
    make_window: Any,
    sample_project: Path,
    sample_json: Path,
    backups_on: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    from csr_desktop.core.backups.take import take_backup
    from csr_desktop.formats.xlsx.export import export_xlsx
    from csr_desktop.formats.xlsx.importer import apply_import, plan_import
    from csr_desktop.ui.history import HistoryDialog

    key = "indicator.3.narrative"
    other = tmp_path / "兄弟公司.csrproj"
    interchange.load(sample_json, other)
    with Project.open(other) as p:
        p.set(key, "兄弟公司的介绍：与本公司无关。")
    wrong = tmp_path / "兄弟公司_自评表.xlsx"
    with Project.open(other, readonly=True) as p:
        export_xlsx(p, wrong)
    with Project.open(sample_project) as p:
        for text in ("本公司", "本公司设立了合规委员会", "本公司设立了合规委员会，每季度开会。"):
            p.set(key, text, coalesce=True)
        removed = p.assessment().answer(3).evidence[0]
    take_backup(sample_project, backups_on)  # holds the file of the row removed below
    with Project.open(sample_project) as p:
        apply_import(p, plan_import(p, wrong))
        p.set_evidence(3, list(p.assessment().answer(3).evidence)[1:], "删除目录行")
    # closed: the removed file is freed from the project; only the backup still has it

    window = make_window(sample_project)
    page = window.wizard.go_to(3)
    binding = next(b for b in window.session.bindings() if b.key == key)
    binding.widget.setFocus()
    qtbot.waitUntil(binding.widget.hasFocus)
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: 0)
    window.show_history()
    dialog = window.history_dialog
    qtbot.addWidget(dialog)
    assert dialog.key == key and page.no == 3
    dialog.show()
    qtbot.waitExposed(dialog)
    hows = [v.how for v in dialog.versions]
    assert hows[0].startswith("导入 兄弟公司_自评表.xlsx") and "手动输入" in hows
    mine = next(n for n, v in enumerate(dialog.versions) if v.how == "手动输入")
    dialog.table.selectRow(mine)
    shots = _shots(tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(shots / "history.png"))
    assert dialog.restore_selected()
    project = window.session.project
    assert project.get(key) == "本公司设立了合规委员会，每季度开会。"
    assert project.undo_label.startswith("恢复")

    dialog.field.setCurrentIndex(dialog.field.findData("*"))  # the whole indicator
    assert set(dialog.version_keys) >= {key, "indicator.3.evidence"}
    assert dialog.versions[0].current
    dialog.field.setCurrentIndex(dialog.field.findData("indicator.3.evidence"))
    assert [r.row["name"] for r in dialog.removed] == [removed.name]
    assert not dialog.removed[0].in_project
    assert dialog.bring_back_all() == 1
    rows = project.assessment().answer(3).evidence
    assert rows[-1].name == removed.name and project.file_is_intact(removed.sha256)
    project.undo()
    assert project.assessment().answer(3).evidence[-1].name != removed.name

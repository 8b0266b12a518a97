"""Backups in the window (issue #30): automatic while editing and at close, on a worker thread;
文件 › 备份与恢复 lists them, shows one read-only and restores it as a new project; a missing
project at open offers its newest backup by its time."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core.backups.listing import list_folder
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.ui.backups import EVERY, BackupsDialog, BackupView

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


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
    dialog = BackupsDialog(window, sample_project, backups_on)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 2
    assert "2 处修改" in dialog.table.item(0, 2).text()
    assert dialog.table.item(1, 2).text() == "首次备份"
    assert "本机" in dialog.where.text() and "保留最近 10 份" in dialog.where.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "backups.png"))
    dialog.table.selectRow(1)
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

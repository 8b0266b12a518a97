"""The window says once where the project lies and what that means (issue #23); a place that
refuses the lock opens the project read-only with the reason, not an error."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core import system
from csr_desktop.core.errors import ProjectFileError
from csr_desktop.core.store import Project


class _Place(system.PosixSystem):
    """The OS as seen from a PC whose project folder is mounted from the department share."""

    def __init__(self, folder: Path, fstype: str) -> None:
        self.table = (
            f"22 1 8:2 / / rw - ext4 /dev/sda2 rw\n40 22 0:40 / {folder} rw - {fstype} //s/x rw\n"
        )

    def mount_table(self) -> str | None:
        return self.table


@pytest.fixture
def on_share(tmp_path: Path) -> Iterator[Path]:
    system.use(_Place(tmp_path, "cifs"))
    yield tmp_path
    system.use(None)


def _notices(window: Any) -> str:
    return window.notice_bar.text() if window.notice_bar is not None else ""


def test_a_project_on_a_share_is_said_to_lie_on_the_share_once(
    make_window: Any, on_share: Path, empty_project: Path
) -> None:
    window = make_window(empty_project)
    words = _notices(window)
    assert words.startswith("项目位于共享文件夹") and words.count("项目位于") == 1
    assert window.notice_bar.isVisible()
    window.session.project.set("company.name", "甲")  # saving does not say it again
    assert _notices(window) == words
    assert window.close_project()
    assert window.notice_bar is None


def test_a_local_project_says_nothing_about_its_place(make_window: Any, empty_project: Path):
    window = make_window(empty_project)
    assert window.notice_bar is None


def test_onedrive_conflict_copies_are_named_at_open(
    make_window: Any, empty_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OneDrive", str(empty_project.parent))
    copy = empty_project.with_name(f"{empty_project.stem}-DESKTOP-7QK2M{empty_project.suffix}")
    copy.write_bytes(empty_project.read_bytes())
    words = _notices(make_window(empty_project))
    assert "OneDrive" in words and f"“{copy.name}”" in words and "冲突副本" in words


def test_a_share_that_refuses_the_lock_opens_read_only_with_a_banner_saying_why(
    make_window: Any, empty_project: Path, monkeypatch: pytest.MonkeyPatch, fake_dialogs: Any
) -> None:
    real_open = Project.open

    def refusing(path: Path, readonly: bool = False) -> Project:
        if not readonly:  # the share's permissions: Windows' os.access still said writable
            denied = PermissionError(errno.EACCES, "Permission denied")
            raise ProjectFileError(
                f"无法在 “{path.parent}” 中创建锁文件：Permission denied", "cannot create lock"
            ) from denied
        return real_open(path, readonly=True)

    monkeypatch.setattr(Project, "open", refusing)
    window = make_window(empty_project)
    assert window.session.project.readonly
    banner = window.banner.text()
    assert banner.startswith("只读：") and "不允许本机写入" in banner, banner
    assert fake_dialogs.shown == []

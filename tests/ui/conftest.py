"""Fixtures for driving the real window: settings in a temp file, dialogs replaced by a
recorder that answers like a user would and remembers every message it was shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from csr_desktop.core.store import Project
from csr_desktop.ui import dialogs
from csr_desktop.ui.main_window import MainWindow
from csr_desktop.ui.pyside_fixes import keep_bools_alive
from csr_desktop.ui.settings import AppSettings

keep_bools_alive()  # the test process emits thousands of signals (see pyside_fixes)


@dataclass
class FakeDialogs:
    """What the user would pick in each dialog, and what the app told them."""

    files: list[Path] = field(default_factory=list)  # 选择佐证材料文件
    file: Path | None = None  # any single open dialog
    save_as: Path | None = None  # any save dialog
    project: Path | None = None
    answer: bool = True  # yes/no questions and the import confirmation
    choice: int = 0  # questions with named answers (dialogs.ask): the index chosen
    shown: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, title, text)
    opened: list[Path] = field(default_factory=list)  # handed to the system viewer
    save_proposals: list[str] = field(default_factory=list)
    change_lists: list[list[str]] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # 详细信息 of each message box
    choices: list[tuple[str, ...]] = field(default_factory=list)

    def texts(self, kind: str) -> list[str]:
        return [text for k, _title, text in self.shown if k == kind]


@pytest.fixture
def fake_dialogs(monkeypatch: pytest.MonkeyPatch) -> FakeDialogs:
    fake = FakeDialogs()

    def record(kind: str) -> Any:
        def show(_parent: Any, title: str, text: str, details: str = "") -> None:
            fake.shown.append((kind, title, text))
            fake.details.append(details)

        return show

    def ask(_parent: Any, title: str, text: str, choices: tuple[str, ...]) -> int:
        fake.shown.append(("ask", title, text))
        fake.choices.append(choices)
        return fake.choice

    def save_file(_parent: Any, _title: str, proposed: str, _filter: str, suffix: str) -> Any:
        fake.save_proposals.append(proposed)
        return fake.save_as

    def confirm_export(_parent: Any, _title: str, text: str, lines: list[str]) -> bool:
        fake.change_lists.append(lines)
        fake.shown.append(("confirm", _title, text))
        return fake.answer

    def import_preview(_p: Any, title: str, text: str, changes: list[Any], _c: Any) -> Any:
        fake.change_lists.append([getattr(c, "text", c) for c in changes])
        fake.shown.append(("confirm", title, text))
        return [] if fake.answer else None

    def confirm(_parent: Any, title: str, text: str, details: str = "") -> bool:
        fake.shown.append(("confirm", title, text))
        return fake.answer

    def open_with_system(path: Path) -> bool:
        fake.opened.append(path)
        return True

    monkeypatch.setattr(dialogs, "error", record("error"))
    monkeypatch.setattr(dialogs, "warning", record("warning"))
    monkeypatch.setattr(dialogs, "information", record("information"))
    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "ask", ask)
    monkeypatch.setattr(dialogs, "confirm_export", confirm_export)
    monkeypatch.setattr(dialogs, "import_preview", import_preview)
    monkeypatch.setattr(dialogs, "open_files", lambda *_a: list(fake.files))
    monkeypatch.setattr(dialogs, "open_file", lambda *_a: fake.file)
    monkeypatch.setattr(dialogs, "open_project", lambda *_a: fake.project)
    monkeypatch.setattr(dialogs, "new_project", lambda *_a: fake.save_as)
    monkeypatch.setattr(dialogs, "save_file", save_file)
    monkeypatch.setattr(dialogs, "open_with_system", open_with_system)
    return fake


@pytest.fixture
def settings(tmp_path: Path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    path = tmp_path / "自评.csrproj"
    Project.create(path).close()
    return path


@pytest.fixture
def make_window(qtbot: Any, settings: AppSettings, fake_dialogs: FakeDialogs) -> Any:
    """Open a main window (1280×720) on a project, the way a user starts the app."""

    def make(path: Path | None = None) -> MainWindow:
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.resize(1280, 720)
        if path is not None:
            assert window.open_project(path), fake_dialogs.shown
        window.show()
        qtbot.waitExposed(window)
        window.resize(1280, 720)  # larger than the offscreen screen, which showing shrinks to
        window.activateWindow()  # shortcuts and mnemonics only reach the active window
        qtbot.waitUntil(window.isActiveWindow, timeout=2000)
        return window

    return make


@pytest.fixture
def evidence_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "材料"
    folder.mkdir()
    files = []
    for n, name in enumerate(("制度文件.pdf", "会议纪要.docx", "培训签到表.xlsx"), start=1):
        path = folder / name
        path.write_bytes(f"{name} 内容 {n}\n".encode() * (100 * n))
        files.append(path)
    return files

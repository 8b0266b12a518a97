"""The window's 校验提交材料包 shows a crafted package's names and manifest text with their
control characters made visible, as the CLI does (one function for both)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt


def _package(names: list[str], missing_name: str) -> bytes:
    buf = io.BytesIO()
    files = []
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, b"x")
            files.append({"path": name, "size": 1, "sha256": hashlib.sha256(b"x").hexdigest()})
        zf.writestr(
            "manifest.json",
            json.dumps(
                {
                    "format": "csr-submission-package",
                    "version": 1,
                    "files": files,
                    "missing_evidence": [{"indicator": 1, "name": missing_name, "reason": ""}],
                }
            ),
        )
    return buf.getvalue()


def test_the_window_shows_escape_codes_instead_of_obeying_them(
    qtbot: Any, make_window: Any, empty_project: Path, tmp_path: Path, fake_dialogs
) -> None:
    path = tmp_path / "恶意.zip"
    path.write_bytes(_package(["佐证材料/\x1b[2Jx.pdf\r结果：全部完整"], "\x1b]52;c;ZXZpbA==\x07"))
    window = make_window(empty_project)
    page = window.wizard.go_to(window.wizard.REVIEW)
    fake_dialogs.file = path
    qtbot.mouseClick(page.form.verifyPackageButton, Qt.MouseButton.LeftButton)
    [text] = fake_dialogs.texts("warning")
    assert "␛[2J" in text and "␍" in text and "␛]52;c;" in text
    assert not any(ord(ch) < 0x20 and ch != "\n" for ch in text), repr(text)


@pytest.mark.posix_only("makes a FIFO (os.mkfifo)")
def test_opening_a_fifo_as_a_project_is_a_message_not_a_hang(
    qtbot: Any, make_window: Any, tmp_path: Path, fake_dialogs
) -> None:
    import os

    fifo = tmp_path / "管道.csrproj"
    os.mkfifo(fifo)
    window = make_window()
    assert not window.open_project(fifo)
    [text] = fake_dialogs.texts("error")
    assert "管道.csrproj" in text and "命名管道" in text

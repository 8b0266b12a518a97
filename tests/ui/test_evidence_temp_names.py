"""Evidence opened from the window is copied out under a name Windows can create.

The copy's name came straight from the free-typed 材料名称 or the original file name: on
Windows `a:b.pdf` writes an NTFS stream of `a`, `?*"<>|` are refused and `CON.pdf` opens the
console device. The package's safe-name rule (`formats/safe_names.py`) decides it now.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.store import Project
from csr_desktop.formats.safe_names import is_safe_component
from csr_desktop.ui.evidence import EvidenceController
from csr_desktop.ui.session import Session


@pytest.mark.parametrize(
    ("name", "file_name", "expected"),
    [
        ("会议纪要", "纪要:第1次.pdf", "纪要_第1次.pdf"),
        ('制度?*"<>|', None, "制度______"),
        ("控制台", "CON.pdf", "_CON.pdf"),
        ("CON", None, "_CON"),
        ("路径", "..\\..\\Windows\\win.ini", "win.ini"),
        ("尾点", "报告. ", "报告"),
    ],
)
def test_the_temp_copy_has_a_safe_name(
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fake_dialogs,
    name: str,
    file_name: str | None,
    expected: str,
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    source = tmp_path / "evidence.bin"
    source.write_bytes(b"%PDF-1.4 evidence")
    path = tmp_path / "p.csrproj"
    Project.create(path).close()
    project = Project.open(path)
    stored = project.store_files([source])[0]
    item = EvidenceItem(name, "", file_name, stored.sha256, stored.size)
    assert project.set_evidence(1, [item], "test")
    session = Session(project)
    try:
        opened = EvidenceController(session, 1, None).open(0)  # type: ignore[arg-type]
        assert opened is not None and fake_dialogs.opened == [opened]
        from csr_desktop.ui.opened_copies import copy_name

        assert opened.name == copy_name(expected) and is_safe_component(opened.name)
        assert (tmp_path / "temp" / "csr-desktop") in opened.parents  # inside the temp folder
        assert opened.read_bytes() == b"%PDF-1.4 evidence"
    finally:
        session.close()
    assert not opened.exists()  # copies go when the project closes

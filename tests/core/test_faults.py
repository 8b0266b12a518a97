"""Full disk, read-only files and folders: a Chinese message naming the file, and no loss."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from csr_desktop.core.atomic import atomic_output
from csr_desktop.core.errors import CsrError, ProjectFileError
from csr_desktop.core.store import Project


@pytest.fixture
def project(tmp_path: Path):
    with Project.create(tmp_path / "满盘.csrproj") as p:
        p.set("company.name", "已保存的公司名")
        p.set_rating(1, 3)
        yield p


def _fill_disk(project: Project) -> None:
    """Injected SQLITE_FULL: the database may not grow by a single page."""
    (pages,) = project._db.execute("PRAGMA page_count").fetchone()
    project._db.execute(f"PRAGMA max_page_count={pages}")


def test_full_disk_on_edit_is_reported_and_loses_nothing(project: Project):
    _fill_disk(project)
    with pytest.raises(ProjectFileError) as err:
        project.set("indicator.2.narrative", "很长的介绍" * 20000)
    assert "磁盘空间不足" in err.value.zh and "满盘.csrproj" in err.value.zh
    assert project.assessment().answer(2).narrative == ""  # the model did not pretend to save
    assert project.undo_label.startswith("第1项")  # the failed edit is no undo step
    project._db.execute("PRAGMA max_page_count=1073741823")
    project.set_rating(4, 1)  # space again: work goes on
    with Project.open(project.path, readonly=True) as again:
        a = again.assessment()
        assert a.company["name"] == "已保存的公司名" and a.answer(1).rating == 3
        assert a.answer(4).rating == 1


def test_full_disk_during_evidence_copy_leaves_no_partial_blob(project: Project, tmp_path: Path):
    src = tmp_path / "大文件.bin"
    src.write_bytes(os.urandom(4 << 20))
    _fill_disk(project)
    with pytest.raises(ProjectFileError) as err:
        project.add_evidence_files(3, [src])
    assert "磁盘空间不足" in err.value.zh
    project._db.execute("PRAGMA max_page_count=1073741823")
    assert project._db.execute("SELECT count(*) FROM blobs").fetchone() == (0,)
    assert project.assessment().answer(3).evidence == ()


def test_read_only_project_opens_read_only_and_refuses_edits(tmp_path: Path, monkeypatch):
    path = tmp_path / "只读.csrproj"
    with Project.create(path) as p:
        p.set("company.name", "甲")
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda f, mode: False if mode == os.W_OK else real_access(f, mode)
    )
    with Project.open(path) as p:
        assert p.readonly
        with pytest.raises(ProjectFileError) as err:
            p.set("company.name", "乙")
        assert "只读" in err.value.zh and "只读.csrproj" in err.value.zh
        assert p.assessment().company["name"] == "甲"


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足"),
        (PermissionError(errno.EACCES, "Permission denied"), "没有权限"),
        (OSError(errno.EROFS, "Read-only file system"), "没有权限"),
    ],
)
def test_export_failure_leaves_no_partial_file(tmp_path: Path, failure: OSError, words: str):
    dest = tmp_path / "自评表.xlsx"
    with pytest.raises(CsrError) as err, atomic_output(dest) as fh:
        fh.write(b"half of a file")
        raise failure
    assert words in err.value.zh and "自评表.xlsx" in err.value.zh
    assert list(tmp_path.iterdir()) == []


def test_export_into_read_only_folder(tmp_path: Path, monkeypatch):
    import builtins

    real_open = builtins.open

    def refusing_open(file, mode="r", *args, **kwargs):
        if "w" in mode and Path(file).parent == tmp_path:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", refusing_open)
    with pytest.raises(CsrError) as err, atomic_output(tmp_path / "承诺书.pdf") as fh:
        fh.write(b"x")
    assert "没有权限写入" in err.value.zh and "承诺书.pdf" in err.value.zh
    assert list(tmp_path.iterdir()) == []


def test_existing_file_survives_a_failed_export(tmp_path: Path):
    dest = tmp_path / "自评表.xlsx"
    dest.write_bytes(b"the previous good export")
    with pytest.raises(CsrError), atomic_output(dest) as fh:
        fh.write(b"new")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert dest.read_bytes() == b"the previous good export"


def test_temp_file_of_a_killed_export_is_removed_by_the_next_one(tmp_path: Path):
    dest = tmp_path / "材料包.zip"
    stale = tmp_path / ".材料包.zip.tmp-999999999"  # no such process
    stale.write_bytes(b"left by a killed export")
    with atomic_output(dest) as fh:
        fh.write(b"complete")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["材料包.zip"]

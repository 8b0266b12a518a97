"""The project file: saved at once, undoable, audited, refusing what is not ours."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.errors import Cancelled, ProjectFileError, ProjectLockedError
from csr_desktop.core.store import SCHEMA_VERSION, Project


@pytest.fixture
def project(tmp_path: Path):
    with Project.create(tmp_path / "p.csrproj") as p:
        yield p


def test_a_rating_is_durable_the_moment_it_is_set(project: Project):
    project.set_rating(7, 2)
    with Project.open(project.path, readonly=True) as reader:  # a fresh reader sees it
        assert reader.assessment().answer(7).rating == 2


def test_values_are_checked(project: Project):
    for key, value in [
        ("indicator.7.rating", 6),
        ("indicator.7.rating", "2"),
        ("indicator.29.rating", 1),
        ("company.submission_date", "15/08/2024"),
        ("company.nonsense", "x"),
    ]:
        with pytest.raises(ValueError):
            project.set(key, value)
    assert project.assessment().answer(7).rating is None


def test_undo_and_redo_restore_and_persist(project: Project):
    project.set_rating(3, 1)
    project.set_rating(3, 4)
    assert project.undo_label.endswith("4.正在探索")
    project.undo()
    assert project.assessment().answer(3).rating == 1
    project.undo()
    assert project.assessment().answer(3).rating is None
    assert not project.can_undo
    project.redo()
    with Project.open(project.path, readonly=True) as reader:
        assert reader.assessment().answer(3).rating == 1


def test_a_batch_is_one_undo_step(project: Project):
    project.apply({"indicator.1.rating": 1, "indicator.2.rating": 2, "company.name": "甲"}, "导入")
    project.undo()
    a = project.assessment()
    assert a.answer(1).rating is None and a.answer(2).rating is None and a.company["name"] == ""


def test_typing_coalesces_into_one_undo_step_and_one_audit_row(project: Project):
    for n in range(1, 30):
        project.set("indicator.5.narrative", "字" * n, coalesce=True)
    rows = [e for e in project.audit_log() if e.key == "indicator.5.narrative"]
    assert len(rows) == 1 and rows[0].old is None and rows[0].new == "字" * 29
    project.undo()
    assert project.assessment().answer(5).narrative == ""


def test_audit_trail_records_who_what_old_and_new(project: Project):
    project.set("company.name", "甲公司")
    project.set("company.name", "乙公司")
    last = project.audit_log()[-1]
    assert (last.key, last.old, last.new) == ("company.name", "甲公司", "乙公司")
    assert last.user and last.at[:2] == "20"


def test_listeners_hear_each_change(project: Project):
    heard: list[frozenset[str]] = []
    project.subscribe(heard.append)
    project.set_rating(1, 1)
    project.set_rating(1, 1)  # no change, no event
    project.undo()
    assert heard == [frozenset({"indicator.1.rating"})] * 2


def test_evidence_is_streamed_in_hashed_and_deduplicated(project: Project, tmp_path: Path):
    src = tmp_path / "报告.pdf"
    src.write_bytes(bytes(range(256)) * 20000)  # 5 MB: several chunks
    copy = tmp_path / "副本.pdf"
    copy.write_bytes(src.read_bytes())
    [a] = project.add_evidence_files(4, [src])
    [b] = project.add_evidence_files(4, [copy])
    assert a.sha256 == b.sha256 and a.file_name == "报告.pdf" and b.file_name == "副本.pdf"
    (count,) = project._db.execute("SELECT count(*) FROM blobs").fetchone()
    assert count == 1
    assert b"".join(project.iter_file(a.sha256)) == src.read_bytes()
    assert project.file_is_intact(a.sha256)


def test_cancelled_ingest_leaves_nothing(project: Project, tmp_path: Path):
    src = tmp_path / "big.bin"
    src.write_bytes(b"x" * (5 << 20))
    with pytest.raises(Cancelled):
        project.store_file(src, lambda done, total: done < (2 << 20))
    assert project._db.execute("SELECT count(*) FROM blob_chunks").fetchone() == (0,)


def test_tampered_blob_is_detected(project: Project, tmp_path: Path):
    src = tmp_path / "a.txt"
    src.write_bytes(b"original")
    [item] = project.add_evidence_files(1, [src])
    project._db.execute("UPDATE blob_chunks SET data=?", (b"tampered",))
    assert not project.file_is_intact(item.sha256)


def test_evidence_must_refer_to_a_stored_file(project: Project):
    with pytest.raises(ValueError):
        project.set_evidence(1, [EvidenceItem("x", sha256="0" * 64)], "添加")


def test_indicator_set_is_stored_in_the_project(project: Project):
    assert project.meta("indicator_set_id") == project.indicator_set.id
    assert "责任意识建立" in (project.meta("indicator_set") or "")


def test_schema_version_is_in_user_version(project: Project):
    assert project._db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)


def test_second_writer_is_refused_but_readers_are_not(project: Project):
    with pytest.raises(ProjectLockedError):
        _open_as_other_process(project.path)
    Project.open(project.path, readonly=True).close()


def _open_as_other_process(path: Path) -> None:
    import json
    import socket

    from csr_desktop.core import system
    from csr_desktop.core.lock import lock_path

    info = json.loads(lock_path(path).read_text())
    assert info["host"] == socket.gethostname()
    info["pid"] = 1  # pid 1 is alive and is not us
    info["start"] = system.current().process_start(1)
    lock_path(path).write_text(json.dumps(info))
    Project.open(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "不存在"),
        (b"", "空文件"),
        (b"PK\x03\x04 garbage" * 20, "不是自评项目文件"),
        ("sqlite-foreign", "不是自评项目文件"),
        ("future", "更新版本"),
        ("missing-table", "缺少必要的数据表"),
    ],
)
def test_bad_project_files_are_refused_untouched(tmp_path: Path, content, words):
    path = tmp_path / "bad.csrproj"
    if content == "sqlite-foreign":
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE t(x)")
        db.commit()
        db.close()
    elif content in ("future", "missing-table"):
        Project.create(path).close()
        db = sqlite3.connect(path)
        if content == "future":
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
        else:
            db.execute("DROP TABLE audit")
        db.commit()
        db.close()
    elif content is not None:
        path.write_bytes(content)
    before = path.read_bytes() if path.exists() else None
    with pytest.raises(ProjectFileError) as err:
        Project.open(path)
    assert words in err.value.zh and "bad.csrproj" in err.value.zh
    assert (path.read_bytes() if path.exists() else None) == before


def test_save_copy_makes_an_independent_complete_file(project: Project, tmp_path: Path):
    project.set("company.name", "星澜")
    dest = tmp_path / "副本.csrproj"
    project.save_copy(dest)
    with Project.open(dest) as copy:
        assert copy.assessment().company["name"] == "星澜"

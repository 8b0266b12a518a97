"""The project file over a realistic afternoon: sequences a user runs, not features one by one.

Each test is a sequence from issue #12 that once jammed, lost or overwrote work.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from csr_desktop.cli import run_command
from csr_desktop.core.errors import Cancelled, CsrError, ProjectFileError
from csr_desktop.core.lock import lock_path
from csr_desktop.core.storage import blobs
from csr_desktop.core.storage.connection import Role, connect
from csr_desktop.core.store import Project
from tests.core.crashing import crash_mid_transaction

BIG = (blobs.CHUNKS_PER_COMMIT * 2 + 3) * blobs.CHUNK_SIZE  # spans several commit batches


def _file(path: Path, size: int, seed: int = 0) -> Path:
    block = (bytes([seed % 251]) + os.urandom(4095)) * 16
    with open(path, "wb") as fh:
        while size > 0:
            fh.write(block[: min(size, len(block))])
            size -= len(block)
    return path


def _cancel_after(n_bytes: int):
    def progress(done: int, _total: int) -> bool:
        return done < n_bytes

    return progress


def _assert_clean(p: Project) -> None:
    assert p.integrity_problems() == []
    db = p._db
    assert db.execute("SELECT count(*) FROM blobs WHERE complete=0").fetchone() == (0,)
    orphans = db.execute(
        "SELECT count(*) FROM blob_chunks WHERE blob_id NOT IN (SELECT id FROM blobs)"
    ).fetchone()
    assert orphans == (0,)


# ---- evidence never jams ---------------------------------------------------------------------


def test_cancel_a_big_copy_then_add_again_on_the_worker(tmp_path: Path):
    """添加 200 MB → 取消 part-way → 添加 any file: once 'UNIQUE constraint failed' for good."""
    big = _file(tmp_path / "宣传视频.mp4", BIG, 1)
    small = _file(tmp_path / "制度.pdf", 50_000, 2)
    with Project.open(Project.create(tmp_path / "p.csrproj").path) as p:
        ingest = p.ingest_on_worker()
        with pytest.raises(Cancelled):
            ingest([big], _cancel_after(blobs.CHUNK_SIZE * (blobs.CHUNKS_PER_COMMIT + 2)))
        stored = ingest([small], None)  # the worker's path, as the window uses it
        p.add_evidence_files(1, [small], stored=stored)
        again = p.ingest_on_worker()([big], None)
        p.add_evidence_files(2, [big], stored=again)
        _assert_clean(p)
    with Project.open(tmp_path / "p.csrproj") as p:
        assert [i.file_name for i in p.assessment().answer(2).evidence] == ["宣传视频.mp4"]
        assert p.file_is_intact(again[0].sha256)
        p.add_evidence_files(3, [_file(tmp_path / "新.txt", 10, 3)])
        _assert_clean(p)


def test_same_pdf_on_two_indicators_with_a_big_video(tmp_path: Path):
    """PDF on indicator 1, then the same PDF together with a big video on indicator 2."""
    pdf = _file(tmp_path / "年度报告.pdf", 300_000, 4)
    video = _file(tmp_path / "培训.mp4", BIG, 5)
    with Project.create(tmp_path / "p.csrproj") as p:
        p.add_evidence_files(1, [pdf])
        ingest = p.ingest_on_worker()
        stored = ingest([pdf, video], None)  # the PDF is a duplicate: its new blob is dropped
        p.add_evidence_files(2, [pdf, video], stored=stored)
        p.add_evidence_files(3, [_file(tmp_path / "其他.txt", 100, 6)])
        _assert_clean(p)
        assert p.pragma("foreign_keys") == 1


def test_blob_ids_are_never_reused(tmp_path: Path):
    with Project.create(tmp_path / "p.csrproj") as p:
        a = p.store_file(_file(tmp_path / "a.bin", 1000, 7))
        (first,) = p._db.execute("SELECT id FROM blobs WHERE sha256=?", (a.sha256,)).fetchone()
        p.prepare_for_writing()
        blobs.sweep(p._db, keep=set())  # unreferenced: removed
        b = p.store_file(_file(tmp_path / "b.bin", 1000, 8))
        (second,) = p._db.execute("SELECT id FROM blobs WHERE sha256=?", (b.sha256,)).fetchone()
        assert second > first


def _v1_project(tmp_path: Path, damaged: bool = True) -> Path:
    """A file as the first release left it: v1 schema, and (damaged) the chunks of a deleted
    blob and an interrupted copy left behind."""
    path = tmp_path / "旧版.csrproj"
    with Project.create(path) as p:
        p.add_evidence_files(1, [_file(tmp_path / "留下.pdf", 5000, 9)])
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys=OFF")
    db.executescript(
        """
        CREATE TABLE blobs_old(id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE,
            size INTEGER NOT NULL DEFAULT 0, added_at TEXT NOT NULL,
            complete INTEGER NOT NULL DEFAULT 0);
        INSERT INTO blobs_old SELECT * FROM blobs;
        DROP TABLE blobs;
        ALTER TABLE blobs_old RENAME TO blobs;
        DELETE FROM meta WHERE key='project_id';
        PRAGMA user_version=1;
        """
    )
    if damaged:
        db.executescript(
            """
        INSERT INTO blob_chunks VALUES(99, 0, x'00ff00ff');
        INSERT INTO blob_chunks VALUES(99, 1, x'00ff00ff');
        INSERT INTO blobs(id, added_at, complete) VALUES(50, '2026', 0);
        INSERT INTO blob_chunks VALUES(50, 0, x'0102');
        """
        )
    db.commit()
    db.close()
    return path


def test_a_damaged_first_release_file_opens_and_heals(tmp_path: Path):
    path = _v1_project(tmp_path)
    with Project.open(path) as p:
        _assert_clean(p)
        assert any("自动修复" in n for n in p.notices)
        assert p.audit_log()[-1].key == "project.repair"
        p.add_evidence_files(2, [_file(tmp_path / "新.pdf", 3000, 10)])
        (item,) = p.assessment().answer(1).evidence
        assert p.file_is_intact(item.sha256)
        assert p.pragma("user_version") == 2  # upgraded at the first write
        assert p.meta("project_id")


def test_a_crash_right_after_the_upgrade_keeps_the_edit(tmp_path: Path):
    """A first-release file is upgraded by the first write of a session and the writer dies
    in the middle of its next transaction: the upgrade and the first edit are committed in the
    main file, the journal holds the pre-images of the unfinished one; both survive."""
    path = _v1_project(tmp_path, damaged=False)
    crash_mid_transaction(path, ("indicator.4.remark", "升级后的第一次修改"))
    assert Path(f"{path}-journal").exists() and lock_path(path).exists()
    with Project.open(path) as p:
        assert p.get("indicator.4.remark") == "升级后的第一次修改"
        assert p.get("indicator.5.remark") is None  # the unfinished transaction is gone
        assert p.pragma("user_version") == 2
        _assert_clean(p)
    assert not Path(f"{path}-journal").exists() and not lock_path(path).exists()


def test_opening_and_refusing_leaves_a_first_release_file_untouched(tmp_path: Path):
    path = _v1_project(tmp_path, damaged=False)
    before = path.read_bytes()
    with Project.open(path) as p, pytest.raises(ValueError):
        p.set("indicator.1.rating", 9)  # refused input: nothing is written
    assert path.read_bytes() == before


# ---- side files that are not ours ----------------------------------------------------------


def _crashed(tmp_path: Path, name: str, narrative: str) -> Path:
    """A project whose writer died inside a transaction (its journal and lock left)."""
    path = tmp_path / "crashed" / f"{name}.csrproj"
    path.parent.mkdir(exist_ok=True)
    Project.create(path).close()
    crash_mid_transaction(path, ("indicator.1.narrative", narrative))
    assert Path(f"{path}-journal").stat().st_size > 0
    return path


def test_a_crashed_writers_own_journal_is_recovered_by_a_reader_and_a_writer(tmp_path: Path):
    crashed = _crashed(tmp_path, "本年度", "崩溃前最后一次保存")
    with Project.open(crashed, readonly=True) as p:
        assert p.get("indicator.1.narrative") == "崩溃前最后一次保存"
        assert p.get("indicator.5.remark") is None
        assert any("未正常关闭" in n for n in p.notices)
    with Project.open(crashed) as p:
        assert p.get("indicator.1.narrative") == "崩溃前最后一次保存"
        _assert_clean(p)
    assert sorted(f.name for f in crashed.parent.iterdir()) == [crashed.name]


def test_a_crashed_writers_journal_is_recovered_without_its_lock(tmp_path: Path):
    """Users delete the lock file by hand: that must never cost a saved edit."""
    crashed = _crashed(tmp_path, "本年度", "崩溃前最后一次保存")
    lock_path(crashed).unlink()
    with Project.open(crashed) as p:
        assert p.get("indicator.1.narrative") == "崩溃前最后一次保存"
        assert not p.readonly
        _assert_clean(p)


def test_a_project_copied_over_a_crashed_one_ignores_the_strangers_journal(tmp_path: Path):
    crashed = _crashed(tmp_path, "项目", "另一个项目的内容")
    other = tmp_path / "别人的.csrproj"
    with Project.create(other) as p:
        p.set("indicator.1.narrative", "复制过来的项目")
        for n in range(3, 9):
            p.set(f"indicator.{n}.remark", f"第{n}项")
    shutil.copy(other, crashed)  # the user copies a project over the crashed one
    journal = Path(f"{crashed}-journal")
    before = sorted((f.name, f.read_bytes()) for f in crashed.parent.iterdir())

    code = run_command(["dump", str(crashed)])  # read-only: must change nothing
    assert code == 0
    with Project.open(crashed, readonly=True) as p:
        assert p.get("indicator.1.narrative") == "复制过来的项目"
        assert any(journal.name in n for n in p.notices)
    with Project.open(crashed) as p:  # in doubt, move nothing: read-only, every file kept
        assert p.readonly and journal.name in p.readonly_reason
        assert p.get("indicator.1.narrative") == "复制过来的项目"
    assert sorted((f.name, f.read_bytes()) for f in crashed.parent.iterdir()) == before


def test_a_hot_journal_of_a_stranger_is_not_replayed_by_a_reader(tmp_path: Path):
    path = tmp_path / "p.csrproj"
    with Project.create(path) as p:
        p.set("indicator.1.remark", "原样")
    journal = Path(f"{path}-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + os.urandom(4000))
    before = path.read_bytes(), journal.read_bytes()
    assert run_command(["dump", str(path)]) == 0
    assert (path.read_bytes(), journal.read_bytes()) == before


# ---- nothing written by accident -------------------------------------------------------------


@pytest.mark.parametrize("option", ["--pdf", "--xlsx", "--document", "--package"])
def test_an_export_onto_the_project_itself_is_refused(tmp_path: Path, option: str, capsys):
    path = tmp_path / "p.csrproj"
    Project.create(path).close()
    before = path.read_bytes()
    link = tmp_path / "链接.csrproj"
    link.symlink_to(path)
    for dest in (path, link, Path(f"{path}-wal")):
        assert run_command(["export", str(path), option, str(dest)]) == 2
        err = capsys.readouterr().err
        assert "项目文件" in err and "内部错误" not in err
    assert path.read_bytes() == before
    with Project.open(path) as p:
        assert p.assessment().answer(1).rating is None


def test_planted_triggers_never_run_on_the_users_edits(tmp_path: Path):
    path = tmp_path / "收到的.csrproj"
    with Project.create(path) as p:
        for no in range(1, 6):
            p.set_rating(no, 2)
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TRIGGER evil AFTER INSERT ON audit BEGIN
            DELETE FROM audit WHERE id < NEW.id;
            UPDATE fields SET value='5' WHERE key='indicator.1.rating';
        END;
        CREATE VIEW v AS SELECT * FROM fields;
        CREATE INDEX sneaky ON fields(value);
        """
    )
    db.close()
    before = path.read_bytes()
    with Project.open(path) as p:
        assert p.readonly
        for word in ("evil", "sneaky", "触发器", "视图"):
            assert word in p.readonly_reason
        with pytest.raises(ProjectFileError):
            p.set_rating(2, 4)
        copy = tmp_path / "干净.csrproj"
        p.save_copy(copy)
    assert path.read_bytes() == before
    assert run_command(["attach", str(path), "1", str(_file(tmp_path / "x.pdf", 10))]) == 2
    with Project.open(copy) as clean:  # 另存为 gives a clean copy to work on
        assert not clean.readonly
        clean.set_rating(2, 4)
        assert len(clean.audit_log()) == 6
        assert clean.assessment().answer(1).rating == 2


def test_a_refused_import_leaves_a_delete_journal_file_byte_for_byte(tmp_path: Path, capsys):
    src = tmp_path / "p.csrproj"
    with Project.create(src) as p:
        p.set("company.name", "示例科技有限公司")
        copy = tmp_path / "副本.csrproj"
        p.save_copy(copy)  # 另存为 writes a DELETE-journal file
    before = copy.read_bytes()
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    assert run_command(["import-xlsx", str(bad), str(copy)]) == 2
    assert copy.read_bytes() == before
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(
        ["p.csrproj", "副本.csrproj", "坏.xlsx"]
    )


# ---- exactly one writer ----------------------------------------------------------------------

_HOLD = """
import sys, time
from csr_desktop.core.store import Project
from csr_desktop.core.errors import ProjectLockedError
try:
    p = Project.open(sys.argv[1])
except ProjectLockedError:
    print("locked", flush=True)
    sys.exit(0)
print("writer", flush=True)
time.sleep(float(sys.argv[2]))
p.close()
"""


def test_two_writers_racing_through_a_symlink_admit_exactly_one(tmp_path: Path):
    path = tmp_path / "p.csrproj"
    Project.create(path).close()
    link = tmp_path / "快捷方式.csrproj"
    link.symlink_to(path)
    for _round in range(4):
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _HOLD, str(p), "1.5"], stdout=subprocess.PIPE, text=True
            )
            for p in (path, link, path, link)
        ]
        outs = [proc.communicate(timeout=60)[0].strip() for proc in procs]
        assert sorted(outs) == ["locked", "locked", "locked", "writer"], outs
    assert not lock_path(path).exists()


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path):
    path = tmp_path / "p.csrproj"
    Project.create(path).close()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    lock_path(path).write_text(
        f'{{"pid": {dead}, "host": "{os.uname().nodename}", "user": "x"}}', encoding="utf-8"
    )
    with Project.open(path) as p:
        assert not p.readonly


def test_a_lock_path_that_is_a_folder_is_named(tmp_path: Path, capsys):
    path = tmp_path / "p.csrproj"
    Project.create(path).close()
    lock_path(path).mkdir()
    assert run_command(["attach", str(path), "1", str(_file(tmp_path / "a.pdf", 10))]) == 2
    err = capsys.readouterr().err
    assert "文件夹" in err and "内部错误" not in err


# ---- one connection, every pragma ------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.WRITER, Role.WORKER])
def test_every_writing_connection_has_the_pragmas_the_schema_relies_on(tmp_path: Path, role):
    path = tmp_path / "p.csrproj"
    Project.create(path).close()
    db = connect(path, role)
    try:
        assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert db.execute("PRAGMA synchronous").fetchone() == (3,)  # EXTRA
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert db.execute("PRAGMA trusted_schema").fetchone() == (0,)
    finally:
        db.close()


def test_the_projects_own_connection_is_durable_with_a_rollback_journal(tmp_path: Path):
    with Project.create(tmp_path / "p.csrproj") as p:
        p.set_rating(1, 1)
        assert p.pragma("synchronous") == 3  # EXTRA: the journal's deletion is synced too
        assert p.pragma("foreign_keys") == 1
        assert str(p.pragma("journal_mode")).lower() == "truncate"
        assert not Path(f"{p.path}-wal").exists() and not Path(f"{p.path}-shm").exists()


def test_a_reader_never_writes(tmp_path: Path):
    path = tmp_path / "p.csrproj"
    with Project.create(path) as p:
        p.set_rating(1, 1)
    with Project.open(path, readonly=True) as p:
        assert p.pragma("query_only") == 1
        with pytest.raises(CsrError):
            p.set_rating(1, 2)


# ---- one edit, one transaction ----------------------------------------------------------------


class _FailOnSecondInsert:
    """The project's connection, failing between two statements of one write."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db, self.inserts = db, 0

    def execute(self, sql: str, *args):
        if sql.startswith("INSERT"):
            self.inserts += 1
            if self.inserts == 2:
                raise sqlite3.OperationalError("disk I/O error")
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.db, name)


def test_a_failure_between_two_statements_of_one_import_applies_nothing(tmp_path: Path):
    path = tmp_path / "p.csrproj"
    with Project.create(path) as p:
        p.set("indicator.1.remark", "原来的")
        real = p._db
        p._db = _FailOnSecondInsert(real)  # type: ignore[assignment]
        with pytest.raises(CsrError):
            p.apply(
                {"indicator.1.remark": "导入的", "indicator.2.remark": "导入的"}, "从 x.xlsx 导入"
            )
        p._db = real
        assert p.get("indicator.1.remark") == "原来的"
        assert p.undo_label != "从 x.xlsx 导入"
    with Project.open(path, readonly=True) as p:
        assert p.get("indicator.1.remark") == "原来的"
        assert p.get("indicator.2.remark") is None
        assert [e.new for e in p.audit_log()] == ["原来的"]


def test_a_failure_between_field_and_audit_row_applies_nothing(tmp_path: Path):
    path = tmp_path / "p.csrproj"
    with Project.create(path) as p:
        real = p._db
        p._db = _FailOnSecondInsert(real)  # type: ignore[assignment]
        with pytest.raises(CsrError):
            p.set("indicator.3.remark", "一次编辑")  # field INSERT, then the audit INSERT fails
        p._db = real
    with Project.open(path, readonly=True) as p:
        assert p.get("indicator.3.remark") is None
        assert p.audit_log() == []


# ---- undo like a text editor ---------------------------------------------------------------


def test_paste_type_two_characters_undo_keeps_the_paste(tmp_path: Path):
    pasted = "本公司建立了完善的内容安全审核机制。" * 85  # ~1,500 characters
    with Project.create(tmp_path / "p.csrproj") as p:
        key = "indicator.7.narrative"
        p.set(key, pasted, coalesce=True)
        p.set(key, pasted + "新", coalesce=True)
        p.set(key, pasted + "新增", coalesce=True)
        p.undo()
        assert p.get(key) == pasted
        p.undo()
        assert not p.get(key)
        p.redo()
        assert p.get(key) == pasted
        p.redo()
        assert p.get(key) == pasted + "新增"


def test_typing_coalesces_by_word_and_undo_labels_are_chinese(tmp_path: Path):
    with Project.create(tmp_path / "p.csrproj") as p:
        key = "indicator.3.remark"
        text = ""
        for ch in "已建立制度，每年修订":
            text += ch
            p.set(key, text, coalesce=True)
        assert "indicator." not in p.undo_label and "备注" in p.undo_label
        p.undo()
        assert p.get(key) == "已建立制度，"
        p.undo()
        assert not p.get(key)
        p.set("company.name", "示例")
        assert "封面" in p.undo_label and "company." not in p.undo_label


def test_the_audit_has_one_row_per_undo_step(tmp_path: Path):
    with Project.create(tmp_path / "p.csrproj") as p:
        key = "indicator.3.narrative"
        text = ""
        for ch in "第一句。第二句":
            text += ch
            p.set(key, text, coalesce=True)
        p.set(key, text + "粘贴" * 50, coalesce=True)
        rows = [e for e in p.audit_log() if e.key == key]
        assert [r.new for r in rows] == ["第一句。", "第一句。第二句", text + "粘贴" * 50]


def test_a_file_that_changes_while_it_is_copied_is_refused(tmp_path: Path):
    """A scan still being written by the scanner software: the copy would match neither."""
    growing = _file(tmp_path / "扫描中.pdf", BIG, 11)
    with Project.create(tmp_path / "p.csrproj") as p:

        def append_once(done: int, _total: int) -> bool:
            if done == blobs.CHUNK_SIZE:
                with open(growing, "ab") as fh:
                    fh.write(b"more pages")
            return True

        with pytest.raises(CsrError) as err:
            p.store_files([growing], append_once)
        assert "扫描中.pdf" in err.value.zh and "修改" in err.value.zh
        _assert_clean(p)
        assert p.stored_file("0" * 64) is None
        assert p._db.execute("SELECT count(*) FROM blobs").fetchone() == (0,)

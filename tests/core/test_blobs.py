"""Evidence files in the project (core/storage/blobs.py), in the order a user meets them: a file
copied in whole and read back, the same file added twice, a copy cancelled or failing part-way,
a damaged file refused, leftovers swept. Small files and (where batches matter) small chunks, so
the whole file runs in about a second; the multi-MiB sequences live in test_project_in_use.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from csr_desktop.core.errors import Cancelled, InputFileError, ProjectFileError, StoredFileDamaged
from csr_desktop.core.storage import blobs
from csr_desktop.core.store import Project

SMALL = 64  # bytes per chunk where a test needs many chunks


@pytest.fixture
def project(tmp_path: Path) -> Any:
    with Project.create(tmp_path / "p.csrproj") as p:
        yield p


def _file(path: Path, size: int, seed: int = 1) -> Path:
    path.write_bytes(bytes((seed * 7 + i * 13) % 256 for i in range(size)))
    return path


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """What another connection (another process) sees in the project file."""
    other = sqlite3.connect(path)
    try:
        return other.execute(sql).fetchall()
    finally:
        other.close()


def _leftovers(path: Path) -> tuple[int, int]:
    ((n_blobs,),) = _rows(path, "SELECT count(*) FROM blobs")
    ((n_chunks,),) = _rows(path, "SELECT count(*) FROM blob_chunks")
    return n_blobs, n_chunks


def test_a_file_is_stored_whole_in_1_mib_chunks_and_read_back(project: Any, tmp_path: Path):
    content = _file(tmp_path / "年度报告.pdf", 3 * blobs.CHUNK_SIZE + 1).read_bytes()
    before = dt.datetime.now().astimezone().replace(microsecond=0)
    got = blobs.ingest(project._db, project.path, tmp_path / "年度报告.pdf")
    assert got.sha256 == hashlib.sha256(content).hexdigest()
    assert got.size == len(content)
    added = dt.datetime.fromisoformat(got.added_at)
    assert added.tzinfo is not None and added >= before
    lengths = _rows(project.path, "SELECT length(data) FROM blob_chunks ORDER BY seq")
    assert lengths == [(1 << 20,), (1 << 20,), (1 << 20,), (1,)]
    assert blobs.stored(project._db, got.sha256) == got
    assert b"".join(blobs.iter_chunks(project._db, got.sha256)) == content
    assert blobs.is_intact(project._db, got.sha256)
    out = io.BytesIO()
    assert blobs.copy_to(project._db, project.path, got.sha256, out) == len(content)
    assert out.getvalue() == content


def test_the_same_file_added_twice_is_stored_once(project: Any, tmp_path: Path):
    first = blobs.ingest(project._db, project.path, _file(tmp_path / "a.pdf", 5000))
    again = blobs.ingest(project._db, project.path, _file(tmp_path / "副本.pdf", 5000))
    assert again == first  # the first copy's date too
    assert _leftovers(project.path) == (1, 1)
    other = blobs.ingest(project._db, project.path, _file(tmp_path / "b.pdf", 5000, seed=2))
    assert other.sha256 != first.sha256
    assert _leftovers(project.path) == (2, 2)


def test_a_long_copy_commits_every_eight_chunks_and_reports_progress(
    project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Short write transactions: another connection sees the copied chunks batch by batch (an
    edit in the window never waits for a whole video), and progress counts every chunk."""
    monkeypatch.setattr(blobs, "CHUNK_SIZE", SMALL)
    source = _file(tmp_path / "培训.mp4", 20 * SMALL)
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> bool:
        ((visible,),) = _rows(project.path, "SELECT count(*) FROM blob_chunks")
        seen.append((done, total, visible))
        return True

    got = blobs.ingest(project._db, project.path, source, progress)
    assert [s[0] for s in seen] == [SMALL * k for k in range(1, 21)]
    assert {s[1] for s in seen} == {20 * SMALL}
    assert [s[2] for s in seen] == [k // blobs.CHUNKS_PER_COMMIT * 8 for k in range(1, 21)]
    assert blobs.CHUNKS_PER_COMMIT == 8
    assert b"".join(blobs.iter_chunks(project._db, got.sha256)) == source.read_bytes()
    assert not project._db.in_transaction


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.posix_only("counts open descriptors in /proc/self/fd")
def test_a_cancelled_copy_leaves_nothing_and_closes_the_source(
    project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """取消 after two commit batches: no half file stays, the source is not held open (on
    Windows an open handle would keep the user from moving it), and the same file can be added
    right after."""
    monkeypatch.setattr(blobs, "CHUNK_SIZE", SMALL)
    source = _file(tmp_path / "宣传视频.mp4", 30 * SMALL)
    fds = _open_fds()
    with pytest.raises(Cancelled) as cancelled:
        blobs.ingest(project._db, project.path, source, lambda done, _t: done < 20 * SMALL)
    assert _open_fds() == fds  # checked while the traceback still holds ingest's frame
    assert not [t for t in threading.enumerate() if t.name.startswith("csr-sha256")]
    del cancelled
    assert _leftovers(project.path) == (0, 0)
    assert not project._db.in_transaction
    got = blobs.ingest(project._db, project.path, source, None)
    assert blobs.is_intact(project._db, got.sha256)
    assert _leftovers(project.path) == (1, 30)


class _FailOn:
    """The project's connection, failing the first statement that starts with `prefix`."""

    def __init__(self, db: sqlite3.Connection, prefix: str) -> None:
        self.db, self.prefix, self.failed = db, prefix, False

    def execute(self, sql: str, *args: Any) -> Any:
        if not self.failed and sql.startswith(self.prefix):
            self.failed = True
            raise sqlite3.OperationalError("disk I/O error")
        return self.db.execute(sql, *args)

    @property
    def in_transaction(self) -> bool:
        return self.db.in_transaction


def test_a_write_failure_mid_copy_is_named_and_leaves_nothing(
    project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(blobs, "CHUNK_SIZE", SMALL)
    source = _file(tmp_path / "报告.pdf", 20 * SMALL)  # two batches committed before it fails
    failing = _FailOn(project._db, "UPDATE blobs SET sha256")
    with pytest.raises(ProjectFileError) as err:
        blobs.ingest(failing, project.path, source)  # type: ignore[arg-type]
    assert "p.csrproj" in str(err.value)
    assert _leftovers(project.path) == (0, 0)
    assert not project._db.in_transaction


def test_a_missing_source_is_named(project: Any, tmp_path: Path):
    with pytest.raises(InputFileError, match=r"找不到文件.*不存在\.pdf"):
        blobs.ingest(project._db, project.path, tmp_path / "不存在.pdf")
    with pytest.raises(InputFileError, match="找不到文件"):
        blobs.file_size(tmp_path / "不存在.pdf")
    assert blobs.file_size(_file(tmp_path / "x", 123)) == 123
    assert _leftovers(project.path) == (0, 0)


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (FileNotFoundError(2, "No such file"), "找不到文件 “a.pdf”"),
        (PermissionError(13, "Permission denied"), "没有权限读取文件 “a.pdf”"),
        (IsADirectoryError(21, "Is a directory"), "“a.pdf” 是文件夹，不是文件"),
        (OSError(5, "Input/output error"), "无法读取文件 “a.pdf”：Input/output error"),
    ],
)
def test_each_read_error_says_what_happened(error: OSError, words: str):
    made = blobs.input_error(Path("a.pdf"), error)
    assert isinstance(made, InputFileError)
    assert words in str(made)


def test_a_folder_given_as_a_file_is_named(project: Any, tmp_path: Path):
    with pytest.raises(InputFileError, match="是文件夹"):
        blobs.ingest(project._db, project.path, tmp_path)


def test_several_files_share_one_progress(project: Any, tmp_path: Path):
    files = [_file(tmp_path / f"{n}.pdf", size, seed=n) for n, size in enumerate([300, 500], 1)]
    seen: list[tuple[int, int]] = []
    got = blobs.ingest_batch(
        project._db, project.path, files, lambda d, t: seen.append((d, t)) is None
    )
    assert [g.size for g in got] == [300, 500]
    assert seen == [(300, 800), (800, 800)]
    assert blobs.ingest_batch(project._db, project.path, files, None) == got


def _damage(path: Path, sql: str) -> None:
    db = sqlite3.connect(path)
    db.execute(sql)
    db.commit()
    db.close()


def test_a_damaged_file_is_refused_never_served(project: Any, tmp_path: Path):
    got = blobs.ingest(project._db, project.path, _file(tmp_path / "a.pdf", 5000))
    _damage(project.path, "UPDATE blob_chunks SET data = zeroblob(5000)")
    assert not blobs.is_intact(project._db, got.sha256)
    with pytest.raises(ProjectFileError, match="已被篡改或损坏"):
        blobs.copy_to(project._db, project.path, got.sha256, io.BytesIO())


def test_a_file_not_stored_or_not_complete_is_not_found(project: Any, tmp_path: Path):
    unknown = "0" * 64
    assert blobs.stored(project._db, unknown) is None
    assert blobs.is_intact(project._db, unknown) is False
    with pytest.raises(KeyError):
        blobs.iter_chunks(project._db, unknown)
    with pytest.raises(ProjectFileError, match="找不到佐证材料"):
        blobs.copy_to(project._db, project.path, unknown, io.BytesIO())
    got = blobs.ingest(project._db, project.path, _file(tmp_path / "a.pdf", 100))
    _damage(project.path, "UPDATE blobs SET complete = 0")
    assert blobs.stored(project._db, got.sha256) is None
    assert not blobs.is_intact(project._db, got.sha256)


def test_reading_stops_at_a_gap_or_at_the_recorded_size(
    project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Damage a tool could leave: a missing chunk, or chunks beyond the file's size. Reading
    stops there (the hash check then refuses the file) instead of serving wrong bytes."""
    monkeypatch.setattr(blobs, "CHUNK_SIZE", SMALL)
    content = _file(tmp_path / "a.pdf", 4 * SMALL).read_bytes()
    got = blobs.ingest(project._db, project.path, tmp_path / "a.pdf")
    _damage(
        project.path,
        "INSERT INTO blob_chunks SELECT blob_id, 4, data FROM blob_chunks WHERE seq = 0",
    )
    assert b"".join(blobs.iter_chunks(project._db, got.sha256)) == content  # surplus ignored
    assert blobs.is_intact(project._db, got.sha256)
    _damage(project.path, "DELETE FROM blob_chunks WHERE seq = 2")
    assert b"".join(blobs.iter_chunks(project._db, got.sha256)) == content[: 2 * SMALL]
    assert not blobs.is_intact(project._db, got.sha256)


def _set_field(path: Path, key: str, value: str) -> None:
    _damage(path, f"INSERT OR REPLACE INTO fields(key, value) VALUES('{key}', '{value}')")


def test_sweep_removes_each_kind_of_leftover_and_keeps_what_fields_mention(
    project: Any, tmp_path: Path
):
    db = project._db
    kept = blobs.ingest(db, project.path, _file(tmp_path / "kept.pdf", 100, seed=1))
    dropped = blobs.ingest(db, project.path, _file(tmp_path / "gone.pdf", 100, seed=2))
    _set_field(project.path, "indicator.1.evidence", f'[{{"sha256": "{kept.sha256}"}}]')
    assert blobs.referenced_hashes(db) == {kept.sha256}
    nothing = blobs.sweep(db, keep={kept.sha256, dropped.sha256})
    assert nothing == (0, 0, 0) and not nothing.anything
    report = blobs.sweep(db)  # keep=None: what the fields mention
    assert report == (0, 0, 1) and report.anything
    assert blobs.stored(db, kept.sha256) == kept
    assert blobs.stored(db, dropped.sha256) is None
    assert _leftovers(project.path) == (1, 1)
    _damage(project.path, "INSERT INTO blob_chunks VALUES(999, 0, x'00')")
    _damage(project.path, "INSERT INTO blob_chunks VALUES(999, 1, x'00')")
    assert blobs.sweep(db) == (0, 2, 0)
    assert _leftovers(project.path) == (1, 1)
    _damage(project.path, "INSERT INTO blobs(added_at, complete) VALUES('2026', 0)")
    _damage(project.path, "INSERT INTO blob_chunks SELECT max(id), 0, x'01' FROM blobs")
    assert blobs.sweep(db) == (1, 0, 0)
    assert _leftovers(project.path) == (1, 1)
    assert not db.in_transaction


def test_sweep_words() -> None:
    words = blobs.SweepReport(1, 2, 3).words()
    assert words == "清理了 1 个未复制完的文件、2 个残留数据块、3 个不再使用的文件"


def test_a_sweep_that_fails_removes_nothing(project: Any, tmp_path: Path):
    db = project._db
    blobs.ingest(db, project.path, _file(tmp_path / "gone.pdf", 100))
    _damage(project.path, "INSERT INTO blob_chunks VALUES(999, 0, x'00')")
    failing = _FailOn(db, "DELETE FROM blob_chunks WHERE blob_id NOT IN")
    with pytest.raises(sqlite3.OperationalError):
        blobs.sweep(failing, keep=set())  # type: ignore[arg-type]
    assert not db.in_transaction
    assert _leftovers(project.path) == (1, 2)


def _wait_until(condition: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.002)


class _SlowFirstDigest:
    """A SHA-256 whose first update holds back: it waits until the copy has written two chunks,
    then up to 0.3 s more for a third chunk or a second update to start (with one hashing thread
    and at most two chunks waiting, neither can). It notes how many chunks had been written when
    it finished, and hashes exactly what it was given, in the order given."""

    def __init__(self, written: list[int]) -> None:
        self.parts: list[bytes] = []
        self.written = written
        self.other_started = threading.Event()
        self.calls = 0
        self.written_when_first_done: int | None = None

    def update(self, data: bytes) -> None:
        self.calls += 1
        if self.calls == 1:
            _wait_until(lambda: self.written[0] >= 2, 5.0)
            _wait_until(lambda: self.written[0] >= 3 or self.other_started.is_set(), 0.3)
            self.parts.append(bytes(data))
            self.written_when_first_done = self.written[0]
        else:
            self.other_started.set()
            self.parts.append(bytes(data))

    def hexdigest(self) -> str:
        return hashlib.sha256(b"".join(self.parts)).hexdigest()


def test_chunks_are_hashed_in_order_with_at_most_two_waiting(
    project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The hash runs on a second thread while SQLite writes: in file order (one worker), all of
    it before the hash is read, and never more than two chunks ahead of the writer (memory stays
    flat when hashing is the slower side)."""
    monkeypatch.setattr(blobs, "CHUNK_SIZE", SMALL)
    source = _file(tmp_path / "a.bin", 6 * SMALL)
    written = [0]
    digests: list[_SlowFirstDigest] = []

    real = hashlib.sha256

    def sha256(*data: bytes) -> Any:
        if data:  # another caller hashing bytes at once
            return real(*data)
        digests.append(_SlowFirstDigest(written))
        return digests[-1]

    def progress(done: int, _total: int) -> bool:
        written[0] += 1
        return True

    monkeypatch.setattr(hashlib, "sha256", sha256)
    got = blobs.ingest(project._db, project.path, source, progress)
    monkeypatch.undo()
    assert got.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    (digest,) = digests
    assert b"".join(digest.parts) == source.read_bytes()
    assert digest.written_when_first_done == 2  # the third chunk waited for the first hash


def test_without_foreign_keys_the_chunks_still_go(project: Any, tmp_path: Path):
    """A connection without foreign_keys (another tool, an old build) gets no cascade: the
    store deletes a blob's chunks itself."""
    source = _file(tmp_path / "a.pdf", 100)
    blobs.ingest(project._db, project.path, source)
    plain = sqlite3.connect(project.path, isolation_level=None)
    try:
        assert plain.execute("PRAGMA foreign_keys").fetchone() == (0,)
        blobs.ingest(plain, project.path, source)  # a duplicate: its new copy is dropped
        assert _leftovers(project.path) == (1, 1)
        assert blobs.sweep(plain, keep=set()) == (0, 0, 1)
    finally:
        plain.close()
    assert _leftovers(project.path) == (0, 0)


def test_a_cancelled_copy_whose_cleanup_fails_is_left_whole_for_the_sweep(
    project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Removing a cancelled copy is one transaction: if it fails half-way, the partial copy stays
    as it was (no blob row without its chunks), the connection is usable, the next open's sweep
    removes it."""
    monkeypatch.setattr(blobs, "CHUNK_SIZE", SMALL)
    source = _file(tmp_path / "a.bin", 20 * SMALL)
    failing = _FailOn(project._db, "DELETE FROM blobs WHERE id")
    with pytest.raises(Cancelled):
        blobs.ingest(failing, project.path, source, lambda done, _t: done < 17 * SMALL)  # type: ignore[arg-type]
    assert not project._db.in_transaction
    assert _leftovers(project.path) == (1, 16)  # two committed batches, nothing half-deleted
    assert blobs.sweep(project._db) == (1, 0, 0)
    assert _leftovers(project.path) == (0, 0)


# ---- a file copied from one project to another (new-year) --------------------------------


@pytest.fixture
def other(tmp_path: Path) -> Any:
    with Project.create(tmp_path / "新年度.csrproj") as p:
        yield p


def test_a_file_copies_across_chunk_by_chunk_in_short_batches(
    project: Any, other: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The stored chunks go across as they are, hash kept, committed every eight chunks (an
    edit never waits for a whole video), progress counting every chunk."""
    monkeypatch.setattr(blobs, "CHUNK_SIZE", SMALL)
    source = _file(tmp_path / "培训.mp4", 20 * SMALL + 5)
    got = blobs.ingest(project._db, project.path, source)
    seen: list[tuple[int, int, int]] = []

    def progress(done: int, total: int) -> bool:
        ((visible,),) = _rows(other.path, "SELECT count(*) FROM blob_chunks")
        seen.append((done, total, visible))
        return True

    copied = blobs.copy_between(
        project._db, project.path, other._db, other.path, got.sha256, progress
    )
    assert (copied.sha256, copied.size) == (got.sha256, got.size)
    assert [s[0] for s in seen] == [SMALL * k for k in range(1, 21)] + [20 * SMALL + 5]
    assert {s[1] for s in seen} == {got.size}
    assert [s[2] for s in seen] == [k // 8 * 8 for k in range(1, 22)]
    assert b"".join(blobs.iter_chunks(other._db, got.sha256)) == source.read_bytes()
    assert _rows(other.path, "SELECT seq, data FROM blob_chunks ORDER BY seq") == _rows(
        project.path, "SELECT seq, data FROM blob_chunks ORDER BY seq"
    )
    assert blobs.stored(other._db, got.sha256) == copied and not other._db.in_transaction
    again = blobs.copy_between(project._db, project.path, other._db, other.path, got.sha256)
    assert again == copied and _leftovers(other.path) == (1, 21)  # stored once


def test_a_damaged_or_missing_source_is_named_and_nothing_of_it_stays(
    project: Any, other: Any, tmp_path: Path
):
    got = blobs.ingest(project._db, project.path, _file(tmp_path / "a.pdf", 5000))
    _damage(project.path, "UPDATE blob_chunks SET data = zeroblob(5000)")
    with pytest.raises(StoredFileDamaged, match=r"p\.csrproj.*已被篡改或损坏"):
        blobs.copy_between(project._db, project.path, other._db, other.path, got.sha256)
    with pytest.raises(StoredFileDamaged, match=r"p\.csrproj.*找不到佐证材料"):
        blobs.copy_between(project._db, project.path, other._db, other.path, "0" * 64)
    assert _leftovers(other.path) == (0, 0) and not other._db.in_transaction


def test_a_cancelled_copy_across_leaves_nothing(
    project: Any, other: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(blobs, "CHUNK_SIZE", SMALL)
    got = blobs.ingest(project._db, project.path, _file(tmp_path / "a.pdf", 20 * SMALL))
    calls: list[int] = []

    def stop_after_ten(done: int, _total: int) -> bool:
        calls.append(done)
        return len(calls) < 10

    with pytest.raises(Cancelled):
        blobs.copy_between(
            project._db, project.path, other._db, other.path, got.sha256, stop_after_ten
        )
    assert _leftovers(other.path) == (0, 0) and blobs.stored(other._db, got.sha256) is None


def test_a_write_failure_across_is_named_after_the_destination(
    project: Any, other: Any, tmp_path: Path
):
    got = blobs.ingest(project._db, project.path, _file(tmp_path / "a.pdf", 5000))
    other._db.execute("PRAGMA query_only=ON")
    try:
        with pytest.raises(ProjectFileError, match=r"新年度\.csrproj") as err:
            blobs.copy_between(project._db, project.path, other._db, other.path, got.sha256)
    finally:
        other._db.execute("PRAGMA query_only=OFF")
    assert not isinstance(err.value, StoredFileDamaged)  # NEW failed, not the source
    assert _leftovers(other.path) == (0, 0)

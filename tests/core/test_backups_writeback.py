"""A backup and a restore of large evidence hand their bytes to the disk as they go (issue #30's
numbers): a backup writes its evidence copies past the page cache (O_DIRECT), a restore starts
the new file's writeback while building it, so the final fsync finds little left and the
project's own commits after each keystroke never queue behind a gigabyte of dirty pages. A file
system that refuses either still gets complete, synced files."""

from __future__ import annotations

import errno
import hashlib
import os
import sys
from pathlib import Path

import pytest

from csr_desktop.core.backups import writeback
from csr_desktop.core.backups.restore import restore
from csr_desktop.core.backups.take import take_backup
from csr_desktop.core.storage import blobs
from csr_desktop.core.storage.connection import Role, connect
from csr_desktop.core.store import Project

WRITE, WAIT = 2, 1 | 2 | 4
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="sync_file_range is Linux's")


class Recorder:
    """Stands between WriteBehind and the kernel: what was asked, per file."""

    def __init__(self, real: writeback.SyncRange | None, answer: int | None = None) -> None:
        self.real, self.answer = real, answer
        self.calls: list[tuple[int, int, int, int]] = []  # (inode, offset, length, flags)
        self.fsynced: set[int] = set()

    def __call__(self, fd: int, offset: int, length: int, flags: int) -> int:
        self.calls.append((os.fstat(fd).st_ino, offset, length, flags))
        if self.answer is not None:
            return self.answer
        assert self.real is not None
        return self.real(fd, offset, length, flags)

    def unwritten_at_most(self, inode: int) -> int:
        """The most bytes ever started but not yet waited for, for one file."""
        worst, waited = 0, 0
        for ino, offset, length, flags in self.calls:
            if ino != inode:
                continue
            if flags == WAIT:
                assert offset == waited, "windows are waited for in order"
                waited = offset + length
            else:
                worst = max(worst, offset + length - waited)
        return worst


SIZE = (40 << 20) + 1234  # not a whole number of blocks: the padded tail is cut off again


@pytest.fixture
def big_project(tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "p.csrproj"
    Project.create(project).close()
    big = tmp_path / "材料.bin"
    big.write_bytes(os.urandom(SIZE))
    with Project.open(project) as p:
        p.add_evidence_files(1, [big])
    return project, big


def _refuse_direct_io(monkeypatch: pytest.MonkeyPatch) -> None:
    """What tmpfs and many FUSE or network mounts answer to O_DIRECT."""
    real_open = os.open

    def fake_open(path: object, flags: int, *args: object) -> int:
        if flags & getattr(os, "O_DIRECT", 0):
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", fake_open)


def _copy_in_store(store: Path, big: Path) -> Path:
    sha = hashlib.sha256(big.read_bytes()).hexdigest()
    return next(store.rglob(sha))


@linux_only
def test_a_backup_writes_evidence_past_the_page_cache_then_syncs_it(
    big_project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project, big = big_project
    opened: dict[str, int] = {}
    fsynced: list[int] = []
    real_open, real_fsync = os.open, os.fsync

    def spy_open(path: object, flags: int, *args: object) -> int:
        fd = real_open(path, flags, *args)  # type: ignore[arg-type]
        opened[str(path)] = flags
        return fd

    def spy_fsync(fd: int) -> None:
        fsynced.append(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "fsync", spy_fsync)
    result = take_backup(project, tmp_path / "b")
    copy = _copy_in_store(tmp_path / "b", big)
    [flags] = [f for name, f in opened.items() if Path(name).name.startswith(f".{copy.name}")]
    assert flags & os.O_DIRECT
    assert copy.stat().st_size == SIZE
    assert copy.stat().st_ino in fsynced  # still durable before it is listed
    restored = tmp_path / "r.csrproj"
    restore(result.path, restored)
    assert _stored_hashes(restored) == {copy.name}


@linux_only
def test_where_direct_io_is_refused_a_backup_keeps_at_most_two_windows_unwritten(
    big_project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project, big = big_project
    _refuse_direct_io(monkeypatch)
    rec = Recorder(writeback._sync_range)
    monkeypatch.setattr(writeback, "_sync_range", rec)
    result = take_backup(project, tmp_path / "b")
    copy = _copy_in_store(tmp_path / "b", big)
    inode = copy.stat().st_ino
    started = [(o, n) for ino, o, n, f in rec.calls if ino == inode and f == WRITE]
    assert started == [(k * writeback.WINDOW, writeback.WINDOW) for k in range(5)]
    assert rec.unwritten_at_most(inode) <= 2 * writeback.WINDOW
    restored = tmp_path / "r.csrproj"
    restore(result.path, restored)
    assert _stored_hashes(restored) == {copy.name}


@linux_only
def test_a_direct_write_refused_half_way_is_finished_through_the_page_cache(
    big_project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import fcntl

    project, big = big_project
    real_write = os.write
    calls = [0]

    def flaky_write(fd: int, data: object) -> int:
        if fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_DIRECT:
            calls[0] += 1
            if calls[0] == 3:
                raise OSError(errno.EINVAL, "Invalid argument")
        return real_write(fd, data)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "write", flaky_write)
    result = take_backup(project, tmp_path / "b")
    assert calls[0] == 3
    copy = _copy_in_store(tmp_path / "b", big)
    assert copy.stat().st_size == SIZE
    restored = tmp_path / "r.csrproj"
    restore(result.path, restored)
    assert _stored_hashes(restored) == {copy.name}


@linux_only
def test_a_restore_hands_the_new_project_to_the_disk_while_it_builds_it(
    big_project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project, big = big_project
    result = take_backup(project, tmp_path / "b")
    rec = Recorder(writeback._sync_range)
    monkeypatch.setattr(writeback, "_sync_range", rec)
    restored = tmp_path / "r.csrproj"
    restore(result.path, restored)
    inode = restored.stat().st_ino
    started = sum(n for ino, _o, n, f in rec.calls if ino == inode and f == WRITE)
    assert started >= 24 << 20  # most of the 40 MB went to the disk before the final fsync
    assert rec.unwritten_at_most(inode) <= 2 * writeback.WINDOW
    assert _stored_hashes(restored) == {hashlib.sha256(big.read_bytes()).hexdigest()}
    db = connect(restored, Role.READER)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        sizes = {n for (n,) in db.execute("SELECT length(data) FROM blob_chunks")}
        assert sizes == {blobs.CHUNK_SIZE, SIZE % blobs.CHUNK_SIZE}  # the project's chunking
    finally:
        db.close()


def test_a_file_system_that_refuses_early_writeback_still_gets_whole_synced_files(
    big_project: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project, big = big_project
    _refuse_direct_io(monkeypatch)
    rec = Recorder(None, answer=-1)  # e.g. EINVAL from a FUSE share
    monkeypatch.setattr(writeback, "_sync_range", rec)
    result = take_backup(project, tmp_path / "b")
    restored = tmp_path / "r.csrproj"
    restore(result.path, restored)
    assert _stored_hashes(restored) == {hashlib.sha256(big.read_bytes()).hexdigest()}
    per_file: dict[int, int] = {}
    for ino, *_ in rec.calls:
        per_file[ino] = per_file.get(ino, 0) + 1
    assert per_file and max(per_file.values()) == 1  # refused once, then not asked again


def _stored_hashes(project: Path) -> set[str]:
    """The SHA-256 of every file as read back from the project's chunks."""
    db = connect(project, Role.READER)
    try:
        found = set()
        for (sha,) in db.execute("SELECT sha256 FROM blobs WHERE complete=1").fetchall():
            digest = hashlib.sha256()
            for chunk in blobs.iter_chunks(db, sha):
                digest.update(chunk)
            assert digest.hexdigest() == sha
            found.add(sha)
        return found
    finally:
        db.close()


def test_each_evidence_folder_is_synced_once_before_the_backup_names_its_files(
    sample_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """One folder sync per shard for the whole set, not one per file; still before the
    manifest that names the files is written (a rename a power cut undid is never listed)."""
    from csr_desktop.core.backups import files

    events: list[tuple[str, str]] = []
    real_sync, real_write = files.sync_folder, files.write_json

    def sync_folder(folder: Path) -> None:
        events.append(("sync", str(folder)))
        real_sync(folder)

    def write_json(final: Path, data: object, compress: bool) -> int:
        events.append(("write", final.name))
        return real_write(final, data, compress)

    monkeypatch.setattr(files, "sync_folder", sync_folder)
    monkeypatch.setattr(files, "write_json", write_json)
    result = take_backup(sample_project, tmp_path / "b")
    shards = {str(p.parent) for p in (tmp_path / "b").rglob("*") if p.parent.parent.name == "blobs"}
    synced = [f for kind, f in events if kind == "sync" and f in shards]
    assert sorted(synced) == sorted(shards)  # each once
    manifest_at = events.index(("write", result.path.name))
    assert all(events.index(("sync", f)) < manifest_at for f in shards)
    assert ("sync", str(tmp_path / "b" / result.path.parent.name / "blobs")) in events[:manifest_at]


@linux_only
@pytest.mark.parametrize("refuse", ["open", "read"])
def test_a_store_file_is_read_back_whole_where_direct_io_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refuse: str
):
    """What a restore reads: every byte, in order, whether the mount refuses O_DIRECT when the
    file is opened or only at the first read."""
    from csr_desktop.core.backups import direct

    path = tmp_path / "blob"
    data = os.urandom((3 << 20) + 777)
    path.write_bytes(data)
    if refuse == "open":
        _refuse_direct_io(monkeypatch)
    else:

        def no_direct_read(fd: int, view: memoryview) -> int:
            raise OSError(errno.EINVAL, "Invalid argument")

        monkeypatch.setattr(direct, "_read_into", no_direct_read)
    chunks = list(direct.read_chunks(path, 1 << 20))
    assert b"".join(chunks) == data
    assert [len(c) for c in chunks] == [1 << 20] * 3 + [777]


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4 << 20, (4 << 20) + 1, (9 << 20) + 4097])
def test_a_store_file_holds_exactly_the_bytes_written_whatever_their_length(
    tmp_path: Path, size: int
):
    """An empty evidence file, a tail shorter than a block, a whole buffer: the padding direct
    I/O needs never stays in the file."""
    from csr_desktop.core.backups import direct

    data = os.urandom(size)
    path = tmp_path / "blob"
    with direct.StoreFileWriter(path) as out:
        for start in range(0, size, 1 << 20):
            out.write(data[start : start + (1 << 20)])
        out.finish()
    assert path.read_bytes() == data
    assert b"".join(direct.read_chunks(path, 1 << 20)) == data

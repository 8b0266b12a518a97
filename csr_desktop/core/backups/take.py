"""Taking a backup: read the project in one short read transaction (fields, catalogue, meta,
the audit rows since the last backup), then copy only the evidence the store does not hold yet,
one chunk per statement, hashed as it is written.

The project is only ever read: opened read-only (its trust rules judge any side file), then a
reader connection of our own. A backup never holds the project for longer than one statement
(storage-design.md), so typing in the window is never held back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

from csr_desktop.core.backups import files, rotation
from csr_desktop.core.backups.direct import StoreFileWriter
from csr_desktop.core.backups.files import BackupError, blob_path
from csr_desktop.core.backups.location import project_folder
from csr_desktop.core.backups.store_lock import StoreLock
from csr_desktop.core.errors import Cancelled, CsrError, ProjectFileError, quoted
from csr_desktop.core.storage import blobs
from csr_desktop.core.storage.connection import Role, connect

FORMAT = "csr-desktop-backup"
VERSION = 1
AUDIT_OVERLAP = 4  # rows before the last backed-up one that are read again (a growing
# typing step updates its own audit row, and audit-only notes may have come after it)
FULL_CHECK_EVERY = dt.timedelta(days=7)

Progress = Callable[[int, int], bool]
Clock = Callable[[], dt.datetime]


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class BackupResult(NamedTuple):
    id: str
    path: Path
    taken_at: str
    size: int  # bytes of the project this backup stands for (fields, audit, evidence)
    new_bytes: int  # bytes this backup added to the store
    new_files: int  # evidence files copied (the rest were already in the store)
    reused_files: int
    dropped: tuple[str, ...]  # backups the rotation removed afterwards
    damaged: tuple[str, ...]  # files the scheduled re-hash found damaged (and removed)
    full_check: bool  # whether every file of the store was re-hashed this time

    def line(self) -> str:
        return (
            f"已备份：{self.id}（{self.path}），新增 {self.new_bytes:,} 字节"
            f"（复制了 {self.new_files} 个佐证材料文件，{self.reused_files} 个已在备份中）"
        )


class _Snapshot(NamedTuple):
    project_id: str
    schema_version: int
    meta: dict[str, str]
    fields: list[tuple[str, str]]
    catalogue: list[tuple[str, int, str]]  # sha256, size, added_at
    audit: list[list[Any]]  # id, at, user, key, old, new, label (ids >= the overlap start)
    last_audit_id: int


def take_backup(
    project_path: Path,
    root: Path,
    *,
    clock: Clock = local_now,
    workers: int = 2,
    progress: Progress | None = None,
) -> BackupResult:
    """A backup of `project_path` into `root`; raises BackupError / ProjectFileError, leaving
    every earlier backup and the project as they were."""
    project_path = Path(project_path)
    project_id, source = _identify(project_path)
    folder = project_folder(root, project_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            f"无法创建备份文件夹 {quoted(folder)}：{exc.strerror or exc}",
            f"cannot create {folder}: {exc}",
        ) from exc
    try:
        with StoreLock(folder):
            return _take_locked(project_path, project_id, source, folder, clock, workers, progress)
    except OSError as exc:
        from csr_desktop.core.errors import write_error

        raise write_error(folder, exc) from exc


def _identify(path: Path) -> tuple[str, str]:
    """Open read-only the way every reader does (trust rules, checks); the id and real path."""
    from csr_desktop.core.storage.project import ProjectFile as Project

    with Project.open(path, readonly=True) as project:
        return project.project_id, str(Path(path).resolve())


def _take_locked(
    project_path: Path,
    project_id: str,
    source: str,
    folder: Path,
    clock: Clock,
    workers: int,
    progress: Progress | None,
) -> BackupResult:
    now = clock()
    files.remove_temps(folder)
    damaged, checked = _scheduled_check(folder, now)  # first: what it removes is copied again
    previous = latest_manifest(folder)
    prev_last = int(previous["audit"]["last_id"]) if previous else 0
    snap = _read_snapshot(project_path, max(0, prev_last - AUDIT_OVERLAP + 1) if prev_last else 0)
    chain, chain_last = previous, prev_last  # the segments this backup continues, after which row
    if previous is not None:
        ours = previous["audit"]
        whole = all(files.segment_path(folder, n).is_file() for n in ours["segments"])
        if whole and _rows_hash(snap.audit, prev_last - AUDIT_OVERLAP, prev_last) == ours["tail"]:
            pass
        elif (
            whole
            and ours.get("tail_before")
            == _rows_hash(snap.audit, prev_last - AUDIT_OVERLAP, prev_last - 1)
            and any(int(r[0]) == prev_last for r in snap.audit)
        ):
            chain_last = prev_last - 1  # only the last row changed: a typing step that grew
        else:
            # the rows the previous backup ended with differ: another file with this project's
            # id (a copy, a restored project) whose history parts from this one; or a segment
            # was found damaged and removed. Read the whole trail again.
            chain, chain_last = None, 0
            snap = _read_snapshot(project_path, 0)
    snap = snap._replace(project_id=project_id)
    copied, reused, blob_bytes = _copy_evidence(project_path, folder, snap, workers, progress)
    segments, segment_bytes = _audit_segments(folder, snap, chain, chain_last)
    ident = _new_id(folder, now, snap.project_id)
    size = sum(len(v) for _, v in snap.fields) + sum(s for _, s, _ in snap.catalogue)
    taken_at = now.isoformat(timespec="seconds")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "id": ident,
        "project_id": snap.project_id,
        "taken_at": taken_at,
        "taken_by": _user(),
        "source": source,
        "schema_version": snap.schema_version,
        "meta": snap.meta,
        "fields": dict(snap.fields),
        "catalogue": [{"sha256": s, "size": n, "added_at": a} for s, n, a in snap.catalogue],
        "audit": {
            "segments": segments,
            "last_id": snap.last_audit_id,
            "tail": _rows_hash(snap.audit, snap.last_audit_id - AUDIT_OVERLAP, snap.last_audit_id),
            "tail_before": _rows_hash(
                snap.audit, snap.last_audit_id - AUDIT_OVERLAP, snap.last_audit_id - 1
            ),
        },
        "summary": _summary(snap, prev_last, previous is None),
        "size": size,
        "new_files": copied,
    }
    final = folder / f"{ident}{files.SUFFIX}"
    manifest_bytes = _write_verified(folder, final, manifest)
    new_bytes = blob_bytes + segment_bytes + manifest_bytes
    _update_index(folder, snap.project_id, source, ident)
    dropped = rotate(folder, now)
    return BackupResult(
        ident,
        final,
        taken_at,
        size,
        new_bytes,
        copied,
        reused,
        tuple(dropped),
        tuple(damaged),
        checked,
    )


def _user() -> str:
    from csr_desktop.core.storage.project import os_user

    return os_user()


def _read_snapshot(project_path: Path, audit_from: int) -> _Snapshot:
    """Everything but the evidence bytes, in one short read transaction (milliseconds)."""
    try:
        db = connect(project_path, Role.READER)
    except Exception as exc:
        from csr_desktop.core.errors import open_error

        raise open_error(project_path, exc) from exc
    try:
        db.execute("BEGIN")
        try:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            meta = {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta")}
            fields = [
                (str(k), str(v))
                for k, v in db.execute("SELECT key, value FROM fields ORDER BY key")
            ]
            catalogue = [
                (str(s), int(n), str(a))
                for s, n, a in db.execute(
                    "SELECT sha256, size, added_at FROM blobs WHERE complete=1 ORDER BY id"
                )
            ]
            audit = [
                list(r)
                for r in db.execute(
                    "SELECT id, at, user, key, old, new, label FROM audit WHERE id>=? ORDER BY id",
                    (audit_from,),
                )
            ]
            (last,) = db.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()
        finally:
            db.execute("COMMIT")
    except Exception as exc:
        from csr_desktop.core.errors import open_error

        raise open_error(project_path, exc) from exc
    finally:
        db.close()
    return _Snapshot(
        meta.get("project_id", ""), int(version), meta, fields, catalogue, audit, int(last)
    )


def _copy_evidence(
    project_path: Path,
    folder: Path,
    snap: _Snapshot,
    workers: int,
    progress: Progress | None,
) -> tuple[int, int, int]:
    """Copy each evidence file the store lacks; returns (copied, reused, bytes written)."""
    todo = []
    reused = 0
    for sha, size, _added in snap.catalogue:
        final = blob_path(folder, sha)
        try:
            present = final.stat().st_size == size
        except OSError:
            present = False
        if present:
            reused += 1
        else:
            todo.append((sha, size))
    total = sum(s for _, s in todo)
    done = [0]
    import threading

    guard = threading.Lock()
    stop = threading.Event()

    def step(n: int) -> bool:
        with guard:
            done[0] += n
            ok = progress(done[0], total) if progress else True
        if not ok:
            stop.set()
        return ok and not stop.is_set()

    def one(item: tuple[str, int]) -> int:
        return _copy_blob(project_path, folder, item[0], item[1], step)

    if not todo:
        return 0, reused, 0
    shards = {blob_path(folder, sha).parent for sha, _ in todo}
    fresh = not all(shard.is_dir() for shard in shards)
    with ThreadPoolExecutor(max(1, workers), thread_name_prefix="csr-backup") as pool:
        futures = [pool.submit(one, item) for item in todo]
        written = 0
        error: BaseException | None = None
        for f in futures:
            try:
                written += f.result()
            except BaseException as exc:  # the first failure is reported, the rest stop
                stop.set()
                error = error or exc
        if error is not None:
            raise error
    # the renames become durable here, once per folder, before any manifest names the files
    # (a file whose rename a power cut undid is only copied again by the next backup)
    for shard in sorted(shards):
        files.sync_folder(shard)
    if fresh:
        files.sync_folder(folder / "blobs")
    return len(todo), reused, written


def _copy_blob(
    project_path: Path, folder: Path, sha: str, size: int, step: Callable[[int], bool]
) -> int:
    """One evidence file into the store: hashed as written, renamed into place only if its
    SHA-256 is the one the project records."""
    final = blob_path(folder, sha)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = files.tmp_name(final)
    db = connect(project_path, Role.READER)
    digest = hashlib.sha256()
    written = 0
    try:
        with StoreFileWriter(tmp) as out:
            try:
                chunks = blobs.iter_chunks(db, sha)  # one chunk per statement
            except KeyError as exc:
                raise _evidence_damaged(project_path, sha) from exc
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
                written += len(chunk)
                if not step(len(chunk)):
                    raise Cancelled()
            out.finish()
        if digest.hexdigest() != sha or written != size:
            raise _evidence_damaged(project_path, sha)
        os.replace(tmp, final)  # its folder is synced once all files are in (_copy_evidence)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        db.close()
    return written


def _evidence_damaged(project_path: Path, sha: str) -> ProjectFileError:
    return ProjectFileError(
        f"项目文件 {quoted(project_path)} 中的佐证材料（SHA-256 {sha[:12]}…）已损坏或缺失，"
        "未备份；此前的备份不受影响",
        f"stored file {sha} fails its hash; backup not taken",
    )


def _rows_hash(rows: list[list[Any]], after: int, upto: int) -> str:
    """A fingerprint of the audit rows after id `after` up to `upto`: the next backup tells by
    it whether the rows a backup ended with are still the same (or only the last one grew)."""
    tail = [r for r in rows if after < int(r[0]) <= upto]
    raw = json.dumps(tail, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()


def _audit_segments(
    folder: Path,
    snap: _Snapshot,
    previous: dict[str, Any] | None,
    prev_last: int,
) -> tuple[list[str], int]:
    """The previous backup's segments plus one of the rows after `prev_last` (rows read again
    to check the previous tail are not written again; a later segment's row wins)."""
    segments: list[str] = list(previous["audit"]["segments"]) if previous else []
    rows = [r for r in snap.audit if int(r[0]) > prev_last]
    if not rows:
        return segments, 0
    name, written = files.write_segment(folder, rows)
    if name not in segments:
        segments.append(name)
    return segments, written


def _summary(snap: _Snapshot, prev_last: int, first: bool) -> dict[str, Any]:
    """What changed since the previous backup and by whom, for the list of backups."""
    from csr_desktop.core.indicators import IndicatorSet
    from csr_desktop.core.model.fields import describe as describe_key

    rows = [r for r in snap.audit if int(r[0]) > prev_last]
    try:
        iset = IndicatorSet.from_json(snap.meta["indicator_set"], "backup")
        words = [describe_key(iset, str(r[3])) for r in rows]
    except (KeyError, ValueError, CsrError):
        words = [str(r[3]) for r in rows]
    seen: list[str] = []
    for w in words:
        if w not in seen:
            seen.append(w)
    users = sorted({str(r[2]) for r in rows})
    return {"first": first, "changes": len(rows), "fields": seen[:20], "users": users}


def _new_id(folder: Path, now: dt.datetime, project_id: str) -> str:
    base = f"{now.strftime('%Y%m%d-%H%M%S')}-{project_id[:8] or 'project'}"
    ident, n = base, 1
    while (folder / f"{ident}{files.SUFFIX}").exists():
        n += 1
        ident = f"{base}-{n}"
    return ident


def _write_verified(folder: Path, final: Path, manifest: dict[str, Any]) -> int:
    """Write the manifest, read it back and check that every file it names is in the store:
    a backup counts (and the rotation may drop older ones) only once this passed."""
    written = files.write_json(final, manifest, compress=True)
    try:
        problems = verify_manifest(folder, files.read_json(final, compressed=True), rehash=False)
    except BackupError as exc:
        problems = [exc.zh]
    if problems:
        files.unlink_all([final])
        raise BackupError(
            f"备份 {quoted(final)} 写入后校验失败：{problems[0]}；已删除这份备份，此前的备份不受影响",
            f"backup {final} failed its check: {problems[0]}",
        )
    return written


def verify_manifest(folder: Path, manifest: dict[str, Any], rehash: bool) -> list[str]:
    """What is missing or damaged among the files a backup needs (empty: restorable)."""
    problems: list[str] = []
    if manifest.get("format") != FORMAT:
        return [f"{quoted(folder)} 中的文件不是本软件的备份"]
    for item in manifest["catalogue"]:
        path = blob_path(folder, item["sha256"])
        try:
            if path.stat().st_size != int(item["size"]):
                problems.append(f"佐证材料 {quoted(path)} 大小不符")
            elif rehash and files.hash_file(path) != item["sha256"]:
                problems.append(f"佐证材料 {quoted(path)} 已损坏（SHA-256 不符）")
        except OSError:
            problems.append(f"佐证材料 {quoted(path)} 缺失")
    for name in manifest["audit"]["segments"]:
        path = files.segment_path(folder, name)
        try:
            if rehash:
                files.read_segment(folder, name)
            elif not path.is_file():
                problems.append(f"修改记录 {quoted(path)} 缺失")
        except BackupError as exc:
            problems.append(exc.zh)
    return problems


def read_manifest(path: Path) -> dict[str, Any]:
    data = files.read_json(path, compressed=True)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{quoted(path)} 不是本软件的备份文件", f"{path} is not a backup")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise BackupError(
            f"备份 {quoted(path)} 由更新版本的软件创建，请升级本软件后再恢复",
            f"{path} has backup format {data.get('version')}",
        )
    if not _well_formed(data):
        raise BackupError(f"备份文件 {quoted(path)} 已损坏，无法读取", f"{path} is malformed")
    return data


def _well_formed(data: dict[str, Any]) -> bool:
    """Every part a restore or the list reads has the type it must have."""
    try:
        audit = data["audit"]
        return (
            all(isinstance(data[k], str) for k in ("id", "taken_at", "project_id"))
            and isinstance(data["schema_version"], int)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in data["meta"].items())
            and "indicator_set" in data["meta"]
            and all(isinstance(k, str) and isinstance(v, str) for k, v in data["fields"].items())
            and all(
                isinstance(i["sha256"], str)
                and len(i["sha256"]) == 64
                and all(c in "0123456789abcdef" for c in i["sha256"])
                and isinstance(i["size"], int)
                and isinstance(i["added_at"], str)
                for i in data["catalogue"]
            )
            and isinstance(audit["last_id"], int)
            and all(
                isinstance(n, str) and len(n) == 64 and all(c in "0123456789abcdef" for c in n)
                for n in audit["segments"]
            )
            and (data["taken_at"] and _when(data["taken_at"]) is not None)
        )
    except (KeyError, TypeError, AttributeError, ValueError):
        return False


def latest_manifest(folder: Path) -> dict[str, Any] | None:
    """The newest readable backup of this folder (a damaged one is passed over)."""
    found: list[tuple[str, dict[str, Any]]] = []
    for path in files.manifests(folder):
        with contextlib.suppress(BackupError, KeyError, TypeError, ValueError):
            data = read_manifest(path)
            found.append((str(data["taken_at"]), data))
    if not found:
        return None
    return max(found, key=lambda p: (_when(p[0]), p[1]["id"]))[1]


def _when(text: str) -> dt.datetime:
    at = dt.datetime.fromisoformat(text)
    return at if at.tzinfo else at.astimezone()


def _update_index(folder: Path, project_id: str, source: str, ident: str) -> None:
    index_path = folder / "index.json"
    try:
        index = files.read_json(index_path, compressed=False)
    except BackupError:
        index = {}
    known = index.get("sources", []) if isinstance(index, dict) else []
    sources = [s for s in known if isinstance(s, str) and s != source] + [source]
    files.write_json(
        index_path,
        {"project_id": project_id, "sources": sources[-20:], "latest": ident},
        compress=False,
    )


def rotate(folder: Path, now: dt.datetime) -> list[str]:
    """Drop the backups the rotation does not keep, then the files no kept backup needs.

    Runs only after a new backup was written and verified. If any backup cannot be read, no
    shared file is removed (it might be one of its files)."""
    taken: list[tuple[str, dt.datetime]] = []
    paths: dict[str, Path] = {}
    unreadable = False
    for path in files.manifests(folder):
        try:
            data = read_manifest(path)
            taken.append((str(data["id"]), _when(str(data["taken_at"]))))
            paths[str(data["id"])] = path
        except (BackupError, KeyError, TypeError, ValueError):
            unreadable = True
    keep = rotation.to_keep(taken, now)
    dropped = sorted(set(paths) - keep)
    files.unlink_all(paths[i] for i in dropped)
    if dropped:
        files.sync_folder(folder)
    if not unreadable:
        _collect_garbage(folder, [paths[i] for i in keep])
    return dropped


def _collect_garbage(folder: Path, kept: list[Path]) -> None:
    blobs_needed: set[str] = set()
    segments_needed: set[str] = set()
    for path in kept:
        data = read_manifest(path)
        blobs_needed.update(i["sha256"] for i in data["catalogue"])
        segments_needed.update(data["audit"]["segments"])
    for shard in (folder / "blobs").glob("*"):
        files.unlink_all(
            p for p in shard.iterdir() if not p.name.startswith(".") and p.name not in blobs_needed
        )
    audit = folder / "audit"
    if audit.is_dir():
        files.unlink_all(
            p
            for p in audit.iterdir()
            if p.suffix == ".gz" and p.name.removesuffix(".gz") not in segments_needed
        )


def _scheduled_check(folder: Path, now: dt.datetime) -> tuple[list[str], bool]:
    """Once a week every file in the store is re-hashed; a damaged one is removed, so this
    backup copies it again from the project while the project still has it."""
    state_path = folder / "state.json"
    try:
        state = files.read_json(state_path, compressed=False)
        last = _when(str(state["full_check"]))
    except (BackupError, KeyError, TypeError, ValueError):
        state, last = {}, None
    if last is not None and now - last < FULL_CHECK_EVERY:
        return [], False
    damaged = full_check(folder)
    state = {**state, "full_check": now.isoformat(timespec="seconds"), "damaged": damaged}
    files.write_json(state_path, state, compress=False)
    return damaged, True


def full_check(folder: Path) -> list[str]:
    """Re-hash every evidence file and audit segment; remove and name the damaged ones."""
    damaged: list[str] = []
    for shard in sorted((folder / "blobs").glob("*")):
        for p in sorted(shard.iterdir()):
            if p.name.startswith("."):
                continue
            if files.hash_file(p) != p.name:
                damaged.append(str(p))
                files.unlink_all([p])
    audit = folder / "audit"
    for p in sorted(audit.glob("*.gz")) if audit.is_dir() else []:
        if files.hash_file(p) != p.name.removesuffix(".gz"):
            damaged.append(str(p))
            files.unlink_all([p])
    return damaged


def policy_words() -> str:
    return rotation.POLICY_WORDS

"""The project file: one SQLite database, every edit committed at once, undoable, audited.

Why SQLite: a transaction is durable the moment `COMMIT` returns (rollback journal,
synchronous=EXTRA: the main file holds every commit), so a crash or power cut never loses an
edit already reported as saved and never leaves a file that will not open. Evidence files are
stored inside as chunked blobs so a project is one file. docs/storage-design.md says why this
journal, which side files are trusted, and how the lock works.

Opening checks before anything can write: the header, side files that are not this project's
(in doubt: read-only, nothing moved), objects in the schema the app did not create, and whether
the medium can be written. The first write of a session (not the open) upgrades the schema,
leaves WAL for the rollback journal and sweeps what earlier interruptions left, so a command
that opens a project and then refuses its input leaves the file byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Self

from csr_desktop.core.assessment import Assessment
from csr_desktop.core.errors import (
    CsrError,
    ProjectFileError,
    quoted,
    write_error,
)
from csr_desktop.core.indicators import IndicatorSet, default_indicator_set
from csr_desktop.core.model.fields import check_value, edit_label
from csr_desktop.core.storage import blobs, open_files, opening, schema, sidefiles
from csr_desktop.core.storage.blobs import Progress, StoredFile
from csr_desktop.core.storage.connection import (
    JOURNAL_MODE,
    Role,
    connect,
    connect_copy_target,
)
from csr_desktop.core.storage.history import Change, ChangeSet, History
from csr_desktop.core.storage.opening import Handle, check_header
from csr_desktop.core.storage.schema import APPLICATION_ID, SCHEMA_VERSION, SQLITE_MAGIC

log = logging.getLogger("csr_desktop.storage")

__all__ = [
    "APPLICATION_ID",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "AuditEntry",
    "Change",
    "ChangeSet",
    "ProjectFile",
    "check_header",
    "os_user",
]


class AuditEntry(NamedTuple):
    at: str
    user: str
    key: str
    old: Any
    new: Any
    label: str


Listener = Callable[[frozenset[str]], None]


@cache
def os_user() -> str:
    """The OS user name for the audit trail; never fails.

    getpass.getuser's own order (the environment, then the password database), without
    importing getpass: it brings termios and friends onto the window's start-up path."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if value := os.environ.get(name):
            return value
    if sys.platform == "win32":  # Windows always has USERNAME
        return "unknown"
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (KeyError, OSError):
        return "unknown"


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class ProjectFile:
    """An open project file: its lifecycle, transactions, audit, stored files and undo.

    What an edit means to the user (its label, which rows it adds) is `core/operations`';
    listeners hear each committed change."""

    def __init__(self, handle: Handle) -> None:
        """Called by the opening policy (`opening.py`) with the connection it chose."""
        path, db = handle.path, handle.db
        self.path = path
        self.readonly = handle.readonly
        self.readonly_reason = handle.reason
        self.notices = list(handle.notices)  # what opening found and did, for the user to read
        self._db = db
        self._lock = handle.lock
        self._listeners: list[Listener] = []
        self._history = History()
        self._prepared = False
        self.user = os_user()
        meta = dict(db.execute("SELECT key, value FROM meta"))
        self.indicator_set = IndicatorSet.from_json(meta["indicator_set"], str(path))
        self.project_id = str(meta.get("project_id", "")) or sidefiles.identity(path)
        self._fields = _load_fields(self.indicator_set, db, path)
        self._snapshot: Assessment | None = None
        self._closed = False
        self._upgrade_from = handle.version  # the first write upgrades from it
        self._created_shm = handle.created  # -shm a reader created, removed at close
        self._view_dir = handle.view_dir  # a temporary rolled-back copy being read
        open_files.register(path)

    # ---- opening and closing -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, indicator_set: IndicatorSet | None = None) -> Self:
        """Create a new, empty project; refuses to overwrite an existing file."""
        path = Path(path)
        iset = indicator_set or default_indicator_set()
        if path.exists():
            raise ProjectFileError(f"文件 {quoted(path)} 已存在", f"{path} already exists")
        try:
            db = connect(path, Role.CREATE)
            try:
                # 64 KiB pages: a 1 MiB evidence chunk is 16 overflow pages, not 256 (ingest
                # ~1.6x faster here); an edit still commits in well under a millisecond
                db.execute(f"PRAGMA page_size={schema.PAGE_SIZE}")
                # removed evidence is given back to the disk (incremental vacuum at close)
                db.execute("PRAGMA auto_vacuum=INCREMENTAL")
                db.execute("BEGIN IMMEDIATE")
                schema.create(db)
                meta = {
                    "indicator_set": iset.source_json,
                    "indicator_set_id": iset.id,
                    "created_at": _now(),
                    "created_by": os_user(),
                    "project_id": os.urandom(16).hex(),
                }
                db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
                db.execute("COMMIT")
            finally:
                db.close()
        except (sqlite3.Error, OSError) as exc:
            _remove_quietly(path)
            raise write_error(path, exc) from exc
        return cls.open(path)

    @classmethod
    def open(cls, path: Path | str, readonly: bool = False) -> Self:
        """Open a project; a file that is not a readable project of ours is refused untouched.

        Which connection, read-only or not, recovered or viewed in a copy: `opening.py`."""
        return opening.open_file(Path(path), readonly, os_user(), cls._opened)

    @classmethod
    def _opened(cls, handle: Handle) -> Self:
        project = cls(handle)
        if not project.readonly:
            project._heal()
        return project

    def prepare_for_writing(self) -> None:
        """Before the session's first write: upgrade the schema, leave WAL for the rollback
        journal (projects of earlier versions).

        Called by every write path, not by open: a command that opens a project and then
        refuses its input leaves the file byte for byte as it was."""
        if self._prepared or self.readonly:
            return
        self._prepared = True
        db = self._db
        from csr_desktop.core.storage import migrations  # on first write: not at start-up

        try:
            migrations.upgrade(db, self._upgrade_from)  # keeps the project's identity
            (mode,) = db.execute("PRAGMA journal_mode").fetchone()
            if str(mode).lower() == "wal":
                # SQLite checkpoints as it switches; if another connection still reads the
                # WAL, it stays for this session and the switch is tried again next time
                (now,) = db.execute(f"PRAGMA journal_mode={JOURNAL_MODE}").fetchone()
                if str(now).lower() == "wal":
                    log.warning("%s: still in WAL mode (another reader)", self.path)
        except sqlite3.Error as exc:
            self._prepared = False
            raise write_error(self.path, exc) from exc

    def _heal(self) -> None:
        """What interrupted copies (or the first release's jam) left is removed at open; an
        undamaged file is not written."""
        from csr_desktop.core.storage import compaction

        compaction.remove_stale_temps(self.path)
        try:
            report = blobs.sweep(self._db)
        except sqlite3.Error as exc:
            raise write_error(self.path, exc) from exc
        if report.anything:
            words = f"打开项目时自动修复：{report.words()}"
            self.notices.append(words)
            log.warning("%s: %s", self.path, words)
            self._audit_only("project.repair", None, words, words)

    def close(self) -> None:
        """Close the file, giving back the space of evidence no undo can bring back.

        Every commit is already in the main file, so nothing here can lose a saved edit: a
        failure to give space back is logged and the space stays for a later close. Only a
        project still in WAL mode (an earlier version's, which could not switch) has work at
        close; if that checkpoint fails it is an error, and the lock stays as the WAL's voucher."""
        if self._closed:
            return
        self._closed = True
        open_files.unregister(self.path)
        wal_left = False
        compact: Path | None = None
        try:
            if not self.readonly and self._prepared:
                try:
                    compact = self.give_back_space()
                except (sqlite3.Error, OSError, CsrError) as exc:
                    log.warning("%s: space not given back at close: %s", self.path, exc)
                (mode,) = self._db.execute("PRAGMA journal_mode").fetchone()
                if str(mode).lower() == "wal":  # a session that could not leave WAL
                    wal_left = True
                    busy, _log, _done = self._db.execute(
                        "PRAGMA wal_checkpoint(TRUNCATE)"
                    ).fetchone()
                    wal_left = busy != 0
            self._db.close()
            if not self.readonly and not wal_left:
                _remove_empty_journal(self.path)
            if compact is not None and not wal_left:
                from csr_desktop.core.storage import compaction

                compaction.replace(compact, self.path)
        except sqlite3.Error as exc:
            self._db.close()
            raise write_error(self.path, exc) from exc
        finally:
            if self.readonly:
                sidefiles.remove_created(self.path, getattr(self, "_created_shm", {}))
            if self._view_dir is not None:
                import shutil

                shutil.rmtree(self._view_dir, ignore_errors=True)
            if self._lock is not None:
                if wal_left:
                    self._lock.keep_as_owner_record()
                else:
                    self._lock.release()

    def give_back_space(self, progress: Progress | None = None) -> Path | None:
        """Free the evidence nothing refers to and shrink the file (close calls it).

        At close (undo ends there). A project created with incremental vacuum shrinks in
        place; one of an earlier version (auto_vacuum=NONE) is rewritten compactly once the
        slack is worth it and there is room, which also switches it to incremental vacuum:
        that copy is returned, to be renamed over the project once the connection is closed."""
        from csr_desktop.core.storage import compaction

        try:
            blobs.sweep(self._db)
        except sqlite3.Error as exc:
            raise write_error(self.path, exc) from exc
        return compaction.shrink(self._db, self.path, progress)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- reading ------------------------------------------------------------------------

    def assessment(self) -> Assessment:
        """A consistent snapshot of the answers (cached until the next change)."""
        if self._snapshot is None:
            self._snapshot = Assessment.from_fields(self.indicator_set, self._fields)
        return self._snapshot

    def get(self, key: str) -> Any:
        return self._fields.get(key)

    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    # ---- listening ----------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(keys)` after every committed change; returns an unsubscribe."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _notify(self, keys: frozenset[str]) -> None:
        self._snapshot = None
        for listener in list(self._listeners):
            listener(keys)

    # ---- editing ------------------------------------------------------------------------

    def set(self, key: str, value: Any, label: str = "", coalesce: bool = False) -> bool:
        """Set one field and commit it; returns False when nothing changed."""
        return bool(
            self.commit({key: value}, label or edit_label(self.indicator_set, key), coalesce)
        )

    def apply(self, values: Mapping[str, Any], label: str, coalesce: bool = False) -> bool:
        """Set many fields as one transaction and one undo step; False when nothing changed."""
        return bool(self.commit(values, label, coalesce))

    def commit(
        self, values: Mapping[str, Any], label: str, coalesce: bool = False
    ) -> tuple[Change, ...]:
        """Set many fields as one transaction and one undo step (an import, a paste…);
        returns what changed (nothing: no transaction, no step).

        `coalesce`: this is typing; a small change may extend the step on top (history.py)."""
        checked = {key: check_value(self.indicator_set, key, v) for key, v in values.items()}
        self._check_blobs_exist(checked)
        changes = tuple(
            Change(key, self._fields.get(key), new)
            for key, new in checked.items()
            if _dumps(self._fields.get(key)) != _dumps(new)
        )
        if not changes:
            return ()
        now = _monotonic()
        history = self._history
        if coalesce and len(changes) == 1 and history.extends_top(changes[0], now):
            top = history.undo[-1]
            self._write(changes, label, audit_update=top.audit_id)
            history.extend(changes[0], now)
        else:
            audit_id = self._write(changes, label)
            history.push(label, changes, coalesce, now, audit_id)
        self._notify(frozenset(c.key for c in changes))
        return changes

    # ---- undo ---------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._history.undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._history.redo)

    @property
    def undo_label(self) -> str:
        return self._history.undo[-1].label if self._history.undo else ""

    @property
    def redo_label(self) -> str:
        return self._history.redo[-1].label if self._history.redo else ""

    def undo(self) -> str | None:
        """Revert the last step (committed like any edit); returns its label."""
        step = self._history.undo[-1] if self._history.undo else None
        if step is None:
            return None
        reverse = tuple(Change(c.key, c.new, c.old) for c in reversed(step.changes))
        self._write(reverse, f"撤销：{step.label}")  # written first: a failure keeps the step
        self._history.pop_undo()
        self._notify(frozenset(c.key for c in reverse))
        return step.label

    def redo(self) -> str | None:
        step = self._history.redo[-1] if self._history.redo else None
        if step is None:
            return None
        self._write(step.changes, f"重做：{step.label}")
        self._history.pop_redo()
        self._notify(frozenset(c.key for c in step.changes))
        return step.label

    # ---- the write path -------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.readonly:
            raise ProjectFileError(
                self.readonly_reason or f"项目文件 {quoted(self.path)} 以只读方式打开，不能修改",
                f"{self.path} is open read-only",
            )

    def _write(self, changes: tuple[Change, ...], label: str, audit_update: int = 0) -> int:
        """One transaction: the fields and their audit rows, durable when this returns.

        Returns the id of the (last) audit row; `audit_update` grows that row instead."""
        self._require_writable()
        self.prepare_for_writing()
        now = _now()
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                for c in changes:
                    if c.new is None:
                        db.execute("DELETE FROM fields WHERE key=?", (c.key,))
                    else:
                        db.execute(
                            "INSERT INTO fields(key, value) VALUES(?, ?) "
                            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                            (c.key, _dumps(c.new)),
                        )
                rowid = self._audit(changes, label, now, audit_update)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # SQLITE_FULL and I/O errors roll back by themselves
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise write_error(self.path, exc) from exc
        for c in changes:
            if c.new is None:
                self._fields.pop(c.key, None)
            else:
                self._fields[c.key] = c.new
        return rowid

    def _audit(self, changes: tuple[Change, ...], label: str, at: str, update: int) -> int:
        """One audit row per field per undo step; a growing typing step updates its row."""
        db = self._db
        if update:
            db.execute(
                "UPDATE audit SET new=?, at=? WHERE id=?", (_dumps(changes[0].new), at, update)
            )
            return update
        rowid = 0
        for c in changes:
            cur = db.execute(
                "INSERT INTO audit(at, user, key, old, new, label) VALUES(?, ?, ?, ?, ?, ?)",
                (at, self.user, c.key, _dumps(c.old), _dumps(c.new), label),
            )
            rowid = cur.lastrowid or 0
        return rowid

    def _audit_only(self, key: str, old: Any, new: Any, label: str) -> None:
        """An audit row for something that is not a field (a repair, an import's origin)."""
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO audit(at, user, key, old, new, label) VALUES(?, ?, ?, ?, ?, ?)",
                (_now(), self.user, key, _dumps(old), _dumps(new), label),
            )
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise write_error(self.path, exc) from exc

    def first_audit_entry(self) -> AuditEntry | None:
        """The oldest audit row (never changes once written): part of a project's identity."""
        row = self._db.execute(
            "SELECT at, user, key, old, new, label FROM audit ORDER BY id LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        at, user, key, old, new, label = row
        return AuditEntry(at, user, key, json.loads(old), json.loads(new), label)

    def audit_log(self) -> list[AuditEntry]:
        rows = self._db.execute("SELECT at, user, key, old, new, label FROM audit ORDER BY id")
        return [
            AuditEntry(at, user, key, json.loads(old), json.loads(new), label)
            for at, user, key, old, new, label in rows
        ]

    # ---- evidence files -----------------------------------------------------------------

    def store_file(self, source: Path, progress: Progress | None = None) -> StoredFile:
        """Stream a file into the project; an identical file already stored is reused."""
        self._require_writable()
        self.prepare_for_writing()
        return blobs.ingest(self._db, self.path, Path(source), progress)

    def store_files(self, paths: list[Path], progress: Progress | None = None) -> list[StoredFile]:
        """Stream several files in, with one progress for the batch."""
        self._require_writable()
        self.prepare_for_writing()
        return blobs.ingest_batch(self._db, self.path, paths, progress)

    def copy_file_from(
        self, other: ProjectFile, sha256: str, progress: Progress | None = None
    ) -> StoredFile:
        """Copy a file stored in `other` into this project, chunk to chunk, hash checked
        (new-year): StoredFileDamaged naming `other` when its copy is missing or damaged."""
        self._require_writable()
        self.prepare_for_writing()
        return blobs.copy_between(other._db, other.path, self._db, self.path, sha256, progress)

    def ingest_on_worker(self) -> Callable[[list[Path], Progress | None], list[StoredFile]]:
        """A job for a worker thread: copy files in on a connection of its own, so the
        window's connection stays free for edits while a large file streams in. The same
        ingest and the same pragmas as every other path (connection.py)."""
        self._require_writable()
        self.prepare_for_writing()
        path = self.path

        def job(paths: list[Path], progress: Progress | None) -> list[StoredFile]:
            db = connect(path, Role.WORKER)
            try:
                return blobs.ingest_batch(db, path, paths, progress)
            finally:
                db.close()

        return job

    def _check_blobs_exist(self, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            if not key.endswith(".evidence") or not value:
                continue
            for item in value:
                sha = item["sha256"]
                if sha is not None and self.stored_file(sha) is None:
                    raise ValueError(f"{key}: no stored file {sha}")

    def stored_file(self, sha256: str) -> StoredFile | None:
        return blobs.stored(self._db, sha256)

    def has_file(self, sha256: str) -> bool:
        """Cheap presence check for draft decisions; `file_is_intact` re-hashes the bytes."""
        return self.stored_file(sha256) is not None

    def iter_file(self, sha256: str) -> Iterator[bytes]:
        """The stored bytes, a chunk at a time (never the whole file in memory)."""
        return blobs.iter_chunks(self._db, sha256)

    def file_is_intact(self, sha256: str) -> bool:
        """Recompute a stored file's SHA-256: a tampered project is caught, not passed on."""
        return blobs.is_intact(self._db, sha256)

    def copy_file_to(self, sha256: str, out: BinaryIO) -> int:
        """Write a stored file to `out`, checking its hash; raises ProjectFileError if tampered."""
        return blobs.copy_to(self._db, self.path, sha256, out)

    # ---- checks -------------------------------------------------------------------------

    def integrity_problems(self) -> list[str]:
        """SQLite's integrity and foreign-key checks (tests and a future 检查项目 command)."""
        rows = [str(r[0]) for r in self._db.execute("PRAGMA integrity_check")]
        problems = [r for r in rows if r != "ok"]
        problems += [repr(r) for r in self._db.execute("PRAGMA foreign_key_check")]
        return problems

    def pragma(self, name: str) -> Any:
        """The value a setting really has on this project's connection (tests read it)."""
        return self._db.execute(f"PRAGMA {name}").fetchone()[0]

    # ---- copies ---------------------------------------------------------------------------

    def save_copy(self, dest: Path) -> None:
        """Write a complete, compact copy to `dest` atomically (另存为, backups): no slack, no
        file that nothing refers to, nothing the app did not create."""
        dest = Path(dest)
        if open_files.open_project_behind(dest) is not None and not _same(dest, self.path):
            raise ProjectFileError(
                f"{quoted(dest)} 是另一个已打开的项目，不能覆盖", f"{dest} is open"
            )
        from csr_desktop.core.room import check_room
        from csr_desktop.core.storage.compaction import AUTO_VACUUM_INCREMENTAL

        check_room(dest, self.path.stat().st_size, grows=False)
        tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
        _remove_quietly(tmp)
        try:
            target = connect_copy_target(tmp)
            try:
                self._db.backup(target)
                for obj in schema.foreign_objects(target):  # the copy is clean
                    target.execute(f'DROP {obj.kind.upper()} IF EXISTS "{obj.name}"')
                target.execute("PRAGMA journal_mode=DELETE")
                target.execute("PRAGMA foreign_keys=ON")
                blobs.sweep(target)  # files only an undo step of this session still held
                target.execute(f"PRAGMA auto_vacuum={AUTO_VACUUM_INCREMENTAL}")
                target.execute("VACUUM")  # compact, and incremental vacuum from now on
            finally:
                target.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            from csr_desktop.core.replace import replace_file

            replace_file(tmp, dest)  # waits out a program holding `dest` for a moment
        except (sqlite3.Error, OSError) as exc:
            _remove_quietly(tmp)
            raise write_error(dest, exc) from exc
        except CsrError:
            _remove_quietly(tmp)
            raise


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _load_fields(iset: IndicatorSet, db: sqlite3.Connection, path: Path) -> dict[str, Any]:
    """Every stored value is checked as if typed now: a tampered or damaged field is refused
    at open with a message, instead of failing later in a page or an export."""
    fields: dict[str, Any] = {}
    for key, raw in db.execute("SELECT key, value FROM fields"):
        try:
            fields[key] = check_value(iset, str(key), json.loads(raw))
        except (ValueError, TypeError, RecursionError) as exc:
            raise ProjectFileError(
                f"项目文件 {quoted(path)} 中的内容已损坏（字段 {key}），无法打开",
                f"{path}: field {key!r} is invalid: {exc}",
            ) from exc
    return fields


def _remove_empty_journal(path: Path) -> None:
    """The truncated journal a writer leaves goes with it: nothing but the project stays.
    On a share the name may be busy for a moment after the last close (EBUSY): retried."""
    import time

    journal = sidefiles.side(path, "-journal")
    for delay in (0.0, 0.05, 0.1, 0.2, 0.4):
        time.sleep(delay)
        try:
            if journal.stat().st_size:
                return  # pages of an unfinished transaction: never ours to remove
            journal.unlink()
            return
        except FileNotFoundError:
            return
        except OSError:
            continue
    log.warning("%s: empty journal left beside the project (busy)", path)


def _monotonic() -> float:
    import time

    return time.monotonic()


def _remove_quietly(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            p.unlink()

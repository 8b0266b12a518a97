"""The project file: one SQLite database, every edit committed at once, undoable, audited.

Why SQLite: a transaction is durable the moment `COMMIT` returns (WAL, synchronous=FULL), so a
crash or power cut never loses an edit already reported as saved and never leaves a file that
will not open. Evidence files are stored inside as chunked blobs so a project is one file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from csr_desktop.core import blobs
from csr_desktop.core.assessment import Assessment, EvidenceItem, check_value, indicator_key
from csr_desktop.core.blobs import Progress, StoredFile
from csr_desktop.core.errors import IndicatorSetError, ProjectFileError, quoted, write_error
from csr_desktop.core.indicators import IndicatorSet, default_indicator_set
from csr_desktop.core.lock import ProjectLock

SCHEMA_VERSION = 1
APPLICATION_ID = 0x43535250  # "CSRP": marks a SQLite file as ours
SQLITE_MAGIC = b"SQLite format 3\x00"
TEXT_COALESCE_SECONDS = 60.0

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE fields(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE blobs(
    id INTEGER PRIMARY KEY,
    sha256 TEXT UNIQUE,
    size INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE blob_chunks(
    blob_id INTEGER NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE UNIQUE INDEX blob_chunks_order ON blob_chunks(blob_id, seq);
CREATE TABLE audit(
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    key TEXT NOT NULL,
    old TEXT,
    new TEXT,
    label TEXT NOT NULL DEFAULT ''
);
"""
_TABLES = {"meta", "fields", "blobs", "blob_chunks", "audit"}


class Change(NamedTuple):
    """One field going from `old` to `new` (JSON values)."""

    key: str
    old: Any
    new: Any


class ChangeSet(NamedTuple):
    """One undo step: what the user did, in words, and every field it changed."""

    label: str
    changes: tuple[Change, ...]
    coalesce_key: str | None = None
    at: float = 0.0


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
    try:
        import pwd  # POSIX only; Windows always has USERNAME

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, OSError):
        return "unknown"


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def check_header(path: Path) -> None:
    """Refuse, without writing anything, a file that is not a project of ours we can read."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except FileNotFoundError as exc:
        raise ProjectFileError(
            f"项目文件 {quoted(path)} 不存在", f"project file {path} does not exist"
        ) from exc
    except IsADirectoryError as exc:
        raise ProjectFileError(
            f"{quoted(path)} 是一个文件夹，不是项目文件", f"{path} is a folder"
        ) from exc
    except OSError as exc:
        raise ProjectFileError(
            f"无法读取项目文件 {quoted(path)}：{exc.strerror}", f"cannot read {path}: {exc}"
        ) from exc
    if not head:
        raise ProjectFileError(f"项目文件 {quoted(path)} 是空文件", f"project file {path} is empty")
    if len(head) < 100 or not head.startswith(SQLITE_MAGIC):
        raise ProjectFileError(
            f"{quoted(path)} 不是自评项目文件（文件已损坏或格式不对）",
            f"{path} is not a csr-desktop project",
        )
    user_version = int.from_bytes(head[60:64], "big")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != APPLICATION_ID:
        raise ProjectFileError(
            f"{quoted(path)} 是 SQLite 数据库，但不是自评项目文件",
            f"{path} is a SQLite database but not a csr-desktop project",
        )
    if user_version > SCHEMA_VERSION:
        raise ProjectFileError(
            f"项目文件 {quoted(path)} 由更新版本的软件创建（格式版本 {user_version}），"
            "请升级本软件后再打开",
            f"{path} was written by a newer version (schema {user_version})",
        )


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """Readers use a normal connection with query_only where they may, so that closing the
    last connection folds the WAL in and no stray -wal/-shm files are left beside the file."""
    if readonly and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA query_only=1")
    elif readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=5000")
    if not readonly:
        db.execute("PRAGMA synchronous=FULL")
    return db


class Project:
    """An open project file. All edits go through its commands; listeners hear each change."""

    def __init__(
        self, path: Path, db: sqlite3.Connection, readonly: bool, lock: ProjectLock | None
    ) -> None:
        self.path = path
        self.readonly = readonly
        self._db = db
        self._lock = lock
        self._listeners: list[Listener] = []
        self._undo: list[ChangeSet] = []
        self._redo: list[ChangeSet] = []
        self._last_audit: tuple[int, str, float] | None = None
        self.user = os_user()
        meta = dict(db.execute("SELECT key, value FROM meta"))
        self.indicator_set = IndicatorSet.from_json(meta["indicator_set"], str(path))
        self._fields = _load_fields(self.indicator_set, db, path)
        self._snapshot: Assessment | None = None

    # ---- opening and closing -------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, indicator_set: IndicatorSet | None = None) -> Project:
        """Create a new, empty project; refuses to overwrite an existing file."""
        path = Path(path)
        iset = indicator_set or default_indicator_set()
        if path.exists():
            raise ProjectFileError(f"文件 {quoted(path)} 已存在", f"{path} already exists")
        try:
            db = _connect(path, readonly=False)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("BEGIN IMMEDIATE")
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        db.execute(stmt)
                meta = {
                    "indicator_set": iset.source_json,
                    "indicator_set_id": iset.id,
                    "created_at": _now(),
                    "created_by": os_user(),
                }
                db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
                db.execute(f"PRAGMA application_id={APPLICATION_ID}")
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
            finally:
                db.close()
        except (sqlite3.Error, OSError) as exc:
            _remove_quietly(path)
            raise write_error(path, exc) from exc
        return cls.open(path)

    @classmethod
    def open(cls, path: Path | str, readonly: bool = False) -> Project:
        """Open a project; a file that is not a readable project of ours is refused untouched."""
        path = Path(path)
        check_header(path)
        lock = None
        sides = [Path(f"{path}-wal"), Path(f"{path}-shm")]
        existed = [side.exists() for side in sides]
        if not readonly:
            if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
                readonly = True
            else:
                lock = ProjectLock(path, os_user())
                lock.acquire()
        try:
            return cls._open_checked(path, readonly, lock)
        except BaseException:
            for side, was_there in zip(sides, existed, strict=True):
                if not was_there:
                    _unlink_quietly(side)
            if lock is not None:
                lock.release()
            raise

    @classmethod
    def _open_checked(cls, path: Path, readonly: bool, lock: ProjectLock | None) -> Project:
        try:
            return cls._open_db(path, readonly, lock)
        except sqlite3.DatabaseError as exc:
            raise ProjectFileError(
                f"项目文件 {quoted(path)} 已损坏，无法打开（{exc}）", f"{path}: {exc}"
            ) from exc
        except IndicatorSetError as exc:
            raise ProjectFileError(
                f"项目文件 {quoted(path)} 中保存的指标体系已损坏，无法打开", exc.en
            ) from exc
        except (KeyError, ValueError, TypeError, RecursionError) as exc:
            raise ProjectFileError(
                f"项目文件 {quoted(path)} 内容不完整，无法打开", f"{path}: {exc!r}"
            ) from exc

    @classmethod
    def _open_db(cls, path: Path, readonly: bool, lock: ProjectLock | None) -> Project:
        db = _connect(path, readonly)
        try:
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            if not tables >= _TABLES:
                raise ProjectFileError(
                    f"项目文件 {quoted(path)} 缺少必要的数据表，文件已损坏",
                    f"{path} lacks tables {sorted(_TABLES - tables)}",
                )
            (version,) = db.execute("PRAGMA user_version").fetchone()
            if version > SCHEMA_VERSION:
                raise ProjectFileError(
                    f"项目文件 {quoted(path)} 由更新版本的软件创建，请升级本软件",
                    f"{path} has schema {version}",
                )
            # The answers' tables are checked page by page; the evidence chunks are not (that
            # would read gigabytes at every open): their SHA-256 is checked on every use.
            for table in ("meta", "fields", "blobs", "audit"):
                (ok,) = db.execute(f"PRAGMA quick_check({table})").fetchone()
                if ok != "ok":
                    raise ProjectFileError(
                        f"项目文件 {quoted(path)} 已损坏（{ok}）", f"{path} is corrupt: {ok}"
                    )
            project = cls(path, db, readonly, lock)
            if not readonly:  # only once the file is known good: these write
                db.execute("PRAGMA journal_mode=WAL")
                blobs.drop_incomplete(db)
            return project
        except BaseException:
            db.close()
            raise

    def close(self) -> None:
        """Close the file; SQLite folds the WAL back in so one file remains."""
        try:
            self._db.close()
        finally:
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Project:
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
        return self.apply({key: value}, label or _default_label(key), coalesce=coalesce)

    def apply(self, values: Mapping[str, Any], label: str, coalesce: bool = False) -> bool:
        """Set many fields as one transaction and one undo step (an import, a paste…)."""
        checked = {key: check_value(self.indicator_set, key, v) for key, v in values.items()}
        self._check_blobs_exist(checked)
        changes = tuple(
            Change(key, self._fields.get(key), new)
            for key, new in checked.items()
            if _normal(self._fields.get(key)) != _normal(new)
        )
        if not changes:
            return False
        ckey = changes[0].key if coalesce and len(changes) == 1 else None
        self._write(changes, label, coalescible=ckey is not None)
        now = _monotonic()
        top = self._undo[-1] if self._undo else None
        if (
            ckey is not None
            and top is not None
            and top.coalesce_key == ckey
            and now - top.at < TEXT_COALESCE_SECONDS
            and not self._redo
        ):
            merged = Change(ckey, top.changes[0].old, changes[0].new)
            self._undo[-1] = ChangeSet(top.label, (merged,), ckey, now)
        else:
            self._undo.append(ChangeSet(label, changes, ckey, now))
        self._redo.clear()
        self._notify(frozenset(c.key for c in changes))
        return True

    def set_rating(self, no: int, rating: int | None) -> bool:
        ind = self.indicator_set.indicator(no)
        text = "清除" if rating is None else ind.scale.option_text(rating)
        return self.set(indicator_key(no, "rating"), rating, f"{ind.label}自评：{text}")

    def set_evidence(self, no: int, items: list[EvidenceItem], label: str) -> bool:
        return self.set(indicator_key(no, "evidence"), items, label)

    def add_evidence_files(
        self,
        no: int,
        paths: list[Path],
        progress: Progress | None = None,
    ) -> list[EvidenceItem]:
        """Copy files in and append a catalogue row for each: one undo step for the batch."""
        total = sum(blobs.file_size(p) for p in paths)
        done = 0
        items = []
        for p in paths:

            def step(n: int, _t: int, base: int = done) -> bool:
                return progress(base + n, total) if progress else True

            stored = self.store_file(p, step)
            done += stored.size
            items.append(EvidenceItem(p.stem, "", p.name, stored.sha256, stored.size))
        current = list(self.assessment().answer(no).evidence)
        ind = self.indicator_set.indicator(no)
        names = "、".join(i.name for i in items)
        self.set_evidence(no, current + items, f"{ind.label}添加佐证材料：{names}")
        return items

    # ---- undo ---------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    @property
    def redo_label(self) -> str:
        return self._redo[-1].label if self._redo else ""

    def undo(self) -> str | None:
        """Revert the last step (committed like any edit); returns its label."""
        if not self._undo:
            return None
        step = self._undo.pop()
        reverse = tuple(Change(c.key, c.new, c.old) for c in reversed(step.changes))
        self._write(reverse, f"撤销：{step.label}", coalescible=False)
        self._redo.append(step)
        self._notify(frozenset(c.key for c in reverse))
        return step.label

    def redo(self) -> str | None:
        if not self._redo:
            return None
        step = self._redo.pop()
        self._write(step.changes, f"重做：{step.label}", coalescible=False)
        self._undo.append(ChangeSet(step.label, step.changes, None, _monotonic()))
        self._notify(frozenset(c.key for c in step.changes))
        return step.label

    # ---- the write path -------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.readonly:
            raise ProjectFileError(
                f"项目文件 {quoted(self.path)} 以只读方式打开，不能修改",
                f"{self.path} is open read-only",
            )

    def _write(self, changes: tuple[Change, ...], label: str, coalescible: bool) -> None:
        """One transaction: the fields and their audit rows, durable when this returns."""
        self._require_writable()
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
                self._audit(changes, label, now, coalescible)
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

    def _audit(self, changes: tuple[Change, ...], label: str, at: str, coalescible: bool) -> None:
        """Typing a narrative is one audit row per minute, not one per keystroke."""
        db = self._db
        mono = _monotonic()
        last = self._last_audit
        if (
            coalescible
            and last is not None
            and last[1] == changes[0].key
            and mono - last[2] < TEXT_COALESCE_SECONDS
        ):
            db.execute(
                "UPDATE audit SET new=?, at=? WHERE id=?", (_dumps(changes[0].new), at, last[0])
            )
            return
        rowid = 0
        for c in changes:
            cur = db.execute(
                "INSERT INTO audit(at, user, key, old, new, label) VALUES(?, ?, ?, ?, ?, ?)",
                (at, self.user, c.key, _dumps(c.old), _dumps(c.new), label),
            )
            rowid = cur.lastrowid or 0
        self._last_audit = (rowid, changes[0].key, mono) if coalescible else None

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
        return blobs.ingest(self._db, self.path, Path(source), progress)

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

    # ---- copies ---------------------------------------------------------------------------

    def save_copy(self, dest: Path) -> None:
        """Write a complete copy to `dest` atomically (另存为, backups)."""
        dest = Path(dest)
        tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
        _remove_quietly(tmp)
        try:
            target = sqlite3.connect(str(tmp))
            try:
                self._db.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")
            finally:
                target.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, dest)
        except (sqlite3.Error, OSError) as exc:
            _remove_quietly(tmp)
            raise write_error(dest, exc) from exc


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


def _monotonic() -> float:
    import time

    return time.monotonic()


def _normal(value: Any) -> str:
    return _dumps(value)


def _default_label(key: str) -> str:
    return f"修改 {key}"


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _remove_quietly(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):
            p.unlink()

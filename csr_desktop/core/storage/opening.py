"""How a project file is opened: writable, read-only, recovered, or viewed in a copy.

Why a module of its own: this is the policy that decides, before anything can write, whether
the file is ours (header), whether side files beside it may be trusted (in doubt: read-only,
nothing moved), whether a live writer elsewhere owns it (read a consistent state of the main
file, retried while it commits), whether a dead writer's journal is rolled back (under the
lock, as its next writer would), and whether the schema holds objects the app did not create.
The project (`project.py`) only receives the connection this policy chose: `Handle`.
(`core/opening.py` is the step before this one: where the file lies — OneDrive, a share.)
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Generic, NamedTuple, Protocol, TypeVar

from csr_desktop.core.errors import (
    IndicatorSetError,
    ProjectFileError,
    ProjectLockedError,
    open_error,
    quoted,
)
from csr_desktop.core.lock import ProjectLock, live_holder
from csr_desktop.core.storage import schema, sidefiles
from csr_desktop.core.storage.connection import Role, connect
from csr_desktop.core.storage.schema import APPLICATION_ID, SCHEMA_VERSION, SQLITE_MAGIC

log = logging.getLogger("csr_desktop.storage")

RECOVERED = "项目上次未正常关闭，已恢复到最后一次保存的内容"


class Handle(NamedTuple):
    """A connection the opening policy chose, with what the project must know about it."""

    path: Path  # the project as the user named it (a view reads a copy of it)
    db: sqlite3.Connection
    readonly: bool
    lock: ProjectLock | None
    reason: str  # why read-only, in words ("" when writable or asked for)
    notices: tuple[str, ...]  # what opening found and did, for the user to read
    version: int  # the schema version found in the file (the first write upgrades it)
    view_dir: Path | None  # a temporary rolled-back copy being read, removed at close
    created: dict[Path, bool]  # -wal/-shm a reader may create: did each exist before?


class Opened(Protocol):
    """What the policy needs of the object it builds: it may close a torn read."""

    def close(self) -> None: ...


P = TypeVar("P", bound=Opened)
Build = Callable[[Handle], P]


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


def open_file(path: Path, readonly: bool, user: str, build: "Build[P]") -> P:
    """Open `path` as the policy allows and `build` the project on the connection chosen."""
    check_header(path)
    notices: list[str] = []
    reason = ""
    if not readonly and not _medium_writable(path):
        readonly = True
        reason = _why_not_writable(path)
    writer = live_holder(path) if readonly else None
    # side files are judged only when no live writer owns them (before our own lock: the
    # old lock vouches, or not); a live writer's journal is its own business
    sides = sidefiles.inspect(path) if writer is None else sidefiles.SideFiles((), True)
    if sides.foreign and readonly and live_holder(path) is not None:
        writer, sides = live_holder(path), sidefiles.SideFiles((), True)  # one just began
    if sides.foreign and not readonly:
        readonly = True  # in doubt, move nothing: read-only, every file where it is
        reason = sidefiles.describe_doubt(sides.foreign)
    created = {p: p.exists() for p in (sidefiles.side(path, "-wal"), sidefiles.side(path, "-shm"))}
    lock = None
    if not readonly:
        lock = ProjectLock(path, user, sidefiles.identity(path))
        lock.acquire()
        if crashed_journal(path):
            notices.append(RECOVERED)
    role = Role.WRITER if not readonly else Role.READER
    watch = False  # read the main file alone, retried while a live writer commits
    try:
        if sides.foreign:
            role = Role.SNAPSHOT
            if not reason:
                notices.append(sidefiles.describe_doubt(sides.foreign))
        elif readonly and writer is not None:
            # a live writer (maybe on another PC, whose locks may not reach us): never
            # touch its journal; read a consistent state of the main file
            role, watch = Role.SNAPSHOT, True
        elif readonly and crashed_journal(path) and _medium_writable(path):
            # a dead writer's own journal: SQLite refuses to roll it back read-only, so do
            # what its next writer would, under the lock, then read
            if _recover(path, user):
                notices.append(RECOVERED)
            else:
                role, watch = Role.SNAPSHOT, True
        elif readonly and not _medium_writable(path):
            role = Role.SNAPSHOT  # SQLite can neither roll back nor index on RO media
            if sides.pending:
                notices.append(
                    "项目上次未正常关闭，以编辑方式打开即可恢复；"
                    "此位置只读，显示的是最后一次保存完整的内容"
                )
        opening: _Opening[P] = _Opening(path, lock, reason, notices, created, build)
        project = opening.consistent(role, watch)
        for line in notices:
            log.warning("%s", line)
        return project
    except BaseException:
        sidefiles.remove_created(path, created)
        if lock is not None:
            lock.release()
        raise


class _Opening(Generic[P]):
    """One open in progress: the choices made so far, and the tries at reading the file."""

    def __init__(
        self,
        path: Path,
        lock: ProjectLock | None,
        reason: str,
        notices: list[str],
        created: dict[Path, bool],
        build: "Build[P]",
    ) -> None:
        self.path = path
        self.lock = lock
        self.reason = reason
        self.notices = notices
        self.created = created
        self.build = build

    def consistent(self, role: Role, watch: bool) -> P:
        """Open; when `watch`ing a live writer's file, retry until a read saw no commit."""
        if not watch:
            return self.checked(self.path, role)
        import time

        deadline = time.monotonic() + 3  # a commit takes milliseconds
        while time.monotonic() < deadline:
            before = _commit_state(self.path)
            if before is None:  # a commit in progress
                time.sleep(0.05)
                continue
            try:
                project = self.checked(self.path, role)
            except ProjectFileError:
                # torn by a commit, or by a network client's cache that shows some pages of
                # the last commit and some of the one before: read again while time remains
                time.sleep(0.1)
                if time.monotonic() < deadline:
                    continue
                raise
            if _commit_state(self.path) == before:
                return project
            project.close()
        # the journal stays (its writer is busy with a long step, or died on another PC):
        # show the last commit, rolled back in a temporary copy; the originals are only read
        self.notices.append(
            "项目正在别处编辑，或上次未正常关闭（以编辑方式打开即可恢复）；"
            "这里显示的是最后一次保存完整的内容"
        )
        return self.view()

    def view(self) -> P:
        """A read-only project on a temporary copy of the file with its journal rolled back."""
        import shutil
        import tempfile

        path = self.path
        folder = Path(tempfile.mkdtemp(prefix="csr-desktop-view-"))
        view = folder / path.name
        try:
            shutil.copyfile(path, view)
            journal = sidefiles.side(path, "-journal")
            with contextlib.suppress(FileNotFoundError):
                shutil.copyfile(journal, sidefiles.side(view, "-journal"))
            db = connect(view, Role.CREATE)  # rolls the copy back on its first read
            try:
                db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                db.close()
            self.reason = ""  # the copy itself is no one's: read-only needs no reason
            return self.checked(view, Role.READER, view_dir=folder)
        except BaseException as exc:
            shutil.rmtree(folder, ignore_errors=True)
            if isinstance(exc, (OSError, sqlite3.Error)):
                raise open_error(path, exc) from exc
            raise

    def checked(self, file: Path, role: Role, view_dir: Path | None = None) -> P:
        """`file` opened as `role`, every failure in the user's words naming the project."""
        try:
            return self.database(file, role, view_dir)
        except sqlite3.DatabaseError as exc:
            raise open_error(file, exc) from exc
        except IndicatorSetError as exc:
            raise ProjectFileError(
                f"项目文件 {quoted(file)} 中保存的指标体系已损坏，无法打开", exc.en
            ) from exc
        except (KeyError, ValueError, TypeError, RecursionError) as exc:
            raise ProjectFileError(
                f"项目文件 {quoted(file)} 内容不完整，无法打开", f"{file}: {exc!r}"
            ) from exc

    def database(self, file: Path, role: Role, view_dir: Path | None) -> P:
        path = file
        db = connect(file, role)
        try:
            missing = schema.missing_tables(db)
            if missing:
                raise ProjectFileError(
                    f"项目文件 {quoted(path)} 缺少必要的数据表，文件已损坏",
                    f"{path} lacks tables {sorted(missing)}",
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
            foreign = schema.foreign_objects(db)
            readonly = role is not Role.WRITER
            lock, reason = self.lock, self.reason
            if foreign and not readonly:
                # a received file that would run its own code on the user's edits: read only
                db.close()
                if lock is not None:
                    lock.release()
                    lock = self.lock = None
                db = connect(path, Role.READER)
                readonly = True
                reason = (
                    f"项目文件 {quoted(path)} 含有本软件不会创建的数据库对象"
                    f"（{schema.describe(foreign)}），可能被他人改动过；为安全起见已以只读方式打开。"
                    "可以查看和导出；如需继续编辑，请用“另存为”保存一份干净的副本"
                )
            handle = Handle(
                self.path,
                db,
                readonly,
                lock,
                reason,
                tuple(self.notices),
                int(version),
                view_dir,
                self.created if readonly else {},
            )
            return self.build(handle)
        except BaseException:
            db.close()
            raise


def _medium_writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _why_not_writable(path: Path) -> str:
    if not os.access(path, os.W_OK):
        return f"项目文件 {quoted(path)} 是只读文件，已以只读方式打开"
    folder = path.parent
    return (
        f"项目文件 {quoted(path)} 所在的文件夹 {quoted(folder)} 不可写（只读介质或没有写入权限），"
        "已以只读方式打开"
    )


def crashed_journal(path: Path) -> bool:
    """A rollback journal with content lies beside the project (judged ours by now)."""
    try:
        return sidefiles.side(path, "-journal").stat().st_size > 0
    except OSError:
        return False


def _recover(path: Path, user: str) -> bool:
    """Roll back a dead writer's journal as its next writer would; False if a writer came."""
    lock = ProjectLock(path, user, sidefiles.identity(path))
    try:
        lock.acquire()
    except ProjectLockedError:
        return False
    try:
        db = connect(path, Role.WRITER)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls back
        finally:
            db.close()
    except sqlite3.Error:
        return False
    finally:
        lock.release()
    return True


def _commit_state(path: Path) -> tuple[bytes, int, int] | None:
    """Page 1's change counter with the file's size and time; None while the main file is
    being written (a journal that SQLite has synced for a commit or a spill says so: its
    record count is set). Equal before and after a read: no commit touched what was read."""
    try:
        with open(sidefiles.side(path, "-journal"), "rb") as journal:
            head = journal.read(12)
        if head[:8] == sidefiles.JOURNAL_MAGIC and head[8:12] != bytes(4):
            return None
    except OSError:
        pass  # no journal: no transaction
    try:
        with open(path, "rb") as fh:
            page_one = fh.read(100)
            st = os.fstat(fh.fileno())
    except OSError:
        return None
    return page_one[24:32], st.st_size, st.st_mtime_ns

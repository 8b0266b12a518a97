"""Temporary paths of long writes, recorded per user so that any later start removes what a
killed process left behind.

Why: `new-year`, `load` and the exports build their result under a temporary name (beside the
destination, or in the temp folder) and rename it when complete. Killed in between, they left
a temp project of hundreds of MB (and, before stored files were copied project to project,
`.carry-*` copies) that only a later run writing the very
same destination would have noticed. Each such path is now recorded here before it is
created — with host, PID, process start time and boot id — and the record is removed when the
write ends. Every command and every window start (`sweep`) removes the paths of records whose
process is gone: never those of another machine (a home folder on a share), never a live
process's (a PID alone is reused; its start time and the boot id are not).

The list is one small JSON file per write in the user's local state folder
(`%LOCALAPPDATA%\\csr-desktop` on Windows, `$XDG_STATE_HOME/csr-desktop` or
`~/.local/state/csr-desktop` elsewhere; `CSR_DESKTOP_STATE_DIR` overrides it): a process only
ever creates and deletes its own files, so concurrent commands need no lock. Recording is
best effort: an unwritable state folder must not stop an export.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from csr_desktop.core import system

STATE_ENV = "CSR_DESKTOP_STATE_DIR"
_SUFFIX = ".json"


def state_dir() -> Path:
    """The user's local (not roaming) state folder for csr-desktop."""
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override)
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "csr-desktop"
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "csr-desktop"


def _folder() -> Path:
    return state_dir() / "in-flight"


def _sync_folder(folder: Path) -> None:
    """Make a rename or unlink in `folder` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _me() -> dict[str, Any]:
    sysinfo = system.current()
    pid = os.getpid()
    return {
        "host": sysinfo.host(),
        "pid": pid,
        "start": sysinfo.process_start(pid),
        "boot": sysinfo.boot_id(),
    }


def unique_name(stem: str) -> str:
    """A temporary name no other write shares as a prefix (this PID and a random token)."""
    return f"{stem}-{os.getpid()}-{os.urandom(4).hex()}"


def _host_tag(host: str) -> str:
    """A file-name-safe tag of the host (crc32: hashlib would load OpenSSL at every command)."""
    return f"{zlib.crc32(host.encode('utf-8', 'replace')):08x}"


def record(paths: Iterable[Path], locks: Iterable[Path] = ()) -> Path | None:
    """Durably note `paths` (and their side files) as this process's temporary paths, before
    they are created; `locks`: lock files it takes (removed only while they still name it).

    Returns the record (for `forget`), or None when the state folder cannot be written."""
    folder = _folder()
    me = _me()
    entry = {
        **me,
        "paths": [str(Path(p).absolute()) for p in paths],
        "locks": [str(Path(p).absolute()) for p in locks],
    }
    name = f"{_host_tag(me['host'])}-{os.getpid()}-{os.urandom(6).hex()}"
    final = folder / f"{name}{_SUFFIX}"
    tmp = folder / f".{name}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(entry, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return None
    _sync_folder(folder)
    return final


def forget(entry: Path | None) -> None:
    """The write ended (done, failed or cancelled, its temp paths removed): drop its record."""
    if entry is None:
        return
    with contextlib.suppress(OSError):
        entry.unlink()


@contextmanager
def in_flight(*paths: Path) -> Iterator[None]:
    """Record `paths` for the duration of a write that removes them itself when it ends."""
    entry = record(paths)
    try:
        yield
    finally:
        forget(entry)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and isinstance(data.get("paths"), list)
    return data if ok else None


def _is_dead(entry: dict[str, Any], host: str, boot: str) -> bool:
    """Only a process of this machine can be judged, and only a gone one is dead."""
    if entry.get("host") != host:
        return False
    pid, start = entry.get("pid"), entry.get("start")
    if not isinstance(pid, int) or not isinstance(start, str):
        return False
    if boot and entry.get("boot") and entry.get("boot") != boot:
        return True  # recorded before the last reboot: that process cannot run any more
    if pid == os.getpid() and start == system.current().process_start(pid):
        return False
    return system.current().liveness(pid, start) is system.Liveness.DEAD


def _remove(path: Path) -> None:
    """The path and its family: the side files SQLite and the lock name after it (`-journal`,
    `-wal`, `.~lock.NAME#` and the lock's own temp file). Recorded names carry a random token,
    so nothing else shares their prefix."""
    lock_prefix = f".~lock.{path.name}"
    try:
        siblings = os.listdir(path.parent)
    except OSError:
        return
    for name in siblings:
        if name.startswith(path.name) or name.startswith(lock_prefix):
            target = path.parent / name
            if target.is_dir() and not target.is_symlink():
                import shutil  # only when something is left: not at every command's start

                shutil.rmtree(target, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    target.unlink()


def sweep() -> int:
    """Remove the temporary paths of writes whose process is gone; returns how many records.

    Called by every command and window start; cheap when nothing is left (one listdir)."""
    folder = _folder()
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    sysinfo = system.current()
    host, boot = sysinfo.host(), sysinfo.boot_id()
    entries: list[tuple[Path, dict[str, Any]]] = []
    for name in names:
        path = folder / name
        if name.endswith(_SUFFIX):
            data = _read(path)
            if data is not None:
                entries.append((path, data))
        elif name.startswith(f".{_host_tag(host)}-") and name.endswith(".tmp"):
            _remove_unfinished_record(path, name, host)
    dead = [(p, e) for p, e in entries if _is_dead(e, host, boot)]
    if not dead:
        return 0
    live = {str(x) for p, e in entries if (p, e) not in dead for x in e["paths"]}
    for path, entry in dead:
        for item in entry["paths"]:
            if isinstance(item, str) and item not in live:
                _remove(Path(item))
        for item in entry.get("locks") or []:
            if isinstance(item, str):
                _remove_lock(Path(item), entry, host)
        forget(path)
    _sync_folder(folder)
    return len(dead)


def _remove_lock(path: Path, entry: dict[str, Any], host: str) -> None:
    """A lock the dead process took, unless someone has taken it over since (a window that
    opened the project meanwhile) or its PID runs again (perhaps reused: leave it to the
    lock's own takeover rule)."""
    from csr_desktop.core.lock import read_lock

    info = read_lock(path)
    if info is None or info.get("pid") != entry["pid"] or info.get("host") != host:
        return
    started, ours = info.get("start"), entry.get("start")
    if isinstance(started, str) and started and ours:
        gone = started == ours  # the lock names the very process found dead
    else:
        gone = system.current().liveness(entry["pid"], "") is system.Liveness.DEAD
    if gone:
        with contextlib.suppress(OSError):
            path.unlink()


def _remove_unfinished_record(path: Path, name: str, host: str) -> None:
    """A record killed while being written named no path yet (its paths were not created)."""
    pid = name[1:].split("-")[1]
    if not pid.isdigit():
        return
    entry = {"host": host, "pid": int(pid), "start": ""}
    if int(pid) != os.getpid() and _is_dead(entry, host, ""):
        with contextlib.suppress(OSError):
            path.unlink()

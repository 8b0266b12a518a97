"""One backup at a time per project folder (the window's automatic one and a `backup` typed in
a terminal): a lock file created exclusively, naming the process; a dead holder's lock is
taken over."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from csr_desktop.core.backups.files import BackupError
from csr_desktop.core.errors import quoted


class StoreLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / ".lock"
        self._held = False

    def __enter__(self) -> StoreLock:
        from csr_desktop.core import system

        sys_ = system.current()
        me = {"pid": os.getpid(), "start": sys_.process_start(os.getpid()), "host": sys_.host()}
        body = json.dumps(me).encode()
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                if self._stale():
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()
                    continue
                raise BackupError(
                    f"另一个备份正在进行（{quoted(self.path)}），请稍后再试",
                    f"another backup holds {self.path}",
                ) from None
            try:
                os.write(fd, body)
                os.fsync(fd)
            finally:
                os.close(fd)
            self._held = True
            return self
        raise BackupError(f"无法锁定备份文件夹（{quoted(self.path)}）", f"cannot take {self.path}")

    def _stale(self) -> bool:
        from csr_desktop.core import system

        sys_ = system.current()
        try:
            holder = json.loads(self.path.read_text(encoding="utf-8"))
            pid, start, host = int(holder["pid"]), str(holder["start"]), str(holder["host"])
        except (OSError, ValueError, KeyError, TypeError):
            # empty or torn: killed before its fsync, or being written this very moment
            import time

            try:
                return time.time() - self.path.stat().st_mtime > 10
            except OSError:
                return True
        if host != sys_.host():
            return False  # another PC's backup into a shared folder: never judged from here
        return sys_.liveness(pid, start) is system.Liveness.DEAD

    def __exit__(self, *exc: object) -> None:
        if self._held:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self._held = False

"""Evidence files into and out of the backup store past the page cache (Linux O_DIRECT).

Why: a backup's copy is read again only by a restore, maybe weeks later. Through the page
cache every byte is first copied into freshly allocated cache pages (a buffered 1 GB write
here spent 83 % of its samples in that copy), then written back by the kernel, and the
project's own commits after each keystroke wait behind that writeback. Written directly, the
bytes go from one reused aligned 1 MiB buffer to the disk: measured on this machine, 512 MB in
1.4–2.9 s and 0.1 CPU-s instead of 4.2–10.8 s and 0.5–1.1 CPU-s (writeback.WriteBehind;
13–15 s with an fdatasync every 8 MiB).

A file system that refuses O_DIRECT (tmpfs, many FUSE and network mounts, Windows) gets the
ordinary buffered write with its writeback kept going (writeback.py); so does the rest of a file
whose direct write failed half-way. Either way `finish` fsyncs: the file is durable before it
is renamed into the store. A restore reads them back the same way (`read_chunks`): a store file
is rarely in the cache (it was written past it), and reading it through the cache would fill a
gigabyte of fresh cache pages nobody reads again.
"""

from __future__ import annotations

import contextlib
import errno
import mmap
import os
import sys
from collections.abc import Generator
from pathlib import Path

from csr_desktop.core.backups.writeback import WriteBehind

ALIGN = 4096  # a multiple of every logical block size direct I/O asks for
# Each write waits whole in the disk's queue ahead of the project's next commit flush: 1 MiB
# writes kept the backup as fast as 4 MiB ones (1.20–1.28 s against 1.26–1.36 s for 1 GB) and
# the commits typed meanwhile at 2.0–2.3 ms median instead of 3.2–3.6 (1.5 ms with no backup);
# 256–512 KiB made the backup 15–25 % slower for no lower latency.
BUFFER = 1 << 20


class StoreFileWriter:
    """Appends to a new file at `path` (created or truncated); `finish` makes it durable."""

    def __init__(self, path: Path) -> None:
        self._direct = False
        self._fd = -1
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
        flags |= getattr(os, "O_BINARY", 0)
        if sys.platform == "linux":
            try:
                self._fd = os.open(path, flags | os.O_DIRECT, 0o666)
                self._direct = True
            except OSError as exc:
                if exc.errno != errno.EINVAL:
                    raise
        if self._fd < 0:
            self._fd = os.open(path, flags, 0o666)
        self._behind = WriteBehind(self._fd)
        self._buf = mmap.mmap(-1, BUFFER)  # page-aligned, as direct I/O needs
        self._view = memoryview(self._buf)
        self._fill = 0  # bytes waiting in the buffer
        self._written = 0  # bytes in the file

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = min(len(view), BUFFER - self._fill)
            self._view[self._fill : self._fill + n] = view[:n]
            self._fill += n
            view = view[n:]
            if self._fill == BUFFER:
                self._flush(BUFFER)

    def finish(self) -> None:
        """Every byte on disk, and the file's size: fsync."""
        size = self._written + self._fill
        if self._fill:
            if self._direct:  # the last block padded with zeros, then the file cut to size
                padded = -(-self._fill // ALIGN) * ALIGN
                self._view[self._fill : padded] = bytes(padded - self._fill)
                self._flush(padded)
                os.ftruncate(self._fd, size)
            else:
                self._flush(self._fill)
        os.fsync(self._fd)

    def close(self) -> None:
        self._view.release()
        self._buf.close()
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> StoreFileWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _flush(self, length: int) -> None:
        """Write the buffer's first `length` bytes (all that is in it, or padded to ALIGN)."""
        done = 0
        while done < length:
            try:
                n = os.write(self._fd, self._view[done:length])
            except OSError as exc:
                if not (self._direct and exc.errno == errno.EINVAL):
                    raise
                self._to_buffered()  # a mount that opened with O_DIRECT but will not write so
                continue
            if n <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            done += n
            if self._direct and n % ALIGN:  # a short write: the offset is no longer aligned
                self._to_buffered()
        real = min(length, self._fill)
        self._written += real
        self._fill = 0
        if not self._direct:
            self._behind.wrote_up_to(self._written)

    def _to_buffered(self) -> None:
        if sys.platform == "linux":
            import fcntl

            fcntl.fcntl(
                self._fd, fcntl.F_SETFL, fcntl.fcntl(self._fd, fcntl.F_GETFL) & ~os.O_DIRECT
            )
        self._direct = False


def read_chunks(path: Path, chunk_size: int) -> Generator[bytes, None, None]:
    """The file's bytes, `chunk_size` (a multiple of ALIGN) at a time; buffered where refused."""
    fd = -1
    direct = False
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if sys.platform == "linux":
        try:
            fd = os.open(path, flags | os.O_DIRECT)
            direct = True
        except OSError as exc:
            if exc.errno != errno.EINVAL:
                raise
    if fd < 0:
        fd = os.open(path, flags)
    buf = mmap.mmap(-1, chunk_size)
    view = memoryview(buf)
    try:
        while True:
            try:
                n = _read_into(fd, view) if direct else -1
            except OSError as exc:
                if exc.errno != errno.EINVAL:
                    raise
                direct = False  # opened, but this mount will not read so: nothing read yet
                if sys.platform == "linux":
                    import fcntl

                    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_DIRECT)
                n = -1
            chunk = bytes(view[:n]) if n >= 0 else os.read(fd, chunk_size)
            if not chunk:
                return
            yield chunk
            if direct and n % ALIGN:  # a short read ends only at the end of the file
                direct = False
    finally:
        view.release()
        buf.close()
        os.close(fd)


def _read_into(fd: int, view: memoryview) -> int:
    if sys.platform == "win32":
        raise OSError(errno.EINVAL, "no direct I/O")
    return os.readv(fd, [view])

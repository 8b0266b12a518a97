"""The bounded reader counts what it reads (issue 31): a file that grows after it was opened,
or whose `fstat` lies about its size, is still read no further than the limit and refused."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from csr_desktop.core import bounded_read
from csr_desktop.core.errors import InputFileError

LIMIT = 4096


class Counting(io.RawIOBase):
    """A handle that counts the bytes handed out, and on its first read lets another program
    append `grow` bytes to the file (a scan still being written)."""

    def __init__(self, fh: BinaryIO, path: Path, grow: int) -> None:
        self.fh, self.path, self.grow, self.given = fh, path, grow, 0

    def read(self, size: int = -1) -> bytes:
        if self.grow:
            with open(self.path, "ab") as other:
                other.write(b"y" * self.grow)
            self.grow = 0
        data = self.fh.read(size)
        self.given += len(data)
        return data

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.fh.fileno()

    def close(self) -> None:
        self.fh.close()
        super().close()


class Handles:
    """Every handle read_limited opened; `grow`: bytes appended on the next one's first read."""

    def __init__(self) -> None:
        self.opened: list[Counting] = []
        self.grow = 0


@pytest.fixture
def handles(monkeypatch: pytest.MonkeyPatch) -> Handles:
    seen = Handles()
    real = bounded_read.open_regular

    def open_counting(path: Path) -> Any:
        handle = Counting(real(path), Path(path), seen.grow)
        seen.opened.append(handle)
        return handle

    monkeypatch.setattr(bounded_read, "open_regular", open_counting)
    return seen


def test_a_file_that_grows_after_it_is_opened_is_refused_having_read_no_more_than_the_limit(
    tmp_path: Path, handles: Handles
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * LIMIT)  # exactly the limit when opened and stat'ed
    handles.grow = 3 << 20
    with pytest.raises(InputFileError) as err:
        bounded_read.read_limited(path, LIMIT)
    assert "a.json" in err.value.zh and "过大" in err.value.zh
    assert handles.opened[0].given <= LIMIT + 1  # never the 3 MB that arrived meanwhile
    assert handles.opened[0].closed


def test_the_limit_holds_when_fstat_lies_about_the_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handles: Handles
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * (LIMIT + 1000))
    real_fstat = os.fstat

    def lying_fstat(fd: int) -> os.stat_result:  # what /proc files and /dev/zero report
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, 1, 0, 0, 0, 0, 0, 0))

    monkeypatch.setattr(os, "fstat", lying_fstat)
    with pytest.raises(InputFileError) as err:
        bounded_read.read_limited(path, LIMIT)
    assert "过大" in err.value.zh and handles.opened[0].given <= LIMIT + 1
    assert bounded_read.read_limited(path, LIMIT + 1000) == b"x" * (LIMIT + 1000)


@pytest.mark.parametrize("size", [0, 1, LIMIT - 1, LIMIT, (1 << 20) + 7])
def test_a_file_within_the_limit_is_read_whole(tmp_path: Path, size: int) -> None:
    path = tmp_path / "a.bin"
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    path.write_bytes(data)
    assert bounded_read.read_limited(path, max(size, LIMIT)) == data
    if size:
        with pytest.raises(InputFileError):
            bounded_read.read_limited(path, size - 1)


def test_a_large_limit_is_read_in_pieces_and_never_past_it(tmp_path: Path, handles: Handles):
    """Several reads (more than a MiB): the last asks only for what is left up to limit + 1."""
    path = tmp_path / "big.bin"
    path.write_bytes(b"z" * (3 << 20))
    limit = (3 << 19) + 5  # 1.5 MiB and a little
    with pytest.raises(InputFileError):
        bounded_read.read_limited(path, limit)
    assert handles.opened[0].given == limit + 1


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def test_a_handle_refused_after_the_open_is_closed(tmp_path: Path, monkeypatch):
    """A FIFO swapped in between the check and the open is refused, and its descriptor closed."""
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    monkeypatch.setattr(bounded_read, "check_regular", lambda _p: regular)
    before = _open_fds()
    for _ in range(3):
        with pytest.raises(InputFileError):
            bounded_read.open_regular(fifo)
    assert _open_fds() <= before


def test_a_socket_is_refused_by_name(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(InputFileError) as err:
            bounded_read.read_limited(path, LIMIT)
    assert err.value.zh == f"“{path}”：是套接字（socket），不是普通文件，已拒绝"


def test_a_link_is_named_with_where_it_leads_and_a_plain_path_is_not(tmp_path: Path) -> None:
    fifo = tmp_path / "管道"
    os.mkfifo(fifo)
    link = tmp_path / "看起来像文件.json"
    link.symlink_to(fifo)
    with pytest.raises(InputFileError) as err:
        bounded_read.read_limited(link, LIMIT)
    assert err.value.zh.startswith(f"“{link}”（链接，指向 “{fifo}”）：是命名管道")
    with pytest.raises(InputFileError) as err:
        bounded_read.read_limited(fifo, LIMIT)
    assert err.value.zh.startswith(f"“{fifo}”：是命名管道")

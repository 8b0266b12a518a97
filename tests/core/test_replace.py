"""Exports onto a file open in Excel or WPS: retried, then named as held by another program.

The seam's `replace` fails like Windows does (PermissionError with winerror 5/32/33) for the
first N attempts, or for ever; `sleep` records the back-off instead of waiting.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from csr_desktop.core import system
from csr_desktop.core.atomic import output_error, write_atomically
from csr_desktop.core.errors import CsrError
from csr_desktop.core.replace import BACKOFF, FileInUseError, replace_file

IN_USE = "文件正被其他程序（如 Excel、WPS）打开，请关闭后重试"


def windows_error(exc_type: type[OSError], code: int, winerror: int, name: str) -> OSError:
    exc = exc_type(code, os.strerror(code), name)
    exc.winerror = winerror  # type: ignore[attr-defined] - set by CPython on Windows only
    return exc


class HeldDestination(system.PosixSystem):
    """Another program holds the destination for the first `failures` attempts."""

    def __init__(self, failures: int | None, winerror: int = 32) -> None:
        self.failures = failures  # None: for ever
        self.winerror = winerror
        self.attempts = 0
        self.waits: list[float] = []

    def replace(self, src: Path, dst: Path) -> None:
        self.attempts += 1
        if self.failures is None or self.attempts <= self.failures:
            raise windows_error(PermissionError, errno.EACCES, self.winerror, str(dst))
        os.replace(src, dst)

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def held():
    made: list[HeldDestination] = []

    def install(failures: int | None, winerror: int = 32) -> HeldDestination:
        fake = HeldDestination(failures, winerror)
        system.use(fake)
        made.append(fake)
        return fake

    yield install
    system.use(None)


@pytest.mark.parametrize("winerror", [5, 32, 33])
def test_a_brief_hold_is_waited_out(tmp_path: Path, held, winerror: int):
    dest = tmp_path / "自评表.xlsx"
    dest.write_bytes(b"old")
    fake = held(3, winerror)
    write_atomically(dest, lambda fh: fh.write(b"new"))
    assert dest.read_bytes() == b"new"
    assert fake.attempts == 4 and fake.waits == list(BACKOFF[:3])
    assert os.listdir(tmp_path) == ["自评表.xlsx"]


def test_a_file_kept_open_is_named_as_held_not_read_only(tmp_path: Path, held):
    dest = tmp_path / "自评表.xlsx"
    dest.write_bytes(b"old")
    fake = held(None)
    with pytest.raises(CsrError) as caught:
        write_atomically(dest, lambda fh: fh.write(b"new"))
    assert isinstance(caught.value, FileInUseError)
    assert IN_USE in caught.value.zh and str(dest) in caught.value.zh
    assert "只读" not in caught.value.zh
    assert fake.attempts == len(BACKOFF) + 1 and fake.waits == list(BACKOFF)
    assert dest.read_bytes() == b"old" and os.listdir(tmp_path) == ["自评表.xlsx"]


def test_a_read_only_destination_says_so(tmp_path: Path, held):
    dest = tmp_path / "自评表.xlsx"
    dest.write_bytes(b"old")
    dest.chmod(0o444)
    held(None, winerror=5)
    with pytest.raises(CsrError) as caught:
        write_atomically(dest, lambda fh: fh.write(b"new"))
    assert "只读" in caught.value.zh and IN_USE not in caught.value.zh


def test_other_failures_are_not_retried(tmp_path: Path, held):
    class Full(HeldDestination):
        def replace(self, src: Path, dst: Path) -> None:
            self.attempts += 1
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    fake = Full(None)
    system.use(fake)
    dest = tmp_path / "out.pdf"
    with pytest.raises(CsrError, match="磁盘空间不足"):
        write_atomically(dest, lambda fh: fh.write(b"x"))
    assert fake.attempts == 1 and fake.waits == []


def test_replace_file_raises_posix_errors_as_they_are(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        replace_file(tmp_path / "missing", tmp_path / "dest")


def test_loading_onto_a_project_held_by_another_program(tmp_path: Path, held, sample_json: Path):
    """`load --force` over a project another program (a backup tool, OneDrive) holds."""
    from csr_desktop.formats import interchange

    dest = tmp_path / "项目.csrproj"
    held(None)
    with pytest.raises(CsrError) as caught:
        interchange.load(sample_json, dest)
    assert IN_USE in caught.value.zh and str(dest) in caught.value.zh
    assert not dest.exists()
    assert [n for n in os.listdir(tmp_path) if n.startswith(".")] == []


def test_next_years_project_waits_for_a_scanner(tmp_path: Path, held, sample_project: Path):
    from csr_desktop.core.carry_over import carry_over

    fake = held(2)
    dest = tmp_path / "next.csrproj"
    carry_over(sample_project, dest)
    assert dest.exists() and fake.attempts == 3


def test_too_long_a_path_is_named_as_such(tmp_path: Path):
    """Linux: ENAMETOOLONG; it read "File name too long" untranslated."""
    dest = tmp_path / ("很长的文件名" * 60 + ".pdf")
    with pytest.raises(CsrError) as caught:
        write_atomically(dest, lambda fh: fh.write(b"x"))
    assert "路径过长" in caught.value.zh and str(dest) in caught.value.zh


def test_windows_path_length_error_is_not_a_missing_folder(tmp_path: Path):
    """Windows reports a path over 260 characters as WinError 206, which Python maps to
    ENOENT: it read "文件夹不存在"."""
    dest = tmp_path / "x.pdf"
    exc = windows_error(FileNotFoundError, errno.ENOENT, 206, str(dest))
    zh = output_error(dest, exc).zh
    assert "路径过长" in zh and "不存在" not in zh
    from csr_desktop.core.os_errors import describe_os_error

    assert "路径过长" in describe_os_error(exc).zh
    held_exc = windows_error(PermissionError, errno.EACCES, 32, str(dest))
    assert IN_USE in describe_os_error(held_exc).zh


def test_a_long_path_reported_as_not_found_is_named_as_too_long(tmp_path: Path):
    """Without long-path support Windows may answer a 300-character path with WinError 3
    ("path not found") or 123 ("invalid name"); a short path with 3 is a missing folder."""
    long_dest = tmp_path / ("子文件夹" * 60) / "自评表.xlsx"
    for winerror in (3, 123):
        exc = windows_error(FileNotFoundError, errno.ENOENT, winerror, str(long_dest))
        assert "路径过长" in output_error(long_dest, exc).zh
    short = tmp_path / "gone" / "自评表.xlsx"
    exc = windows_error(FileNotFoundError, errno.ENOENT, 3, str(short))
    assert "文件夹不存在" in output_error(short, exc).zh

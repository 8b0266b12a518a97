"""The zip limits are limits, not lower bounds: a member exactly at a limit is accepted, one byte
over is refused (the `>`→`>=` mutants of zip_safety.check_members survived the suite)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from csr_desktop.core.errors import InputFileError
from csr_desktop.formats.zip_safety import ZipLimits, check_members

MiB = 1 << 20
LIMITS = ZipLimits(
    max_members=10, max_member_bytes=4 * MiB, max_total_bytes=64 * MiB, max_ratio=50.0
)


def member(size: int, packed: int, name: str = "xl/worksheets/sheet1.xml") -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.file_size, info.compress_size = size, packed
    return info


def test_a_member_exactly_at_the_size_limit_is_accepted_one_byte_more_refused() -> None:
    check_members(Path("a.xlsx"), [member(4 * MiB, 4 * MiB)], LIMITS)
    with pytest.raises(InputFileError):
        check_members(Path("a.xlsx"), [member(4 * MiB + 1, 4 * MiB + 1)], LIMITS)


def test_a_member_exactly_at_the_ratio_limit_is_accepted_more_refused() -> None:
    packed = 65_536
    check_members(Path("a.xlsx"), [member(50 * packed, packed)], LIMITS)
    with pytest.raises(InputFileError):
        check_members(Path("a.xlsx"), [member(50 * packed + 1, packed)], LIMITS)

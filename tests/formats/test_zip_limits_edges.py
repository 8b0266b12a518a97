"""The zip limits are limits, not lower bounds: a member exactly at a limit is accepted, one byte
over is refused (the `>`→`>=` mutants of zip_safety.check_members survived the suite)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from csr_desktop.core.errors import InputFileError
from csr_desktop.formats.zip_safety import ZipLimits, check_members, office_limits

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


def test_the_member_count_and_the_total_are_limits_too() -> None:
    at = [member(MiB, MiB, f"m{i}.xml") for i in range(10)]  # 10 members, 10 MiB in all
    check_members(Path("a.xlsx"), at, ZipLimits(10, 4 * MiB, 10 * MiB, 50.0))
    with pytest.raises(InputFileError):
        check_members(Path("a.xlsx"), at, ZipLimits(9, 4 * MiB, 10 * MiB, 50.0))
    with pytest.raises(InputFileError):
        check_members(Path("a.xlsx"), at, ZipLimits(10, 4 * MiB, 10 * MiB - 1, 50.0))


def test_an_office_file_may_hold_300_mib_in_2000_members_of_100_mib_compressed_100_times() -> None:
    # the workbook import, Word/Excel evidence and the report reader share these limits
    limits = office_limits("Excel 工作簿（.xlsx）")
    big = [member(100 * MiB, MiB, f"m{i}.xml") for i in range(3)]  # 300 MiB, ratio exactly 100
    check_members(Path("a.xlsx"), big, limits)
    for over in (
        [*big[:2], member(100 * MiB + 1, MiB + 1, "m2.xml")],  # one member past 100 MiB
        [*big, member(1, 1, "m3.xml")],  # one byte past 300 MiB in all
        [*big[:2], member(100 * MiB, MiB - 1, "m2.xml")],  # compressed more than 100 times
    ):
        with pytest.raises(InputFileError):
            check_members(Path("a.xlsx"), over, limits)
    many = [member(10, 10, f"m{i}.xml") for i in range(2000)]
    check_members(Path("a.xlsx"), many, limits)
    with pytest.raises(InputFileError):
        check_members(Path("a.xlsx"), [*many, member(10, 10, "last.xml")], limits)


def test_a_member_up_to_the_ratio_floor_may_compress_any_amount() -> None:
    check_members(Path("a.xlsx"), [member(MiB, 1)], LIMITS)  # 1 MiB of one repeated byte
    with pytest.raises(InputFileError):
        check_members(Path("a.xlsx"), [member(MiB + 1, 1)], LIMITS)


@pytest.mark.parametrize(
    ("limit", "shown"),
    [
        (512 * 1024, "512.0 KB"),
        (MiB, "1.0 MB"),
        (100 * MiB, "100.0 MB"),
        (1024 * MiB, "1.0 GB"),
        (2048 * MiB, "2.0 GB"),
    ],
)
def test_the_refusal_names_the_limit_in_the_units_people_read(limit: int, shown: str) -> None:
    limits = ZipLimits(10, limit, 100 * limit, 1e9)
    with pytest.raises(InputFileError) as refused:
        check_members(Path("大.xlsx"), [member(limit + 1, limit + 1)], limits)
    assert f"超过上限 {shown}" in refused.value.zh and "大.xlsx" in refused.value.zh

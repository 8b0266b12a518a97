"""The zip check refuses, unread, what would cost unbounded memory or time to inflate."""

from __future__ import annotations

import random
import struct
import zipfile
from pathlib import Path

import pytest

from csr_desktop.core.errors import InputFileError
from csr_desktop.formats.zip_safety import MiB, ZipLimits, open_checked

LIMITS = ZipLimits(
    max_members=10,
    max_member_bytes=4 * MiB,
    max_total_bytes=6 * MiB,
    max_ratio=50.0,
    ratio_floor_bytes=256 * 1024,
    kind="测试包",
)


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _refused(path: Path, *needles: str, limits: ZipLimits = LIMITS) -> str:
    with pytest.raises(InputFileError) as info:
        open_checked(path, limits)
    message = info.value.zh
    assert str(path) in message
    for needle in needles:
        assert needle in message
    return message


def test_a_sound_zip_passes_and_lists_its_members(tmp_path: Path):
    path = _zip(tmp_path / "ok.zip", {"a.xml": b"<a/>" * 100, "b.bin": bytes(range(256)) * 40})
    members = open_checked(path, LIMITS)
    assert [m.filename for m in members] == ["a.xml", "b.bin"]


def test_small_members_may_compress_very_well(tmp_path: Path):
    """Repetitive XML under the ratio floor is ordinary, not a bomb."""
    path = _zip(tmp_path / "xml.zip", {"sheet.xml": b"<c/>" * 60_000})  # 240 KB, ratio > 50
    info = open_checked(path, LIMITS)[0]
    assert info.file_size > LIMITS.max_ratio * info.compress_size


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "空文件"),
        (b"hello, not a zip", "不是测试包"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), ".xls"),
        (b"PK\x03\x04 then nothing of a zip", "不完整或已损坏"),
    ],
)
def test_files_that_are_not_sound_zips_are_refused(tmp_path: Path, content: bytes, needle: str):
    path = tmp_path / "x.zip"
    path.write_bytes(content)
    _refused(path, needle)


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path):
    _refused(tmp_path / "none.zip", "找不到")
    _refused(tmp_path, "文件夹")


def test_a_truncated_zip_is_refused(tmp_path: Path):
    whole = _zip(tmp_path / "whole.zip", {"a.txt": bytes(range(256)) * 400})
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[:-30])
    _refused(cut, "不完整或已损坏")


def test_a_member_inflating_past_the_size_bound_is_refused_naming_it(tmp_path: Path):
    path = _zip(tmp_path / "big.zip", {"ok.xml": b"<a/>", "huge.xml": b"\0" * (5 * MiB)})
    _refused(path, "huge.xml", "4.0 MB", "压缩炸弹")


def test_a_member_with_a_bomb_ratio_is_refused_below_the_size_bound(tmp_path: Path):
    path = _zip(tmp_path / "ratio.zip", {"bomb.xml": b" " * (3 * MiB)})
    info = zipfile.ZipFile(path).infolist()[0]
    assert info.file_size < LIMITS.max_member_bytes
    _refused(path, "bomb.xml", "压缩比")


def test_stored_members_count_towards_the_total(tmp_path: Path):
    noise = random.Random(1).randbytes(5 * MiB // 2)  # incompressible
    path = _zip(
        tmp_path / "total.zip", {"a.bin": noise, "b.bin": noise, "c.bin": noise}, zipfile.ZIP_STORED
    )
    _refused(path, "总大小", "c.bin")


def test_too_many_members_are_refused(tmp_path: Path):
    path = _zip(tmp_path / "many.zip", {f"m{i}.xml": b"<a/>" for i in range(11)})
    _refused(path, "11 个成员")


def test_an_encrypted_member_is_refused_naming_it(tmp_path: Path):
    path = _zip(tmp_path / "enc.zip", {"secret.xml": b"<a/>"})
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    flags = struct.unpack_from("<H", data, central + 8)[0]
    struct.pack_into("<H", data, central + 8, flags | 1)
    path.write_bytes(bytes(data))
    _refused(path, "secret.xml", "加密")


def test_limits_are_parameters(tmp_path: Path):
    """The same container passes looser limits: the package verifier chooses its own."""
    path = _zip(tmp_path / "big.zip", {"huge.xml": random.Random(2).randbytes(5 * MiB)})
    _refused(path, "huge.xml")
    loose = ZipLimits(
        max_members=5, max_member_bytes=8 * MiB, max_total_bytes=8 * MiB, max_ratio=100.0
    )
    assert len(open_checked(path, loose)) == 1

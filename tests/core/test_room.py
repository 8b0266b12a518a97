"""Room is checked before a big copy: refused by name, nothing written."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

from csr_desktop.cli import run_command
from csr_desktop.core import room
from csr_desktop.core.store import Project

_ATTACH_UNDER_LIMIT = """
import resource, sys
from csr_desktop.cli import run_command
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.exit(run_command(["attach", sys.argv[2], "3", sys.argv[3]]))
"""


def test_an_attach_past_the_places_largest_file_is_refused_before_copying(tmp_path: Path):
    """FAT32's 4 GiB limit, stood in for by RLIMIT_FSIZE (EFBIG): refused by name up front."""
    path = tmp_path / "项目.csrproj"
    Project.create(path).close()
    big = tmp_path / "视频.mp4"
    big.write_bytes(b"v" * (12 << 20))
    before = path.read_bytes()
    limit = path.stat().st_size + (20 << 20)  # the file would fit, with the margin it would not
    result = subprocess.run(
        [sys.executable, "-c", _ATTACH_UNDER_LIMIT, str(limit), str(path), str(big)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stderr
    assert "上限" in result.stderr and "未做任何修改" in result.stderr
    assert path.read_bytes() == before
    assert sorted(f.name for f in tmp_path.iterdir()) == ["视频.mp4", "项目.csrproj"]


def test_an_attach_larger_than_the_free_space_is_refused(tmp_path: Path, monkeypatch, capsys):
    path = tmp_path / "项目.csrproj"
    Project.create(path).close()
    big = tmp_path / "报告.pdf"
    big.write_bytes(b"p" * (1 << 20))
    before = path.read_bytes()

    class Usage:
        free = 4 << 20

    monkeypatch.setattr(room.shutil, "disk_usage", lambda _p: Usage)
    assert run_command(["attach", str(path), "3", str(big)]) == 2
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "未做任何修改" in err
    assert path.read_bytes() == before


def test_a_fat_mount_is_recognised_from_mountinfo(tmp_path: Path, monkeypatch):
    sample = (
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "40 22 8:17 / /media/u\\040盘 rw,relatime shared:9 - vfat /dev/sdb1 rw,fmask=0022\n"
    )
    real_read = Path.read_text

    def fake_read(self: Path, *a: object, **k: object) -> str:
        if str(self) == "/proc/self/mountinfo":
            return sample
        return real_read(self, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", fake_read)
    assert room._mount_fs_type(Path("/media/u 盘/项目.csrproj")) == "vfat"
    assert room._mount_fs_type(Path("/home/u/项目.csrproj")) == "ext4"
    monkeypatch.setattr(room.os.path, "realpath", lambda p: str(p))
    soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    expected = room.FAT_MAX_FILE if soft == resource.RLIM_INFINITY else min(soft, room.FAT_MAX_FILE)
    assert room.max_file_size(Path("/media/u 盘")) == expected


def test_a_package_too_big_for_the_free_space_is_refused_before_writing(
    tmp_path: Path, monkeypatch, capsys
):
    path = tmp_path / "项目.csrproj"
    Project.create(path).close()
    big = tmp_path / "视频.mp4"
    big.write_bytes(b"v" * (6 << 20))
    assert run_command(["attach", str(path), "3", str(big)]) == 0

    class Usage:
        free = 20 << 20  # the evidence (twice) and the margin do not fit

    monkeypatch.setattr(room.shutil, "disk_usage", lambda _p: Usage)
    out = tmp_path / "导出"
    out.mkdir()
    assert run_command(["export", str(path), "--package", str(out / "材料包.zip")]) == 2
    assert "磁盘空间不足" in capsys.readouterr().err
    assert list(out.iterdir()) == []

"""Is there room for a big write? Checked before copying evidence in or writing a project.

A copy that fails half-way on a full disk or on FAT32's 4 GiB file limit wastes minutes and
leaves slack; refused by name before the first byte, nothing is written.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from csr_desktop.core.errors import ProjectFileError, quoted

if TYPE_CHECKING:
    from csr_desktop.core.assessment import Answer

FAT_MAX_FILE = (4 << 30) - 1
MARGIN = 16 << 20  # the journal, the b-tree and the folder's own needs
_FAT_TYPES = frozenset({"vfat", "msdos", "fat", "fat32", "umsdos"})


def _mount_fs_type(path: Path) -> str:
    """The file system type of the mount holding `path` (Linux /proc; '' elsewhere)."""
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    real = os.path.realpath(path)
    best, fs_type = "", ""
    for line in lines:
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5:
            continue
        mount = fields[4].replace("\\040", " ")
        inside = real == mount or real.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, fs_type = mount, right.split()[0]
    return fs_type


def max_file_size(folder: Path) -> int | None:
    """The largest file the place can hold, when it is limited (FAT32, a process limit)."""
    limits: list[int] = []
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        name = ctypes.create_unicode_buffer(64)
        root = os.path.splitdrive(os.path.abspath(folder))[0] + "\\"
        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - absent on POSIX for mypy
        got = kernel32.GetVolumeInformationW(root, None, 0, None, None, None, name, 64)
        if got and name.value.upper().startswith("FAT"):
            limits.append(FAT_MAX_FILE)
    else:
        if _mount_fs_type(folder).lower() in _FAT_TYPES:
            limits.append(FAT_MAX_FILE)
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        if soft != resource.RLIM_INFINITY:
            limits.append(int(soft))
    return min(limits) if limits else None


def _size(n: int) -> str:
    return f"{n / (1 << 30):.1f} GB" if n >= 1 << 30 else f"{max(1, n >> 20)} MB"


def check_room(target: Path, adding: int, grows: bool = True) -> None:
    """Refuse a write of `adding` bytes to `target` (a file that `grows`, or a new one) that
    the disk or the medium's largest file could not take."""
    target = Path(target)
    folder = target.parent
    current = 0
    if grows:
        try:
            current = target.stat().st_size
        except OSError:
            current = 0
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return  # the write itself will name what is wrong with the place
    if free < adding + MARGIN:
        raise ProjectFileError(
            f"磁盘空间不足：写入 {quoted(target)} 需要约 {_size(adding + MARGIN)}，"
            f"{quoted(folder)} 所在磁盘只剩 {_size(free)}。未做任何修改，请清理磁盘后重试",
            f"not enough room for {adding} bytes in {folder} ({free} free)",
        )
    limit = max_file_size(folder)
    if limit is not None and current + adding + MARGIN > limit:
        raise ProjectFileError(
            f"{quoted(target)} 写入后将达到约 {_size(current + adding)}，超过此位置单个文件的上限"
            f" {_size(limit + 1)}（FAT32 格式的 U 盘即如此）。未做任何修改；"
            "请把项目放到本机磁盘或 NTFS/exFAT 格式的 U 盘上",
            f"{target} would exceed the place's largest file ({limit} bytes)",
        )


def evidence_bytes(answers: Iterable[Answer]) -> int:
    """The stored evidence of these answers: about what a document that embeds it needs."""
    return sum(item.size or 0 for answer in answers for item in answer.evidence)

"""Where a project lies: the local disk, a network share, a USB stick or a OneDrive folder.

Why it matters: on a share another PC may hold the project and SQLite's locks may not reach it;
on a stick the file system may be FAT32 (4 GiB per file) and the stick may be pulled; in
OneDrive 已保存 means on this disk (OneDrive uploads later), a file may be a placeholder not yet
downloaded, OneDrive briefly holds files it syncs, and two PCs editing make a conflict copy. The
answer comes from what the OS says (mount table, drive type, OneDrive's own variables), asked
through `core/system.py` so that tests can be any place on any OS.
"""

from __future__ import annotations

import ntpath
import os
import re
import time
from collections.abc import Callable, Mapping
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from csr_desktop.core import system
from csr_desktop.core.errors import ProjectFileError, quoted


class Kind(Enum):
    LOCAL = "local"
    NETWORK = "network"
    REMOVABLE = "removable"
    ONEDRIVE = "onedrive"


class Location(NamedTuple):
    kind: Kind
    detail: str = ""  # the file system type, the share (\\server\share) or the OneDrive folder


# Linux file system types that live on another machine (fuseblk is a local NTFS/exFAT stick)
NETWORK_FS = frozenset(
    {"cifs", "smb3", "smbfs", "afs", "ceph", "glusterfs", "9p", "davfs", "ncpfs"}
    | {"fuse.smbnetfs", "fuse.sshfs", "fuse.rclone", "fuse.davfs2", "fuse.s3fs"}
)
_GVFS_NETWORK = ("smb-share:", "sftp:", "dav:", "davs:", "ftp:", "afp-volume:", "nfs:")

DRIVE_REMOVABLE = 2
DRIVE_REMOTE = 4

FILE_ATTRIBUTE_OFFLINE = 0x1000
FILE_ATTRIBUTE_RECALL_ON_OPEN = 0x40000
FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS = 0x400000
_PLACEHOLDER = (
    FILE_ATTRIBUTE_OFFLINE | FILE_ATTRIBUTE_RECALL_ON_OPEN | FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS
)

ONEDRIVE_VARIABLES = ("OneDriveCommercial", "OneDriveConsumer", "OneDrive")

# Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION (OneDrive or an antivirus reading it)
_SHARING_VIOLATIONS = (32, 33)


def locate(path: Path | str, env: Mapping[str, str] | None = None) -> Location:
    """Where `path` lies, as the OS tells it (a path not yet created: where it would lie)."""
    env = os.environ if env is None else env
    sys_ = system.current()
    table = sys_.mount_table()
    if table is None:
        full = ntpath.abspath(str(path))
        place = _locate_windows(full, sys_)
        onedrive = _onedrive_root(full, env, windows=True)
    else:
        full = os.path.realpath(os.path.abspath(path))
        place = _locate_posix(full, table, sys_)
        onedrive = _onedrive_root(full, env, windows=False)
    if onedrive and place.kind is not Kind.NETWORK:
        return Location(Kind.ONEDRIVE, onedrive)
    return place


def _locate_windows(full: str, sys_: system.System) -> Location:
    if full.startswith("\\\\?\\UNC\\"):
        full = "\\\\" + full[8:]
    elif full.startswith(("\\\\?\\", "\\\\.\\")):
        full = full[4:]
    drive, _rest = ntpath.splitdrive(full)
    if drive.startswith("\\\\"):
        return Location(Kind.NETWORK, drive)
    if not drive:
        return Location(Kind.LOCAL)
    kind = sys_.drive_type(drive + "\\")
    if kind == DRIVE_REMOTE:
        return Location(Kind.NETWORK, drive)
    if kind == DRIVE_REMOVABLE:
        return Location(Kind.REMOVABLE, drive)
    return Location(Kind.LOCAL, drive)


class Mount(NamedTuple):
    point: str
    fstype: str
    source: str


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of /proc/self/mountinfo (proc(5)); lines that do not parse are skipped."""
    mounts = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or len(tail) < 2:
            continue
        mounts.append(Mount(_unescape(fields[4]), tail[0], _unescape(tail[1])))
    return mounts


def _unescape(field: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _locate_posix(full: str, table: str, sys_: system.System) -> Location:
    best: Mount | None = None
    for mount in parse_mountinfo(table):
        point = mount.point.rstrip("/") or "/"
        inside = full == point or full.startswith(point + "/") or point == "/"
        if inside and (best is None or len(point) >= len(best.point.rstrip("/") or "/")):
            best = mount  # the last of equal points is the one on top
    if best is None:
        return Location(Kind.LOCAL)
    fstype = best.fstype
    if fstype in NETWORK_FS or fstype.startswith("nfs"):
        return Location(Kind.NETWORK, fstype)
    if fstype == "fuse.gvfsd-fuse":
        below = full[len(best.point.rstrip("/")) + 1 :]
        if below.startswith(_GVFS_NETWORK):
            return Location(Kind.NETWORK, below.split("/", 1)[0])
    if best.source.startswith("/dev/") and sys_.removable_device(best.source):
        return Location(Kind.REMOVABLE, fstype)
    return Location(Kind.LOCAL, fstype)


def _onedrive_root(full: str, env: Mapping[str, str], windows: bool) -> str:
    for name in ONEDRIVE_VARIABLES:
        root = env.get(name, "")
        if not root:
            continue
        if windows:
            inside = ntpath.normcase(full).startswith(ntpath.normcase(root).rstrip("\\") + "\\")
        else:
            inside = full.startswith(root.rstrip("/") + "/")
        if inside:
            return root
    return ""


def sentence(where: Location) -> str:
    """What the place means for the user, in one sentence ('' for the local disk)."""
    if where.kind is Kind.NETWORK:
        return (
            "项目位于共享文件夹：每次修改都直接保存到共享文件夹；同一时间只有一台电脑能编辑，"
            "其他同事可以只读查看；网络断开时无法保存。"
        )
    if where.kind is Kind.ONEDRIVE:
        return (
            "项目位于 OneDrive 同步文件夹：修改先保存在本机，由 OneDrive 稍后上传；"
            "请勿在两台电脑上同时编辑，否则会产生冲突副本。"
        )
    if where.kind is Kind.REMOVABLE:
        return (
            "项目位于 U 盘等可移动磁盘：每次修改都直接保存到 U 盘；拔出前请先关闭项目；"
            "FAT32 格式的 U 盘单个文件不能超过 4 GB。"
        )
    return ""


# ---- OneDrive ------------------------------------------------------------------------------


def conflict_copies(path: Path) -> list[Path]:
    """Copies beside the project that OneDrive (or Explorer) made: 项目-PC名.csrproj,
    项目-PC名-2.csrproj, 项目 - 副本.csrproj, 项目-Copy.csrproj."""
    pattern = re.compile(
        rf"{re.escape(path.stem)}\s*-\s*\S.*{re.escape(path.suffix)}", re.IGNORECASE
    )
    try:
        names = sorted(p for p in path.parent.iterdir() if p != path)
    except OSError:
        return []
    return [p for p in names if pattern.fullmatch(p.name) and p.is_file()]


def conflict_notice(path: Path, copies: list[Path]) -> str:
    if not copies:
        return ""
    names = "、".join(quoted(p.name) for p in copies)
    return (
        f"项目文件旁有 {names}，可能是 OneDrive 在两台电脑同时编辑时产生的冲突副本。"
        "其中的修改不会自动合并：请打开对比，把需要的内容补录到本项目后再删除副本"
    )


def is_placeholder(path: Path) -> bool:
    """A OneDrive Files-On-Demand file whose content is still in the cloud."""
    return bool(system.current().file_attributes(str(path)) & _PLACEHOLDER)


def download(path: Path, progress: Callable[[int, int], bool] | None = None) -> None:
    """Have OneDrive download a placeholder by reading it through; `progress` may cancel."""
    try:
        total = path.stat().st_size
        done = 0
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                done += len(chunk)
                if progress is not None and not progress(done, total):
                    break
    except OSError as exc:
        raise ProjectFileError(
            f"项目文件 {quoted(path)} 仍在 OneDrive 云端，无法下载到本机（{exc.strerror or exc}）。"
            "请确认 OneDrive 正在运行并已联网，或在资源管理器中右键该文件选择“始终保留在此设备上”",
            f"{path} is a OneDrive placeholder that could not be downloaded: {exc}",
        ) from exc
    if is_placeholder(path):
        raise ProjectFileError(
            f"项目文件 {quoted(path)} 尚未从 OneDrive 下载完成，请稍后再打开",
            f"{path} is still a OneDrive placeholder",
        )


def is_sharing_violation(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and getattr(exc, "winerror", None) in _SHARING_VIOLATIONS


def wait_until_free(
    path: Path,
    seconds: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
    opener: Callable[[Path], object] | None = None,
) -> None:
    """OneDrive (or an antivirus) holding the file for a moment: wait, and say so only if it
    lasts. Anything but a sharing violation is left for opening to report."""
    opener = opener or _probe
    waited = 0.0
    while True:
        try:
            opener(path)
            return
        except OSError as exc:
            if not is_sharing_violation(exc):
                return
            if waited >= seconds:
                raise ProjectFileError(
                    f"项目文件 {quoted(path)} 正被其他程序（如 OneDrive 同步或杀毒软件）占用，"
                    f"已等待 {seconds:.0f} 秒。请稍后再试",
                    f"{path} is held by another program (sharing violation): {exc}",
                ) from exc
            sleep(0.25)
            waited += 0.25


def _probe(path: Path) -> None:
    with open(path, "rb") as fh:
        fh.read(100)

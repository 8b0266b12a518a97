"""Check a zip container before anything parses it, so a bomb costs nothing but a look.

A zip's central directory states each member's packed and unpacked size. Python's `zipfile`
never inflates a member past its stated size (it stops and fails the CRC), so refusing stated
sizes that are too large, or too many members, bounds the memory and time any reader can spend.
The limits are parameters: the workbook import and the package verifier use different ones.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from csr_desktop.core.bounded_read import open_regular
from csr_desktop.core.errors import InputFileError, quoted

MiB = 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and password-protected .xlsx


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """What a container may hold before it is refused unread."""

    max_members: int
    max_member_bytes: int  # unpacked size of any one member
    max_total_bytes: int  # unpacked size of all members together
    max_ratio: float  # unpacked / packed, for members above `ratio_floor_bytes`
    ratio_floor_bytes: int = MiB  # small members may compress very well quite legitimately
    kind: str = "zip 文件"  # how messages name the container, e.g. "Excel 工作簿"


def office_limits(kind: str) -> ZipLimits:
    """The limits for an Office Open XML file a user hands us (a workbook to import, a Word
    document as evidence or as the company's report): far above any honest one."""
    return ZipLimits(
        max_members=2000,
        max_member_bytes=100 * MiB,
        max_total_bytes=300 * MiB,
        max_ratio=100.0,
        ratio_floor_bytes=MiB,
        kind=kind,
    )


# The parts of an Office file that are XML, and what no honest one holds: a DTD (entity bombs),
# in the three encodings XML allows without a declaration.
XML_PART_SUFFIXES = (".xml", ".rels", ".vml")
DTD_MARKERS = tuple(
    marker.encode(enc)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


def _human(n: int) -> str:
    if n >= 1024 * MiB:
        return f"{n / (1024 * MiB):.1f} GB"
    if n >= MiB:
        return f"{n / MiB:.1f} MB"
    return f"{n / 1024:.1f} KB"


def _refuse(path: Path, zh: str, en: str) -> InputFileError:
    return InputFileError(f"{quoted(path)}：{zh}", f"{path}: {en}")


def open_checked(path: Path, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """Return the members of `path` if it is a sound zip within `limits`; else InputFileError.

    Reads only the central directory: nothing is inflated here.
    """
    path = Path(path)
    if path.is_dir():
        raise _refuse(path, f"这是一个文件夹，不是{limits.kind}", "is a folder")
    fh = open_regular(path)  # a FIFO or a device is refused by name, before any read
    try:
        return _open_checked(path, fh, limits)
    finally:
        fh.close()


def _open_checked(path: Path, fh: BinaryIO, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    try:
        head = fh.read(8)
        fh.seek(0)
    except OSError as exc:
        raise _refuse(path, f"无法读取（{exc.strerror}）", str(exc)) from exc
    if not head:
        raise _refuse(path, "是空文件", "empty file")
    if head.startswith(_OLE_MAGIC):
        raise _refuse(
            path,
            f"不是{limits.kind}：这是旧版 .xls 文件或设置了打开密码的文件，"
            "请在 Excel/WPS 中取消密码并另存为 .xlsx 后再试",
            "an OLE compound file (.xls or password-protected), not a zip",
        )
    if not head.startswith(b"PK"):
        raise _refuse(path, f"不是{limits.kind}（文件格式不对）", "not a zip file")
    try:
        with zipfile.ZipFile(fh) as zf:
            members = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise _refuse(
            path, f"文件不完整或已损坏（可能未下载/复制完），无法作为{limits.kind}打开", str(exc)
        ) from exc
    except (OSError, EOFError, ValueError) as exc:
        raise _refuse(path, f"文件已损坏，无法作为{limits.kind}打开", str(exc)) from exc
    check_members(path, members, limits)
    return members


def check_members(path: Path, members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Apply `limits` to an already listed central directory."""
    if len(members) > limits.max_members:
        raise _refuse(
            path,
            f"包含 {len(members)} 个成员，超过上限 {limits.max_members}，疑似恶意文件，已拒绝",
            f"{len(members)} members > {limits.max_members}",
        )
    total = 0
    for info in members:
        name = info.filename
        if info.flag_bits & 0x1:
            raise _refuse(path, f"其中的 {name} 已加密，无法读取", f"member {name} is encrypted")
        size, packed = info.file_size, info.compress_size
        if size > limits.max_member_bytes:
            raise _refuse(
                path,
                f"其中的 {name} 解压后为 {_human(size)}，超过上限 {_human(limits.max_member_bytes)}，"
                "疑似压缩炸弹，已拒绝",
                f"member {name} inflates to {size} bytes",
            )
        if size > limits.ratio_floor_bytes and size > limits.max_ratio * max(packed, 1):
            raise _refuse(
                path,
                f"其中的 {name} 压缩比异常（{_human(packed)} 解压为 {_human(size)}，"
                f"超过 {limits.max_ratio:g} 倍），疑似压缩炸弹，已拒绝",
                f"member {name} ratio {size}/{packed}",
            )
        total += size
        if total > limits.max_total_bytes:
            raise _refuse(
                path,
                f"解压后总大小超过上限 {_human(limits.max_total_bytes)}（在 {name} 处），"
                "疑似压缩炸弹，已拒绝",
                f"total unpacked size exceeds {limits.max_total_bytes} at {name}",
            )

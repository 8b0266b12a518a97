"""Evidence files that come back with a workbook: a name in the 佐证材料 sheet's 文件名 column,
the file lying beside the workbook (same folder or its `佐证材料/` subfolder).

A name is a file name, never a path: one that climbs out of the folder (`../`), names a folder
or a device, or is a link is refused by name, as is a missing file; none of it stops the rest
of the import.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

EVIDENCE_FOLDER = "佐证材料"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to copy into the project for row `index` of the catalogue `key`."""

    key: str
    index: int
    path: Path
    sha256: str
    size: int
    where: str  # 第7项「…」佐证材料目录第2行
    if_taken: bool = False  # part of a conflict: attached only if the user takes the workbook's

    def describe(self) -> str:
        when = "（冲突：采用工作簿中的内容时）" if self.if_taken else ""
        return (
            f"{self.where} {when}附加文件：{self.path.name}"
            f"（{self.size:,} 字节，SHA-256 {self.sha256[:12]}…）"
        )


def _sha256(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def find_beside(workbook: Path, name: str) -> tuple[Path, str, int] | str:
    """(path, sha256, size) of the file `name` beside `workbook`, or why it cannot be used."""
    shown = f"“{name}”"
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\0" in name
        or os.path.isabs(name)
        or Path(name).drive
    ):
        return f"文件名 {shown} 不是单纯的文件名（不能含有路径或 ..），未附加"
    folder = workbook.resolve().parent
    for where in (folder, folder / EVIDENCE_FOLDER):
        candidate = where / name
        try:
            info = candidate.lstat()
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode):
            return f"文件 {shown} 是链接，不是普通文件，未附加"
        if not stat.S_ISREG(info.st_mode):
            return f"{shown} 不是普通文件（文件夹或设备），未附加"
        try:
            sha, size = _sha256(candidate)
        except OSError as exc:
            return f"文件 {shown} 无法读取（{exc.strerror or exc}），未附加"
        return candidate, sha, size
    return f"找不到文件 {shown}（应放在工作簿所在文件夹或其中的“{EVIDENCE_FOLDER}”文件夹），未附加"

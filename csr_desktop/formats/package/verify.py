"""Check a submission package on the receiving side: every file there, unchanged, nothing added.

A package may arrive damaged or crafted, so nothing here trusts it: member names are checked
before use, nothing is extracted to disk, every member is read a chunk at a time, and sizes
and compression ratios are checked before a byte is inflated. Time and memory stay bounded by
the size of the zip, whatever its headers claim: `zip_safety` checks the central directory
(member count, stated sizes, ratios) before anything is inflated.
"""

from __future__ import annotations

import hashlib
import stat
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.visible import visible
from csr_desktop.formats.package.layout import MANIFEST_NAME
from csr_desktop.formats.package.manifest import MAX_MANIFEST_BYTES, Manifest, parse_manifest
from csr_desktop.formats.safe_names import collision_key, is_safe_path
from csr_desktop.formats.zip_safety import ZipLimits, open_checked

CHUNK = 1 << 20
# DEFLATE cannot inflate more than 1032 times, and an honest package of repetitive logs may
# come close, so only what no honest package can be is refused. The total bound is what keeps
# a crafted zip (overlapping members sharing one compressed stream) from multiplying the work.
MAX_RATIO = 1100
TOTAL_FLOOR = 256 << 20
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def limits_for(zip_size: int) -> ZipLimits:
    """What a package of this size may hold: inflating it reads at most ~1100× its size."""
    total = max(TOTAL_FLOOR, MAX_RATIO * zip_size)
    return ZipLimits(
        max_members=20_000,  # a year's evidence is hundreds of files; 100 k took > 5 s to verify
        max_member_bytes=total,
        max_total_bytes=total,
        max_ratio=MAX_RATIO,
        kind="提交材料包（zip 文件）",
    )


@dataclass(frozen=True, slots=True)
class Difference:
    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    """What a package holds compared with what its manifest promises."""

    path: Path
    ok: tuple[str, ...]
    missing: tuple[str, ...]  # listed in the manifest, absent from the zip
    changed: tuple[Difference, ...]  # present, but not the bytes the manifest describes
    extra: tuple[str, ...]  # in the zip, not in the manifest
    problems: tuple[Difference, ...]  # unsafe or duplicate names, a manifest contradicting itself
    draft: bool
    missing_evidence: tuple[str, ...]  # catalogue rows the package itself says had no file

    @property
    def intact(self) -> bool:
        return not (self.missing or self.changed or self.extra or self.problems)


def _unreadable(path: Path, zh: str, en: str) -> CsrError:
    return CsrError(f"无法校验 {quoted(path)}：{zh}", f"cannot verify {path}: {en}")


def _open_zip(path: Path) -> zipfile.ZipFile:
    """Open a package whose central directory passed `zip_safety`; nothing inflated yet."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # open_checked names the problem
    open_checked(path, limits_for(size))
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:  # changed since checked
        raise _unreadable(path, "文件已损坏，无法打开", str(exc)) from exc
    try:
        _check_local_headers(zf, path)
    except BaseException:
        zf.close()
        raise
    return zf


def _check_local_headers(zf: zipfile.ZipFile, path: Path) -> None:
    """Each central-directory entry must point at a local header of the same name: otherwise
    the zip itself is damaged, whatever the manifest says (one 30-byte read per member)."""
    fp = zf.fp
    assert fp is not None
    for info in zf.infolist():
        try:
            fp.seek(info.header_offset)
            head = fp.read(30)
            name = fp.read(int.from_bytes(head[26:28], "little")) if len(head) == 30 else b""
        except (OSError, ValueError) as exc:
            raise _zip_damaged(path, info.filename, str(exc)) from exc
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            raise _zip_damaged(path, info.filename, "no local header at the stated offset")
        if name not in (
            info.orig_filename.encode("utf-8"),
            info.orig_filename.encode("cp437", "replace"),
        ):
            raise _zip_damaged(path, info.filename, "local header names another file")


def _zip_damaged(path: Path, member: str, en: str) -> CsrError:
    return _unreadable(
        path,
        f"zip 文件的结构已损坏（目录中的 {visible(member)} 与包内数据对不上），"
        "可能未下载/复制完整，请重新获取该材料包",
        f"damaged zip structure at {member!r}: {en}",
    )


def _read_manifest(zf: zipfile.ZipFile, path: Path) -> Manifest:
    infos = [i for i in zf.infolist() if i.filename == MANIFEST_NAME]
    if not infos:
        raise _unreadable(
            path, "包内没有 manifest.json，这不是本软件导出的提交材料包", "no manifest.json"
        )
    if len(infos) > 1:
        raise _unreadable(path, "包内有多个 manifest.json，无法判断哪个可信", "duplicate manifest")
    info = infos[0]
    if info.file_size > MAX_MANIFEST_BYTES or info.compress_type not in _METHODS:
        raise _unreadable(path, "manifest.json 过大或格式异常", "manifest too large or odd")
    try:
        with zf.open(info) as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError) as exc:
        raise _unreadable(
            path,
            "zip 文件已损坏：其中 manifest.json 的压缩数据无法读出（校验和不符或数据不完整），"
            "请重新获取该材料包",
            f"damaged zip data in manifest.json: {exc}",
        ) from exc
    return parse_manifest(raw, path)


def _name_problem(name: str) -> str | None:
    """Why a member name would be dangerous to extract, or None if it is fine."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "绝对路径，解压时可能写到包外"
    parts = name.replace("\\", "/").split("/")
    if ".." in parts:
        return "含有“..”，解压时可能写到包外（zip slip）"
    if not is_safe_path(name.rstrip("/")):
        return "文件名在 Windows 上不可用或过长"
    return None


def _entry_problems(infos: list[zipfile.ZipInfo]) -> list[Difference]:
    """What would go wrong extracting these entries: dangerous names and types, folders
    with data, and names that land on one another on Windows or macOS."""
    problems: list[Difference] = []
    files: dict[str, set[str]] = {}  # collision key -> the distinct names with that key
    folders: set[str] = set()
    for info in infos:
        name = info.filename
        reason = _name_problem(name)
        if reason is not None:
            problems.append(Difference(name, reason))
        reason = _type_problem(info)
        if reason is not None:
            problems.append(Difference(name, reason))
        parts = name.replace("\\", "/").rstrip("/").split("/")
        for depth in range(1, len(parts)):
            folders.add(collision_key("/".join(parts[:depth])))
        if info.is_dir():
            folders.add(collision_key("/".join(parts)))
        else:
            files.setdefault(collision_key(name), set()).add(name)
    for key, names in files.items():
        if len(names) > 1:
            first, *others = sorted(names)
            problems.append(
                Difference(
                    first,
                    f"与 {'、'.join(others)} 只差大小写或 Unicode 写法，"
                    "在 Windows/macOS 上解压时会互相覆盖",
                )
            )
        if key in folders:
            problems.append(
                Difference(sorted(names)[0], "包内同时有同名的文件和文件夹，解压时会冲突")
            )
    return problems


def _type_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an entry is not a plain file or folder: symlinks, devices, folders carrying data."""
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        return "是符号链接，解压时会创建指向别处（可能是包外文件）的链接"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "是特殊文件（设备、管道或套接字），不是普通文件"
    if info.is_dir() and (info.file_size > 0 or info.compress_size > 2):
        return "是文件夹条目，却带有数据"
    if kind == stat.S_IFDIR and not info.is_dir():
        return "标记为文件夹，名称却不以“/”结尾"
    return None


def _hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> tuple[str, int]:
    """SHA-256 and size of a member, reading at most `limit` + 1 bytes."""
    digest = hashlib.sha256()
    size = 0
    with zf.open(info) as fh:
        while size <= limit and (chunk := fh.read(min(CHUNK, limit + 1 - size))):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, size: int, sha: str) -> str | None:
    """Why this member is not the file the manifest describes, or None if it is."""
    if info.flag_bits & 0x1:
        return "文件被加密，无法校验"
    if info.compress_type not in _METHODS:
        return "使用了不支持的压缩方式"
    if info.file_size != size:
        return f"大小不符（清单 {size} 字节，包内 {info.file_size} 字节）"
    try:
        got_sha, got_size = _hash_member(zf, info, size)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, ValueError) as exc:
        return f"数据已损坏，无法读出（{exc}）"
    if got_size != size:
        return f"大小不符（清单 {size} 字节，实际 {got_size} 字节）"
    if got_sha != sha:
        return "内容已被改动（SHA-256 不符）"
    return None


def verify_package(path: Path) -> VerifyReport:
    """Recompute every hash; raises CsrError only when the package cannot be read at all."""
    path = Path(path)
    with _open_zip(path) as zf:
        infos = zf.infolist()
        manifest = _read_manifest(zf, path)
        problems: list[Difference] = _entry_problems(infos)
        members: dict[str, list[zipfile.ZipInfo]] = {}
        for info in infos:
            if info.filename == MANIFEST_NAME or info.is_dir():
                continue
            members.setdefault(info.filename, []).append(info)
        for name, group in members.items():
            if len(group) > 1:
                problems.append(Difference(name, f"包内有 {len(group)} 个同名文件"))
        listed = Counter(f.path for f in manifest.files)
        for name, count in listed.items():
            if count > 1:
                problems.append(Difference(name, "清单中重复列出"))
        ok: list[str] = []
        missing: list[str] = []
        changed: list[Difference] = []
        seen: set[str] = set()
        for f in manifest.files:
            if f.path in seen:
                continue
            seen.add(f.path)
            found = members.get(f.path)
            if not found:
                missing.append(f.path)
                continue
            reasons = (_check_member(zf, info, f.size, f.sha256) for info in found)
            reason = next((r for r in reasons if r is not None), None)
            if reason is None:
                ok.append(f.path)
            else:
                changed.append(Difference(f.path, reason))
        extra = [name for name in members if name not in listed]
    return VerifyReport(
        path,
        tuple(ok),
        tuple(missing),
        tuple(changed),
        tuple(extra),
        tuple(problems),
        manifest.draft,
        manifest.missing_evidence,
    )


def report_lines(report: VerifyReport) -> list[str]:
    """The report as the CLI and the window show it; every line already `visible`."""
    lines = [f"校验提交材料包 {quoted(report.path)}"]
    if report.draft:
        lines.append("注意：这是一个草稿包（导出时材料尚不完整）")
    lines += [f"缺失：{name}（清单中有，包内没有）" for name in report.missing]
    lines += [f"已改动：{d.path}：{d.reason}" for d in report.changed]
    lines += [f"多出：{name}（包内有，清单中没有）" for name in report.extra]
    lines += [f"问题：{d.path}：{d.reason}" for d in report.problems]
    lines += [f"未附文件：{line}" for line in report.missing_evidence]
    if report.intact:
        lines.append(f"结果：全部 {len(report.ok)} 个文件完整，与清单一致。")
    else:
        lines.append(
            f"结果：发现不一致——缺失 {len(report.missing)} 个，改动 {len(report.changed)} 个，"
            f"多出 {len(report.extra)} 个，其他问题 {len(report.problems)} 处；"
            f"{len(report.ok)} 个文件完整。"
        )
    # names and manifest text come from the package: an ESC or CR in them must not steer the
    # terminal or forge a line, so each printed line is made visible as a whole
    return [visible(line) for line in lines]

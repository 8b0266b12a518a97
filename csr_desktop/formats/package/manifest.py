"""The package's own account of itself: `manifest.json` for tools, `清单.csv` for people.

The manifest is what `verify` trusts: every file with its size and SHA-256, and every
catalogue row that had no file, so the receiving side sees what is absent as well as what is
present. Reading a manifest is defensive: it may come from anywhere.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.formats.package.layout import EvidenceEntry

FORMAT = "csr-submission-package"
FORMAT_VERSION = 1
MAX_MANIFEST_BYTES = 32 << 20
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One file written into the package, as the manifest lists it."""

    path: str
    size: int
    sha256: str
    role: str  # xlsx | letter | document | docx | evidence | scan | listing
    entry: EvidenceEntry | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "role": self.role,
        }
        if self.entry is not None:
            data.update(_entry_json(self.entry))
        return data


def _entry_json(entry: EvidenceEntry) -> dict[str, Any]:
    return {
        "indicator": entry.indicator_no,
        "indicator_name": entry.indicator_name,
        "position": entry.position,
        "name": entry.item.name,
        "remark": entry.item.remark,
        "original_name": entry.item.file_name,
    }


def manifest_bytes(
    files: Iterable[FileRecord],
    missing: Iterable[EvidenceEntry],
    header: Mapping[str, Any],
) -> bytes:
    """The manifest as UTF-8 JSON: header facts, then files, then missing evidence."""
    data = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        **header,
        "files": [f.to_json() for f in files],
        "missing_evidence": [
            {**_entry_json(e), "sha256": e.item.sha256, "reason": e.reason} for e in missing
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _cell(text: str) -> str:
    """Keep a user's text from running as a formula when Excel opens the CSV."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


LISTING_HEADERS = (
    "包内文件",
    "类别",
    "三级指标序号",
    "三级指标",
    "目录序号",
    "材料名称",
    "备注",
    "原文件名",
    "大小（字节）",
    "SHA-256",
    "状态",
)
_ROLE_NAMES = {
    "xlsx": "自评表",
    "letter": "诚信承诺书",
    "document": "自评材料",
    "docx": "自评材料（Word）",
    "evidence": "佐证材料",
    "scan": "签章扫描件",
}


def listing_csv(files: Iterable[FileRecord], missing: Iterable[EvidenceEntry]) -> bytes:
    """清单.csv: UTF-8 with BOM and CRLF, so Excel on Windows shows the Chinese."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(LISTING_HEADERS)
    for f in files:
        e = f.entry
        w.writerow(
            [
                _cell(f.path),
                _ROLE_NAMES.get(f.role, f.role),
                e.indicator_no if e else "",
                e.indicator_name if e else "",
                e.position if e else "",
                _cell(e.item.name) if e else "",
                _cell(e.item.remark) if e else "",
                _cell(e.item.file_name or "") if e else "",
                f.size,
                f.sha256,
                "已附",
            ]
        )
    for e in missing:
        w.writerow(
            [
                "",
                "佐证材料",
                e.indicator_no,
                e.indicator_name,
                e.position,
                _cell(e.item.name),
                _cell(e.item.remark),
                _cell(e.item.file_name or ""),
                "",
                "",
                f"缺少文件：{e.reason}",
            ]
        )
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


# ---- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ManifestFile:
    path: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    """What a package says it holds (checked for shape, not yet for truth)."""

    files: tuple[ManifestFile, ...]
    missing_evidence: tuple[str, ...]  # one readable line per catalogue row without a file
    draft: bool
    header: Mapping[str, Any]


def parse_manifest(raw: bytes, package: Path | str) -> Manifest:
    """Parse and shape-check a manifest; anything malformed is one clear CsrError."""

    def bad(why: str) -> CsrError:
        return CsrError(
            f"提交材料包 {quoted(package)} 中的 manifest.json 无法识别：{why}",
            f"{package}: malformed manifest.json: {why}",
        )

    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise bad("不是有效的 JSON") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise bad("不是本软件生成的提交材料包清单")
    version = data.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise bad(f"清单格式版本 {version!r} 不受支持，请使用更新版本的软件校验")
    files_raw = data.get("files")
    if not isinstance(files_raw, list):
        raise bad("缺少文件列表")
    files = []
    for n, item in enumerate(files_raw, start=1):
        if not isinstance(item, dict):
            raise bad(f"文件列表第 {n} 项格式错误")
        path, size, sha = item.get("path"), item.get("size"), item.get("sha256")
        if (
            not isinstance(path, str)
            or isinstance(size, bool)
            or not isinstance(size, int)
            or size < 0
            or not isinstance(sha, str)
        ):
            raise bad(f"文件列表第 {n} 项缺少路径、大小或 SHA-256")
        files.append(ManifestFile(path, size, sha.lower()))
    missing = []
    for item in data.get("missing_evidence") or []:
        if isinstance(item, dict):
            missing.append(
                f"第{item.get('indicator')}项「{item.get('indicator_name', '')}」"
                f"目录第{item.get('position')}行“{item.get('name', '')}”：{item.get('reason', '')}"
            )
    header = {k: v for k, v in data.items() if k not in ("files", "missing_evidence")}
    return Manifest(tuple(files), tuple(missing), data.get("draft") is True, header)

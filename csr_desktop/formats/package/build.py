"""The submission package: the 自评表, both PDFs, the Word version, every evidence file, a listing and a manifest
in one zip that the receiving side can verify (`verify_package`).

The zip is written to a temporary file beside the destination and renamed at the end, so a
cancel, a full disk or a read-only folder leaves nothing. Evidence streams from the project a
chunk at a time into the archive: memory stays flat whatever the size of the files.

A draft says so in its manifest, the zip comment and the footers of both PDFs,
and `default_package_name` puts 草稿 in the name the app and CLI propose. A path the caller
chose is used as given, never renamed behind their back: scripts and dialogs rely on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO, cast

from csr_desktop import __version__
from csr_desktop.core.atomic import atomic_output, private_temp_dir
from csr_desktop.core.blobs import CHUNK_SIZE, Progress
from csr_desktop.core.errors import Cancelled, CsrError, ProjectFileError, quoted
from csr_desktop.core.scans import SCAN_TARGETS
from csr_desktop.core.validation import has_gaps, validate
from csr_desktop.formats.evidence.scan_files import SCAN_ROLE, project_scan, scan_arcname
from csr_desktop.formats.package.layout import (
    DOCUMENT_NAME,
    LETTER_NAME,
    LISTING_NAME,
    MANIFEST_NAME,
    WORD_NAME,
    XLSX_NAME,
    EvidenceEntry,
    compression_for,
    default_package_name,
    plan_evidence,
)
from csr_desktop.formats.package.manifest import FileRecord, listing_csv, manifest_bytes
from csr_desktop.formats.package.verify import VerifyReport, report_lines, verify_package

if TYPE_CHECKING:
    from csr_desktop.core.store import Project

__all__ = [
    "PackageReport",
    "Renderers",
    "VerifyReport",
    "build_package",
    "default_package_name",
    "default_renderers",
    "export_package",
    "report_lines",
    "verify_package",
]

# Members this large get ZIP64 headers; smaller ones keep classic headers for old unzippers.
ZIP64_FROM = 1 << 31
Renderer = Callable[..., object]


@dataclass(frozen=True, slots=True)
class Renderers:
    """The documents of a package; injectable so tests need not render real PDFs."""

    xlsx: Renderer  # (project, dest)
    letter: Renderer  # (project, dest, draft=...)
    document: Renderer  # (project, dest, draft=..., progress=...)
    docx: Renderer  # (project, dest, draft=..., progress=...): the Word version


def default_renderers() -> Renderers:
    """The real exporters, imported only when a package is built (they are slow to import)."""

    def xlsx(project: Project, dest: Path) -> None:
        from csr_desktop.formats.xlsx.export import export_xlsx

        export_xlsx(project, dest)

    def letter(project: Project, dest: Path, draft: bool | None = None) -> None:
        from csr_desktop.formats.pdf.letter import export_letter

        export_letter(project, dest, draft=draft)

    def document(
        project: Project, dest: Path, draft: bool | None = None, progress: Progress | None = None
    ) -> None:
        from csr_desktop.formats.pdf.document import export_document

        export_document(project, dest, draft=draft, progress=progress)

    def docx(
        project: Project, dest: Path, draft: bool | None = None, progress: Progress | None = None
    ) -> None:
        from csr_desktop.formats.word.document import export_docx

        export_docx(project, dest, draft=draft, progress=progress)

    return Renderers(xlsx, letter, document, docx)


@dataclass(frozen=True, slots=True)
class PackageReport:
    """What was packaged: shown after an export, and the missing rows a user must know of."""

    path: Path
    files: int  # members in the zip, manifest included
    bytes: int  # size of the zip
    evidence_files: int
    draft: bool
    missing: tuple[EvidenceEntry, ...]
    scans: tuple[str, ...] = ()  # the stamped pages packaged as scans ("letter", "cover")


def export_package(
    project: Project, dest: Path, progress: Progress | None = None, draft: bool | None = None
) -> PackageReport:
    """Write the submission package to `dest`; `draft=None` means a draft iff anything is missing."""
    return build_package(project, Path(dest), progress, draft, default_renderers())


def is_draft(project: Project) -> bool:
    """A package is a draft when validation finds gaps. Stored files are checked for presence
    only: their hashes are checked while they are copied, and a tampered one stops the export."""
    findings = validate(project.assessment(), project.has_file)
    return has_gaps(findings)


class _Tracker:
    """Turns bytes written into (done, total) calls; a False answer cancels."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def advance(self, n: int) -> None:
        self.done += n
        if self.progress is not None and not self.progress(self.done, self.total):
            raise Cancelled()


class _Sink:
    """A write-only file object over one zip member: counts, hashes and reports progress."""

    def __init__(self, member: IO[bytes], tracker: _Tracker, digest: bool) -> None:
        self.member = member
        self.tracker = tracker
        self.size = 0
        self.sha = hashlib.sha256() if digest else None

    def write(self, data: bytes) -> int:
        self.member.write(data)
        if self.sha is not None:
            self.sha.update(data)
        self.size += len(data)
        self.tracker.advance(len(data))
        return len(data)


class _Writer:
    """Adds members to the zip and remembers, for the manifest, what each one holds."""

    def __init__(self, out: BinaryIO, tracker: _Tracker) -> None:
        self.zip = zipfile.ZipFile(out, "w", allowZip64=True)
        self.tracker = tracker
        self.records: list[FileRecord] = []
        self.stamp = dt.datetime.now().timetuple()[:6]

    def _open(self, arcname: str, size: int) -> IO[bytes]:
        info = zipfile.ZipInfo(arcname, date_time=self.stamp)
        info.compress_type = compression_for(arcname)
        info.external_attr = 0o644 << 16
        info.file_size = size
        return self.zip.open(info, "w", force_zip64=size >= ZIP64_FROM)

    def add_path(self, arcname: str, source: Path, role: str) -> None:
        size = source.stat().st_size
        with open(source, "rb") as src, self._open(arcname, size) as member:
            sink = _Sink(member, self.tracker, digest=True)
            while chunk := src.read(CHUNK_SIZE):
                sink.write(chunk)
        self._record(arcname, sink, role)

    def add_bytes(self, arcname: str, data: bytes, role: str | None) -> None:
        self.tracker.total += len(data)  # the listing and manifest only exist at the end
        with self._open(arcname, len(data)) as member:
            sink = _Sink(member, self.tracker, digest=True)
            sink.write(data)
        if role is not None:
            self._record(arcname, sink, role)

    def add_evidence(self, project: Project, entry: EvidenceEntry) -> None:
        """Stream a stored file in; the core checks its SHA-256 on the way, so the hash the
        manifest records is the hash of exactly the bytes written."""
        sha = entry.item.sha256
        assert sha is not None and entry.arcname is not None
        with self._open(entry.arcname, entry.size) as member:
            sink = _Sink(member, self.tracker, digest=False)
            try:
                project.copy_file_to(sha, cast(BinaryIO, sink))
            except ProjectFileError as exc:
                raise _evidence_error(entry, exc) from exc
            except sqlite3.Error as exc:
                raise ProjectFileError(
                    f"读取项目文件 {quoted(project.path)} 中的佐证材料时出错：{exc}",
                    f"cannot read evidence from {project.path}: {exc}",
                ) from exc
        self.records.append(FileRecord(entry.arcname, sink.size, sha, "evidence", entry))

    def add_stored(self, project: Project, arcname: str, sha256: str, size: int) -> None:
        """A stamped scan, streamed like evidence and recorded with its hash (role "scan")."""
        with self._open(arcname, size) as member:
            sink = _Sink(member, self.tracker, digest=True)
            project.copy_file_to(sha256, cast(BinaryIO, sink))
        self._record(arcname, sink, SCAN_ROLE)

    def _record(self, arcname: str, sink: _Sink, role: str) -> None:
        assert sink.sha is not None
        self.records.append(FileRecord(arcname, sink.size, sink.sha.hexdigest(), role))

    def close(self, comment: str) -> None:
        self.zip.comment = comment.encode("utf-8")
        self.zip.close()

    def abandon(self) -> None:
        """After a failure: release the archive without caring what reaches the doomed file."""
        with contextlib.suppress(Exception):  # the temporary file is deleted next
            self.zip.close()


def _evidence_error(entry: EvidenceEntry, exc: ProjectFileError) -> CsrError:
    where = f"第{entry.indicator_no}项「{entry.indicator_name}」佐证材料第{entry.position}行"
    return ProjectFileError(
        f"无法打包{where}“{entry.item.name}”（{entry.item.file_name or '无原文件名'}）："
        f"{exc.zh}。请在该指标中删除并重新添加此文件后再导出",
        f"evidence {entry.indicator_no}/{entry.position} cannot be packaged: {exc.en}",
    )


def _render(
    project: Project, folder: Path, renderers: Renderers, draft: bool, tracker: _Tracker
) -> list[tuple[str, Path, str]]:
    """Render the documents into `folder`, checking for a cancel between them."""

    def check(_done: int = 0, _total: int = 0) -> bool:
        return tracker.progress is None or tracker.progress(0, tracker.total)

    out = []
    for n, (name, role) in enumerate(
        [
            (XLSX_NAME, "xlsx"),
            (LETTER_NAME, "letter"),
            (DOCUMENT_NAME, "document"),
            (WORD_NAME, "docx"),
        ]
    ):
        if not check():
            raise Cancelled()
        path = folder / f"{n}{Path(name).suffix}"
        if role == "xlsx":
            renderers.xlsx(project, path)
        elif role == "letter":
            renderers.letter(project, path, draft=draft)
        elif role == "docx":
            renderers.docx(project, path, draft=draft, progress=check)
        else:
            renderers.document(project, path, draft=draft, progress=check)
        out.append((name, path, role))
    return out


def build_package(
    project: Project,
    dest: Path,
    progress: Progress | None,
    draft: bool | None,
    renderers: Renderers,
) -> PackageReport:
    """`export_package` with the renderers given: the whole job, written atomically."""
    dest = Path(dest)
    draft = is_draft(project) if draft is None else draft
    plan = plan_evidence(project.assessment(), project.stored_file)
    scans = {t: s for t in SCAN_TARGETS if (s := project_scan(project, t)) is not None}
    tracker = _Tracker(progress, plan.total_bytes + sum(s.size for s in scans.values()))
    with (
        # the evidence twice: as files, and inside the complete PDF
        atomic_output(dest, 2 * tracker.total) as out,
        private_temp_dir("package") as tmp,
    ):
        parts = _render(project, Path(tmp), renderers, draft, tracker)
        tracker.total += sum(path.stat().st_size for _, path, _ in parts)
        writer = _Writer(out, tracker)
        try:
            for name, path, role in parts:
                writer.add_path(name, path, role)
            for target, scan in scans.items():
                writer.add_stored(project, scan_arcname(target, scan), scan.sha256, scan.size)
            for entry in plan.present:
                writer.add_evidence(project, entry)
            listing = listing_csv(writer.records, plan.missing)
            writer.add_bytes(LISTING_NAME, listing, "listing")
            manifest = manifest_bytes(writer.records, plan.missing, _header(project, draft))
            writer.add_bytes(MANIFEST_NAME, manifest, None)
            writer.close(f"csr-desktop 提交材料包{'（草稿：材料尚不完整）' if draft else ''}")
        except BaseException:
            writer.abandon()
            raise
        count = len(writer.zip.infolist())
        out.flush()
        size = out.tell()
    return PackageReport(dest, count, size, len(plan.present), draft, plan.missing, tuple(scans))


def _header(project: Project, draft: bool) -> dict[str, object]:
    assessment = project.assessment()
    iset = assessment.indicator_set
    return {
        "generator": {"app": "csr-desktop", "version": __version__},
        "indicator_set": {"id": iset.id, "version": iset.version},
        "company": assessment.company.get("name", ""),
        "created_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "draft": draft,
    }

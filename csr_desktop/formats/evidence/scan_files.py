"""Attach the scanned, stamped 承诺书 or cover (a PDF or a picture) and find it again for the
complete documents and the package.

The file is checked before it is stored: a scan that the PDF cannot show is refused at attach
time, with the file named, rather than discovered when the submission is due.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from csr_desktop.core.errors import InputFileError, quoted
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.scans import SCAN_TARGETS, Scan, scan_from
from csr_desktop.formats.safe_names import safe_component, safe_extension

if TYPE_CHECKING:
    from csr_desktop.core.blobs import Progress
    from csr_desktop.core.store import Project

SCAN_DIR = "签章扫描件"
SCAN_ROLE = "scan"


def scan_kind(path: Path) -> str:
    """ "pdf" or "image"; InputFileError naming the file when it is neither (or unreadable)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        from csr_desktop.core.blobs import input_error

        raise input_error(path, exc) from exc
    if b"%PDF-" in head:
        return _check_pdf(path)
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                img.verify()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning) as exc:
        raise InputFileError(
            f"{quoted(path)} 不是 PDF 或图片（可用 PDF、JPG、PNG 等格式的扫描件）",
            f"{path}: not a PDF or a picture ({exc})",
        ) from exc
    return "image"


def _check_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from csr_desktop.formats.evidence.files import quiet_pypdf

    try:
        with quiet_pypdf(), open(path, "rb") as fh:
            reader = PdfReader(fh, strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                why = "已加密"
            elif not reader.pages:
                why = "没有页面"
            else:
                _ = reader.pages[0].cropbox
                return "pdf"
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        why = "已损坏"
    raise InputFileError(
        f"扫描件 {quoted(path)} {why}，无法放入自评材料，请重新扫描或另存为 PDF 后再附上",
        f"{path}: PDF cannot be shown",
    )


def attach_scan(
    project: Project, target: str, path: Path, progress: Progress | None = None
) -> Scan:
    """Check the scan can be shown, then store it and point `scan.<target>` at it (one undo
    step, `operations.scans`)."""
    from csr_desktop.core.operations import scans
    from csr_desktop.core.operations.ingest import check_files

    scans.check_target(target)
    path = Path(path)
    check_files([path])  # a FIFO or device is refused before the format check reads it
    scan_kind(path)
    return scans.attach_scan(project, target, path, page_fields(project, target), progress).scan


def page_fields(project: Project, target: str) -> dict[str, str]:
    """The printed page's fields as they are now: what a scan attached now was taken of."""
    from csr_desktop.formats.outline import cover_fields, letter_fields

    assessment = project.assessment()
    return letter_fields(assessment) if target == "letter" else cover_fields(assessment)


def scan_change_notes(project: Project) -> tuple[str, ...]:
    """One line per attached scan whose page was edited after it was taken: the export warns,
    the documents mark the scan's page (its content no longer matches the project)."""
    from csr_desktop.formats.outline import scan_changes

    assessment = project.assessment()
    notes = []
    for target, what in SCAN_TARGETS.items():
        scan = project_scan(project, target)
        changed = scan_changes(assessment, target, scan) if scan is not None else ()
        if changed:
            names = "、".join(f"“{c}”" for c in changed)
            notes.append(
                f"提示：附上{what}签章扫描件后，{what}的{names}已修改，扫描件与当前内容不符。"
                f"请重新导出{what}、打印签章并扫描后再附上"
            )
    return tuple(notes)


def remove_scan(project: Project, target: str) -> bool:
    from csr_desktop.core.operations import scans

    return scans.remove_scan(project, target).done


def project_scan(project: Project, target: str) -> Scan | None:
    """The scan attached to `target`, if its stored file is present."""
    scan = scan_from({FieldRef.scan(target).key: project.get(FieldRef.scan(target).key)}, target)
    if scan is None or not project.has_file(scan.sha256):
        return None
    return scan


def scan_arcname(target: str, scan: Scan) -> str:
    """`签章扫描件/诚信承诺书_签章扫描件.pdf`: the scan's place in the package."""
    leaf = safe_component(
        f"{SCAN_TARGETS[target]}_签章扫描件", safe_extension(scan.name), fallback=target
    )
    return f"{SCAN_DIR}/{leaf}"

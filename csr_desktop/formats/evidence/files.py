"""Every stored file of a complete document spooled once and classified — picture, PDF pages, or
a file to list — for both renderers (PDF and Word).

Stored files are streamed out of the project into a temporary folder (never a whole file in
memory): images are shrunk to print resolution, PDFs keep their pages for the merge step, Word
and Excel files carry their text and tables (`evidence_text`, or why they are not shown), and
everything else is named with its SHA-256 so a reviewer can match it to the package.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from PIL import Image, ImageOps

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.evidence.text import EvidenceText, read_evidence_text

MAX_IMAGE_PIXELS = 80_000_000  # larger pictures are listed, not decoded (decompression bombs)
PRINT_PIXELS = 2200  # longest side after shrinking: ~300 dpi across the text block
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"})


@dataclass
class Prepared:
    """One stored file ready to lay out."""

    sha256: str
    kind: str  # "image", "pdf", "other" or "broken"
    path: Path | None = None
    pixels: tuple[int, int] = (0, 0)
    pages: int = 0
    note: str = ""
    reader: Any = None
    handle: BinaryIO | None = None  # the open spooled PDF the reader pages from
    wide: tuple[bool, ...] = ()  # per PDF page: wider than tall as displayed (rotation applied)
    text: EvidenceText | None = None  # a Word/Excel file's text and tables, or why not shown

    def is_wide(self, index: int) -> bool:
        return index < len(self.wide) and self.wide[index]


@dataclass
class EvidenceFiles:
    """Every stored file of the project, spooled once even if listed under several indicators."""

    folder: Path
    files: dict[str, Prepared] = field(default_factory=dict)

    def get(self, item: EvidenceItem) -> Prepared | None:
        return self.files.get(item.sha256) if item.sha256 else None

    @property
    def any_broken(self) -> bool:
        return any(f.kind == "broken" for f in self.files.values())

    def close(self) -> None:
        """Release the spooled PDFs (Windows cannot delete an open file)."""
        for prepared in self.files.values():
            if prepared.handle is not None:
                prepared.handle.close()
                prepared.handle = None


def prepare_all(
    project: Project,
    items: list[EvidenceItem],
    folder: Path,
    step: Callable[[], None],
) -> EvidenceFiles:
    """Spool and classify every distinct stored file; `step()` after each (may raise Cancelled)."""
    result = EvidenceFiles(folder)
    try:
        for item in items:
            if item.sha256 and item.sha256 not in result.files:
                result.files[item.sha256] = _prepare(project, item, folder)
            step()
    except BaseException:
        result.close()
        raise
    return result


def _prepare(project: Project, item: EvidenceItem, folder: Path) -> Prepared:
    sha = item.sha256 or ""
    raw = folder / f"{sha}.bin"
    try:
        with open(raw, "wb") as out:
            project.copy_file_to(sha, out)
    except CsrError:
        with contextlib.suppress(OSError):
            raw.unlink()
        return Prepared(sha, "broken", note="文件已损坏或缺失（SHA-256 校验不符），未能导出")
    with open(raw, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" in head:
        return _prepare_pdf(sha, raw)
    text = read_evidence_text(raw, item.file_name or "")  # Word/Excel: content shown (#26)
    if text is not None:
        return Prepared(sha, "other", raw, text=text)
    suffix = Path(item.file_name or "").suffix.lower()
    image = _prepare_image(sha, raw, folder)
    if image is not None:
        return image
    note = "图片无法解码，以文件形式列出" if suffix in IMAGE_SUFFIXES else ""
    return Prepared(sha, "other", raw, note=note)


@contextlib.contextmanager
def quiet_pypdf() -> Iterator[None]:
    """pypdf logs every repair it makes to a user's odd PDF; the export reports what matters."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _prepare_pdf(sha: str, raw: Path) -> Prepared:
    with quiet_pypdf():
        return _read_pdf(sha, raw)


def _read_pdf(sha: str, raw: Path) -> Prepared:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    handle = open(raw, "rb")  # noqa: SIM115 - kept open for the merge; closed by EvidenceFiles
    note = ""
    try:
        reader = PdfReader(handle, strict=False)  # from a file, pypdf reads objects on demand
        if reader.is_encrypted and not reader.decrypt(""):
            note = "PDF 已加密，无法嵌入页面"
        elif not reader.pages:
            note = "PDF 没有页面"
        else:
            wide = []
            for page in reader.pages:
                box = page.cropbox  # a page tree too broken to lay out fails here, not mid-merge
                w, h = float(box.width), float(box.height)
                if int(page.get("/Rotate", 0) or 0) % 180:
                    w, h = h, w
                wide.append(w > h)
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        note = "PDF 文件已损坏，无法嵌入页面"
    if note:
        handle.close()
        return Prepared(sha, "other", raw, note=note)
    return Prepared(
        sha, "pdf", raw, pages=len(reader.pages), reader=reader, handle=handle, wide=tuple(wide)
    )


def _prepare_image(sha: str, raw: Path, folder: Path) -> Prepared | None:
    """A picture shrunk to print size and upright; None if it is not a picture we can read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(raw) as img:
                if img.width * img.height > MAX_IMAGE_PIXELS:
                    return Prepared(sha, "other", raw, note="图片像素过大，以文件形式列出")
                img.draft("RGB", (PRINT_PIXELS, PRINT_PIXELS))
                upright = ImageOps.exif_transpose(img)
                upright.thumbnail((PRINT_PIXELS, PRINT_PIXELS))
                if (upright.mode in ("RGBA", "LA", "P") and "transparency" in upright.info) or (
                    upright.mode in ("RGBA", "LA")
                ):
                    flat = Image.new("RGB", upright.size, "white")
                    flat.paste(upright.convert("RGBA"), mask=upright.convert("RGBA").split()[-1])
                    upright = flat
                out = folder / f"{sha}.img.png"
                if upright.mode not in ("RGB", "L"):
                    upright = upright.convert("RGB")
                if img.format == "JPEG" or upright.width * upright.height > 1_000_000:
                    out = out.with_suffix(".jpg")
                    upright.save(out, "JPEG", quality=85)
                else:
                    upright.save(out, "PNG", optimize=False)
                return Prepared(sha, "image", out, pixels=upright.size)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Warning):
        return None

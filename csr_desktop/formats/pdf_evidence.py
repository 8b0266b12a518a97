"""The 佐证材料具体内容: each stored file shown as what it is — picture, PDF pages, or a listing.

Stored files are streamed out of the project into a temporary folder (never a whole file in
memory): images are shrunk to print resolution, PDFs keep their pages for the merge step, and
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
from reportlab.platypus import Flowable
from reportlab.platypus import Image as RLImage

from csr_desktop.core.assessment import EvidenceItem
from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.evidence_text import EvidenceText, read_evidence_text
from csr_desktop.formats.pdf_fonts import MAIN
from csr_desktop.formats.pdf_styles import GREY

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


def image_flowable(prepared: Prepared, width: float, height: float) -> Flowable:
    """The picture at a readable size: fitting the text block, never blown up past 1.5×."""
    px_w, px_h = prepared.pixels
    natural = 72.0 / 150.0  # points per pixel at 150 dpi
    scale = min(width / px_w, height / px_h, natural * 1.5)
    return RLImage(str(prepared.path), px_w * scale, px_h * scale, hAlign="CENTER")


@dataclass(frozen=True)
class Placement:
    """Where an evidence PDF page goes in the output: page number and box in points."""

    sha256: str
    index: int
    box: tuple[float, float, float, float]


class EvidencePage(Flowable):  # type: ignore[misc]
    """A full page reserved for one page of an evidence PDF, merged in after layout.

    The caption is a wrapped paragraph: a long 材料名称 takes more lines, never the margin."""

    GAP = 4.0

    def __init__(
        self,
        sha256: str,
        index: int,
        caption: Flowable,
        frame_height: float,
        placed: dict[int, Placement],
    ) -> None:
        super().__init__()
        self.sha256 = sha256
        self.index = index
        self.caption = caption
        self.frame_height = frame_height
        self.placed = placed
        self.caption_height = 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = min(ah, self.frame_height - 1)
        self.caption_height = float(self.caption.wrap(aw, self.height)[1])
        return self.width, self.frame_height - 1

    def draw(self) -> None:
        canv = self.canv
        self.caption.drawOn(canv, 0, self.height - self.caption_height)
        box_height = self.height - self.caption_height - self.GAP
        canv.saveState()
        canv.setStrokeColor(GREY)
        canv.setLineWidth(0.3)
        canv.rect(0, 0, self.width, box_height, stroke=1, fill=0)
        canv.restoreState()
        x, y = canv.absolutePosition(0, 0)
        box = (x + 1, y + 1, self.width - 2, box_height - 2)
        self.placed[canv.getPageNumber()] = Placement(self.sha256, self.index, box)
        canv.setFont(MAIN, 9)


class ScanPage(Flowable):  # type: ignore[misc]
    """One page of a stamped scan filling the page's frame: a picture drawn here, a PDF page
    reserved for the merge step like an evidence page."""

    def __init__(
        self, prepared: Prepared, index: int, frame_height: float, placed: dict[int, Placement]
    ) -> None:
        super().__init__()
        self.prepared = prepared
        self.index = index
        self.frame_height = frame_height
        self.placed = placed

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = min(ah, self.frame_height - 1)
        return self.width, self.frame_height - 1

    def draw(self) -> None:
        canv = self.canv
        if self.prepared.kind == "image":
            px_w, px_h = self.prepared.pixels
            scale = min(self.width / px_w, self.height / px_h)
            w, h = px_w * scale, px_h * scale
            canv.drawImage(str(self.prepared.path), (self.width - w) / 2, self.height - h, w, h)
            return
        x, y = canv.absolutePosition(0, 0)
        box = (x, y, self.width, self.height)
        self.placed[canv.getPageNumber()] = Placement(self.prepared.sha256, self.index, box)

"""The 佐证材料具体内容 in the PDF: pictures, reserved pages for evidence PDFs, stamped scans.

The files themselves are spooled and classified by `evidence_files` (shared with Word)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from reportlab.platypus import Image as RLImage

from csr_desktop.formats.evidence.files import Prepared
from csr_desktop.formats.pdf.fonts import MAIN
from csr_desktop.formats.pdf.styles import DRAFT_RED, GREY


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

    The caption is a wrapped paragraph: a long 材料名称 takes more lines, never the margin.
    `head` (the item's heading and file lines, on its first page) is drawn above the caption,
    so it can never stand alone at the foot of the page before."""

    GAP = 4.0

    def __init__(
        self,
        sha256: str,
        index: int,
        caption: Flowable,
        frame_height: float,
        placed: dict[int, Placement],
        head: Sequence[Flowable] = (),
    ) -> None:
        super().__init__()
        self.sha256 = sha256
        self.index = index
        self.caption = caption
        self.frame_height = frame_height
        self.placed = placed
        self.head = list(head)
        self.caption_height = 0.0
        self.head_heights: list[float] = []

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = min(ah, self.frame_height - 1)
        self.head_heights = [float(f.wrap(aw, self.height)[1]) for f in self.head]
        self.caption_height = float(self.caption.wrap(aw, self.height)[1])
        return self.width, self.frame_height - 1

    def draw(self) -> None:
        canv = self.canv
        top = self.height
        for flowable, height in zip(self.head, self.head_heights, strict=True):
            top -= height + flowable.getSpaceBefore()
            flowable.drawOn(canv, 0, top)
            top -= flowable.getSpaceAfter()
        self.caption.drawOn(canv, 0, top - self.caption_height)
        box_height = top - self.caption_height - self.GAP
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
    reserved for the merge step like an evidence page. The page carries nothing else (its
    number goes into `bare`, pages the footer leaves alone) but `note`, a warning in the bottom
    margin that the page's fields changed after the scan was taken."""

    def __init__(
        self,
        prepared: Prepared,
        index: int,
        frame_height: float,
        placed: dict[int, Placement],
        bare: set[int],
        note: str = "",
    ) -> None:
        super().__init__()
        self.prepared = prepared
        self.index = index
        self.frame_height = frame_height
        self.placed = placed
        self.bare = bare
        self.note = note

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = min(ah, self.frame_height - 1)
        return self.width, self.frame_height - 1

    def draw(self) -> None:
        canv = self.canv
        self.bare.add(canv.getPageNumber())
        if self.note:
            canv.saveState()
            canv.setFillColor(DRAFT_RED)
            canv.setFont(MAIN, 9)
            canv.drawCentredString(self.width / 2, -6 * mm, self.note)
            canv.restoreState()
        if self.prepared.kind == "image":
            px_w, px_h = self.prepared.pixels
            scale = min(self.width / px_w, self.height / px_h)
            w, h = px_w * scale, px_h * scale
            canv.drawImage(str(self.prepared.path), (self.width - w) / 2, self.height - h, w, h)
            return
        x, y = canv.absolutePosition(0, 0)
        box = (x, y, self.width, self.height)
        self.placed[canv.getPageNumber()] = Placement(self.prepared.sha256, self.index, box)

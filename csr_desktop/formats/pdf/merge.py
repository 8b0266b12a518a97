"""Put the pages of evidence PDFs into the reserved pages of the laid-out document.

ReportLab cannot import PDF pages, so layout reserves one numbered page per evidence page and
this step draws each evidence page, scaled to fit, onto its reserved page. Outline, metadata and
page numbers come through unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from csr_desktop.formats.evidence.files import EvidenceFiles, quiet_pypdf
from csr_desktop.formats.pdf.evidence_pages import Placement


def merge_evidence_pages(
    laid_out: Path, placed: dict[int, Placement], files: EvidenceFiles, out: BinaryIO
) -> None:
    with quiet_pypdf():
        _merge(laid_out, placed, files, out)


def _merge(
    laid_out: Path, placed: dict[int, Placement], files: EvidenceFiles, out: BinaryIO
) -> None:
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(laid_out)
    writer = PdfWriter(clone_from=reader)
    if reader.metadata:
        writer.add_metadata({k: str(v) for k, v in reader.metadata.items()})
    for page_number, spot in sorted(placed.items()):
        source = files.files[spot.sha256].reader.pages[spot.index]
        if source.rotation:
            source.transfer_rotation_to_content()
        box = source.cropbox
        width, height = float(box.width), float(box.height)
        if width <= 0 or height <= 0:
            continue
        x, y, w, h = spot.box
        scale = min(w / width, h / height)
        dx = x + (w - width * scale) / 2 - float(box.left) * scale
        dy = y + (h - height * scale) - float(box.bottom) * scale
        target = writer.pages[page_number - 1]
        _own_resources(target)
        target.merge_transformed_page(source, Transformation().scale(scale).translate(dx, dy))
    writer.page_mode = "/UseOutlines"
    writer.write(out)


def _own_resources(page: Any) -> None:
    """Give the page its own resource dictionaries before merging into it.

    ReportLab's pages share one /Resources object; merged into, it would list an evidence
    PDF's fonts on every page, and a print shop's preflight flags the cover for them."""
    from pypdf.generic import DictionaryObject, NameObject

    resources = page.get("/Resources")
    if resources is None:
        return
    own = DictionaryObject()
    for key, value in resources.get_object().items():
        inner = value.get_object()
        own[NameObject(key)] = DictionaryObject(inner) if isinstance(inner, dict) else value
    page[NameObject("/Resources")] = own

"""The side list's status marks: a tick, a half disc and an empty ring, drawn (not a font glyph,
so they show in any font) by the build step into `resources/icons/`.

Why drawn at build time rather than at start: painting with QPen or QBrush makes PySide6 build
its `Qt` namespace (~90 enums, 20–30 ms) before the first page can be shown, because their
overloads take Qt enums. Loading a PNG touches none of that. `build_forms` writes the files and
its `--check` (run by the tests) fails if they no longer match this drawing code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from csr_desktop.resources import resource_path

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

STATUSES = ("done", "incomplete", "empty")
SIZE = 64


def icon_file(status: str) -> Path:
    return resource_path("icons", f"status-{status}.png")


def draw(status: str) -> QImage:
    """One mark at 64×64 on a transparent background (build time only: this needs `Qt`)."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

    image = QImage(SIZE, SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(6, 6, SIZE - 12, SIZE - 12)
    if status == "done":
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#2e7d32"))
        p.drawEllipse(rect)
        pen = QPen(QColor("white"), 7)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        path = QPainterPath(QPointF(19, 33))
        path.lineTo(28, 43)
        path.lineTo(46, 22)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    elif status == "incomplete":
        p.setPen(QPen(QColor("#e08a00"), 5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(rect)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#e08a00"))
        p.drawPie(rect, 90 * 16, 180 * 16)
    elif status == "empty":
        p.setPen(QPen(QColor("#9e9e9e"), 5))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(rect)
    p.end()
    return image


# Anti-aliasing differs by CPU (Qt's SIMD paths): edge pixels of the same drawing may differ
# by a few levels from one machine to the next, so files are compared with a tolerance.
EDGE_TOLERANCE = 48  # per channel, 0–255
EDGE_SHARE = 0.05  # of all pixels, at most, may differ by more than that


def _same(a: QImage, b: QImage) -> bool:
    """The same drawing: same size, and all but a few edge pixels within the tolerance."""
    from PySide6.QtGui import QImage

    fmt = QImage.Format.Format_ARGB32
    a, b = a.convertToFormat(fmt), b.convertToFormat(fmt)
    if a.size() != b.size():
        return False
    off = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixel(x, y), b.pixel(x, y)
            if pa != pb and any(
                abs(((pa >> s) & 0xFF) - ((pb >> s) & 0xFF)) > EDGE_TOLERANCE
                for s in (0, 8, 16, 24)
            ):
                off += 1
    return off <= EDGE_SHARE * a.width() * a.height()


def stale_icons() -> list[Path]:
    """Icon files missing or no longer what `draw` paints."""
    from PySide6.QtGui import QImage

    return [
        icon_file(s)
        for s in STATUSES
        if not icon_file(s).exists() or not _same(QImage(str(icon_file(s))), draw(s))
    ]


def write_icons() -> list[Path]:
    written = []
    for status in STATUSES:
        target = icon_file(status)
        target.parent.mkdir(exist_ok=True)
        if not draw(status).save(str(target), b"PNG"):
            raise SystemExit(f"could not write {target}")
        written.append(target)
    return written

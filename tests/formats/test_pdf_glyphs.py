"""Every character printed comes from an embedded font that has a real glyph for it: no boxes.

Text extraction alone cannot show this: a character drawn with a font that lacks it still
extracts correctly (the ToUnicode map names it) while the page shows the font's empty box
(glyph 0, .notdef). So this reads the PDF as a printer would: for each string on each page,
the font selected, that font's embedded TrueType program, and the glyph each code selects.
Only pypdf and the TrueType tables are used, none of the exporter's code. The reader knows the
simple one-byte TrueType fonts ReportLab writes (the exports draw nothing else), so the projects
here carry no PDF evidence pages, whose fonts could be of any kind.
"""

from __future__ import annotations

import itertools
import json
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.outline import clean_text
from csr_desktop.formats.pdf.document import export_document
from csr_desktop.formats.pdf.letter import export_letter
from csr_desktop.sample import HOSTILE_TEXTS, build_interchange

RARE_NAME = "生僻字：𠀀𪚥龘𡈼科技有限公司"
PASTED_PERSON = "完成情况 🎉✅"


@dataclass(frozen=True)
class Drawn:
    """One character as the page draws it."""

    char: str
    font: str  # BaseFont, e.g. "AAAAAA+CsrRareHan"
    embedded: bool
    glyph: int  # glyph id in the embedded program (0 = .notdef, the box)
    outline_bytes: int  # 0 for a blank glyph


def _tables(program: bytes) -> dict[str, bytes]:
    count = struct.unpack(">H", program[4:6])[0]
    tables = {}
    for n in range(count):
        tag, _, offset, length = struct.unpack(">4sLLL", program[12 + 16 * n : 28 + 16 * n])
        tables[tag.decode("latin-1")] = program[offset : offset + length]
    return tables


def _code_to_glyph(cmap: bytes) -> dict[int, int]:
    """A simple font's byte codes to glyph ids (cmap formats 0 and 6, the ones subsets use)."""
    count = struct.unpack(">H", cmap[2:4])[0]
    for n in range(count):
        offset = struct.unpack(">L", cmap[8 + 8 * n : 12 + 8 * n])[0]
        table = cmap[offset:]
        fmt = struct.unpack(">H", table[:2])[0]
        if fmt == 0:
            return dict(enumerate(table[6 : 6 + 256]))
        if fmt == 6:
            first, entries = struct.unpack(">HH", table[6:10])
            ids = struct.unpack(f">{entries}H", table[10 : 10 + 2 * entries])
            return {first + i: gid for i, gid in enumerate(ids)}
    raise AssertionError("no format 0 or 6 cmap in the embedded font")


def _glyph_sizes(tables: dict[str, bytes]) -> list[int]:
    long_offsets = struct.unpack(">h", tables["head"][50:52])[0] == 1
    loca = tables["loca"]
    if long_offsets:
        offsets = list(struct.unpack(f">{len(loca) // 4}L", loca))
    else:
        offsets = [2 * o for o in struct.unpack(f">{len(loca) // 2}H", loca)]
    return [b - a for a, b in itertools.pairwise(offsets)]


def _to_unicode(cmap_text: str) -> dict[int, str]:
    sections = re.findall(r"beginbfchar(.*?)endbfchar", cmap_text, re.S)
    pairs = re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>", "".join(sections))
    return {int(code, 16): bytes.fromhex(uni).decode("utf-16-be") for code, uni in pairs}


@dataclass
class _Font:
    name: str
    embedded: bool
    glyphs: dict[int, int]
    sizes: list[int]
    unicode: dict[int, str]

    @classmethod
    def read(cls, font: Any) -> _Font:
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        program = descriptor.get("/FontFile2")
        to_unicode = font.get("/ToUnicode")
        cmap = to_unicode.get_object().get_data().decode("latin-1") if to_unicode else ""
        unicode = _to_unicode(cmap)
        if program is None:
            return cls(str(font["/BaseFont"]), False, {}, [], unicode)
        tables = _tables(program.get_object().get_data())
        return cls(
            str(font["/BaseFont"]),
            True,
            _code_to_glyph(tables["cmap"]),
            _glyph_sizes(tables),
            unicode,
        )

    def draw(self, codes: bytes) -> Iterator[Drawn]:
        for code in codes:
            glyph = self.glyphs.get(code, 0)
            size = self.sizes[glyph] if glyph < len(self.sizes) else 0
            yield Drawn(self.unicode.get(code, "\ufffd"), self.name, self.embedded, glyph, size)


def _raw(string: Any) -> bytes:
    return bytes(string.get_original_bytes() if hasattr(string, "get_original_bytes") else string)


def drawn(path: Path) -> list[Drawn]:
    """Every character every page of `path` draws, in content-stream order."""
    reader = PdfReader(path)
    out: list[Drawn] = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        fonts = {
            name: _Font.read(ref) for name, ref in resources.get("/Font", {}).get_object().items()
        }
        stack: list[_Font | None] = []
        current: _Font | None = None
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append(current)
            elif op == b"Q" and stack:
                current = stack.pop()
            elif op == b"Tf":
                current = fonts[str(operands[0])]
            elif op in (b"Tj", b"'", b'"', b"TJ"):
                assert current is not None, "text shown before a font was selected"
                items = operands[0] if op == b"TJ" else [operands[-1]]
                for item in items:
                    if not isinstance(item, int | float):
                        out.extend(current.draw(_raw(item)))
    return out


def assert_no_boxes(chars: list[Drawn]) -> None:
    assert chars
    assert all(c.embedded for c in chars), {c.font for c in chars if not c.embedded}
    boxes = [c for c in chars if c.glyph == 0 or (c.outline_bytes == 0 and not c.char.isspace())]
    assert not boxes, boxes[:10]


def printable(texts: Any) -> set[str]:
    return {ch for text in texts for ch in clean_text(text) if not ch.isspace()}


def supplementary_ideographs(text: str) -> set[str]:
    return {ch for ch in text if 0x20000 <= ord(ch) <= 0x3FFFF}


def test_the_reader_sees_a_box_where_a_font_lacks_the_character(tmp_path: Path) -> None:
    """The check itself can fail: an Extension B character forced into the main face is a box."""
    from reportlab.pdfgen.canvas import Canvas

    from csr_desktop.formats.pdf.fonts import MAIN, font_chain

    font_chain()
    path = tmp_path / "box.pdf"
    canvas = Canvas(str(path), initialFontName=MAIN)
    canvas.setFont(MAIN, 14)
    canvas.drawString(72, 720, "甲𠀀乙")
    canvas.save()
    chars = drawn(path)
    assert [c.char for c in chars][::2] == ["甲", "乙"]  # ReportLab maps the lacking one to U+0000
    assert [c.glyph == 0 for c in chars] == [False, True, False]
    with pytest.raises(AssertionError):
        assert_no_boxes(chars)


def test_rare_characters_in_the_letters_fields_print_from_an_embedded_font(
    tmp_path: Path, sample_project: Path
) -> None:
    dest = tmp_path / "承诺书.pdf"
    with Project.open(sample_project) as project:
        project.apply(
            {
                "commitment.company_name": RARE_NAME,
                "commitment.responsible_person": PASTED_PERSON,
            },
            "生僻字",
        )
        export_letter(project, dest)
    chars = drawn(dest)
    assert_no_boxes(chars)
    shown = {c.char for c in chars}
    assert printable([RARE_NAME, PASTED_PERSON]) <= shown
    by_char = {c.char: c.font for c in chars}
    for ch in supplementary_ideographs(RARE_NAME):
        assert "RareHan" in by_char[ch], (ch, by_char[ch])


def test_every_hostile_and_sample_character_prints_from_an_embedded_font_in_the_document(
    tmp_path: Path,
) -> None:
    source = build_interchange(tmp_path / "in", evidence_per_indicator=1, hostile=True)
    project_path = tmp_path / "hostile.csrproj"
    interchange.load(source, project_path)
    dest = tmp_path / "自评材料.pdf"
    with Project.open(project_path, readonly=True) as project:
        export_document(project, dest)
    chars = drawn(dest)
    assert_no_boxes(chars)
    shown = {c.char for c in chars}
    missing = printable(HOSTILE_TEXTS) - shown
    assert not missing, missing
    sample_text = json.dumps(json.loads(source.read_text(encoding="utf-8")), ensure_ascii=False)
    rare = supplementary_ideographs(sample_text) | supplementary_ideographs("".join(HOSTILE_TEXTS))
    assert {"𠀀", "𪚥", "𡈼"} <= rare
    fonts = {(c.char, c.font.split("+")[-1]) for c in chars if c.char in rare}
    assert {ch for ch, _ in fonts} == rare
    assert all("RareHan" in font for _, font in fonts), fonts

"""Rebuild `CsrRareHan.ttf`: the bundled Hanazono subset, keeping its characters and adding EXTRA.

Not part of the application: a maintainer's tool, run when a character must be added. It needs
fontTools (`pip install fonttools` in a scratch environment) and Hanazono 20170904 (Debian
`fonts-hanazono`: `apt-get download fonts-hanazono && dpkg-deb -x fonts-hanazono_*.deb x`).

    python resources/fonts/build_rare_han.py x/usr/share/fonts/truetype/hanazono

The current font is the record of the selection (see README.md for how it was first chosen);
the rebuild draws every one of its characters again from Hanazono, plus EXTRA, with the same
options, and keeps its name table.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
TARGET = HERE / "CsrRareHan.ttf"

EXTRA = {
    0x20000: "𠀀 first character of Extension B (辞海, 康熙字典); in the sample's hostile texts",
    0x2A6A5: "𪚥 four dragons, 64 strokes (汉语大字典); in the sample's hostile texts",
}
"""Characters added on purpose beyond the original Unihan-source rule, each with its reason."""

OPTIONS = ["--no-hinting", "--desubroutinize", "--notdef-outline", "--name-IDs=*"]


def _subset(font: Path, codepoints: set[int], out: Path) -> Path:
    args = [str(font), f"--unicodes={','.join(f'U+{c:04X}' for c in sorted(codepoints))}"]
    subset.main([*args, *OPTIONS, f"--output-file={out}"])
    return out


def build(hanazono: Path, target: Path = TARGET) -> None:
    current = TTFont(target)
    wanted = set(current.getBestCmap()) | set(EXTRA)
    supplementary = {c for c in wanted if c >= 0x20000}
    bmp = wanted - supplementary
    with tempfile.TemporaryDirectory() as tmp:
        parts = [
            _subset(hanazono / "HanaMinB.ttf", supplementary, Path(tmp) / "b.ttf"),
            _subset(hanazono / "HanaMinA.ttf", bmp, Path(tmp) / "a.ttf"),
        ]
        merged = Merger().merge([str(p) for p in parts])
    merged["name"] = current["name"]
    merged.save(target)
    missing = wanted - set(TTFont(target).getBestCmap())
    if missing:
        raise SystemExit(f"Hanazono lacks: {' '.join(f'U+{c:04X}' for c in sorted(missing))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("hanazono", type=Path, help="folder with HanaMinA.ttf and HanaMinB.ttf")
    build(parser.parse_args().hanazono)


if __name__ == "__main__":
    main()

"""Build the three heading faces of the PDFs as GB 2312 subsets, so they add ~9 MB, not ~42 MB.

Not part of the application: a maintainer's tool, run when a face or the character set changes.
It needs fontTools (`pip install fonttools` in a scratch environment) and the source fonts:

    npm pack @expo-google-fonts/noto-sans-sc@0.4.3 @expo-google-fonts/noto-serif-sc@0.4.3
    apt-get download fonts-arphic-ukai        # 0.2.20080216.2-5 (Debian 12)
    (untar the two .tgz files and `dpkg-deb -x` the .deb, then)
    python resources/fonts/build_heading_faces.py --sans-sc SANS --serif-sc SERIF --ukai UKAI

where SANS and SERIF are the `package/` folders of the npm packs and UKAI is `ukai.ttc`.
Every face keeps the same characters: all of GB 2312 (the 6,763 hanzi of everyday text and its
symbols), ASCII, Latin-1, the CJK and full-width punctuation, and every character of
`resources/indicators.json` (so no fixed heading ever mixes faces), less a face's `exclude`
(UKai's Taiwan-style centred punctuation). A character outside the
subset is drawn from the body face (Noto Serif SC, all of GBK and Ext A) and then the rare-han
fallbacks — see `csr_desktop/formats/pdf/fonts.py`; it never prints as a box.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

HERE = Path(__file__).resolve().parent
INDICATORS = HERE.parent / "indicators.json"

OPTIONS = ["--no-hinting", "--notdef-outline", "--name-IDs=*", "--layout-features=*"]


@dataclass(frozen=True)
class Face:
    """One heading face: where it comes from and what it is called once subset."""

    target: str
    family: str
    postscript: str
    source: str  # as the README table names it
    exclude: str = ""  # characters left to the body face on purpose


FACES = {
    "sans": Face(
        "CsrHei.ttf",
        "CSR Hei (Noto Sans SC Medium GB2312 subset)",
        "CsrHei-NotoSansSC-Medium",
        "Noto Sans SC Medium (npm @expo-google-fonts/noto-sans-sc 0.4.3)",
    ),
    "serif": Face(
        "CsrTitle.ttf",
        "CSR Title (Noto Serif SC Bold GB2312 subset)",
        "CsrTitle-NotoSerifSC-Bold",
        "Noto Serif SC Bold (npm @expo-google-fonts/noto-serif-sc 0.4.3)",
    ),
    "ukai": Face(
        "CsrKai.ttf",
        "CSR Kai (AR PL UKai CN GB2312 subset)",
        "CsrKai-ARPLUKaiCN",
        "AR PL UKai CN, ukai.ttc index 0 (Debian fonts-arphic-ukai 0.2.20080216.2-5)",
        # UKai centres these in the em as Taiwan prints them; mainland text sets them low left,
        # so they come from the body face (Noto Serif SC).
        "，、。．：；！？",
    ),
}


def gb2312() -> set[int]:
    """Every character GB 2312 encodes (its two-byte rows A1–F7)."""
    chars: set[int] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def wanted() -> set[int]:
    """The characters every heading face keeps."""
    chars = gb2312()
    chars |= set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= set(range(0x2010, 0x2028)) | set(range(0x2030, 0x203C))
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F)) | set(range(0xFFE0, 0xFFE7))
    text = json.dumps(json.loads(INDICATORS.read_text(encoding="utf-8")), ensure_ascii=False)
    chars |= {ord(ch) for ch in text if ord(ch) >= 0x20}
    return chars


def _rename(font: TTFont, face: Face) -> None:
    """New names (the licences ask a modified font to say so; OFL reserves none of these)."""
    notice = (
        f"Modified {date.today().isoformat()} for csr-desktop by "
        "resources/fonts/build_heading_faces.py: subset to GB 2312, ASCII, Latin-1, CJK and "
        f"full-width punctuation, hinting removed, renamed. Source: {face.source}."
    )
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 10, 16, 17, 18, 21, 22):
            names.removeNames(nameID=record.nameID)
    for name_id, value in (
        (1, face.family),
        (2, "Regular"),
        (3, f"{face.postscript};csr-desktop"),
        (4, face.family),
        (6, face.postscript),
        (10, notice),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
        names.setName(value, name_id, 1, 0, 0)


def build(source: Path, face: Face, chars: set[int], target_dir: Path = HERE) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        if source.suffix.lower() == ".ttc":
            single = Path(tmp) / "face0.ttf"
            TTCollection(str(source)).fonts[0].save(single)
            source = single
        out = Path(tmp) / face.target
        codes = ",".join(f"U+{c:04X}" for c in sorted(chars))
        subset.main([str(source), f"--unicodes={codes}", *OPTIONS, f"--output-file={out}"])
        font = TTFont(out)
        _rename(font, face)
        target = target_dir / face.target
        font.save(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sans-sc", type=Path, required=True, help="noto-sans-sc package/")
    parser.add_argument("--serif-sc", type=Path, required=True, help="noto-serif-sc package/")
    parser.add_argument("--ukai", type=Path, required=True, help="ukai.ttc")
    args = parser.parse_args()
    chars = wanted()
    sources = {
        "sans": args.sans_sc / "500Medium" / "NotoSansSC_500Medium.ttf",
        "serif": args.serif_sc / "700Bold" / "NotoSerifSC_700Bold.ttf",
        "ukai": args.ukai,
    }
    for key, face in FACES.items():
        wanted_here = chars - {ord(ch) for ch in face.exclude}
        target = build(sources[key], face, wanted_here)
        have = set(TTFont(target).getBestCmap())
        lacking = sorted(wanted_here - have)
        size = target.stat().st_size / 1e6
        sys.stdout.write(f"{target.name}: {size:.2f} MB, {len(have)} characters\n")
        if lacking:
            shown = " ".join(map(chr, lacking))
            sys.stdout.write(f"  not in the source (drawn from the body face): {shown}\n")


if __name__ == "__main__":
    main()

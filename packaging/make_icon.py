"""Draw the app icon (PNG for Linux menus, multi-size ICO for the Windows executables and
installer) from the bundled Chinese font, so no binary image has to live in the repository.

    python packaging/make_icon.py OUT.png|OUT.ico [...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
FONT = REPO / "resources" / "fonts" / "NotoSerifSC-Regular.ttf"
SIZE = 256
RED = (176, 30, 35, 255)  # the red of an official seal
WHITE = (255, 255, 255, 255)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def draw() -> Image.Image:
    """A red rounded square with 自评 in white, like a seal on a form."""
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((8, 8, SIZE - 8, SIZE - 8), radius=44, fill=RED)
    d.rounded_rectangle((26, 26, SIZE - 26, SIZE - 26), radius=30, outline=WHITE, width=8)
    if FONT.is_file():
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(str(FONT), 96)
    else:  # the icon must never break a build
        font = ImageFont.load_default()
    d.text((SIZE / 2, SIZE / 2 + 4), "自评", font=font, fill=WHITE, anchor="mm")
    return img


def main(outputs: list[str]) -> int:
    img = draw()
    for out in map(Path, outputs):
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".ico":
            img.save(out, sizes=ICO_SIZES)
        else:
            img.save(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

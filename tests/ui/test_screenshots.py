"""The screenshot script on a real X server (xcb): every PNG is written, at the right size,
and is a picture rather than an empty or one-colour window."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage

REPO = Path(__file__).resolve().parents[2]


def load_script():  # scripts/ is not a package
    spec = importlib.util.spec_from_file_location(
        "screenshots", REPO / "scripts" / "screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def distinct_colours(image: QImage, step: int = 7) -> int:
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def test_screenshots_at_100_and_200_percent(tmp_path: Path) -> None:
    script = load_script()
    written = script.make_screenshots(tmp_path, [1.0, 2.0])  # each in an xcb subprocess
    assert len(written) == 6
    for path in written:
        image = QImage(str(path))
        assert not image.isNull(), path
        factor = 2 if path.stem.endswith("-200") else 1
        assert (image.width(), image.height()) == (1280 * factor, 720 * factor)
        assert path.stat().st_size > 20_000 * factor
        assert distinct_colours(image) > 40  # text, icons and widgets, not a blank window

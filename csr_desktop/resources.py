"""The one place that knows where bundled resources live (source tree or PyInstaller bundle)."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the `resources/` folder, whether running from source or frozen."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of one resource file, e.g. `resource_path("ui", "indicator_page.ui")`."""
    return resources_dir().joinpath(*parts)

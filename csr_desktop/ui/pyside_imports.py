"""A cheaper answer to the question PySide6 asks about every module imported after it.

PySide6 (for its opt-in `from __feature__ import snake_case`) hooks `import` and, for each
new module, reads the module's source with `inspect.getsource` to see whether it mentions
"PySide6" (shibokensupport/feature.py, `_mod_uses_pyside`). That reads, decodes and splits
the whole file, ~0.2 ms a module, paid again for each of the ~55 modules the window imports
before its first page is shown. Python source is always in an ASCII-compatible encoding, so
searching the file's bytes gives the same answer at a fraction of the cost. Anything else (no
file, not a .py, unreadable) still gets PySide6's own check, and if PySide6 no longer has that
function nothing is changed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"
CHECK = "_mod_uses_pyside"
MARK = b"PySide6"


def source_mentions_pyside(module: ModuleType, fallback: Callable[[ModuleType], bool]) -> bool:
    path = getattr(module, "__file__", None)
    if isinstance(path, str) and path.endswith(".py"):
        try:
            with open(path, "rb") as source:
                return MARK in source.read()
        except OSError:
            pass
    return fallback(module)


def speed_up_pyside_imports() -> bool:
    """Install the cheaper check; False if PySide6 is not loaded or has changed."""
    feature = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, CHECK, None)
    if feature is None or not callable(original):
        return False
    if getattr(original, "__wrapped__", None) is not None:
        return True  # installed already

    def uses_pyside(module: ModuleType) -> bool:
        return source_mentions_pyside(module, original)

    uses_pyside.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(feature, CHECK, uses_pyside)
    return True

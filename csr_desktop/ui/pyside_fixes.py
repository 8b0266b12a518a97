"""Work-arounds for defects of the installed PySide6, each checked for before it is applied.

PySide6 6.12.0's `SignalInstance.emit()` returns `True` without taking a reference to it: every
emit made from Python takes one reference away from `True`. On Python 3.11 `True` is an ordinary
object, so after a few hundred emits (one progress step of an export is one emit) its count
reaches zero during interpreter shutdown and the process aborts with "Fatal Python error:
bool_dealloc" (exit 134) although all work was saved. PySide6 6.11 and older do not do this;
Python 3.12 made `True` and `False` immortal, so the lost references are harmless there.

The cure here does what Python 3.12 does: when a probe shows that an emit loses a reference,
`True` and `False` get a reference count no session can use up. Nothing else changes.

PySide6 also reads the whole source of every module imported after it (`inspect.getsource`,
to see whether it mentions PySide6) and keeps it in `linecache`: ~5 ms of every start-up for the
window's ~60 modules and the standard library's it brings in, more with each export's libraries
(napari/napari#8584). The answer only sorts modules into those that may select a `__feature__`
and those that cannot; this app selects none, and a module that does (`from __feature__ import
…`) is recorded by that import itself, not by the scan. `skip_feature_scan` gives every module
the answer a Qt module without features gets, without reading it."""

from __future__ import annotations

import sys
from types import ModuleType

# 2**40 references: a trillion emits, and far below the point where the count would overflow.
_RESERVE = 1 << 40
_PROBES = 8
_applied = False


def emit_loses_references() -> bool:
    """Emit a probe signal a few times and see whether `True` lost a reference per emit."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    probe.deleteLater()
    return lost >= _PROBES


def keep_bools_alive() -> bool:
    """Apply the cure once if this PySide6 needs it; True if it was applied (now or before)."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or not emit_loses_references():
        return False
    import ctypes

    for value in (True, False):
        count = ctypes.c_ssize_t.from_address(id(value))  # ob_refcnt is the first field
        count.value += _RESERVE
    _applied = True
    return True


def skip_feature_scan() -> bool:
    """Answer PySide6's "does this module use PySide6?" with yes, unread: the value every module
    of ours that imports Qt gets from the scan, and harmless for any other (no module here
    selects a feature). False if this PySide6 has no such scan."""
    import PySide6.QtCore  # noqa: F401  (installs the import hook and its feature module)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        return False
    setattr(feature, "_mod_uses_pyside", _uses_pyside)  # noqa: B010  (a private name)
    return True


def _uses_pyside(module: ModuleType) -> bool:
    return True

"""Work-arounds for defects of the installed PySide6, each checked for before it is applied.

PySide6 6.12.0's `SignalInstance.emit()` returns `True` without taking a reference to it: every
emit made from Python takes one reference away from `True`. On Python 3.11 `True` is an ordinary
object, so after a few hundred emits (one progress step of an export is one emit) its count
reaches zero during interpreter shutdown and the process aborts with "Fatal Python error:
bool_dealloc" (exit 134) although all work was saved. PySide6 6.11 and older do not do this;
Python 3.12 made `True` and `False` immortal, so the lost references are harmless there.

The cure here does what Python 3.12 does: when a probe shows that an emit loses a reference,
`True` and `False` get a reference count no session can use up. Nothing else changes."""

from __future__ import annotations

import sys

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

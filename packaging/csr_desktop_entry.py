"""Entry point of the frozen app: both executables (GUI and CLI companion) start here.

The console companion and the windowed GUI share one Analysis, so they run the same code;
what differs is only whether Windows gives the process a console.
"""

from __future__ import annotations

import os
import sys


def _ensure_streams() -> None:
    """A windowed Windows executable has no stdout/stderr: write to nowhere, never crash."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    # a long PDF report is read by a second process (formats/report/pdf_helper.py): spawned,
    # it starts this executable again, which must run the helper, not the app
    import multiprocessing

    multiprocessing.freeze_support()
    _ensure_streams()
    from csr_desktop.cli import main

    sys.exit(main())

"""Start the desktop app."""

from __future__ import annotations

from collections.abc import Sequence


def run_app(argv: Sequence[str]) -> int:
    """Until the wizard lands, starting the app shows the command-line help."""
    from csr_desktop.cli import run_command

    return run_command(["--help"])

"""`csr-desktop verify PACKAGE.zip`: 0 intact, 1 differences; an unreadable package is a
CsrError (exit 2)."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_FINDINGS, EXIT_OK, say
from csr_desktop.formats.package.build import report_lines, verify_package


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("package", type=Path)


def run(args: argparse.Namespace) -> int:
    report = verify_package(Path(args.package))
    say(*report_lines(report))
    return EXIT_OK if report.intact else EXIT_FINDINGS

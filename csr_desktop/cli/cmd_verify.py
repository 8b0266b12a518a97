"""`csr-desktop verify PACKAGE.zip`: 0 intact, 1 differences."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import out
from csr_desktop.formats import package


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("package", type=Path)


def run(args: argparse.Namespace) -> int:
    return package.verify_cli(args.package, out())

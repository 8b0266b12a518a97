"""`csr-desktop dump PROJECT`: the project's interchange JSON on stdout."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, out
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)


def run(args: argparse.Namespace) -> int:
    with Project.open(args.project, readonly=True) as project:
        data = interchange.dump(project)
    stream = out()
    stream.write(json.dumps(data, ensure_ascii=False, indent=2))
    stream.write("\n")
    return EXIT_OK

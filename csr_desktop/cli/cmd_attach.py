"""`csr-desktop attach PROJECT 1..28 FILE...` (evidence) or `attach PROJECT letter|cover SCAN`."""

from __future__ import annotations

import argparse
from pathlib import Path

from csr_desktop.cli.output import EXIT_OK, did, say
from csr_desktop.core.attach import attach_evidence
from csr_desktop.core.errors import InputFileError
from csr_desktop.core.scans import SCAN_TARGETS
from csr_desktop.core.store import Project
from csr_desktop.formats.evidence.scan_files import attach_scan


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", type=Path)
    p.add_argument("target", help="三级指标序号 1–28，或 letter（承诺书）/ cover（封面）")
    p.add_argument("files", type=Path, nargs="+")


def run(args: argparse.Namespace) -> int:
    if args.target in SCAN_TARGETS:
        return _attach_scan(args.project, args.target, args.files)
    done = attach_evidence(args.project, args.target, args.files)
    if done.added:
        did("已添加")
    say(*done.lines)
    return EXIT_OK


def _attach_scan(project_path: Path, target: str, paths: list[Path]) -> int:
    """`attach PROJECT letter|cover SCAN`: exactly one file."""
    if len(paths) != 1:
        raise InputFileError(
            f"{SCAN_TARGETS[target]}扫描件只能附一个文件（收到 {len(paths)} 个）",
            "a scan is one file",
        )
    with Project.open(project_path) as project:
        scan = attach_scan(project, target, paths[0])
    did("已附上签章扫描件")
    say(f"已附上{SCAN_TARGETS[target]}签章扫描件 {scan.name}（SHA-256 {scan.sha256}）")
    return EXIT_OK

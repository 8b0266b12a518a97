"""The project files this process has open, so that no export can be written over one.

`export P --pdf P` once exited 0 and left the project a PDF. Every exporter writes through
`core.atomic`, which asks here before it replaces anything."""

from __future__ import annotations

import os
from pathlib import Path

_OPEN: dict[str, int] = {}
SIDE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def _real(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def register(path: Path) -> None:
    key = _real(path)
    _OPEN[key] = _OPEN.get(key, 0) + 1


def unregister(path: Path) -> None:
    key = _real(path)
    if _OPEN.get(key, 0) <= 1:
        _OPEN.pop(key, None)
    else:
        _OPEN[key] -= 1


def open_project_behind(dest: Path) -> str | None:
    """The open project `dest` would overwrite (the file or one of its side files), if any."""
    real = _real(dest)
    for project in _OPEN:
        if any(real == project + suffix for suffix in SIDE_SUFFIXES):
            return project
    # a hard link or another spelling of the same file
    try:
        st = os.stat(dest)
    except OSError:
        return None
    for project in _OPEN:
        try:
            if os.path.samestat(st, os.stat(project)):
                return project
        except OSError:
            continue
    return None

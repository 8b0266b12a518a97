"""Where backups go, and whether they are taken at all.

The default is the user's *local* data folder (`%LOCALAPPDATA%\\csr-desktop\\backups` on
Windows, never the roaming profile, which would carry confidential evidence to every PC the
user logs on to; `$XDG_DATA_HOME/csr-desktop/backups` elsewhere). IT redirects them with
`CSR_DESKTOP_BACKUP_DIR` and turns them off with `CSR_DESKTOP_BACKUPS=off` (the window's
settings hold the same two choices); `--to DIR` overrides both for one command.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_DIR = "CSR_DESKTOP_BACKUP_DIR"
ENV_SWITCH = "CSR_DESKTOP_BACKUPS"
_OFF = frozenset({"0", "off", "no", "false", "disabled"})


def default_root() -> Path:
    """The local (never roaming) data folder's `backups`, or what IT set in the environment."""
    configured = os.environ.get(ENV_DIR, "").strip()
    if configured:
        return Path(configured)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        local = Path(base) if base else Path.home() / "AppData" / "Local"
        return local / "csr-desktop" / "backups"
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    data = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return data / "csr-desktop" / "backups"


def disabled_by_environment() -> bool:
    """IT's switch: `CSR_DESKTOP_BACKUPS=off` (or 0/no/false) turns every automatic backup
    off, and `backup` without `--to`."""
    return os.environ.get(ENV_SWITCH, "").strip().lower() in _OFF


def project_folder(root: Path, project_id: str) -> Path:
    """One folder per project, named by its id (a renamed or moved project keeps its backups)."""
    safe = "".join(c for c in project_id if c.isalnum()) or "unknown"
    return root / safe

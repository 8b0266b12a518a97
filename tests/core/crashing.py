"""A writer that dies inside a transaction, deterministically: its journal and lock are left."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# The committed edit first, then an unfinished transaction big enough that SQLite spills
# pages into the main file before the (never reached) commit, then the process dies.
_CRASH = """
import json, os, sys
from csr_desktop.core.store import Project
key, value = sys.argv[2], sys.argv[3]
p = Project.open(sys.argv[1])
p.set(key, value)
db = p._db
db.execute("PRAGMA cache_size=2")
db.execute("BEGIN IMMEDIATE")
for n in range(40):
    db.execute("INSERT INTO audit(at, user, key, old, new, label) VALUES('t', 'u', 'k', NULL, ?, '')",
               ("未提交" * 20000,))
db.execute("INSERT INTO fields(key, value) VALUES('indicator.5.remark', ?) "
           "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (json.dumps("未提交"),))
os._exit(9)
"""


def crash_mid_transaction(path: Path, committed: tuple[str, str]) -> None:
    """Commit `committed` (key, value) in a child writer, then kill it mid-transaction."""
    result = subprocess.run(
        [sys.executable, "-c", _CRASH, str(path), *committed], capture_output=True, text=True
    )
    assert result.returncode == 9, result.stderr

"""Print a project's whole user-visible state as JSON, read the way `dump` reads it.

Why not `dump` alone: the interchange JSON leaves out 负责部门, the stamped scans and 待复核, and
says nothing of whether each stored file still matches its SHA-256. The crash matrix compares
states with this, after checking that the real `dump` command succeeds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from csr_desktop.core.store import Project
from csr_desktop.formats import interchange


def state(path: Path) -> dict[str, object]:
    with Project.open(path, readonly=True) as project:
        data = interchange.dump(project)
        nos = [ind["no"] for ind in data["indicators"]]
        extra = {
            key: project.get(key)
            for key in [f"indicator.{no}.department" for no in nos]
            + [f"indicator.{no}.review_pending" for no in nos]
            + ["scan.letter", "scan.cover"]
        }
        intact = {
            ev["sha256"]: project.file_is_intact(ev["sha256"])
            for ind in data["indicators"]
            for ev in ind["evidence"]
            if ev["sha256"]
        }
    return {"dump": data, "extra": {k: v for k, v in extra.items() if v}, "intact": intact}


if __name__ == "__main__":
    json.dump(state(Path(sys.argv[1])), sys.stdout, ensure_ascii=False, sort_keys=True)

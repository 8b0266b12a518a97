"""Regenerate the hostile project-file corpus: `python tests/corpus/make_projects.py`.

Each file is small and named for what is wrong with it; `expect.json` says whether the app
must open it (`open`) or refuse it with a message (`refuse`).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
from pathlib import Path

from csr_desktop.core.store import SCHEMA_VERSION, Project

HERE = Path(__file__).resolve().parent / "projects"


def _valid(path: Path) -> None:
    with Project.create(path) as p:
        p.set("company.name", "星澜数字科技有限公司")
        p.set_rating(1, 2)


def _sql(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path)
    for s in statements:
        db.execute(s)
    db.commit()
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for old in HERE.glob("*.csrproj"):
        old.unlink()
    rng = random.Random(7)
    expect: dict[str, str] = {}

    def case(name: str, outcome: str) -> Path:
        expect[name] = outcome
        return HERE / name

    case("random-bytes.csrproj", "refuse").write_bytes(rng.randbytes(8192))
    case("empty.csrproj", "refuse").write_bytes(b"")
    case("header-only.csrproj", "refuse").write_bytes(b"SQLite format 3\x00" + bytes(84))
    _valid(case("valid.csrproj", "open"))
    full = (HERE / "valid.csrproj").read_bytes()
    for cut in (100, 1024, 4096, len(full) // 2):
        case(f"truncated-{cut}.csrproj", "refuse").write_bytes(full[:cut])
    _valid(p := case("future-version.csrproj", "refuse"))
    _sql(p, f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    _valid(p := case("missing-table.csrproj", "refuse"))
    _sql(p, "DROP TABLE fields")
    _valid(p := case("extra-table.csrproj", "open"))
    _sql(p, "CREATE TABLE notes(x TEXT)", "INSERT INTO notes VALUES('来自旧工具')")
    _valid(p := case("field-not-json.csrproj", "refuse"))
    _sql(p, "UPDATE fields SET value='{not json' WHERE key='company.name'")
    _valid(p := case("rating-out-of-range.csrproj", "refuse"))
    _sql(p, "UPDATE fields SET value='9' WHERE key='indicator.1.rating'")
    _valid(p := case("evidence-wrong-type.csrproj", "refuse"))
    _sql(p, """INSERT INTO fields VALUES('indicator.2.evidence', '[{"name": 5}]')""")
    _valid(p := case("indicator-set-garbage.csrproj", "refuse"))
    _sql(p, "UPDATE meta SET value='[]' WHERE key='indicator_set'")
    _valid(p := case("indicator-set-missing.csrproj", "refuse"))
    _sql(p, "DELETE FROM meta WHERE key='indicator_set'")
    p = case("foreign-sqlite.csrproj", "refuse")
    _sql(p, "CREATE TABLE contacts(name TEXT)", "INSERT INTO contacts VALUES('x')")
    _valid(p := case("flipped-page-bytes.csrproj", "refuse"))
    data = bytearray(p.read_bytes())
    for i in range(4096 + 8, len(data), 997):
        data[i] ^= 0xFF
    p.write_bytes(bytes(data))
    for side in HERE.glob("*-wal"):
        side.unlink()
    for side in HERE.glob("*-shm"):
        side.unlink()
    (HERE / "expect.json").write_text(json.dumps(expect, indent=1, sort_keys=True) + "\n")
    os.sync()


if __name__ == "__main__":
    main()

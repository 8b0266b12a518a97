"""Forward-only schema upgrades, one function per version, each in one transaction.

As calibre's `schema_upgrades.py`: `upgrade_to_N` turns version N-1 into N. An upgrade runs
only in a writer that holds the lock, after the file has passed its checks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from csr_desktop.core.storage import schema


def upgrade_to_2(db: sqlite3.Connection) -> None:
    """Blob ids AUTOINCREMENT (never reused); drop the orphaned chunks v1 could leave."""
    db.execute("DELETE FROM blob_chunks WHERE blob_id NOT IN (SELECT id FROM blobs)")
    db.execute(schema.TABLES_DDL["blobs"].replace("TABLE blobs(", "TABLE blobs_v2(", 1))
    db.execute("INSERT INTO blobs_v2 SELECT id, sha256, size, added_at, complete FROM blobs")
    db.execute("DROP TABLE blobs")
    db.execute("ALTER TABLE blobs_v2 RENAME TO blobs")
    # the id a first-release project already had (sidefiles.identity): a lock written before
    # the upgrade, or a crash right after it, still vouches for this project's -wal
    db.execute(
        "INSERT INTO meta(key, value) SELECT 'project_id', "
        "coalesce((SELECT value FROM meta WHERE key='created_at'), '') || '|' || "
        "coalesce((SELECT value FROM meta WHERE key='created_by'), '') "
        "WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key='project_id')"
    )


UPGRADES: dict[int, Callable[[sqlite3.Connection], None]] = {2: upgrade_to_2}


def upgrade(db: sqlite3.Connection, version: int) -> list[int]:
    """Bring a database of `version` up to the current one; returns the versions applied.

    Foreign keys are switched off around the table rebuild (SQLite's documented procedure),
    and checked before the transaction commits."""
    applied: list[int] = []
    if version >= schema.SCHEMA_VERSION:
        return applied
    db.execute("PRAGMA foreign_keys=OFF")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            for target in range(version + 1, schema.SCHEMA_VERSION + 1):
                UPGRADES[target](db)
                applied.append(target)
            if db.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise sqlite3.IntegrityError("foreign key check failed after upgrade")
            db.execute(f"PRAGMA user_version={schema.SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    finally:
        db.execute("PRAGMA foreign_keys=ON")
    return applied

"""What a project database holds, how it is created, and what we refuse to find in it.

A received project is someone else's file: a trigger planted in it would run on the user's
own edits (one rewrote a rating and cut the audit trail during an import). So the schema is
compared with what this app creates before anything writes, and a stranger's object is named.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
import sqlite3
from typing import NamedTuple

SCHEMA_VERSION = 2
APPLICATION_ID = 0x43535250  # "CSRP": marks a SQLite file as ours
SQLITE_MAGIC = b"SQLite format 3\x00"
PAGE_SIZE = 65536  # for new projects; older files keep theirs

# v2: blob ids AUTOINCREMENT, so a freed id is never given to the next file (an orphaned chunk
# of the old id would collide with the new file's chunks).
TABLES_DDL: dict[str, str] = {
    "meta": "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "fields": "CREATE TABLE fields(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "blobs": """CREATE TABLE blobs(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT UNIQUE,
    size INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    complete INTEGER NOT NULL DEFAULT 0
)""",
    "blob_chunks": """CREATE TABLE blob_chunks(
    blob_id INTEGER NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL
)""",
    "audit": """CREATE TABLE audit(
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    key TEXT NOT NULL,
    old TEXT,
    new TEXT,
    label TEXT NOT NULL DEFAULT ''
)""",
}
INDEXES_DDL: dict[str, str] = {
    "blob_chunks_order": "CREATE UNIQUE INDEX blob_chunks_order ON blob_chunks(blob_id, seq)",
}
TABLES = frozenset(TABLES_DDL)
# SQLite's own objects: automatic indexes of UNIQUE/PRIMARY KEY and AUTOINCREMENT's counter
_INTERNAL_PREFIXES = ("sqlite_autoindex_", "sqlite_sequence", "sqlite_stat")


class SchemaObject(NamedTuple):
    kind: str  # table, index, view, trigger
    name: str
    table: str


def create(db: sqlite3.Connection) -> None:
    """Create every table and index of the current version (inside the caller's transaction)."""
    for ddl in (*TABLES_DDL.values(), *INDEXES_DDL.values()):
        db.execute(ddl)
    db.execute(f"PRAGMA application_id={APPLICATION_ID}")
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def objects(db: sqlite3.Connection) -> list[SchemaObject]:
    rows = db.execute("SELECT type, name, tbl_name FROM sqlite_master ORDER BY rowid")
    return [SchemaObject(str(t), str(n), str(tbl)) for t, n, tbl in rows]


def missing_tables(db: sqlite3.Connection) -> set[str]:
    return set(TABLES) - {o.name for o in objects(db) if o.kind == "table"}


def foreign_objects(db: sqlite3.Connection) -> list[SchemaObject]:
    """Objects this app never creates that could act on, or stand in for, our tables.

    Triggers and views anywhere, and indexes on our tables other than ours. A separate extra
    table is inert (nothing of ours reads or writes it) and is left alone."""
    found = []
    for obj in objects(db):
        if obj.name.startswith(_INTERNAL_PREFIXES):
            continue
        if obj.kind in ("trigger", "view") or (
            obj.kind == "index" and obj.table in TABLES and obj.name not in INDEXES_DDL
        ):
            found.append(obj)
    return found


def describe(found: list[SchemaObject]) -> str:
    words = {"trigger": "触发器", "view": "视图", "index": "索引", "table": "数据表"}
    return "、".join(f"{words.get(o.kind, o.kind)} {o.name}" for o in found)

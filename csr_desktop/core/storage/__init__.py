"""The project file's one owner: every SQLite connection, the schema, the blobs, the history.

Nothing outside this package opens the database (ruff bans `sqlite3.connect` elsewhere), so a
setting the schema relies on (foreign keys, durability) cannot be forgotten by a second path.
"""

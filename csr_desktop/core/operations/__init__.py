"""What a user does to a project, each as one transaction that returns what changed.

Why a layer of its own (Anki's `aqt/operations`, calibre's `db/cache.py` over `backend.py`):
the project file (`core/storage`) knows transactions, audit, stored files and undo, not what
an edit means to the user. Here each operation decides its rows and its undo label, and the
window's session and the CLI call the same function: `fields` (set a field, a rating),
`evidence` (add files, replace a row's file), `scans` (the stamped pages), `imports` (a
colleague's return), `departments` (who answers what); every file that comes in goes through
`ingest`. A new year is `core.carry_over.carry_over`, which builds a new file.
"""

from csr_desktop.core.operations.result import Changed

__all__ = ["Changed"]

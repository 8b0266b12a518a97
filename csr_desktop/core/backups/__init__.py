"""Backups of a whole project (issue #30): fields, catalogue, indicator set and audit trail per
backup, evidence shared between backups by content, restored only ever into a new file."""

"""What an operation did: its undo step's label and the fields it changed."""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
from collections.abc import Iterable
from typing import NamedTuple

from csr_desktop.core.storage.history import Change


class Changed(NamedTuple):
    """The fields one operation committed (none: nothing was written, no undo step)."""

    label: str
    keys: frozenset[str]

    @property
    def done(self) -> bool:
        return bool(self.keys)


def changed(label: str, changes: Iterable[Change]) -> Changed:
    return Changed(label, frozenset(c.key for c in changes))

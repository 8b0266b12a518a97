"""Undo and redo as data, with one rule for what counts as one step.

Why a text rule in the core: the window sends a narrative's text after each burst of typing.
Merging every such change on one field for a minute made "paste 1,500 characters, type two,
Ctrl+Z" wipe the paste. Here a step behaves as in a text editor: a paste or any large change is
a step of its own; typing coalesces until a pause, a word boundary or a change of direction.
The audit trail follows the same steps (one row per step), so there is only one rule.
"""

# No `from __future__ import annotations`: NamedTuple would compile each string annotation
# (start-up time, README).
from typing import Any, NamedTuple

from csr_desktop.core.edits import common_ends

TYPING_PAUSE_SECONDS = 5.0  # a pause longer than this starts a new undo step
TYPING_MAX_CHARS = 24  # an insertion or deletion larger than this is not typing (a paste, a cut)
_WORD_ENDS = frozenset(" \t\n\r，。；：！？、,.;:!?）)」』”’")


class Change(NamedTuple):
    """One field going from `old` to `new` (JSON values)."""

    key: str
    old: Any
    new: Any


class ChangeSet(NamedTuple):
    """One undo step: what the user did, in words, and every field it changed."""

    label: str
    changes: tuple[Change, ...]
    coalesce_key: str | None = None  # set while typing may still extend this step
    at: float = 0.0
    direction: str = ""  # "insert" / "delete" for a typing step
    audit_id: int = 0  # the audit row this step updates while it grows


def typing_direction(old: Any, new: Any) -> str | None:
    """ "insert"/"delete" when `old` → `new` is a few characters typed or erased, else None."""
    if not isinstance(old, str | type(None)) or not isinstance(new, str):
        return None
    old = old or ""
    start, end = common_ends(old, new)
    removed = len(old) - start - end
    inserted = len(new) - start - end
    if removed == 0 and 0 < inserted <= TYPING_MAX_CHARS:
        return "insert"
    if inserted == 0 and 0 < removed <= TYPING_MAX_CHARS:
        return "delete"
    return None


def _ends_word(old: Any, new: str) -> bool:
    """Typing that ended with a space or punctuation closes its step (word by word undo)."""
    old = old or ""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    inserted = new[start : start + len(new) - len(old)]
    return bool(inserted) and inserted[-1] in _WORD_ENDS


class History:
    """The session's undo and redo stacks (not stored: a reopened project starts afresh)."""

    def __init__(self) -> None:
        self.undo: list[ChangeSet] = []
        self.redo: list[ChangeSet] = []

    def extends_top(self, change: Change, now: float) -> bool:
        """Would this one-field typing change merge into the step on top?"""
        top = self.undo[-1] if self.undo else None
        direction = typing_direction(change.old, change.new)
        return (
            top is not None
            and direction is not None
            and top.coalesce_key == change.key
            and top.direction == direction
            and now - top.at < TYPING_PAUSE_SECONDS
            and not self.redo
        )

    def push(
        self, label: str, changes: tuple[Change, ...], typing: bool, now: float, audit_id: int
    ) -> None:
        """Record a new step; a typing change may later be extended by `extend`."""
        key = direction = None
        if typing and len(changes) == 1:
            direction = typing_direction(changes[0].old, changes[0].new)
            if direction is not None and not _ends_word(changes[0].old, changes[0].new):
                key = changes[0].key
        self.undo.append(ChangeSet(label, changes, key, now, direction or "", audit_id))
        self.redo.clear()

    def extend(self, change: Change, now: float) -> ChangeSet:
        """Merge a typing change into the top step; returns the grown step."""
        top = self.undo[-1]
        merged = Change(change.key, top.changes[0].old, change.new)
        still_open = not _ends_word(change.old, change.new)
        grown = top._replace(
            changes=(merged,), at=now, coalesce_key=change.key if still_open else None
        )
        self.undo[-1] = grown
        return grown

    def pop_undo(self) -> ChangeSet | None:
        if not self.undo:
            return None
        step = self.undo.pop()
        self.redo.append(step._replace(coalesce_key=None))
        return step

    def pop_redo(self) -> ChangeSet | None:
        if not self.redo:
            return None
        step = self.redo.pop()
        self.undo.append(step._replace(coalesce_key=None))
        return step

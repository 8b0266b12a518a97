"""Where two versions of a text differ: the one rule that undo's typing steps and the window's
difference view share."""

from __future__ import annotations


def common_ends(old: str, new: str) -> tuple[int, int]:
    """(length of the common start, length of the common end, not overlapping the start)."""
    start = 0
    limit = min(len(old), len(new))
    while start < limit and old[start] == new[start]:
        start += 1
    end = 0
    while end < limit - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end

"""The three-way rule for returns from colleagues (design.md, "Returns from colleagues").

A returned workbook is compared field by field with what the field was when the workbook left
(the base) and with the project as it is now. Only what the colleague changed is taken; what the
office changed since stands; a field both changed differently is a conflict for a person to
decide. The rule is pure data (any values that compare with ==, e.g. fingerprints), so that its
promises — the order in which returns arrive does not matter, importing a return twice changes
nothing — can be checked on their own.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Outcome(enum.Enum):
    """What one field of a return does to the project."""

    UNTOUCHED = "untouched"  # the colleague left it as it was: the project's value stands
    TAKE = "take"  # only the colleague changed it: take the workbook's value
    SAME = "same"  # both sides made the same change: nothing to do, no conflict
    CONFLICT = "conflict"  # both changed it, differently: a person decides


class _NoBase:
    """The base of a workbook that does not carry one (typed by hand, older exports)."""

    def __repr__(self) -> str:
        return "NO_BASE"


NO_BASE = _NoBase()


def decide(base: V | _NoBase, project: V, workbook: V) -> Outcome:
    """The outcome for one field. Without a base the workbook is compared with the project as
    it is (the two-way import): any difference is taken."""
    if isinstance(base, _NoBase):
        return Outcome.UNTOUCHED if workbook == project else Outcome.TAKE
    if workbook == base:
        return Outcome.UNTOUCHED
    if project == base:
        return Outcome.TAKE
    if project == workbook:
        return Outcome.SAME
    return Outcome.CONFLICT


def merge(
    base: Mapping[K, V] | None, project: Mapping[K, V], workbook: Mapping[K, V]
) -> dict[K, Outcome]:
    """The outcome of every field the workbook carries. A field missing from `base` (a row
    the export did not record) is compared two-way, like a workbook without a base."""
    return {
        key: decide(NO_BASE if base is None else base.get(key, NO_BASE), project[key], value)
        for key, value in workbook.items()
    }


def apply_return(
    base: Mapping[K, V] | None,
    project: Mapping[K, V],
    workbook: Mapping[K, V],
    take_conflicts: bool = False,
) -> tuple[dict[K, V], list[K]]:
    """The project after a return (a new mapping) and the conflicting keys, kept or taken as
    told: the rule whole, which the import plan (window and CLI) must match outcome by outcome
    (tests/formats/test_returns_properties.py)."""
    result = dict(project)
    conflicts: list[K] = []
    for key, outcome in merge(base, project, workbook).items():
        if outcome is Outcome.CONFLICT:
            conflicts.append(key)
            if take_conflicts:
                result[key] = workbook[key]
        elif outcome is Outcome.TAKE:
            result[key] = workbook[key]
    return result, conflicts

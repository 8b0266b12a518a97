"""Which backups are kept: the last 10, the newest of each of the last 14 days, and the newest
of each of the last 8 weeks (ISO weeks). Everything else is dropped — but only after a newer
backup has been written and verified (store.py runs this after the verification, never
before)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

KEEP_LAST = 10
KEEP_DAYS = 14
KEEP_WEEKS = 8


def to_keep(taken: Iterable[tuple[str, dt.datetime]], now: dt.datetime) -> set[str]:
    """The ids to keep among (id, time taken) pairs, judged at `now` (a fake clock in tests)."""
    items = sorted(taken, key=lambda p: (p[1], p[0]), reverse=True)  # newest first
    keep = {i for i, _ in items[:KEEP_LAST]}
    today = now.date()
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    this_week = _monday(today)
    for ident, at in items:
        day = at.date()
        if 0 <= (today - day).days < KEEP_DAYS and day not in days:
            days.add(day)
            keep.add(ident)
        week = at.isocalendar()[:2]
        if 0 <= (this_week - _monday(day)).days < 7 * KEEP_WEEKS and week not in weeks:
            weeks.add(week)
            keep.add(ident)
    return keep


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


POLICY_WORDS = f"保留最近 {KEEP_LAST} 份、最近 {KEEP_DAYS} 天每天最新的一份、最近 {KEEP_WEEKS} 周每周最新的一份"

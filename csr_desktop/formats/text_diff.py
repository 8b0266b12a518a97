"""The changed passage of a long text, with a little context: what a person checks before
confirming an edit made somewhere inside a narrative of several pages."""

from __future__ import annotations

import difflib

CONTEXT = 12  # characters shown either side of the change
MAX_PART = 60  # characters of a removed or inserted passage before it is elided
MAX_DIFFED = 4000  # characters left after the common ends above which one span is shown


def _flat(text: str) -> str:
    return text.replace("\r", "").replace("\n", "⏎")


def _clip(text: str, limit: int = MAX_PART) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}…{text[-half:]}"


def changed_passage(old: str, new: str) -> str:
    """`…context[-removed-]{+inserted+}context…` around every change (at most three shown).

    The common beginning and end are cut off first: difflib is quadratic in what is left, and
    an edit inside a narrative of tens of thousands of characters leaves a short middle."""
    a, b = _flat(old), _flat(new)
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    mid_a, mid_b = a[start : len(a) - end], b[start : len(b) - end]
    if not mid_a and not mid_b:
        return "（无变化）"
    before = a[max(0, start - CONTEXT) : start]
    after = a[len(a) - end : len(a) - end + CONTEXT]
    lead = ("…" if start > CONTEXT else "") + before
    tail = after + ("…" if end > CONTEXT else "")
    if len(mid_a) + len(mid_b) > MAX_DIFFED:
        return lead + _part(mid_a, "-") + _part(mid_b, "+") + tail
    matcher = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
    groups = list(matcher.get_grouped_opcodes(CONTEXT))
    parts = []
    for n, group in enumerate(groups[:3]):
        out = [lead] if n == 0 else ["…"]
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.append(mid_a[i1:i2])
            else:
                out.append(_part(mid_a[i1:i2], "-") + _part(mid_b[j1:j2], "+"))
        out.append(tail if n == len(groups) - 1 else "…")
        parts.append("".join(out))
    if len(groups) > 3:
        parts.append(f"另有 {len(groups) - 3} 处修改")
    return "；".join(parts)


def _part(text: str, sign: str) -> str:
    if not text:
        return ""
    return f"[-{_clip(text)}-]" if sign == "-" else f"{{+{_clip(text)}+}}"

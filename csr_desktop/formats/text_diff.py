"""The changed passage of a long text, with a little context: what a person checks before
confirming an edit made somewhere inside a narrative of several pages."""

from __future__ import annotations

import difflib

CONTEXT = 12  # characters shown either side of the change
MAX_PART = 60  # characters of a removed or inserted passage before it is elided


def _flat(text: str) -> str:
    return text.replace("\r", "").replace("\n", "⏎")


def _clip(text: str, limit: int = MAX_PART) -> str:
    if len(text) <= limit:
        return text
    half = limit // 2
    return f"{text[:half]}…{text[-half:]}"


def changed_passage(old: str, new: str) -> str:
    """`…context[-removed-]{+inserted+}context…` around every change (at most three shown)."""
    a, b = _flat(old), _flat(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    groups = list(matcher.get_grouped_opcodes(CONTEXT))
    parts = []
    for group in groups[:3]:
        out = []
        first, last = group[0], group[-1]
        if first[1] > 0 and first[0] == "equal":
            out.append("…")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.append(a[i1:i2])
            else:
                if i2 > i1:
                    out.append(f"[-{_clip(a[i1:i2])}-]")
                if j2 > j1:
                    out.append(f"{{+{_clip(b[j1:j2])}+}}")
        if last[0] == "equal" and last[2] < len(a):
            out.append("…")
        parts.append("".join(out))
    if len(groups) > 3:
        parts.append(f"另有 {len(groups) - 3} 处修改")
    return "；".join(parts) if parts else "（无变化）"

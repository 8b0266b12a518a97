"""Read the 企业自评 cell the way a colleague filled it in, or say plainly why it cannot be read.

Accepted: a mark (☑ ■ √ ✓ ● ☒ …) in place of or beside an option's □, before or after its text;
all options but one deleted; the option's number or words typed alone. Every option still
standing with no mark means "not rated". Anything ambiguous is refused, never guessed.
"""

from __future__ import annotations

import re
import unicodedata

from csr_desktop.core.indicators import Scale
from csr_desktop.formats.xlsx.layout import BOXES, MARKS

_DECOR = "".join(sorted(MARKS | BOXES))
_NUMBER = re.compile(r"^[\s" + re.escape(_DECOR) + r"]*([1-5])(?![0-9])\s*[.、,，)]?\s*(.*)$", re.S)
_OPTION_START = re.compile(r"(?<![0-9])[1-5]\s*[.、]")


class MarkError(ValueError):
    """The cell cannot be read as one choice; the message says why (in Chinese)."""


def _strip(text: str) -> str:
    return "".join(ch for ch in text if ch not in MARKS and ch not in BOXES and not ch.isspace())


def _segments(text: str) -> list[str]:
    """One piece of text per option written in the cell."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != 1:
        return lines
    line = lines[0]
    starts = [m.start() for m in _OPTION_START.finditer(line)]
    if len(starts) < 2:
        return lines
    boxes_first = line.lstrip()[:1] in _DECOR
    if boxes_first:  # "☑1.… □2.…": a box belongs to the option after it
        moved = []
        for s in starts:
            while s > 0 and (line[s - 1] in _DECOR or line[s - 1].isspace()):
                s -= 1
            moved.append(s)
        starts = moved
    starts[0] = 0
    return [line[a:b] for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]


def _which(segment: str, scale: Scale) -> int:
    """The option a segment names: by its number if it has one, else by its words."""
    labels = [_strip(unicodedata.normalize("NFKC", label)) for label in scale.labels]
    m = _NUMBER.match(segment)
    if m:
        number = int(m.group(1))
        words = _strip(m.group(2))
        if words in labels and labels.index(words) + 1 != number:
            raise MarkError(f"“{segment.strip()}”的序号与选项文字不一致")
        return number
    words = _strip(segment)
    if words in labels:
        return labels.index(words) + 1
    starting = [i for i, label in enumerate(labels) if words.startswith(label)]
    if starting:
        return max(starting, key=lambda i: len(labels[i])) + 1
    raise MarkError(f"无法识别“{segment.strip()}”，它不是本行的选项")


def read_rating(raw: str, scale: Scale) -> int | None:
    """The chosen option (1..5) or None; MarkError when the cell is ambiguous or unreadable."""
    text = unicodedata.normalize("NFKC", raw)
    segments = [s for s in _segments(text) if s.strip()]
    if not segments:
        return None
    options: list[int] = []
    marked: set[int] = set()
    for seg in segments:
        if not _strip(seg):
            if any(ch in MARKS for ch in seg):
                raise MarkError(f"勾选标记“{seg.strip()}”不在任何选项旁边")
            continue  # a stray □ on its own line
        number = _which(seg, scale)
        options.append(number)
        if any(ch in MARKS for ch in seg):
            marked.add(number)
    if len(marked) > 1:
        chosen = "、".join(scale.option_text(n) for n in sorted(marked))
        raise MarkError(f"勾选了多个选项（{chosen}），只能选一项")
    if marked:
        return marked.pop()
    distinct = sorted(set(options))
    if len(distinct) == 1:
        return distinct[0]
    if len(distinct) == len(scale.labels):
        return None
    raise MarkError("保留了多个选项但没有勾选标记，无法确定选择了哪一项")

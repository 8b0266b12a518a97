"""The official template as the tests read it: the seed text and its 自评表 as 28 rows."""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).resolve().parent / "data" / "template_seed.txt"


def seed_text() -> str:
    """The seed without Word's bookmark markers."""
    return re.sub(r"\[bookmark: [^\]]*\]", "", SEED.read_text(encoding="utf-8"))


def seed_rows() -> list[list[str]]:
    """The 自评表 of the seed as 28 rows of 7 cells (tab-started lines begin a cell)."""
    text = seed_text()
    table = text[text.index("\t序号") : text.index(" （以下为佐证材料模板")]
    cells: list[list[str]] = []
    for line in table.split("\n"):
        if line.startswith("\t"):
            cells.append([line[1:]])
        elif cells:
            cells[-1].append(line)
    flat = ["\n".join(c).strip() for c in cells]
    assert flat[:7] == ["序号", "一级指标", "二级指标", "三级指标", "指标说明", "企业自评", "备注"]
    rows = [flat[i : i + 7] for i in range(7, len(flat), 7)]
    return [r + [""] * (7 - len(r)) for r in rows]  # the last row's 备注 cell is not printed


def commitment_body() -> str:
    """The 诚信承诺书's one paragraph, as the seed prints it: between its title and its first
    signature field. Tests compare the exported letter with this, never with indicators.json
    (the file the code prints from), so a sentence lost from the JSON shows up."""
    text = seed_text()
    start = text.index("诚信承诺书\n") + len("诚信承诺书\n")
    end = text.index("企业名称（公章）：", start)
    paragraphs = [p.strip() for p in text[start:end].split("\n") if p.strip()]
    assert len(paragraphs) == 1, paragraphs
    return paragraphs[0]

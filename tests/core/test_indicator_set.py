"""indicators.json must say exactly what the official template says, row by row."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from csr_desktop.core.errors import IndicatorSetError
from csr_desktop.core.indicators import IndicatorSet, default_indicator_set
from tests.template_seed import SEED, commitment_body, seed_rows, seed_text

SHARED_SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "002_bb716c4a8fc164dc.txt"
# SHA-256 of the official template as shared/seeds holds it (2026-12-02). The copy in tests/data
# is what every test here reads; this pins it to the official one even where shared/ is absent
# (a worktree, a clone without shared/ beside it), so the check never passes without checking.
SEED_SHA256 = "c00afa5daf31127f4d7527e2d29394713ea864c954459b572251bb9d317774ef"


def test_the_copy_in_tests_is_the_shared_seed():
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() == SEED_SHA256
    if SHARED_SEED.exists():  # beside a checkout, as in CI and on developer machines
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_levels_counts():
    iset = default_indicator_set()
    assert len(iset.levels) == 4
    assert sum(len(lvl.groups) for lvl in iset.levels) == 14
    assert len(iset.indicators) == 28
    assert iset.numbers == tuple(range(1, 29))  # page ids and the side list follow these


def test_every_row_matches_the_seed():
    iset = default_indicator_set()
    rows = seed_rows()
    assert len(rows) == 28
    level1 = level2 = ""
    for row, ind in zip(rows, iset.indicators, strict=True):
        no, l1, l2, name, description, options, _remark = row
        level1 = l1.replace("\n", "") or level1
        level2 = l2.replace("\n", "").strip() or level2
        assert int(no) == ind.no
        assert ind.level1 == level1, ind.no
        assert ind.level2 == level2, ind.no
        assert ind.name == name.replace("\n", ""), ind.no
        assert ind.description == description, ind.no
        printed = [o.strip() for o in options.split("\n") if o.strip()]
        assert ind.scale.printed == bool(printed), ind.no
        if printed:
            shown = [ind.scale.option_text(r) + "□" for r in range(1, 6)]
            for p, s in zip(printed, shown, strict=True):
                # the only difference allowed is a correction listed in the set
                assert p == s or any(c.printed == p and c.shown == s for c in iset.corrections)


def test_rows_without_printed_options_get_the_neighbours_scale_and_say_so():
    iset = default_indicator_set()
    for no in (14, 20):
        ind = iset.indicator(no)
        assert not ind.scale.printed
        assert ind.scale.labels == iset.indicator(no - 1).scale.labels
        assert any(f"第{no}行" in c.where for c in iset.corrections)


def test_typos_are_corrected_and_noted():
    iset = default_indicator_set()
    assert iset.indicator(26).scale.option_text(1) == "1.全部参与"
    assert "三级指标" in iset.evidence.note and "四级" not in iset.evidence.note
    printed = {c.printed for c in iset.corrections}
    assert "1全部参与□" in printed
    assert any("四级指标" in p for p in printed)
    assert "（以下为佐证材料模板，请按四级指标提供相应佐证材料）" in seed_text()


def test_scales_named_in_design_are_where_the_template_puts_them():
    iset = default_indicator_set()
    first = {i.no: i.scale.labels[0] for i in iset.indicators}
    assert first[1] == "非常重视" and first[2] == "非常方便" and first[22] == "非常大"
    assert first[10] == first[11] == "非常有效" and first[25] == "非常好"
    assert iset.indicator(21).scale.labels[2] == iset.indicator(23).scale.labels[2] == "整体一般"


def test_fixed_texts_are_verbatim():
    iset = default_indicator_set()
    text = seed_text()
    # whole, not `in`: a body that lost its last sentence is still a substring of the seed
    assert iset.commitment.body == commitment_body()
    assert "".join(iset.commitment.title_lines) == "互联网平台企业履行社会责任自评工作诚信承诺书"
    for line in iset.commitment.title_lines + iset.document_title_lines:
        assert line in text
    for f in iset.cover_fields + iset.commitment.fields:
        assert f"{f.label}：" in text
    assert iset.title in text and iset.attachment_label in text
    ind1 = iset.indicator(1)
    assert iset.evidence.heading_for(ind1) in text
    assert iset.evidence.catalogue_title_for(iset.indicator(2)) in text
    for heading in (iset.evidence.narrative_heading, iset.evidence.content_heading):
        assert heading in text


def test_an_indicator_names_itself_as_messages_and_the_page_header_do() -> None:
    ind = default_indicator_set().indicator(1)
    assert ind.label == f"第1项「{ind.name}」"
    assert ind.path == f"{ind.level1} › {ind.level2} › {ind.name}"


def _edited(source: str, edit) -> str:
    data = json.loads(source)
    edit(data)
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda s: s.replace('"no": 7,', '"no": 77,'),
        # a scale given as one five-character text instead of a list of five labels
        lambda s: _edited(s, lambda d: d["scales"].update({k: "非常好一般" for k in d["scales"]})),
        # a name that is not a text, and one that is empty
        lambda s: s.replace('"name": "企业内部治理"', '"name": 7', 1),
        lambda s: s.replace('"name": "企业内部治理"', '"name": ""', 1),
        lambda s: s.replace('"非常重视",', ""),
        lambda s: s.replace('"id": "internet', '"idx": "internet'),
        lambda s: s[:100],
    ],
)
def test_malformed_sets_are_refused(mutate):
    source = default_indicator_set().source_json
    with pytest.raises(IndicatorSetError):
        IndicatorSet.from_json(mutate(source))


def test_a_next_version_maps_a_split_into_two_indicators() -> None:
    """The smallest split (one indicator into two) is a valid mapping, as the test set has."""
    from csr_desktop.core.indicators import IndicatorSet

    path = Path(__file__).resolve().parents[1] / "data" / "indicators-next.json"
    iset = IndicatorSet.from_json(path.read_text(encoding="utf-8"), path.name)
    assert iset.upgrade is not None
    splits = [c for c in iset.upgrade.changes if c.kind == "split"]
    assert [(c.old, c.new) for c in splits] == [((7,), (7, 8))]

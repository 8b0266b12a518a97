"""Search keywords per indicator are data, and reach projects made before they existed."""

from __future__ import annotations

import json

from csr_desktop.core.indicators import (
    IndicatorSet,
    default_indicator_set,
    keywords_for,
    offers_upgrade,
)


def _without_keywords(source: str, set_id: str | None = None) -> IndicatorSet:
    data = json.loads(source)
    for level in data["levels"]:
        for group in level["groups"]:
            for ind in group["indicators"]:
                ind.pop("keywords", None)
    if set_id:
        data["id"] = set_id
    return IndicatorSet.from_json(json.dumps(data, ensure_ascii=False))


def test_every_indicator_has_a_short_list_of_its_own_words() -> None:
    for ind in default_indicator_set().indicators:
        assert 8 <= len(ind.keywords) <= 25, ind.label
        assert len(set(ind.keywords)) == len(ind.keywords), ind.label
        assert all(1 < len(k) <= 12 and k.strip() == k for k in ind.keywords), ind.label


def test_a_project_stored_before_keywords_gets_the_apps_words_without_an_upgrade() -> None:
    app = default_indicator_set()
    stored = _without_keywords(app.source_json)
    assert all(not i.keywords for i in stored.indicators)
    assert not offers_upgrade(stored, app)
    assert keywords_for(stored) == {i.no: i.keywords for i in app.indicators}


def test_a_set_the_app_does_not_ship_keeps_its_own_words() -> None:
    app = default_indicator_set()
    other = _without_keywords(app.source_json, set_id="another-set")
    assert keywords_for(other) == {i.no: () for i in other.indicators}

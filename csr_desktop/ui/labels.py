"""Undo labels in the user's words: a field key (`indicator.3.remark`) never reaches a menu."""

from __future__ import annotations

import re

from csr_desktop.core.indicators import IndicatorSet
from csr_desktop.ui.i18n import tr

INDICATOR_FIELDS = {
    "rating": "企业自评",
    "remark": "备注",
    "narrative": "相关工作情况介绍",
    "evidence": "佐证材料目录",
    "department": "负责部门",
    "review_pending": "待复核标记",
    "scan": "扫描件",
}
_KEY = re.compile(r"(?:indicator\.\d+\.\w+|company\.\w+|commitment\.\w+)")


def field_name(iset: IndicatorSet, key: str) -> str:
    """第3项备注, 封面“企业名称”, 承诺书“日期”; the key itself only if it is unknown."""
    section, _, rest = key.partition(".")
    if section == "indicator":
        no_text, _, field = rest.partition(".")
        try:
            ind = iset.indicator(int(no_text))
        except (KeyError, ValueError):
            return key
        return ind.label + tr(INDICATOR_FIELDS.get(field, field))
    fields = iset.cover_fields if section == "company" else iset.commitment.fields
    if section in ("company", "commitment"):
        for f in fields:
            if f.key == rest:
                where = tr("封面") if section == "company" else tr("承诺书")
                return f"{where}“{f.label}”"
    return key


def edit_label(iset: IndicatorSet, key: str) -> str:
    """The undo label of typing into field `key`."""
    return tr("修改{field}").format(field=field_name(iset, key))


def readable(iset: IndicatorSet, label: str) -> str:
    """A label as the menu shows it: any field key left in it becomes the field's name."""
    label = re.sub(r"修改 (?=indicator\.|company\.|commitment\.)", "修改", label)
    return _KEY.sub(lambda m: field_name(iset, m[0]), label)

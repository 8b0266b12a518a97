"""The indicator set: the official template as immutable data loaded from `indicators.json`.

Records are NamedTuples rather than frozen dataclasses: they are equally immutable, and a
dataclass costs ~0.5 ms to define, which the window's start-up path paid seventeen times. No
`from __future__ import annotations` here: typing.NamedTuple turns each string annotation into a
ForwardRef, compiling it (~0.05 ms a field, ~2 ms for this module's records at start-up)."""

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from csr_desktop.core.errors import IndicatorSetError
from csr_desktop.resources import resource_path

OPTIONS_PER_SCALE = 5


class Scale(NamedTuple):
    """The five labelled options of one indicator, best first."""

    name: str
    labels: tuple[str, ...]
    printed: bool  # False where the template left the options out and we supplied them

    def option_text(self, rating: int) -> str:
        """The option as the form prints it, e.g. `1.非常重视`."""
        return f"{rating}.{self.labels[rating - 1]}"


class Indicator(NamedTuple):
    """One 三级指标: one row of the 自评表 and one evidence section."""

    no: int
    name: str
    description: str
    level1: str
    level2: str
    scale: Scale
    keywords: tuple[str, ...] = ()  # words and synonyms that find its passages in a report

    @property
    def path(self) -> str:
        """Where the indicator sits, for page headers: 一级 › 二级 › 三级."""
        return f"{self.level1} › {self.level2} › {self.name}"

    @property
    def label(self) -> str:
        """How messages name the indicator: 序号 and 三级指标."""
        return f"第{self.no}项「{self.name}」"


class Group(NamedTuple):
    """A 二级指标 and the 三级指标 under it."""

    name: str
    indicators: tuple[Indicator, ...]


class Level1(NamedTuple):
    """A 一级指标 with its 二级指标."""

    name: str
    groups: tuple[Group, ...]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for g in self.groups for i in g.indicators)


class Field(NamedTuple):
    """A labelled blank on the cover or under the 承诺书."""

    key: str
    label: str
    kind: str  # "text" or "date"


class CommitmentText(NamedTuple):
    """The fixed 诚信承诺书: title lines, body and the signature blanks."""

    title_lines: tuple[str, ...]
    body: str
    fields: tuple[Field, ...]


class EvidenceTexts(NamedTuple):
    """The fixed headings of the 佐证材料 template."""

    note: str
    section_title: str
    indicator_heading: str
    narrative_heading: str
    catalogue_title: str
    catalogue_headers: tuple[str, ...]
    content_heading: str

    def heading_for(self, indicator: Indicator) -> str:
        return self.indicator_heading.format(
            no=indicator.no, name=indicator.name, description=indicator.description
        )

    def catalogue_title_for(self, indicator: Indicator) -> str:
        return self.catalogue_title.format(no=indicator.no)


class Correction(NamedTuple):
    """A place where the app shows cleaner text than the template printed, and why."""

    where: str
    printed: str
    shown: str
    why: str


CHANGE_KINDS = ("kept", "renamed", "split", "merged", "removed", "new")


class SetChange(NamedTuple):
    """How indicators of the previous version became indicators of this one.

    kept/renamed: one to one (renamed: its name or 指标说明 changed); split: one to several;
    merged: several to one; removed: to none; new: from none."""

    kind: str
    old: tuple[int, ...]
    new: tuple[int, ...]


class Upgrade(NamedTuple):
    """The mapping from the previous version of the same set, as `upgrade_from` in the JSON."""

    from_id: str
    from_version: str
    changes: tuple[SetChange, ...]


class IndicatorSet(NamedTuple):
    """The complete template: everything pages, exports and imports are generated from."""

    id: str
    version: str
    title: str
    attachment_label: str
    document_title: str
    document_title_lines: tuple[str, ...]
    cover_fields: tuple[Field, ...]
    commitment: CommitmentText
    table_headers: tuple[str, ...]
    evidence: EvidenceTexts
    levels: tuple[Level1, ...]
    corrections: tuple[Correction, ...]
    source_json: str
    upgrade: Upgrade | None = None  # None: the first version, or a set stored before versions

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for lvl in self.levels for grp in lvl.groups for i in grp.indicators)

    def indicator(self, no: int) -> Indicator:
        """Indicator `no`; numbers run 1..N (checked when the set is built)."""
        for level in self.levels:
            for group in level.groups:
                for ind in group.indicators:
                    if ind.no == no:
                        return ind
        raise KeyError(no)

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(i.no for i in self.indicators)

    @staticmethod
    def from_json(text: str, origin: str = "indicators.json") -> "IndicatorSet":
        """Parse and check an indicator set; malformed data is refused, never half-used."""
        try:
            data = json.loads(text)
            return _build(data, text)
        except IndicatorSetError:
            raise
        except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
            raise IndicatorSetError(
                f"指标体系文件 {origin} 格式错误：{exc}",
                f"indicator set {origin} is malformed: {exc}",
            ) from exc


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"expected a list of texts, got {value!r}")
    return tuple(value)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value:
        raise TypeError(f"{key} must be a non-empty text")
    return value


def _fields(items: Any) -> tuple[Field, ...]:
    fields = tuple(Field(_text(f, "key"), _text(f, "label"), _text(f, "kind")) for f in items)
    if any(f.kind not in ("text", "date") for f in fields):
        raise IndicatorSetError("字段类型只能是 text 或 date", "field kind must be text or date")
    return fields


def _build(data: Mapping[str, Any], source: str) -> IndicatorSet:
    scales = {name: _texts(labels) for name, labels in data["scales"].items()}
    for name, labels in scales.items():
        if len(labels) != OPTIONS_PER_SCALE:
            raise IndicatorSetError(
                f"等级“{name}”应有 {OPTIONS_PER_SCALE} 个选项", f"scale {name} needs 5 options"
            )
    levels = []
    for l1 in data["levels"]:
        groups = []
        for grp in l1["groups"]:
            indicators = tuple(
                Indicator(
                    no=int(ind["no"]),
                    name=_text(ind, "name"),
                    description=_text(ind, "description"),
                    level1=_text(l1, "name"),
                    level2=_text(grp, "name"),
                    scale=Scale(ind["scale"], scales[ind["scale"]], bool(ind["scale_printed"])),
                    keywords=_texts(ind.get("keywords", [])),
                )
                for ind in grp["indicators"]
            )
            groups.append(Group(_text(grp, "name"), indicators))
        levels.append(Level1(_text(l1, "name"), tuple(groups)))
    numbers = [i.no for lvl in levels for i in lvl.indicators]
    if numbers != list(range(1, len(numbers) + 1)):
        raise IndicatorSetError("指标序号必须从 1 起连续编号", "indicator numbers must run 1..N")
    doc = data["document"]
    com = data["commitment"]
    ev = data["evidence"]
    return IndicatorSet(
        id=_text(data, "id"),
        version=_text(data, "version"),
        title=_text(data, "title"),
        attachment_label=_text(doc, "attachment_label"),
        document_title=_text(doc, "title"),
        document_title_lines=_texts(doc["title_lines"]),
        cover_fields=_fields(data["cover_fields"]),
        commitment=CommitmentText(
            _texts(com["title_lines"]), _text(com, "body"), _fields(com["fields"])
        ),
        table_headers=_texts(data["table"]["headers"]),
        evidence=EvidenceTexts(
            note=_text(ev, "note"),
            section_title=_text(ev, "section_title"),
            indicator_heading=_text(ev, "indicator_heading"),
            narrative_heading=_text(ev, "narrative_heading"),
            catalogue_title=_text(ev, "catalogue_title"),
            catalogue_headers=_texts(ev["catalogue_headers"]),
            content_heading=_text(ev, "content_heading"),
        ),
        levels=tuple(levels),
        corrections=tuple(
            Correction(c["where"], c["printed"], c["shown"], c["why"])
            for c in data.get("corrections", [])
        ),
        source_json=source,
        upgrade=_upgrade(data.get("upgrade_from"), set(numbers)),
    )


def _numbers(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise TypeError(f"expected a list of indicator numbers, got {value!r}")
    return tuple(value)


def _upgrade(data: Any, numbers: set[int]) -> Upgrade | None:
    """Parse `upgrade_from`; every indicator of this set must come from somewhere exactly once.

    Whether it covers every indicator of the previous version is checked when a project made
    with that version is upgraded (only then is the previous set at hand)."""
    if data is None:
        return None
    changes: list[SetChange] = []
    for raw in data["changes"]:
        kind = _text(raw, "kind")
        old, new = _numbers(raw.get("from", [])), _numbers(raw.get("to", []))
        if kind not in CHANGE_KINDS:
            raise IndicatorSetError(
                f"指标对照表中的类型“{kind}”无法识别（应为 {'、'.join(CHANGE_KINDS)}）",
                f"unknown mapping kind {kind!r}",
            )
        shapes = {
            "kept": len(old) == len(new) >= 1,
            "renamed": len(old) == len(new) >= 1,
            "split": len(old) == 1 and len(new) >= 2,
            "merged": len(old) >= 2 and len(new) == 1,
            "removed": len(old) >= 1 and not new,
            "new": not old and len(new) >= 1,
        }
        if not shapes[kind]:
            raise IndicatorSetError(
                f"指标对照表中“{kind}”一项的原序号 {list(old)} 与新序号 {list(new)} 数目不符",
                f"mapping {kind}: from {list(old)} to {list(new)} has the wrong shape",
            )
        if kind in ("kept", "renamed"):  # pairs, so that a long run of kept rows is one entry
            changes += [SetChange(kind, (o,), (n,)) for o, n in zip(old, new, strict=True)]
        elif kind == "removed":
            changes += [SetChange(kind, (o,), ()) for o in old]
        else:
            changes.append(SetChange(kind, old, new))
    olds = [o for c in changes for o in c.old]
    news = sorted(n for c in changes for n in c.new)
    if len(set(olds)) != len(olds):
        raise IndicatorSetError(
            "指标对照表中有原序号出现了不止一次", "a previous indicator is mapped twice"
        )
    if news != sorted(numbers):
        raise IndicatorSetError(
            "指标对照表必须说明本版每一项指标的来源，且每项只出现一次",
            f"mapping covers {news}, the set has {sorted(numbers)}",
        )
    return Upgrade(_text(data, "id"), _text(data, "version"), tuple(changes))


def offers_upgrade(project_set: IndicatorSet, app_set: IndicatorSet) -> bool:
    """Whether `app_set` is the next version of the set a project was made with."""
    up = app_set.upgrade
    return (
        up is not None
        and project_set.version != app_set.version
        and (up.from_id, up.from_version) == (project_set.id, project_set.version)
    )


def keywords_for(project_set: IndicatorSet) -> dict[int, tuple[str, ...]]:
    """Each indicator's search keywords, from the app's copy of the same set when it ships one.

    Keywords are no part of a set's version: a project made before they existed (or with an
    older list) gets the app's current words without an upgrade, and a set the app does not
    ship keeps whatever words it carries itself."""
    app = default_indicator_set()
    source = app if (app.id, app.version) == (project_set.id, project_set.version) else project_set
    return {i.no: i.keywords for i in source.indicators}


def default_indicator_set_path() -> Path:
    return resource_path("indicators.json")


@cache
def default_indicator_set() -> IndicatorSet:
    """The set this version of the app ships; projects keep their own copy."""
    path = default_indicator_set_path()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise IndicatorSetError(
            f"找不到指标体系文件 {path}，请重新安装本软件", f"cannot read {path}: {exc}"
        ) from exc
    return IndicatorSet.from_json(text, str(path))

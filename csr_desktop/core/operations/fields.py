"""Setting fields: one field (typing, a click), several at once, a rating."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csr_desktop.core.model.fields import FieldRef, edit_label
from csr_desktop.core.operations.result import Changed, changed
from csr_desktop.core.storage.project import ProjectFile


def set_field(
    project: ProjectFile, key: str, value: Any, label: str = "", coalesce: bool = False
) -> Changed:
    """One field, one undo step (`coalesce`: typing, which may extend the step on top)."""
    label = label or edit_label(project.indicator_set, key)
    return changed(label, project.commit({key: value}, label, coalesce))


def set_fields(project: ProjectFile, values: Mapping[str, Any], label: str) -> Changed:
    """Many fields as one transaction and one undo step (a paste, `load`, a restore)."""
    return changed(label, project.commit(values, label))


def set_rating(project: ProjectFile, no: int, rating: int | None) -> Changed:
    """企业自评 of indicator `no` (None clears it), named in the undo menu by its option."""
    ind = project.indicator_set.indicator(no)
    text = "清除" if rating is None else ind.scale.option_text(rating)
    return set_field(
        project, FieldRef.indicator(no, "rating").key, rating, f"{ind.label}自评：{text}"
    )

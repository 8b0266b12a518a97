"""Who answers which indicators (负责部门): `assign` in the CLI, one undo step."""

from __future__ import annotations

from collections.abc import Sequence

from csr_desktop.core.departments import check_name
from csr_desktop.core.model.fields import FieldRef
from csr_desktop.core.operations.result import Changed, changed
from csr_desktop.core.storage.project import ProjectFile


def assign(project: ProjectFile, department: str, numbers: Sequence[int]) -> Changed:
    """Give `numbers` to `department` ("" clears them) as one undo step."""
    name = check_name(department) if department else ""
    values = {FieldRef.department(no).key: name or None for no in numbers}
    listed = "、".join(str(n) for n in numbers)
    label = f"负责部门：第{listed}项 → {name}" if name else f"清除负责部门：第{listed}项"
    return changed(label, project.commit(values, label))

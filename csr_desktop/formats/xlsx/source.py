"""What a workbook is made from: the project's identity and the assessment it shows (all of it,
or one department's indicators) — read by the export and the import alike."""

from __future__ import annotations

from csr_desktop.core import departments
from csr_desktop.core.assessment import Assessment
from csr_desktop.core.errors import CsrError, quoted
from csr_desktop.core.store import Project
from csr_desktop.formats.xlsx.merge_base import department_view, project_identity


def identity(project: Project) -> str:
    """`creation|first edit|id` fingerprints of the project (see `xlsx_base.same_project`)."""
    created, by = project.meta("created_at"), project.meta("created_by")
    entry = project.first_audit_entry()
    first = [str(x) for x in entry[:3]] if entry is not None else None
    creation = project_identity(created, by, None)
    edit = project_identity(created, by, first) if first else ""
    # the random project id (v2): two projects made from one JSON in the same second by the same
    # user have the same creation and first edit, and were taken for one another
    pid = project.meta("project_id") or ""
    return f"{creation}|{edit}|{project_identity(pid, None, None) if pid else ''}"


def department_assessment(project: Project, department: str) -> Assessment:
    """The whole assessment, or only `department`'s indicators (CsrError when it has none)."""
    a = project.assessment()
    if not department:
        return a
    numbers = departments.numbers_for(project, department)
    if not numbers:
        known = "、".join(departments.departments(project)) or "（尚未分配任何部门）"
        raise CsrError(
            f"项目 {quoted(project.path)} 中没有分配给部门“{department}”的指标"
            f"（已有部门：{known}）；请先用 assign 分配",
            f"no indicators assigned to {department!r}",
        )
    return department_view(a, numbers, department)

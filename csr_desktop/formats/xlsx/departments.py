"""Sending the 自评表 out by department (分发): one workbook per department with only its
indicators, each remembering what it held so its return merges three-way."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from csr_desktop.core import departments
from csr_desktop.core.assessment import Assessment
from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats.safe_names import safe_component
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.source import identity as identity  # xlsx_import reads it here


def department_file_name(a: Assessment, department: str, today: dt.date) -> str:
    """`<企业>_自评表_<部门>_<日期>.xlsx`, safe as a file name on every system."""
    company = a.company.get("name", "").strip() or "未命名企业"
    return safe_component(f"{company}_自评表_{department}_{today:%Y%m%d}", ".xlsx")


def send(project: Project, department: str, dest: Path) -> None:
    """Write `department`'s workbook to `dest` and note on the project that it went out."""
    export_xlsx(project, dest, department)
    if not project.readonly:
        project.apply(
            {
                departments.TRACKING_KEY: departments.with_event(
                    project, department, "sent", Path(dest).name
                )
            },
            f"分发自评表给{department}：{Path(dest).name}",
        )


def distribute(project: Project, folder: Path, today: dt.date | None = None) -> list[Path]:
    """One workbook per department into `folder` (分发), then one undo step noting that they
    went out; returns the files written."""
    names = departments.departments(project)
    if not names:
        raise CsrError("还没有为任何指标指定负责部门，无法分发", "no departments assigned")
    folder = Path(folder)
    day = today or dt.date.today()
    written = []
    for name in names:
        dest = folder / department_file_name(project.assessment(), name, day)
        export_xlsx(project, dest, name)
        written.append(dest)
    events = list(project.get(departments.TRACKING_KEY) or [])
    for name, dest in zip(names, written, strict=True):
        events = departments.with_event(project, name, "sent", dest.name, base=events)
    if not project.readonly:
        project.apply({departments.TRACKING_KEY: events}, f"分发自评表给 {len(names)} 个部门")
    return written

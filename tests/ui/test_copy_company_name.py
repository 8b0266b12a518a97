"""The 承诺书's 使用封面上的企业名称 button: one operation, one undo step, saved at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from csr_desktop.core.store import Project


def test_the_letter_takes_the_cover_name_in_one_undo_step(
    qtbot: Any, make_window: Any, empty_project: Path
) -> None:
    with Project.open(empty_project) as p:
        p.set("company.name", "某某网络科技有限公司")
    window = make_window(empty_project)
    page = window.wizard.go_to(window.wizard.COMMITMENT)
    qtbot.mouseClick(page.form.copyCompanyButton, Qt.MouseButton.LeftButton)
    project = window.session.project
    assert project.undo_label == "使用封面上的企业名称"
    with Project.open(empty_project, readonly=True) as reader:  # saved at once
        assert reader.assessment().commitment["company_name"] == "某某网络科技有限公司"
    project.undo()
    assert project.assessment().commitment.get("company_name", "") == ""

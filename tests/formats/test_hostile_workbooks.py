"""Hostile workbooks, property-based: bytes of a real export mutated at random, and members of
its zip rewritten with random XML. Every one is imported cleanly or refused with a message naming
the file — in bounded time — and the project never changes when it is refused."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csr_desktop.core.errors import CsrError
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.formats.xlsx.importer import plan_import
from csr_desktop.sample import build_interchange


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, bytes]:
    folder = tmp_path_factory.mktemp("hostile-xlsx")
    project = folder / "p.csrproj"
    interchange.load(build_interchange(folder / "in", evidence_per_indicator=1), project)
    out = folder / "自评表.xlsx"
    with Project.open(project, readonly=True) as p:
        export_xlsx(p, out)
    return project, out.read_bytes()


def _try(project: Path, workbook: Path) -> None:
    before = project.read_bytes()
    started = time.monotonic()
    try:
        with Project.open(project, readonly=True) as p:
            plan_import(p, workbook)
    except CsrError as exc:
        assert workbook.name in exc.zh
    assert time.monotonic() - started < 20
    assert project.read_bytes() == before


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=st.data())
def test_mutated_bytes(tmp_path_factory, exported, data):
    project, raw = exported
    blob = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 30))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.one_of(st.none(), st.integers(0, len(blob))))
    path = tmp_path_factory.mktemp("m") / "变异.xlsx"
    path.write_bytes(bytes(blob[:cut]))
    _try(project, path)


xml_texts = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>',
            "<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>99999</v></c></row></sheetData>",
            "<sst><si><t>" + "☑" * 5000 + "</t></si></sst>",
            "",
        ]
    ),
)


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl.*")  # it notes the damage it was given
@SETTINGS
@given(data=st.data(), replacement=xml_texts)
def test_member_replaced_with_hostile_xml(tmp_path_factory, exported, data, replacement):
    project, raw = exported
    with zipfile.ZipFile(io.BytesIO(raw)) as src:
        names = src.namelist()
        victim = data.draw(st.sampled_from(names))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in names:
                body = replacement.encode("utf-8") if name == victim else src.read(name)
                dst.writestr(name, body)
    path = tmp_path_factory.mktemp("x") / "篡改.xlsx"
    path.write_bytes(out.getvalue())
    _try(project, path)

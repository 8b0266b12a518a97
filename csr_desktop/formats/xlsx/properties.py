"""The workbook's document properties: this company and this program, not "openpyxl".

openpyxl writes its own name as the creator and "Microsoft Excel Compatible / Openpyxl" as the
application; a receiving office reads those in 属性. The core properties are set on the workbook;
docProps/app.xml is rewritten as the workbook is saved (openpyxl offers no setting for it).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import IO

from openpyxl import Workbook

from csr_desktop.core.assessment import Assessment
from csr_desktop.formats.xlsx.cell_text import xml_safe

APP_XML = "docProps/app.xml"


def set_properties(wb: Workbook, a: Assessment) -> None:
    company = xml_safe(a.company.get("name", "") or a.commitment.get("company_name", ""))
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    props = wb.properties
    props.creator = company or "csr-desktop"
    props.lastModifiedBy = company or "csr-desktop"
    props.title = a.indicator_set.title
    props.subject = a.indicator_set.document_title
    props.language = "zh-CN"
    props.created = now
    props.modified = now


def app_xml(company: str) -> bytes:
    from xml.sax.saxutils import escape

    from csr_desktop import __version__

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes">'
        f"<Application>csr-desktop {escape(__version__)}</Application>"
        f"<DocSecurity>0</DocSecurity><Company>{escape(company)}</Company>"
        "</Properties>"
    ).encode()


def save(wb: Workbook, out: IO[bytes]) -> None:
    """`wb.save`, then every member copied as it is but app.xml, which names this program."""
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with (
        zipfile.ZipFile(buffer) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename == APP_XML:
                data = app_xml(wb.properties.creator or "")
            dst.writestr(info, data)

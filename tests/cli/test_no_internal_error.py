"""The whole command line over every input of the corpus: no answer is "内部错误".

Each file in `tests/corpus/` (project files, packages, workbooks, the red-team cases) is given
to every command that takes that kind of file. Whatever it does, the command ends with exit
0, 1 or 2 and a sentence, never with "发生内部错误" (which means: a case nobody named).
"""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path

import pytest

from csr_desktop.cli import run_command
from csr_desktop.core.store import Project
from csr_desktop.formats import interchange
from csr_desktop.formats.xlsx.export import export_xlsx
from csr_desktop.sample import build_interchange
from tests.corpus.xlsx import make_workbooks

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
INTERNAL = "内部错误"


def _run(capsys, *argv: object) -> tuple[int, str]:
    code = run_command([str(a) for a in argv])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("sample")
    src = build_interchange(folder / "in", evidence_per_indicator=1)
    project = folder / "sample.csrproj"
    interchange.load(src, project)
    workbook = folder / "export.xlsx"
    with Project.open(project, readonly=True) as p:
        export_xlsx(p, workbook)
    return src, project, workbook


@pytest.mark.parametrize("path", sorted((CORPUS / "projects").glob("*.csrproj")), ids=str)
def test_project_corpus(path: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    for argv in (
        ["dump", copy],
        ["validate", copy],
        ["export", copy, "--xlsx", tmp_path / "out.xlsx"],
        ["backup", copy, "--to", tmp_path / "backups"],
        ["backups", copy, "--to", tmp_path / "backups"],
        ["restore", copy, tmp_path / "restored.csrproj"],  # a project is no backup
    ):
        code, text = _run(capsys, *argv)
        assert code in (0, 1, 2) and INTERNAL not in text, (argv, text)


@pytest.mark.parametrize("path", sorted((CORPUS / "zips").glob("*.zip")), ids=str)
def test_package_corpus(path: Path, capsys) -> None:
    code, text = _run(capsys, "verify", path)
    assert code in (1, 2) and INTERNAL not in text, text


def test_workbook_corpus(sample, tmp_path: Path, capsys) -> None:
    _src, project, workbook = sample
    made = [
        make(tmp_path)
        for make in (
            make_workbooks.not_a_zip,
            make_workbooks.empty,
            make_workbooks.ole_xls,
            make_workbooks.word_document,
            make_workbooks.other_form,
        )
    ]
    made += [
        make(tmp_path, workbook)
        for make in (
            make_workbooks.truncated,
            make_workbooks.corrupt,
            make_workbooks.zip_bomb_ratio,
            make_workbooks.zip_bomb_size,
            make_workbooks.zip_bomb_lying,
            make_workbooks.too_many_members,
            make_workbooks.xml_bomb,
        )
    ]
    for path in made:
        code, text = _run(capsys, "import-xlsx", path, project, "--dry-run")
        assert code == 2 and INTERNAL not in text, (path, text)


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe\x00", b'"\\udfff"', b"[" * 100_000, b"{}" * 1000, b"null", b"\x00" * 10],
)
def test_json_corpus(raw: bytes, tmp_path: Path, capsys) -> None:
    path = tmp_path / "坏.json"
    path.write_bytes(raw)
    code, text = _run(capsys, "load", path, tmp_path / "p.csrproj")
    assert code == 2 and INTERNAL not in text and "坏.json" in text, text


def test_a_full_temp_folder_is_a_sentence(sample, tmp_path: Path, capsys, monkeypatch) -> None:
    """The package is assembled in the temp folder; a full disk there names the folder."""
    _src, project, _workbook = sample

    def full(*_a: object, **_k: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device", f"{tempfile.gettempdir()}/csr-x")

    monkeypatch.setattr(tempfile, "mkdtemp", full)  # private_temp_dir
    code, text = _run(capsys, "export", project, "--package", tmp_path / "p.zip")
    assert code == 2 and INTERNAL not in text and "磁盘空间不足" in text, text
    assert not (tmp_path / "p.zip").exists()


def test_a_full_temp_folder_while_writing_the_document(
    sample, tmp_path: Path, capsys, monkeypatch
) -> None:
    _src, project, _workbook = sample

    def full(*_a: object, **_k: object) -> object:
        raise OSError(errno.ENOSPC, "No space left on device", f"{tempfile.gettempdir()}/csr-x")

    monkeypatch.setattr(tempfile, "mkdtemp", full)  # private_temp_dir
    code, text = _run(capsys, "export", project, "--document", tmp_path / "d.pdf")
    assert code == 2 and INTERNAL not in text, text
    assert "临时文件夹" in text and "磁盘空间不足" in text


def test_no_usable_temp_folder_is_a_sentence(sample, tmp_path: Path, capsys, monkeypatch) -> None:
    _src, project, _workbook = sample

    def none(*_a: object, **_k: object) -> object:
        raise FileNotFoundError(errno.ENOENT, "No usable temporary directory found in ['/x']")

    monkeypatch.setattr(tempfile, "mkdtemp", none)  # private_temp_dir
    code, text = _run(capsys, "export", project, "--document", tmp_path / "d.pdf")
    assert code == 2 and INTERNAL not in text and "临时文件夹" in text, text

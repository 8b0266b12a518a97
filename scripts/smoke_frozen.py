"""Smoke-test the FROZEN app: the bundle in dist/, not the venv.

    .venv/bin/python scripts/smoke_frozen.py [dist/csr-desktop]

Runs with the venv's Python only to build the fixture (`csr_desktop.sample`) and to read the
outputs back; every command under test is the frozen executable, started from a scratch folder
with a clean environment. Checks:
- the bundle's layout: both executables, every file of `resources/`, Qt's zh_CN translation,
  no plugin of a kind the spec drops;
- `--version` of both executables equals `csr_desktop.__version__` of the source tree;
- `load` of the sample, and `dump` of it equal to what the venv dumps from the same project;
- `export` of xlsx, the 承诺书 PDF, the full document (PDF and Word) and the package: the output opens and
  holds what it must (option boxes; the company's name as text; embedded fonts; the package
  passes the frozen `verify`). The smoke tests freezing, not features still being written: an
  export the venv cannot do either from the same project (its module is not there yet) is
  reported as skipped; one the venv does and the bundle does not is a failure;
- a bad input gives exit 2 and one Chinese line, no traceback;
- `--terminate-after-init` under QT_QPA_PLATFORM=offscreen exits 0, with and without a project,
  and with no system font at all (Linux); under xcb too when DISPLAY is set (xvfb-run).
Exit status 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE_RESOURCES = REPO / "resources"
DROPPED_PLUGIN_KINDS = (
    "wayland-shell-integration",
    "egldeviceintegrations",
    "tls",
    "networkinformation",
    "platformthemes",
    "iconengines",
    "xcbglintegrations",
    "sqldrivers",
    "qmltooling",
)
COMPANY = "星澜数字科技有限公司"


class SmokeError(Exception):
    """One failed check, with what was expected and what happened."""


def exe_name(name: str) -> str:
    return f"{name}.exe" if sys.platform == "win32" else name


def frozen_env(work: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The user's environment minus anything that would let the venv leak into the bundle,
    with settings, recent files and logs in the scratch folder."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "QT_PLUGIN", "QML", "LD_PRELOAD"))
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(work / "config")
    env["XDG_STATE_HOME"] = str(work / "state")
    env.update(extra or {})
    return env


NO_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


class Smoke:
    def __init__(self, bundle: Path, work: Path) -> None:
        self.bundle = bundle
        self.work = work
        self.gui = bundle / exe_name("csr-desktop")
        self.cli = bundle / exe_name("csr-desktop-cli")
        self.internal = bundle / "_internal"
        self.failures: list[str] = []

    # --- running ---------------------------------------------------------------------------
    def run(
        self,
        exe: Path,
        *args: str | Path,
        timeout: float = 120,
        env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe), *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            cwd=self.work,
            env=frozen_env(self.work, env),
            timeout=timeout,
        )

    def ok(self, exe: Path, *args: str | Path, timeout: float = 120) -> str:
        """Run and require exit 0 and no traceback; return stdout."""
        r = self.run(exe, *args, timeout=timeout)
        if r.returncode != 0 or "Traceback" in r.stderr:
            raise SmokeError(
                f"{exe.name} {' '.join(map(str, args))} → exit {r.returncode}\n"
                f"stdout: {r.stdout[-1500:]}\nstderr: {r.stderr[-1500:]}"
            )
        return r.stdout

    def check(self, title: str, fn: Callable[[], str | None]) -> None:
        t0 = time.perf_counter()
        try:
            note = fn()
        except SmokeError as exc:
            self.failures.append(title)
            print(f"FAIL  {title}\n      {str(exc).replace(chr(10), chr(10) + '      ')}")
            return
        except Exception as exc:  # a broken check is a failed check, with its reason
            self.failures.append(title)
            print(f"FAIL  {title}: {type(exc).__name__}: {exc}")
            return
        extra = f" — {note}" if note else ""
        print(f"ok    {title} ({time.perf_counter() - t0:.1f} s){extra}")

    # --- checks ----------------------------------------------------------------------------
    def layout(self) -> str:
        for exe in (self.gui, self.cli):
            if not exe.is_file():
                raise SmokeError(f"missing executable {exe}")
        bundled = self.internal / "resources"
        missing = [
            str(p.relative_to(SOURCE_RESOURCES))
            for p in SOURCE_RESOURCES.rglob("*")
            if p.is_file()
            and "__pycache__" not in p.parts
            and not (bundled / p.relative_to(SOURCE_RESOURCES)).is_file()
        ]
        if missing:
            raise SmokeError(f"resources missing from the bundle: {missing[:10]}")
        qms = sorted(p.name for p in self.internal.rglob("translations/*.qm"))
        if "qtbase_zh_CN.qm" not in qms:
            raise SmokeError(f"qtbase_zh_CN.qm not bundled (translations: {qms})")
        foreign = [q for q in qms if not q.endswith("_zh_CN.qm")]
        if foreign:
            raise SmokeError(f"translations other than zh_CN bundled: {foreign}")
        plugins = [p for p in self.internal.rglob("plugins/*") if p.is_dir()]
        dropped = [p.name for p in plugins if p.name in DROPPED_PLUGIN_KINDS]
        if dropped:
            raise SmokeError(f"plugin kinds the spec drops are bundled: {dropped}")
        fonts = sorted(p.name for p in bundled.glob("fonts/*") if p.is_file())
        return f"{len(qms)} zh_CN .qm, plugins {sorted(p.name for p in plugins)}, fonts {fonts}"

    def version(self) -> str:
        from csr_desktop import __version__  # the one place the version lives

        expected = f"csr-desktop {__version__}"
        # A windowed Windows executable has no stdout: there only the console companion prints.
        exes = (self.cli,) if sys.platform == "win32" else (self.cli, self.gui)
        for exe in exes:
            got = self.ok(exe, "--version").strip()
            if got != expected:
                raise SmokeError(f"{exe.name} --version printed {got!r}, expected {expected!r}")
        return expected

    def load(self, interchange_json: Path, project: Path) -> str:
        self.ok(self.cli, "load", interchange_json, project)
        if not project.is_file():
            raise SmokeError(f"load exited 0 but {project} does not exist")
        frozen = json.loads(self.ok(self.cli, "dump", project))
        venv = json.loads(
            subprocess.run(
                [sys.executable, "-m", "csr_desktop", "dump", str(project)],
                capture_output=True,
                check=True,
                cwd=REPO,
            ).stdout.decode("utf-8")
        )
        if frozen != venv:
            raise SmokeError("frozen dump differs from the venv's dump of the same project")
        if frozen["company"]["name"] != COMPANY:
            raise SmokeError(f"company name after load: {frozen['company']['name']!r}")
        return f"{len(frozen['indicators'])} indicators"

    def bad_input(self) -> str:
        r = self.run(self.cli, "load", self.work / "不存在.json", self.work / "x.csrproj")
        lines = r.stderr.strip().splitlines()
        if r.returncode != 2 or "Traceback" in r.stderr or not lines:
            raise SmokeError(f"exit {r.returncode}, stderr {r.stderr[-800:]!r}")
        if not re.search(r"[\u4e00-\u9fff]", lines[0]):
            raise SmokeError(f"first stderr line is not Chinese: {lines[0]!r}")
        return lines[0]

    def export(self, project: Path, flag: str, dest: Path, verify: Callable[[Path], str]) -> str:
        dest.parent.mkdir(exist_ok=True)
        out = self.ok(self.cli, "export", project, flag, dest)
        if not dest.is_file() or dest.stat().st_size == 0:
            raise SmokeError(f"export {flag} exited 0 but wrote no {dest.name}; stdout {out!r}")
        return f"{dest.stat().st_size // 1024} KB, {verify(dest)}"

    def long_report(self, project: Path) -> str:
        """The frozen app spawns itself as the helper (freeze_support) and gives the venv's
        passages, not a second app."""
        sys.path.insert(0, str(REPO))
        from tests.formats.report_forms import make_pdf  # reportlab only: no app module

        text = REPO / "tests" / "data" / "reports" / "other-report.txt"
        pdf = make_pdf(text, self.work / "long-report.pdf", "ESG 报告", repeat=40)  # 315 pages
        helper = {"CSR_DESKTOP_PDF_HELPER": "on"}  # however busy the machine
        r = self.run(self.cli, "suggest", project, pdf, "--json", timeout=300, env=helper)
        if r.returncode != 0 or "Traceback" in r.stderr:
            raise SmokeError(f"suggest → exit {r.returncode}\nstderr: {r.stderr[-1500:]}")
        frozen = json.loads(r.stdout)
        venv = subprocess.run(
            [sys.executable, "-m", "csr_desktop", "suggest", str(project), str(pdf), "--json"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
            cwd=REPO,
        )
        if frozen != json.loads(venv.stdout):
            raise SmokeError("the frozen app's suggestions differ from the venv's")
        return f"{frozen['passages']} passages, as the venv reads them"

    def terminate_after_init(self, *args: str | Path, env: dict[str, str] | None = None) -> str:
        t0 = time.perf_counter()
        r = self.run(self.gui, "--terminate-after-init", *args, timeout=120, env=env)
        elapsed = time.perf_counter() - t0
        bad = [
            s
            for s in ("Traceback", "Could not load the Qt platform plugin", "could not be loaded")
            if s in r.stderr
        ]
        if r.returncode != 0 or bad:
            raise SmokeError(f"exit {r.returncode}, stderr {r.stderr[-1500:]}")
        return f"{elapsed:.2f} s"


# --- output readers (venv side) ------------------------------------------------------------
def check_xlsx(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        texts = [
            str(v)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        ]
        sheets = len(wb.worksheets)
    finally:
        wb.close()
    if not any("□" in t or "☑" in t for t in texts):
        raise SmokeError(f"{path.name}: no □/☑ option boxes in any cell")
    return f"{sheets} sheets, {len(texts)} cells"


def check_pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    text = "".join(page.extract_text() or "" for page in reader.pages)
    if COMPANY not in text:
        raise SmokeError(f"{path.name}: the company name is not in the PDF's text")
    not_embedded: set[str] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                not_embedded.add(str(font.get("/BaseFont")))
    if not_embedded:
        raise SmokeError(f"{path.name}: fonts not embedded: {sorted(not_embedded)}")
    return f"{len(reader.pages)} pages, Chinese text extracted, all fonts embedded"


def check_docx(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    text = "".join(p.text for p in doc.paragraphs) + "".join(
        cell.text for table in doc.tables for row in table.rows for cell in row.cells
    )
    if COMPANY not in text or "☑" not in text:
        raise SmokeError(f"{path.name}: the company name or the ☑ marks are missing")
    return f"{len(doc.tables)} tables, {len(doc.sections)} sections"


def venv_cannot_export(project: Path, flag: str, dest: Path) -> str | None:
    """Why the venv fails this export (None when it succeeds): the feature is not there yet."""
    dest.parent.mkdir(exist_ok=True)
    r = subprocess.run(
        [sys.executable, "-m", "csr_desktop", "export", str(project), flag, str(dest)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=REPO,
        timeout=300,
    )
    if r.returncode == 0 and dest.is_file():
        return None
    return (r.stderr.strip().splitlines() or [f"exit {r.returncode}"])[-1][:200]


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else REPO / "dist" / "csr-desktop").resolve()
    if not bundle.is_dir():
        print(f"没有找到打包目录 {bundle}：请先运行 scripts/build_bundle.sh", file=sys.stderr)
        return 1
    from csr_desktop.sample import build_interchange

    with tempfile.TemporaryDirectory(prefix="csr-smoke-") as tmp:
        work = Path(tmp)
        smoke = Smoke(bundle, work)
        print(f"smoke-testing {bundle}")
        smoke.check("bundle layout", smoke.layout)
        smoke.check("--version", smoke.version)
        sample = build_interchange(work / "in", evidence_per_indicator=2)
        project = work / "样例 项目.csrproj"
        smoke.check("load + dump", lambda: smoke.load(sample, project))
        smoke.check("bad input → exit 2, Chinese line", smoke.bad_input)

        exports: list[tuple[str, str, str, Callable[[Path], str]]] = [
            ("xlsx_export", "--xlsx", "自评表.xlsx", check_xlsx),
            ("pdf_letter", "--pdf", "诚信承诺书.pdf", check_pdf),
            ("pdf_document", "--document", "自评材料.pdf", check_pdf),
            ("docx_export", "--docx", "自评材料.docx", check_docx),
            ("package", "--package", "提交材料包.zip", smoke_package(smoke)),
        ]
        for module, flag, name, verify in exports:
            reason = venv_cannot_export(project, flag, work / "venv" / name)
            if reason:
                print(f"skip  export {flag}: the venv cannot either ({module}): {reason}")
                continue
            smoke.check(
                f"export {flag}", partial(smoke.export, project, flag, work / "out" / name, verify)
            )
        smoke.check(
            "suggest on a 315-page PDF (a second, spawned process reads half)",
            lambda: smoke.long_report(project),
        )
        smoke.check("--terminate-after-init (offscreen)", smoke.terminate_after_init)
        smoke.check(
            "--terminate-after-init PROJECT (offscreen)",
            lambda: smoke.terminate_after_init(project),
        )
        if sys.platform.startswith("linux"):
            conf = work / "no-fonts.conf"  # a system without a single font: the bundled one
            conf.write_text(NO_FONTS_CONF.format(cache=work / "fc-cache"), encoding="utf-8")
            smoke.check(
                "--terminate-after-init PROJECT, no system font",
                lambda: smoke.terminate_after_init(project, env={"FONTCONFIG_FILE": str(conf)}),
            )
            if os.environ.get("DISPLAY"):  # e.g. under xvfb-run: the real xcb plugin
                smoke.check(
                    "--terminate-after-init PROJECT (xcb)",
                    lambda: smoke.terminate_after_init(project, env={"QT_QPA_PLATFORM": "xcb"}),
                )
    if smoke.failures:
        print(f"FROZEN SMOKE FAILED: {len(smoke.failures)} check(s): {smoke.failures}")
        return 1
    print("frozen smoke test passed")
    return 0


def smoke_package(smoke: Smoke) -> Callable[[Path], str]:
    def check(path: Path) -> str:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            names = zf.namelist()
        if bad is not None:
            raise SmokeError(f"{path.name}: member {bad} is corrupt")
        smoke.ok(smoke.cli, "verify", path)
        return f"{len(names)} members, frozen verify: intact"

    return check


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

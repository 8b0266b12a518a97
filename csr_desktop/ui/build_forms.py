"""The UI's build step: Designer files compiled to Python, and translation files.

Why compiled rather than loaded with QUiLoader at start: no XML parsing and no QtUiTools import
at start-up, and PyInstaller needs nothing extra. Run after editing a `.ui` file:

    python -m csr_desktop.ui.build_forms           # resources/ui/*.ui -> csr_desktop/ui/forms/
    python -m csr_desktop.ui.build_forms --check   # exit 1 if a compiled form is stale (tests)
    python -m csr_desktop.ui.build_forms --ts en   # create/update resources/i18n/csr_desktop_en.ts
    python -m csr_desktop.ui.build_forms --qm      # compile every resources/i18n/*.ts to .qm
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from csr_desktop.resources import resource_path

FORMS_DIR = Path(__file__).resolve().parent / "forms"
_HEADER_END = "################################################################################\n"


def ui_files() -> list[Path]:
    return sorted(resource_path("ui").glob("*.ui"))


def target_for(ui: Path) -> Path:
    return FORMS_DIR / f"ui_{ui.stem}.py"


def _tool(name: str) -> list[str]:
    exe = Path(sys.executable).with_name(name)
    if exe.exists():
        return [str(exe)]
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found (pip install PySide6-Essentials)")
    return [found]


def _uic() -> list[str]:
    return _tool("pyside6-uic")


def translatable_sources() -> list[Path]:
    """What pyside6-lupdate must read: the Python UI code and the Designer files."""
    package = Path(__file__).resolve().parent.parent
    python = [package / "app.py"]
    python += sorted(p for p in (package / "ui").rglob("*.py") if "forms" not in p.parts)
    return python + ui_files()


def update_ts(ts: Path) -> None:
    sources = [str(p) for p in translatable_sources()]
    subprocess.run([*_tool("pyside6-lupdate"), *sources, "-ts", str(ts)], check=True)


def release_qm(ts: Path) -> Path:
    subprocess.run([*_tool("pyside6-lrelease"), str(ts)], check=True)
    return ts.with_suffix(".qm")


_IMPORT = re.compile(r"^from (\S+) import \(?([^()]*?)\)?\n(?=\S|\n)", re.M | re.S)


def prune_imports(code: str) -> str:
    """Keep only the Qt names a form uses: uic imports ~40 classes per form, and PySide6 builds
    each class's enums on first import, which costs start-up time."""
    imports = list(_IMPORT.finditer(code))
    if not imports:
        return code
    body = code[imports[-1].end() :]
    lines = []
    for m in imports:
        names = [n.strip() for n in m[2].replace("\n", " ").split(",") if n.strip()]
        used = [n for n in names if re.search(rf"\b{re.escape(n)}\b", body)]
        if used:
            lines.append(f"from {m[1]} import {', '.join(used)}\n")
    return "".join(lines) + body


def compile_ui(ui: Path) -> str:
    """The Python code for one form, without uic's header (it names the uic version)."""
    out = subprocess.run(
        [*_uic(), str(ui)], check=True, capture_output=True, text=True, encoding="utf-8"
    ).stdout
    body = out.split(_HEADER_END, 2)[-1] if out.count(_HEADER_END) >= 2 else out
    body = prune_imports(body.lstrip())
    return f'"""Generated from resources/ui/{ui.name} by csr_desktop.ui.build_forms; do not edit."""\n{body.lstrip()}'


def stale_forms() -> list[Path]:
    return [
        ui
        for ui in ui_files()
        if not target_for(ui).exists()
        or target_for(ui).read_text(encoding="utf-8") != compile_ui(ui)
    ]


def main(argv: list[str]) -> int:
    if "--ts" in argv:
        lang = argv[argv.index("--ts") + 1]
        update_ts(resource_path("i18n", f"csr_desktop_{lang}.ts"))
        return 0
    if "--qm" in argv:
        for ts in sorted(resource_path("i18n").glob("*.ts")):
            print(release_qm(ts))
        return 0
    if "--check" in argv:
        stale = stale_forms()
        for ui in stale:
            print(f"stale: {target_for(ui)} (run python -m csr_desktop.ui.build_forms)")
        return 1 if stale else 0
    FORMS_DIR.mkdir(exist_ok=True)
    (FORMS_DIR / "__init__.py").write_text('"""Compiled Designer forms."""\n', encoding="utf-8")
    for ui in ui_files():
        target_for(ui).write_text(compile_ui(ui), encoding="utf-8")
        print(f"{ui.name} -> {target_for(ui).relative_to(FORMS_DIR.parent.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The UI's build step: Designer files compiled to Python, and translation files.

Why compiled rather than loaded with QUiLoader at start: no XML parsing and no QtUiTools import
at start-up, and PyInstaller needs nothing extra. Run after editing a `.ui` file:

    python -m csr_desktop.ui.build_forms           # resources/ui/*.ui -> csr_desktop/ui/forms/,
                                                   # status marks -> resources/icons/
    python -m csr_desktop.ui.build_forms --check   # exit 1 if a form or an icon is stale (tests)
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
from csr_desktop.ui import status_icons

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
    """What pyside6-lupdate must read: the Python UI code, the Designer files and the exporter
    registry, whose words the window shows through `tr()`."""
    package = Path(__file__).resolve().parent.parent
    python = [package / "app.py"]
    python += sorted(p for p in (package / "ui").rglob("*.py") if "forms" not in p.parts)
    python.append(package / "formats" / "exporters.py")  # menu items, titles: QT_TR_NOOP
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


_ENUM_SETTER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<obj>self\.\w+)\.set(?P<prop>\w+)"
    r"\((?P<values>Qt\.\w+\.\w+(?:\s*\|\s*Qt\.\w+\.\w+)*)\)$",
    re.M,
)


_ORIENTED_WIDGET = re.compile(r"= (?P<cls>QSplitter|QSlider|QScrollBar)\((?P<parent>self\.\w+)\)")


_SHORTCUT = re.compile(r"(?P<obj>self\.\w+)\.setShortcut\((?P<text>.*)\)$", re.M)


def enum_properties_by_name(code: str) -> str:
    """`label.setAlignment(Qt.AlignmentFlag.AlignCenter)` becomes
    `label.setProperty("alignment", "AlignCenter")`: Qt converts the name through the property's
    meta-enum, the same value. Touching PySide6's `Qt` namespace builds all its ~90 enums
    (20–30 ms), and the main window and the cover page are built before the first paint.
    uic writes such setters only for designable properties, which all have that name."""

    def by_name(m: re.Match[str]) -> str:
        prop = m["prop"][0].lower() + m["prop"][1:]
        names = "|".join(v.strip().rsplit(".", 1)[1] for v in m["values"].split("|"))
        return f'{m["indent"]}{m["obj"]}.setProperty("{prop}", "{names}")'

    code = _ENUM_SETTER.sub(by_name, code)
    # setShortcut(str) may also mean a QKeyCombination (Qt.Key | Qt.Modifier): the property
    # takes the text as QKeySequence(text) would
    code = _SHORTCUT.sub(r'\g<obj>.setProperty("shortcut", \g<text>)', code)
    # QSplitter(parent) could also be QSplitter(Qt.Orientation, parent): to tell them apart
    # PySide6 builds the `Qt` namespace, unless the parent is passed by keyword
    return _ORIENTED_WIDGET.sub(r"= \g<cls>(parent=\g<parent>)", code)


def compile_ui(ui: Path, by_name: bool = True) -> str:
    """The Python code for one form, without uic's header (it names the uic version);
    `by_name=False` leaves uic's enum setters as they are (for the tests' comparison)."""
    out = subprocess.run(
        [*_uic(), str(ui)], check=True, capture_output=True, text=True, encoding="utf-8"
    ).stdout
    body = out.split(_HEADER_END, 2)[-1] if out.count(_HEADER_END) >= 2 else out
    body = body.lstrip()
    body = prune_imports(enum_properties_by_name(body) if by_name else body)
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
        stale = [target_for(ui) for ui in stale_forms()] + status_icons.stale_icons()
        for path in stale:
            print(f"stale: {path} (run python -m csr_desktop.ui.build_forms)")
        return 1 if stale else 0
    FORMS_DIR.mkdir(exist_ok=True)
    (FORMS_DIR / "__init__.py").write_text('"""Compiled Designer forms."""\n', encoding="utf-8")
    for ui in ui_files():
        target_for(ui).write_text(compile_ui(ui), encoding="utf-8")
        print(f"{ui.name} -> {target_for(ui).relative_to(FORMS_DIR.parent.parent.parent)}")
    for icon in status_icons.write_icons():
        print(f"status mark -> {icon}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

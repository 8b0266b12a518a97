"""The Windows installer's scripts, read as text (ISCC is a Windows program; the Wine check in
`installer/check_with_wine.sh` needs a chroot and ~600 MB, the Windows CI builds for real)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ISS = (REPO / "installer" / "csr-desktop.iss").read_text(encoding="utf-8")
WINE = (REPO / "installer" / "check_with_wine.sh").read_text(encoding="utf-8").replace("\\\n", " ")
PS1 = (REPO / "installer" / "build_installer.ps1").read_text(encoding="utf-8")


def setup_section(text: str) -> list[str]:
    section = text.split("[Setup]", 1)[1].split("\n[", 1)[0]
    return [line.strip() for line in section.splitlines()]


def test_setup_refuses_windows_older_than_10_1809():
    """Qt 6 needs Windows 10 1809: without MinVersion, setup installed on "Windows 7"."""
    assert "MinVersion=10.0.17763" in setup_section(ISS)


def test_signing_is_switched_on_only_with_a_configured_sign_tool():
    lines = setup_section(ISS)
    start = lines.index("#ifdef SignTool")
    block = lines[start : lines.index("#endif", start)]
    assert "SignTool={#SignTool}" in block and "SignedUninstaller=yes" in block
    outside = lines[:start] + lines[lines.index("#endif", start) :]
    assert not any(line.startswith(("SignTool=", "SignedUninstaller=")) for line in outside)
    assert "/DSignTool=csrsign" in PS1 and "CSR_SIGN_THUMBPRINT" in PS1


def test_no_wine_program_has_its_exit_code_replaced_by_wineserver():
    """`wine ISCC.exe …; wineserver -w` reports wineserver's exit code: a failed compile
    passed."""
    for n, line in enumerate(WINE.splitlines(), start=1):
        if "wineserver -w" in line and "rc=$?" not in line and not line.startswith("#"):
            raise AssertionError(f"check_with_wine.sh:{n} hides an exit code: {line}")
    for n, line in enumerate(WINE.splitlines(), start=1):
        if re.search(r"\bwine (/opt/inno/ISCC|\$\(basename|'C:)", line):
            assert line.lstrip().startswith(("in_wine", "if in_wine")), f"line {n}: {line}"
            assert "||" in line or line.lstrip().startswith("if "), f"line {n}: unchecked"


def test_the_wine_check_script_parses():
    subprocess.run(["bash", "-n", str(REPO / "installer" / "check_with_wine.sh")], check=True)


def test_every_program_run_in_powershell_is_checked():
    lines = PS1.splitlines()
    for n, line in enumerate(lines):
        if line.lstrip().startswith("& "):
            follow = "\n".join(lines[n + 1 : n + 3])
            assert "$LASTEXITCODE" in follow, f"build_installer.ps1:{n + 1}: {line}"

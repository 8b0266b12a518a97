# Build the Windows installer: the frozen bundle with PyInstaller, then Inno Setup.
# Run from the repository root on a Windows x64 machine with Python 3.11 and Inno Setup 6:
#   powershell -ExecutionPolicy Bypass -File installer\build_installer.ps1
$ErrorActionPreference = "Stop"
$repo = Split-Path -Parent $PSScriptRoot
Set-Location $repo

if (-not (Test-Path ".venv\Scripts\python.exe")) {
    py -3.11 -m venv .venv
}
& .venv\Scripts\python.exe -m pip install --upgrade pip
& .venv\Scripts\python.exe -m pip install -e ".[build]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& .venv\Scripts\python.exe -m PyInstaller --noconfirm --workpath build\pyinstaller --distpath dist build.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# The frozen console companion must start before we package it.
& dist\csr-desktop\csr-desktop-cli.exe --version
if ($LASTEXITCODE -ne 0) { throw "the frozen csr-desktop-cli.exe does not start" }

$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
if (-not (Test-Path $iscc)) { $iscc = "ISCC.exe" }   # on PATH
& $iscc installer\csr-desktop.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Get-ChildItem dist\csr-desktop-*-setup.exe

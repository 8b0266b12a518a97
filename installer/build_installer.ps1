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
if ($LASTEXITCODE -ne 0) { throw "pip upgrade failed" }
& .venv\Scripts\python.exe -m pip install -e ".[build]"
if ($LASTEXITCODE -ne 0) { throw "pip install failed" }

& .venv\Scripts\python.exe -m PyInstaller --noconfirm --workpath build\pyinstaller --distpath dist build.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# The frozen console companion must start before we package it.
& dist\csr-desktop\csr-desktop-cli.exe --version
if ($LASTEXITCODE -ne 0) { throw "the frozen csr-desktop-cli.exe does not start" }

# Code signing, only when a certificate is configured (unsigned builds still work):
#   $env:CSR_SIGN_THUMBPRINT  SHA-1 thumbprint of a code-signing certificate in the user's or
#                             machine's certificate store (signtool /sha1)
#   $env:CSR_SIGN_TIMESTAMP   RFC 3161 timestamp server (default below); the build machine
#                             needs it, the app itself never goes online
#   $env:CSR_SIGNTOOL         signtool.exe (default: on PATH, from the Windows SDK)
$isccArgs = @()
if ($env:CSR_SIGN_THUMBPRINT) {
    $signtool = if ($env:CSR_SIGNTOOL) { $env:CSR_SIGNTOOL } else { "signtool.exe" }
    $timestamp = if ($env:CSR_SIGN_TIMESTAMP) { $env:CSR_SIGN_TIMESTAMP } else { "http://timestamp.digicert.com" }
    $sign = @("sign", "/fd", "sha256", "/sha1", $env:CSR_SIGN_THUMBPRINT, "/tr", $timestamp, "/td", "sha256")
    # the programs themselves: AppLocker's publisher rule and SmartScreen judge these
    & $signtool @sign dist\csr-desktop\csr-desktop.exe dist\csr-desktop\csr-desktop-cli.exe
    if ($LASTEXITCODE -ne 0) { throw "signtool failed on the bundle's executables" }
    # setup.exe and its uninstaller: Inno Setup calls this tool ($f = the file to sign)
    $isccArgs += "/Scsrsign=`"$signtool`" $($sign -join ' ') `$f"
    $isccArgs += "/DSignTool=csrsign"
} else {
    Write-Host "CSR_SIGN_THUMBPRINT not set: building an unsigned installer"
}

$iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe"
if (-not (Test-Path $iscc)) { $iscc = "ISCC.exe" }   # on PATH
& $iscc @isccArgs installer\csr-desktop.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed (ISCC exit code $LASTEXITCODE)" }
Get-ChildItem dist\csr-desktop-*-setup.exe

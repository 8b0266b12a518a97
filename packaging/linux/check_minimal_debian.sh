#!/usr/bin/env bash
# Start the frozen app on a minimal Debian 12 that has ONLY the libraries README-IT.txt names,
# open its window on an X server and save a screenshot to look at (Chinese must render, no
# boxes: a minbase system has no font at all, so what you see is the bundled font).
#
#   sudo packaging/linux/check_minimal_debian.sh [TARBALL] [WORKDIR]
#
# Needs root (debootstrap, chroot, mounts), debootstrap, Xvfb, xwd and netpbm on the host.
# The X server runs on the host and its socket is bind-mounted into the chroot, so the chroot
# holds nothing but minbase + `libgl1 libegl1 libxcb1` (and their Debian dependencies).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
TARBALL="${1:-$(ls -t "$REPO"/dist/csr-desktop-*-linux-*.tar.gz | head -1)}"
WORK="${2:-/tmp/csr-minbase}"
ROOT="$WORK/root"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DOCUMENTED_PACKAGES="libgl1 libegl1 libxcb1"  # keep in sync with README-IT.txt
DISPLAY_NO=":77"

if [ ! -x "$ROOT/bin/sh" ]; then
  mkdir -p "$WORK"
  debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR"
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
chroot "$ROOT" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends $DOCUMENTED_PACKAGES" >/dev/null
echo "fonts in the chroot: $(chroot "$ROOT" sh -c 'ls /usr/share/fonts 2>/dev/null | wc -l')"

NAME="$(basename "$TARBALL" .tar.gz)"
rm -rf "${ROOT:?}/opt/$NAME" && mkdir -p "$ROOT/opt"
tar -xzf "$TARBALL" -C "$ROOT/opt"
APP="/opt/$NAME"

mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
mkdir -p "$ROOT/tmp/.X11-unix"
Xvfb "$DISPLAY_NO" -screen 0 1400x900x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
XVFB=$!
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
  kill "$XVFB" 2>/dev/null || true
  umount "$ROOT/tmp/.X11-unix" 2>/dev/null || true
  umount "$ROOT/proc" 2>/dev/null || true
}
trap cleanup EXIT
sleep 1
mount --bind /tmp/.X11-unix "$ROOT/tmp/.X11-unix"

"$REPO/.venv/bin/python" -c "import sys; from pathlib import Path
from csr_desktop.sample import build_interchange
build_interchange(Path(sys.argv[1]), evidence_per_indicator=2)" "$ROOT/root/sample"
chroot "$ROOT" "$APP/csr-desktop-cli" --version
chroot "$ROOT" "$APP/csr-desktop-cli" load /root/sample/sample.json /root/样例.csrproj --force
chroot "$ROOT" env DISPLAY="$DISPLAY_NO" HOME=/root "$APP/csr-desktop" --terminate-after-init \
  /root/样例.csrproj
echo "--terminate-after-init on xcb: exit 0"

chroot "$ROOT" env DISPLAY="$DISPLAY_NO" HOME=/root "$APP/csr-desktop" /root/样例.csrproj \
  >"$WORK/app.log" 2>&1 &
APP_PID=$!
sleep 8
DISPLAY="$DISPLAY_NO" xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$WORK/screenshot.png"
echo "screenshot: $WORK/screenshot.png (look at it: Chinese text, 上一步/下一步 buttons)"
if command -v xdotool >/dev/null; then  # on to the first indicator page (下一步 = Alt+N)
  DISPLAY="$DISPLAY_NO" xdotool mousemove 700 400 click 1 sleep 0.5 key alt+n sleep 1.5
  DISPLAY="$DISPLAY_NO" xwd -root -silent | xwdtopnm 2>/dev/null | pnmtopng >"$WORK/screenshot-2.png"
  echo "screenshot: $WORK/screenshot-2.png (the next page)"
fi
echo "app output: $(cat "$WORK/app.log")"

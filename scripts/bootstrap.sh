# Sourced by run.sh and test.sh: set up, on first use, what the app and its tests need.
# Idempotent and quiet when everything is already there.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"

# Qt's system libraries on a bare Debian/Ubuntu (lab-notes.md), a CJK font for the UI.
APP_APT_PACKAGES="libegl1 libgl1 libx11-6 libx11-xcb1 libdbus-1-3 libfontconfig1 libfreetype6
 libglib2.0-0 libxkbcommon0 libxkbcommon-x11-0 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
 libxcb-keysyms1 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1
 libxcb-randr0 libxcb-xfixes0 libxcb-sync1 libxcb-shm0 libxrender1 fonts-wqy-microhei"
# What the tests add: a real X server, PDF and zip readers, LibreOffice and Gnumeric (a second,
# independent spreadsheet reader) for Excel round trips and prints; samba and its FUSE client
# smbnetfs for the department-share tests (tests/share: a private smbd on 127.0.0.1, two mounts).
TEST_APT_PACKAGES="xvfb xauth poppler-utils zip unzip libarchive-tools strace binutils e2fsprogs
 libreoffice-calc-nogui libreoffice-writer-nogui gnumeric samba smbnetfs"

missing_apt() {
  local missing=""
  for pkg in $1; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing="$missing $pkg"
  done
  echo "$missing"
}

ensure_apt() {
  command -v dpkg-query >/dev/null 2>&1 || return 0  # not Debian/Ubuntu: the user installs by hand
  local missing
  missing="$(missing_apt "$1")"
  [ -z "$missing" ] && return 0
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "缺少系统软件包，请以管理员身份安装 / missing packages, please install:$missing" >&2
      return 1
    fi
  fi
  echo "正在安装系统软件包 / installing:$missing" >&2
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >&2
}

# PyInstaller needs the shared libpython; Debian's own Python ships it in a separate package.
python_lib_package() {
  local real
  real="$(readlink -f "$VENV/bin/python")"
  command -v dpkg >/dev/null 2>&1 && dpkg -S "$real" >/dev/null 2>&1 || return 0
  "$VENV/bin/python" -c 'import sys; print(f"libpython{sys.version_info[0]}.{sys.version_info[1]}")'
}

ensure_venv() {
  local extras="$1" stamp
  stamp="$VENV/.installed-$(cat "$REPO/pyproject.toml" | sha256sum | cut -c1-16)-${extras//,/_}"
  [ -f "$stamp" ] && return 0
  local py="" candidate
  for candidate in python3.13 python3.12 python3.11 python3; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then
      py="$candidate"; break
    fi
  done
  [ -n "$py" ] || { echo "需要 Python 3.11 或更高版本 / Python >= 3.11 is required" >&2; return 1; }
  if [ ! -x "$VENV/bin/python" ]; then
    "$py" -m venv "$VENV" 2>/dev/null || {
      ensure_apt "python3-venv" && "$py" -m venv "$VENV"; } || return 1
  fi
  echo "正在安装 Python 依赖 / installing Python dependencies…" >&2
  "$VENV/bin/python" -m pip install -q --upgrade pip >&2
  "$VENV/bin/python" -m pip install -q -e "$REPO[$extras]" >&2 || return 1
  rm -f "$VENV"/.installed-*
  touch "$stamp"
}

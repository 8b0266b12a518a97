#!/bin/sh
# Add csr-desktop to this user's application menu and open *.csrproj files with it.
# No root needed: everything goes under ~/.local/share. Run it from the unpacked folder;
# run it again after moving the folder. `./install-desktop-entry.sh --remove` undoes it
# (projects are never touched).
set -eu
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
APPS="$DATA/applications"
MIME="$DATA/mime"
ICONS="$DATA/icons/hicolor/256x256/apps"

if [ "${1:-}" = "--remove" ]; then
  rm -f "$APPS/csr-desktop.desktop" "$MIME/packages/csr-desktop-mime.xml" "$ICONS/csr-desktop.png"
else
  mkdir -p "$APPS" "$MIME/packages"
  # Quote the path for the desktop-entry Exec key (it may contain spaces).
  sed "s|^Exec=csr-desktop |Exec=\"$HERE/csr-desktop\" |" "$HERE/csr-desktop.desktop" \
    > "$APPS/csr-desktop.desktop"
  cp "$HERE/csr-desktop-mime.xml" "$MIME/packages/"
  if [ -f "$HERE/csr-desktop.png" ]; then
    mkdir -p "$ICONS" && cp "$HERE/csr-desktop.png" "$ICONS/"
  fi
fi
command -v update-mime-database >/dev/null 2>&1 && update-mime-database "$MIME" || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$APPS" || true
if [ "${1:-}" = "--remove" ]; then
  echo "已从应用程序菜单移除 csr-desktop（项目文件未受影响）"
else
  echo "已添加到应用程序菜单：$APPS/csr-desktop.desktop"
fi

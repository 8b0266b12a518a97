#!/usr/bin/env bash
# Build the frozen onedir bundle (dist/csr-desktop/) with the venv's PyInstaller, add the Linux
# desktop files, pack dist/csr-desktop-<version>-linux-<arch>.tar.gz and print both sizes.
#
#   scripts/build_bundle.sh             build (PyInstaller's cache in build/ keeps rebuilds fast)
#   scripts/build_bundle.sh --if-stale  do nothing when dist/ holds a bundle built from exactly
#                                       these sources, spec and installed packages
#
# Windows: run `pyinstaller --noconfirm build.spec` in the venv there, then installer/README.md.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$REPO/.venv/bin/python}"
DIST="$REPO/dist"
BUNDLE="$DIST/csr-desktop"
STAMP="$DIST/csr-desktop.inputs"
cd "$REPO"

# What the bundle is made of: our sources, resources, spec, packaging files and the exact set of
# installed Python packages. Equal hash = the bundle in dist/ is current.
inputs_hash() {
  {
    find csr_desktop resources packaging build.spec pyproject.toml scripts/build_bundle.sh -type f \
      -not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha256sum
    "$PY" -m pip freeze --all 2>/dev/null
  } | sha256sum | cut -c1-32
}

VERSION="$(cd "$REPO" && "$PY" -c 'import csr_desktop; print(csr_desktop.__version__)')"
ARCH="$(uname -m)"
NAME="csr-desktop-$VERSION-linux-$ARCH"
TARBALL="$DIST/$NAME.tar.gz"
HASH="$(inputs_hash)"

report() {
  local onedir_kb tar_b
  onedir_kb="$(du -sk "$BUNDLE" | cut -f1)"
  tar_b="$(stat -c %s "$TARBALL")"
  awk -v kb="$onedir_kb" -v b="$tar_b" -v d="$BUNDLE" -v t="$TARBALL" 'BEGIN {
    printf "onedir   %s  %.1f MiB (%.1f MB)\n", d, kb / 1024, kb * 1024 / 1e6
    printf "tar.gz   %s  %.1f MiB (%.1f MB)\n", t, b / 1048576, b / 1e6 }'
}

if [ "${1:-}" = "--if-stale" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$HASH" ] \
  && [ -x "$BUNDLE/csr-desktop" ] && [ -f "$TARBALL" ]; then
  echo "bundle is up to date ($HASH)"
  report
  exit 0
fi

rm -f "$STAMP"
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --workpath "$REPO/build/pyinstaller" --distpath "$DIST" build.spec

# Linux desktop integration, inside the bundle so the tarball's layout is the bundle's.
if [ "$(uname -s)" = "Linux" ]; then
  # Each executable embeds its own copy of the Python archive. On Linux both are console
  # programs and come out byte-identical: keep one file and make the companion a symlink
  # (the bootloader finds _internal/ through /proc/self/exe). Windows keeps two: windowed + console.
  if cmp -s "$BUNDLE/csr-desktop" "$BUNDLE/csr-desktop-cli"; then
    ln -sf csr-desktop "$BUNDLE/csr-desktop-cli"
  fi
  install -m 0644 packaging/linux/csr-desktop.desktop packaging/linux/csr-desktop-mime.xml \
    packaging/linux/README-IT.txt "$BUNDLE/"
  install -m 0755 packaging/linux/install-desktop-entry.sh "$BUNDLE/"
  "$PY" packaging/make_icon.py "$BUNDLE/csr-desktop.png"
  rm -f "$TARBALL"
  tar -C "$DIST" --owner=0 --group=0 --numeric-owner \
    --transform "flags=rh;s,^csr-desktop,$NAME," -cf - csr-desktop | gzip -9 > "$TARBALL.part"
  mv "$TARBALL.part" "$TARBALL"
fi

# Stamp only what was really built: sources edited during the build make the next run rebuild.
if [ "$(inputs_hash)" = "$HASH" ]; then echo "$HASH" > "$STAMP"; fi
report

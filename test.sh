#!/usr/bin/env bash
# Run every check CI runs: lint, types, the import contract, and the whole test suite.
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
ensure_apt "$APP_APT_PACKAGES $TEST_APT_PACKAGES"
ensure_venv "test,build,dev"
ensure_apt "$(python_lib_package)"  # for the PyInstaller build, with Debian's own Python
cd "$REPO"
export PATH="$VENV/bin:$PATH"
echo "== ruff"; ruff check .
echo "== mypy (strict on the whole package; also as Windows sees the standard library)"; mypy; mypy --platform win32
echo "== import-linter"; lint-imports
echo "== frozen bundle (PyInstaller; reused by tests/packaging when current)"
scripts/build_bundle.sh --if-stale
echo "== pytest"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
xvfb-run -a -s "-screen 0 1920x1080x24" python -m pytest "$@"

#!/usr/bin/env bash
# Start csr-desktop (the window), or its command line: ./run.sh --help, ./run.sh dump X.csrproj
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
ensure_apt "$APP_APT_PACKAGES"
ensure_venv "test,build,dev"  # the same set as test.sh: switching between them never reinstalls
exec "$VENV/bin/python" -m csr_desktop "$@"

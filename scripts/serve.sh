#!/usr/bin/env bash
# Command 1: install whatever is missing, then build and serve the app on
# http://127.0.0.1:8080, rebuilding when a file changes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
"$ROOT/scripts/install.sh"
cd "$ROOT"
echo
echo "==> serving stackdraw on http://127.0.0.1:8080 (Ctrl+C stops)"
exec trunk serve --offline --address 127.0.0.1 --port 8080

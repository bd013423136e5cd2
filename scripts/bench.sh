#!/usr/bin/env bash
# The benchmark suite: a release build, then every measure (size, load time,
# native and wasm validation, exports, drag and pan, link lengths) as a table
# and as bench/results.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/install.sh" --browser
trunk build --release --offline --locked
node bench/run.mjs

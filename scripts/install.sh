#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already
# present at the right version. Safe to run again and again.
#
#   scripts/install.sh            build tools (wasm32 target, trunk, wasm-bindgen, wasm-split-cli,
#                                 wasm-opt, terser)
#   scripts/install.sh --browser  also Chromium and playwright-core for the browser tests
#   scripts/install.sh --validators  also cfn-lint, checkov, check-jsonschema and
#                                    python-hcl2 in .venv, for the export checks,
#                                    and moto with the AWS CLI for the emulator stage
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

want_browser=false
want_validators=false
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=true ;;
    --validators) want_validators=true ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }

# System packages need root; CI images that run as a user have sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The wasm-bindgen CLI must be exactly the version of the crate in Cargo.lock,
# or the generated JS glue does not match the module.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  step "installing trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install --locked "trunk@$TRUNK_VERSION"
fi

bindgen_version="$(wasm_bindgen_version)"
if [ -z "$bindgen_version" ]; then
  echo "install.sh: no wasm-bindgen entry in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]; then
  step "installing wasm-bindgen-cli $bindgen_version"
  # Not --locked: the CLI's own lock file names a crate version the registry lacks.
  cargo install --force "wasm-bindgen-cli@$bindgen_version"
fi

# Debian's binaryen is too old (its output breaks reference types in Chromium);
# the npm package carries a working build.
if [ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]; then
  step "installing binaryen $BINARYEN_VERSION (wasm-opt) from npm"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
fi

# The app's module is split in two between cargo and wasm-bindgen
# (scripts/split-wasm.mjs). The crate's CLI prints no version, so a marker
# beside it records the one installed.
split_marker="${CARGO_HOME:-$HOME/.cargo}/bin/.wasm-split-cli-version"
if ! command -v wasm-split-cli >/dev/null 2>&1 || [ "$(cat "$split_marker" 2>/dev/null)" != "$WASM_SPLIT_VERSION" ]; then
  step "installing wasm-split-cli $WASM_SPLIT_VERSION"
  cargo install --locked --force --features build-binary "wasm_split_cli_support@$WASM_SPLIT_VERSION"
  echo "$WASM_SPLIT_VERSION" > "$split_marker"
fi

# Release builds minify the app's ES-module glue with terser (scripts/minify-glue.mjs).
if [ "$(terser --version 2>/dev/null)" != "terser $TERSER_VERSION" ]; then
  step "installing terser $TERSER_VERSION from npm"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error "terser@$TERSER_VERSION"
fi

if $want_browser; then
  if ! command -v chromium >/dev/null 2>&1; then
    step "installing Debian's Chromium"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  if [ ! -f "$ROOT/tests/e2e/node_modules/playwright-core/package.json" ] ||
     ! cmp -s "$ROOT/tests/e2e/package-lock.json" "$ROOT/tests/e2e/node_modules/.package-lock.json.installed" 2>/dev/null; then
    step "installing playwright-core for the browser tests"
    (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/tests/e2e/package-lock.json" "$ROOT/tests/e2e/node_modules/.package-lock.json.installed"
  fi
fi

if $want_validators; then
  requirements="$ROOT/scripts/requirements-validators.txt"
  marker="$ROOT/.venv/.installed-requirements"
  if [ ! -x "$ROOT/.venv/bin/python" ]; then
    step "creating the Python virtualenv .venv"
    python3 -m venv "$ROOT/.venv"
  fi
  if ! cmp -s "$requirements" "$marker"; then
    step "installing the export validators into .venv (a few minutes, once)"
    "$ROOT/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$marker"
  fi
  emulator="$ROOT/scripts/requirements-emulator.txt"
  emulator_marker="$ROOT/.venv/.installed-emulator"
  if ! cmp -s "$emulator" "$emulator_marker"; then
    step "installing the deploy emulator (moto) and the AWS CLI into .venv"
    "$ROOT/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$emulator"
    cp "$emulator" "$emulator_marker"
  fi
fi

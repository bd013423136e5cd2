# Shared settings for the project's scripts; sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
TERSER_VERSION=5.51.4
# Splits the app's WebAssembly module at its #[wasm_split] functions
# (scripts/split-wasm.mjs); its format must match the wasm_split_helpers crate.
WASM_SPLIT_VERSION=0.2.4
# Project-local tools (wasm-opt from npm) live here, outside version control.
TOOLS_DIR="$ROOT/.tools"
export PATH="$TOOLS_DIR/node_modules/.bin:$HOME/.cargo/bin:$PATH"

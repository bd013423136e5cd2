#!/usr/bin/env bash
# Command 2: every check the project has, in the order a failure is cheapest
# to find: formatting, lints, native tests, the decoder fuzzing, the export
# validators (cfn-lint, checkov), the deploy emulator, the release build and
# its size ceiling, and the browser tests against it. Installs what is
# missing first. Ends with one summary line of all test cases:
# "tests: N passed, N failed".
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

"$ROOT/scripts/install.sh" --browser --validators || { echo "install failed" >&2; exit 1; }

LOG_DIR="$ROOT/target/test-logs"
mkdir -p "$LOG_DIR"
failed_stages=()
passed=0
failed=0

# Runs one stage, showing its output and keeping a copy to count results from.
stage() {
  local name="$1"
  shift
  printf '\n==> %s\n' "$name"
  local log="$LOG_DIR/$name.log"
  local started=$SECONDS
  if "$@" 2>&1 | tee "$log"; then
    printf -- '--- %s ok (%ss)\n' "$name" $((SECONDS - started))
  else
    printf -- '--- %s FAILED (%ss)\n' "$name" $((SECONDS - started))
    failed_stages+=("$name")
    return 1
  fi
}

# Adds up cargo's "test result: ok. N passed; M failed" lines.
count_cargo() {
  local log="$1" p f
  p=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
  f=$(grep -Eo '[0-9]+ failed;' "$log" | awk '{s+=$1} END {print s+0}')
  passed=$((passed + p)); failed=$((failed + f))
}

# Adds up node's test runner "# pass N" / "# fail N" lines.
count_node() {
  local log="$1" p f
  p=$(awk '/^# pass /{s+=$3} END {print s+0}' "$log")
  f=$(awk '/^# fail /{s+=$3} END {print s+0}' "$log")
  passed=$((passed + p)); failed=$((failed + f))
}

# Adds up the emulator stage's "emulator: N passed, M failed" line; a stage
# that died before printing it counts as one failure.
count_emulator() {
  local log="$1" line
  line=$(grep -E '^emulator: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + $(echo "$line" | awk '{print $2}')))
  failed=$((failed + $(echo "$line" | awk '{print $4}')))
}

stage fmt cargo fmt --all --check
stage clippy cargo clippy --all-targets --locked -- -D warnings
stage clippy-wasm cargo clippy --target wasm32-unknown-unknown --locked -- -D warnings
stage native-tests cargo test --locked
count_cargo "$LOG_DIR/native-tests.log"

# 100,000 random and mutated links, binary payloads and files: no panic, no
# slow case (see benches/fuzz_decoders.rs). Counts as one test.
if stage fuzz-decoders cargo bench --locked --bench fuzz_decoders; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
fi

stage export-validators bash scripts/check-exports.sh

# Every export that should deploy, created in moto on 127.0.0.1 and compared
# with its diagram (tests/emulator/deploy_stage.py; the gaps are in
# docs/emulator.md). Its checks count like tests.
if cargo build --quiet --locked --bin stackdraw; then
  stage emulator .venv/bin/python tests/emulator/deploy_stage.py target/debug/stackdraw
  count_emulator "$LOG_DIR/emulator.log"
else
  echo "--- emulator skipped: the command-line tool did not build"
  failed_stages+=("emulator (no build)")
fi

if stage release-build trunk build --release --offline --locked; then
  # Deterministic, so enforced (timing budgets are only printed by
  # scripts/bench.sh). Counts as one test.
  if stage size-budget node bench/size.mjs --check; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  stage browser-tests bash -c 'cd tests/e2e && node --test --test-concurrency=1'
  count_node "$LOG_DIR/browser-tests.log"
else
  echo "--- browser-tests skipped: there is no release build to test"
  failed_stages+=("browser-tests (no build)")
fi

echo
if [ ${#failed_stages[@]} -gt 0 ]; then
  echo "failed stages: ${failed_stages[*]}"
fi
echo "tests: $passed passed, $failed failed"
[ ${#failed_stages[@]} -eq 0 ] && [ "$failed" -eq 0 ]

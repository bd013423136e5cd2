#!/usr/bin/env bash
# Exports every built-in template and every diagram fixture, then runs the
# real validators over the files and over the site's own deploy/ and
# .circleci/: cfn-lint on CloudFormation, checkov on
# CloudFormation and Terraform, python-hcl2 on every .tf file,
# check-jsonschema on every CircleCI config, and a check that the YAML and
# JSON templates say the same thing.
# Expects scripts/install.sh --validators to have run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

out="$ROOT/target/exports"
rm -rf "$out"
mkdir -p "$out/diagrams"
cargo build --locked --quiet --bin stackdraw
stackdraw="$ROOT/target/debug/stackdraw"

for template in $("$stackdraw" template | awk '{print $1}'); do
  "$stackdraw" template "$template" > "$out/diagrams/template-$template.json"
done
for fixture in tests/fixtures/*.json; do
  cp "$fixture" "$out/diagrams/fixture-$(basename "$fixture")"
done

count=0
for diagram in "$out"/diagrams/*.json; do
  name="$(basename "$diagram" .json)"
  # A diagram with validation errors still exports (with a header listing
  # them); the message on stderr is expected for such fixtures.
  "$stackdraw" export "$diagram" --to all --out "$out/$name" 2> "$out/$name.export.log" || {
    cat "$out/$name.export.log" >&2
    exit 1
  }
  count=$((count + 1))
done
echo "exported $count diagrams into $out"

venv="$ROOT/.venv/bin"
echo "==> cfn-lint"
"$venv/cfn-lint" --format parseable -- "$out"/*/cloudformation.yaml "$out"/*/cloudformation.json deploy/cloudformation.yaml
echo "cfn-lint: no errors or warnings in $((count * 2 + 1)) templates (the exports and deploy/)"

echo "==> checkov (CloudFormation and Terraform)"
for framework in cloudformation terraform; do
  "$venv/checkov" --directory "$out" --framework "$framework" --compact --quiet --skip-download \
    --output cli > "$out/checkov-$framework.log" 2>&1 || {
    cat "$out/checkov-$framework.log"
    exit 1
  }
  echo "$framework: $(grep -E "^Passed checks" "$out/checkov-$framework.log" | head -1)"
done
echo "==> checkov (the site's own infrastructure in deploy/)"
"$venv/checkov" --directory deploy --framework cloudformation terraform --compact --quiet --skip-download \
  --output cli > "$out/checkov-deploy.log" 2>&1 || {
  cat "$out/checkov-deploy.log"
  exit 1
}
grep -E "^Passed checks" "$out/checkov-deploy.log" || true

echo "==> python-hcl2 parses every .tf file"
"$venv/python" - "$out" <<'PY'
import pathlib, sys, hcl2
files = sorted(pathlib.Path(sys.argv[1]).glob("*/terraform/*.tf")) + sorted(pathlib.Path("deploy/terraform").glob("*.tf"))
for path in files:
    with path.open() as handle:
        try:
            hcl2.load(handle)
        except Exception as error:
            sys.exit(f"{path}: {error}")
print(f"{len(files)} .tf files parse")
PY

echo "==> check-jsonschema (CircleCI; the design-review recipes' GitHub Actions workflow)"
configs=("$out"/*/.circleci/config.yml .circleci/config.yml docs/ci/circleci-diff.yml)
"$venv/check-jsonschema" --builtin-schema vendor.circle-ci "${configs[@]}"
"$venv/check-jsonschema" --builtin-schema vendor.github-workflows docs/ci/github-actions-diff.yml

echo "==> YAML and JSON templates agree"
"$venv/python" - "$out" <<'PY'
import json, pathlib, sys, yaml
root = pathlib.Path(sys.argv[1])
checked = 0
for folder in sorted(p for p in root.iterdir() if (p / "cloudformation.yaml").exists()):
    from_yaml = yaml.safe_load((folder / "cloudformation.yaml").read_text())
    from_json = json.loads((folder / "cloudformation.json").read_text())
    if from_yaml != from_json:
        sys.exit(f"{folder.name}: cloudformation.yaml and cloudformation.json differ")
    checked += 1
print(f"{checked} template pairs agree")
PY

echo "==> the import corpus's resource counts, read by cfn-lint"
"$venv/python" tests/import/corpus_counts.py --check

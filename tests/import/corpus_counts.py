"""Resource counts per type of every template in the import corpus, read by
cfn-lint's own template reader, and of every Terraform example, read by
python-hcl2 (both independent of stackdraw's importer).

    corpus_counts.py          print the counts as JSON
    corpus_counts.py --check  fail when tests/fixtures/import/corpus/counts.json
                              differs from what cfn-lint reads now
    corpus_counts.py --write  write that file

The importer's test (tests/domain/import.rs) holds stackdraw's report to
these counts: no resource of a real template goes missing. A Terraform
example's count is of resource blocks, in its own files and in those of
the local modules it calls (once per call).
"""
import json
import pathlib
import sys
from collections import Counter

from cfnlint.decode import decode

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "import" / "corpus"
COUNTS = CORPUS / "counts.json"
TERRAFORM = ROOT / "tests" / "fixtures" / "import" / "terraform"
TERRAFORM_COUNTS = TERRAFORM / "counts.json"


def module_blocks(folder, depth=0):
    """Resource blocks of a module's folder and of the local modules it calls."""
    import hcl2

    if depth > 8:
        raise SystemExit(f"{folder}: modules nest too deep")
    found = Counter()
    for path in sorted(folder.glob("*.tf")):
        with path.open() as handle:
            body = hcl2.load(handle)
        for block in body.get("resource", []):
            for kind, named in block.items():
                found[kind] += len(named)
        for block in body.get("module", []):
            for _, arguments in block.items():
                # python-hcl2 gives each attribute as a list of its values.
                source = arguments.get("source", "")
                source = source[0] if isinstance(source, list) and source else source
                if isinstance(source, str) and source.startswith(("./", "../")):
                    found += module_blocks((folder / source).resolve(), depth + 1)
    return found


def terraform_counts():
    result = {}
    for example in sorted(TERRAFORM.glob("*/examples/*")):
        if example.is_dir():
            counted = module_blocks(example)
            result[str(example.relative_to(TERRAFORM))] = dict(sorted(counted.items()))
    return result


def counts():
    result = {}
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix not in (".yaml", ".yml", ".json", ".template") or path == COUNTS:
            continue
        template, matches = decode(str(path))
        if template is None:
            raise SystemExit(f"cfn-lint cannot read {path}: {matches}")
        resources = template.get("Resources", {})
        by_type = Counter(body.get("Type", "?") for body in resources.values())
        result[str(path.relative_to(CORPUS))] = dict(sorted(by_type.items()))
    return result


def main():
    for path, now, reader in [
        (COUNTS, counts(), "cfn-lint"),
        (TERRAFORM_COUNTS, terraform_counts(), "python-hcl2"),
    ]:
        now = json.dumps(now, indent=2, sort_keys=True) + "\n"
        if "--write" in sys.argv:
            path.write_text(now)
        elif "--check" in sys.argv:
            if not path.exists() or path.read_text() != now:
                sys.exit(f"{path} is not what {reader} reads; run {__file__} --write")
            print(f"import corpus: {reader}'s counts match {path.relative_to(ROOT)}")
        else:
            sys.stdout.write(now)


if __name__ == "__main__":
    main()

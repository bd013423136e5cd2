"""Resource counts per type of every template in the import corpus, read by
cfn-lint's own template reader (independent of stackdraw's importer).

    corpus_counts.py          print the counts as JSON
    corpus_counts.py --check  fail when tests/fixtures/import/corpus/counts.json
                              differs from what cfn-lint reads now
    corpus_counts.py --write  write that file

The importer's test (tests/domain/import.rs) holds stackdraw's report to
these counts: no resource of a real template goes missing.
"""
import json
import pathlib
import sys
from collections import Counter

from cfnlint.decode import decode

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "fixtures" / "import" / "corpus"
COUNTS = CORPUS / "counts.json"


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
    now = json.dumps(counts(), indent=2, sort_keys=True) + "\n"
    if "--write" in sys.argv:
        COUNTS.write_text(now)
    elif "--check" in sys.argv:
        if not COUNTS.exists() or COUNTS.read_text() != now:
            sys.exit(f"{COUNTS} is not what cfn-lint reads; run {__file__} --write")
        print(f"import corpus: cfn-lint's counts match {COUNTS.relative_to(ROOT)}")
    else:
        sys.stdout.write(now)


if __name__ == "__main__":
    main()

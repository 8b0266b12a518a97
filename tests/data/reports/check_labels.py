"""Check tests/data/reports/labels.json against the report texts.

Every anchor must be 15-40 characters, occur exactly once in its report and lie within
one line; every indicator 1-28 must be either labelled or silent, never both.
Run: python3 tests/data/reports/check_labels.py
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    labels = json.loads((HERE / "labels.json").read_text(encoding="utf-8"))
    errors = []
    for name, report in labels["reports"].items():
        text = (HERE / name).read_text(encoding="utf-8")
        labelled = {int(k) for k in report["indicators"]}
        silent = set(report["silent"])
        if labelled & silent:
            errors.append(f"{name}: both labelled and silent: {sorted(labelled & silent)}")
        if labelled | silent != set(range(1, 29)):
            errors.append(f"{name}: missing {sorted(set(range(1, 29)) - labelled - silent)}")
        for no, entry in report["indicators"].items():
            if not entry["anchors"]:
                errors.append(f"{name} #{no}: no anchors")
            for anchor in entry["anchors"]:
                where = f"{name} #{no} {anchor!r}"
                if not 15 <= len(anchor) <= 40:
                    errors.append(f"{where}: length {len(anchor)}")
                if "\n" in anchor:
                    errors.append(f"{where}: spans a line break")
                count = text.count(anchor)
                if count != 1:
                    errors.append(f"{where}: occurs {count} times")
        print(f"{name}: {len(labelled)} labelled, {len(silent)} silent {sorted(silent)}")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

"""The legal reading on the evaluation sets, beside plain string similarity.

Usage::

    python benchmarks/legal_reading.py [FILE.jsonl ...]

By default reads ``tests/data/edits/*.jsonl``, ``tests/data/edits-second/*.jsonl`` and
``tests/data/edits-third/*.jsonl``, ``tests/data/edits-fourth/*.jsonl`` (and
``../shared/eval/edits-19.11.jsonl`` when it is beside the repository). Each edit is scored
as a user would score it: ``tc.score(tc.parse(edited), against=tc.parse(base))``. The rule:
every substantive edit scores strictly below every cosmetic edit of the same base and
carries its expected flag; a cosmetic edit carries no substantive flag (and scores >= 97).

Printed for each set: the counts, the failures of tradeclauses on each part of the rule,
and, as the baseline, the ordering failures of ``rapidfuzz.fuzz.ratio`` (base against
edited) on the same rule.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

import tradeclauses as tc

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval" / "edits-19.11.jsonl"


def _cases(files: list[Path]) -> list[dict[str, Any]]:
    return [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines() if line.strip()]


def measure(name: str, cases: list[dict[str, Any]]) -> None:
    by_base: dict[str, list[dict[str, Any]]] = defaultdict(list)
    false_flags = missing = low_cosmetic = 0
    failures: list[str] = []
    for case in cases:
        card = tc.score(tc.parse(case["edited"]), against=tc.parse(case["base"]))
        rows = [r for r in card.rows if r.score is not None]
        row = rows[0] if rows else None
        case["_score"] = row.score if row is not None and row.score is not None else 0.0
        case["_ratio"] = fuzz.ratio(case["base"], case["edited"])
        flags = {f.flag.value for f in row.findings} if row is not None else set()
        substantive = [f for f in row.findings if f.substantive] if row is not None else []
        if case["effect"] == "cosmetic":
            if substantive:
                false_flags += 1
                failures.append(f"  false flag   {case['id']}: {', '.join(sorted(flags))}")
            elif case["_score"] < 97:
                low_cosmetic += 1
                failures.append(f"  below 97     {case['id']}: {case['_score']}")
        elif case["expected_flag"] not in flags:
            missing += 1
            failures.append(f"  missing flag {case['id']}: expected {case['expected_flag']}, got {sorted(flags)}")
        by_base[case["base"]].append(case)
    ours = ratio = 0
    for group in by_base.values():
        cosmetic = [c for c in group if c["effect"] == "cosmetic"]
        if not cosmetic:
            continue
        for c in (c for c in group if c["effect"] == "substantive"):
            ours += any(c["_score"] >= k["_score"] for k in cosmetic)
            ratio += any(c["_ratio"] >= k["_ratio"] for k in cosmetic)
    substantive_n = sum(c["effect"] == "substantive" for c in cases)
    print(f"{name}: {len(cases)} edits ({len(cases) - substantive_n} cosmetic, {substantive_n} substantive)")
    print(f"  tradeclauses: {ours} ordering failures, {missing} missing flags, {false_flags} false flags, "
          f"{low_cosmetic} cosmetic edits below 97")  # fmt: skip
    print(f"  fuzz.ratio baseline: {ratio} ordering failures of {substantive_n} substantive edits")
    for line in failures:
        print(line)


def main(argv: list[str]) -> int:
    warnings.simplefilter("ignore")
    if argv:
        measure("given files", _cases([Path(a) for a in argv]))
        return 0
    measure("tests/data/edits", _cases(sorted((ROOT / "tests/data/edits").glob("*.jsonl"))))
    measure("tests/data/edits-second", _cases(sorted((ROOT / "tests/data/edits-second").glob("*.jsonl"))))
    measure("tests/data/edits-third", _cases(sorted((ROOT / "tests/data/edits-third").glob("*.jsonl"))))
    measure("tests/data/edits-fourth", _cases(sorted((ROOT / "tests/data/edits-fourth").glob("*.jsonl"))))
    if SHARED.is_file():
        measure("../shared/eval/edits-19.11.jsonl", _cases([SHARED]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""How the scores rank agreements against the scholarly ordering of their data-flow commitments.

Run from the repository root: ``PYTHONPATH=. python benchmarks/ranking.py``. Reads ToTA from ../shared (never
copied into the repository) and the illustrative EU-, RCEP- and protocol-style cases of tests/data.
Prints, for each agreement, the overall score and the data-flow score (weighted mean of the 19.11 and
19.12 rows; a row with no counterpart counts 0), then Kendall tau-b against the expected order:

    USMCA > TPP > RCEP-style > KORUS > EU-Korea          (the cases this repository can build)
    USMCA > TPP > EU-style > RCEP-style > KORUS > EU-Korea (with the EU-style case)

As a baseline in the same run, the same agreements are scored as they are published (whole) but with
neither the part chosen nor context read: the ``chapter`` the whole text holds is not selected, i.e.
``select_part`` is skipped by passing every chapter.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

from scipy.stats import kendalltau

import tradeclauses as tc
from tradeclauses.errors import WholeAgreementWarning

ROOT = Path(__file__).resolve().parents[1]
TOTA = ROOT.parent / "shared" / "corpus" / "tota" / "xml"
DATA = ROOT / "tests" / "data"


def data_flow(card: tc.Scorecard) -> float:
    rows = [card.row(n) for n in ("19.11", "19.12")]
    scored = [r for r in rows if r.score is not None]
    return sum(r.weight * (r.score or 0.0) for r in scored) / sum(r.weight for r in scored)


def main() -> int:
    if not TOTA.is_dir():
        print(f"ToTA not found at {TOTA}", file=sys.stderr)
        return 1
    corpus = tc.corpus.tota(TOTA)
    drafts = {
        "USMCA": tc.load("usmca"),
        "TPP": corpus["449"],
        "EU-style": tc.parse(DATA / "eu-style-digital-trade.txt"),
        "RCEP-style": tc.parse(DATA / "rcep-style-electronic-commerce.txt"),
        "KORUS": corpus["159"],
        "EU-Korea": corpus["145"],
    }
    figures: dict[str, tuple[float, float]] = {}
    baseline: dict[str, tuple[float, float]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WholeAgreementWarning)
        for name, draft in drafts.items():
            card = tc.score(draft)
            figures[name] = (card.overall or 0.0, data_flow(card))
            everything = [c.num or c.id for c in draft.chapters if c.articles]
            whole = tc.score(draft, chapter=everything) if len(everything) > 1 else card
            baseline[name] = (whole.overall or 0.0, data_flow(whole))
    print(f"{'agreement':<12} {'overall':>8} {'data-flow':>10}   {'whole, no part':>15} {'data-flow':>10}")
    for name, (overall, flow) in figures.items():
        b_overall, b_flow = baseline[name]
        print(f"{name:<12} {overall:>8.1f} {flow:>10.1f}   {b_overall:>15.1f} {b_flow:>10.1f}")
    for label, order in (
        ("without EU-style", ["USMCA", "TPP", "RCEP-style", "KORUS", "EU-Korea"]),
        ("with EU-style", ["USMCA", "TPP", "EU-style", "RCEP-style", "KORUS", "EU-Korea"]),
    ):
        expected = list(range(len(order), 0, -1))
        for what, k in (("overall", 0), ("data-flow", 1)):
            tau = kendalltau(expected, [figures[n][k] for n in order], variant="b").statistic
            base = kendalltau(expected, [baseline[n][k] for n in order], variant="b").statistic
            print(f"Kendall tau-b {label:<17} {what:<10} {tau:5.2f}   (whole agreement, no part chosen: {base:5.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

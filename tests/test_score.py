"""Scoring a draft against the USMCA model: alignment, findings, the scorecard and its outputs."""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradeclauses as tc
from tradeclauses.alignment import align
from tradeclauses.cli import main
from tradeclauses.errors import AlignmentError, UnknownAgreementError
from tradeclauses.render.text import to_text
from tradeclauses.scoring import DEFAULT_WEIGHTS, Scorecard, score

from .conftest import EVAL, TOTA, needs_tota

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "agreements" / "examples" / "draft-digital-trade.txt"
EVAL_FILE = EVAL / "edits-19.11.jsonl"
GOLD = EVAL / "alignment-tpp14-usmca19.json"
needs_eval = pytest.mark.skipif(not EVAL_FILE.is_file(), reason="../shared/eval is not beside the repository")


@pytest.fixture(scope="module")
def usmca() -> tc.Agreement:
    return tc.load("usmca")


def _scored_text(usmca: tc.Agreement) -> str:
    """The articles of the shipped model that hold words, as text."""
    return to_text(usmca.select(articles=[a.num or "" for a in usmca.articles if a.status != "missing"]))


# ----------------------------------------------------------------------------- calibration


def test_the_model_against_itself_scores_100_with_no_flags(usmca: tc.Agreement) -> None:
    card = score(usmca, against=usmca)
    assert card.overall == 100.0
    assert card.flag_counts(substantive_only=False) == {}
    assert {r.verdict for r in card.rows} == {"identical", "not scored"}


def _renumber(text: str) -> str:
    return re.sub(r"^Article 19\.(\d+)", lambda m: f"Article 8.{m.group(1)}", text, flags=re.MULTILINE)


def _british(text: str) -> str:
    return text.replace("endeavor", "endeavour").replace("recognize", "recognise").replace("favorable", "favourable")


def _curly(text: str) -> str:
    return text.replace("Party’s", "Party's").replace("signatory’s", "signatory's")


def _hyphenate(text: str) -> str:
    return text.replace("cross-border transfer", "cross-bor-\nder transfer").replace(
        "electronic means", "elec-\ntronic means"
    )


def _footnotes(text: str) -> str:
    return text.replace("[^5]", "[^12]").replace("[^1]", "[^3]")


def _reorder(text: str) -> str:
    head, *arts = re.split(r"(?m)^(?=Article \d)", text)
    return head + "".join(reversed(arts))


def _spaces(text: str) -> str:
    return text.replace(" shall ", "  shall\t").replace(", ", " , ")


COSMETIC = {
    "renumber": _renumber,
    "british spelling": _british,
    "straight quotes": _curly,
    "hyphenated line breaks": _hyphenate,
    "footnote numbers": _footnotes,
    "article order": _reorder,
    "whitespace": _spaces,
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(COSMETIC)), min_size=1, max_size=4, unique=True))
def test_cosmetic_copies_score_at_least_97_with_no_flags(usmca: tc.Agreement, edits: list[str]) -> None:
    text = _scored_text(usmca)
    for name in edits:
        text = COSMETIC[name](text)
    card = score(tc.parse(text), against=usmca)
    assert card.overall is not None
    assert card.overall >= 97, (edits, str(card))
    assert card.flag_counts() == {}, (edits, str(card))


# Invented edits of other articles than the evaluation cases: (article, old words, new words, flag)
INVENTED = [
    ("19.12", "No Party shall require", "A Party may require", tc.Flag.WEAKENED_OBLIGATION),
    ("19.12", "No Party shall require", "Each Party shall endeavour not to require", tc.Flag.WEAKENED_OBLIGATION),
    (
        "19.12",
        "in that territory.",
        "in that territory. Nothing in this Article shall prevent a Party from adopting or maintaining any measure "
        "that it considers necessary for the protection of its essential security interests.",
        tc.Flag.NEW_EXCEPTION,
    ),
    ("19.16", ", or to an algorithm expressed in that source code,", "", tc.Flag.NARROWED_SCOPE),
    (
        "19.15",
        "the Parties shall endeavor to:",
        "the Parties recognise the importance of efforts to:",
        tc.Flag.WEAKENED_OBLIGATION,
    ),
    ("19.4", "No Party shall accord", "No Party should accord", tc.Flag.WEAKENED_OBLIGATION),
    ("19.11", "that is necessary to achieve", "that it considers necessary to achieve", tc.Flag.BROADENED_EXCEPTION),
]


@pytest.mark.parametrize(("article", "old", "new", "flag"), INVENTED, ids=[f"{a}-{f.value}" for a, _, _, f in INVENTED])
def test_invented_substantive_edits_score_below_cosmetic_ones(
    usmca: tc.Agreement, article: str, old: str, new: str, flag: tc.Flag
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tc.errors.IncompleteTextWarning)
        base = to_text(usmca.select(articles=[article]))
    assert old in base
    model = tc.parse(base)
    cosmetic = [score(tc.parse(edit(base)), against=model).overall for edit in COSMETIC.values()]
    card = score(tc.parse(base.replace(old, new)), against=model)
    row = card.row(article)
    assert flag in row.flags, row.explain()
    assert card.overall is not None
    assert card.overall < min(c for c in cosmetic if c is not None)


def _eval_cases() -> list[Any]:
    if not EVAL_FILE.is_file():
        return [pytest.param(None, id="no-shared-eval", marks=needs_eval)]
    return [pytest.param(json.loads(x), id=json.loads(x)["id"]) for x in EVAL_FILE.read_text("utf-8").splitlines() if x]


@pytest.mark.corpus
@needs_eval
def test_eval_substantive_edits_score_below_every_cosmetic_edit() -> None:
    cases = [json.loads(x) for x in EVAL_FILE.read_text("utf-8").splitlines() if x.strip()]
    scores: dict[str, float] = {}
    for case in cases:
        card = score(tc.parse(case["edited"]), against=tc.parse(case["base"]))
        assert card.overall is not None
        scores[case["id"]] = card.overall
    cosmetic = [scores[c["id"]] for c in cases if c["effect"] == "cosmetic"]
    substantive = {c["id"]: scores[c["id"]] for c in cases if c["effect"] == "substantive"}
    assert cosmetic
    assert substantive
    assert max(substantive.values()) < min(cosmetic), (substantive, cosmetic)


@pytest.mark.corpus
@pytest.mark.parametrize("case", _eval_cases())
def test_eval_edits_carry_their_flag(case: dict[str, Any]) -> None:
    card = score(tc.parse(case["edited"]), against=tc.parse(case["base"]))
    flags = {f.flag for f in card.findings()}
    if case["effect"] == "cosmetic":
        assert not any(f.substantive for f in flags), str(card)
        assert card.overall is not None
        assert card.overall >= 97
    else:
        assert tc.Flag(case["expected_flag"]) in flags, str(card)
        row = card.rows[0]
        evidence = [f for f in row.findings if f.flag is tc.Flag(case["expected_flag"])]
        assert all(f.model_evidence or f.draft_evidence for f in evidence)  # the words are quoted


# ----------------------------------------------------------------------------- what a user sees


def test_not_in_the_model_is_not_scored_and_never_missing(usmca: tc.Agreement) -> None:
    draft = tc.parse("Article 1: Customs Duties\n1. No Party shall impose customs duties on electronic transmissions.")
    card = score(draft, against=usmca)
    row = card.row("19.3")
    assert row.verdict == "not scored"
    assert row.score is None
    assert row.draft_nums == ("1",)  # aligned by its heading, but not scored
    assert "not hold" in row.note
    assert tc.Flag.MISSING not in {f.flag for f in card.findings() if f in row.findings}
    assert "19.3" in card.not_scored
    assert card.coverage < 1
    assert card.row("19.11").verdict == "missing"  # in the model, absent from the draft


def test_weights_change_overall_and_are_reported(usmca: tc.Agreement) -> None:
    draft = tc.parse(EXAMPLE)
    default = score(draft, against=usmca)
    assert default.weights == DEFAULT_WEIGHTS
    assert default.row("19.11").weight == 3
    assert default.row("19.17").weight == 1
    light = score(draft, against=usmca, weights={"19.11": 0.0})
    assert light.overall is not None
    assert default.overall is not None
    assert light.overall > default.overall  # 19.11 is the weakest row of the example draft


def test_example_draft_reads_as_a_lawyer_would(usmca: tc.Agreement) -> None:
    card = score(tc.parse(EXAMPLE), against=usmca)
    assert card.alignment.mapping()["19.11"] == ("8.4",)
    assert card.alignment.mapping()["19.12"] == ("8.5",)
    data_flows = card.row("19.11")
    assert data_flows.verdict == "weakened"
    assert {tc.Flag.WEAKENED_OBLIGATION, tc.Flag.NARROWED_SCOPE, tc.Flag.BROADENED_EXCEPTION} <= set(data_flows.flags)
    weakened = next(f for f in data_flows.findings if f.flag is tc.Flag.WEAKENED_OBLIGATION)
    assert "No Party shall" in weakened.model_evidence + weakened.explanation
    assert "endeavour" in weakened.draft_evidence + weakened.explanation
    assert card.row("19.12").flags == (tc.Flag.NEW_EXCEPTION,)  # the security exception of Article 8.9
    assert card.row("19.15").verdict == "identical"  # British spelling is not a change
    assert card.row("19.17").verdict == "missing"
    assert [a.draft_num for a in card.added] == ["8.2", "8.9"]
    assert card.added[1].applies_to == ("19.11", "19.12")


def test_override_alignment(usmca: tc.Agreement) -> None:
    draft = tc.parse(EXAMPLE)
    card = score(draft, against=usmca, alignment={"19.12": None})
    assert card.row("19.12").verdict == "missing"
    assert "8.5" in [a.draft_num for a in card.added]
    card = score(draft, against=usmca, alignment={"19.11": ["8.4", "8.5"]})
    assert card.alignment.for_model("19.11").kind == "split"
    assert card.alignment.for_model("19.11").source == "user"
    with pytest.raises(AlignmentError, match=r"no article '9\.9'"):
        score(draft, against=usmca, alignment={"19.11": "9.9"})
    fixed = align(usmca, draft)
    assert score(draft, against=usmca, alignment=fixed).alignment is fixed


P1 = (
    "No Party shall prohibit or restrict the cross-border transfer of information, including personal "
    "information, by electronic means if this activity is for the conduct of the business of a covered person."
)
P2 = (
    "This Article does not prevent a Party from adopting or maintaining a measure inconsistent with paragraph 1 "
    "that is necessary to achieve a legitimate public policy objective, provided that the measure:\n(a) is not "
    "applied in a manner which would constitute a means of arbitrary or unjustifiable discrimination or a "
    "disguised restriction on trade; and\n(b) does not impose restrictions on transfers of information greater "
    "than are necessary to achieve the objective."
)
LOCATION = (
    "No Party shall require a covered person to use or locate computing facilities in that Party's territory "
    "as a condition for conducting business in that territory."
)


def test_alignment_survives_renumbering_reordering_split_and_merge(usmca: tc.Agreement) -> None:
    split = tc.parse(
        f"Article 3: Location of Computing Facilities\n1. {LOCATION}\n"
        f"Article 7: Transfer of Information\n1. {P1}\n"
        f"Article 8: Exception for data transfers\n1. {P2}\n"
    )
    alignment = align(usmca, split)
    m = alignment.for_model("19.11")
    assert m.kind == "split"
    assert m.draft_nums == ("7", "8")
    assert alignment.for_model("19.12").draft_nums == ("3",)
    merged = tc.parse(f"Article 1: Data\n1. {P1}\n2. {P2}\n3. {LOCATION}\n")
    m = align(usmca, merged).for_draft("1")
    assert m.kind == "merge"
    assert set(m.model_nums) == {"19.11", "19.12"}


def test_unknown_model_name_lists_what_is_available() -> None:
    with pytest.raises(UnknownAgreementError, match="usmca"):
        score("Article 1: X\n1. Each Party shall act.", against="nafta-3")


def test_bracketed_draft_scores_each_alternative(usmca: tc.Agreement) -> None:
    draft = tc.parse(
        "Article 4: Location of Computing Facilities\n"
        "1. [US: No Party shall][EU: Each Party shall endeavour not to] require a covered person to use or "
        "locate computing facilities in that Party's territory as a condition for conducting business in that "
        "territory.\n"
        "2. [EU propose: Nothing in this Article shall prevent a Party from adopting or maintaining any measure "
        "that it considers necessary to protect personal data.]\n"
    )
    card = score(draft, against=usmca)
    by = {(o.slot, o.label): o for o in card.options}
    assert by["1", "1"].proponents == ("US",)
    assert by["1", "1"].best
    assert by["1", "2"].proponents == ("EU",)
    assert not by["1", "2"].best
    assert tc.Flag.WEAKENED_OBLIGATION in by["1", "2"].flags
    assert by["2", "omit"].best
    assert tc.Flag.NEW_EXCEPTION in by["2", "1"].flags
    assert all(o.model_num == "19.12" for o in card.options)
    assert "Alternatives" in card.to_markdown()


# ----------------------------------------------------------------------------- outputs


def test_outputs(usmca: tc.Agreement) -> None:
    card = score(tc.parse(EXAMPLE), against=usmca)
    md = card.to_markdown()
    assert "| 19.11 | Cross-Border Transfer of Information by Electronic Means | 8.4 |" in md
    assert "**WEAKENED_OBLIGATION**" in md
    page = card.to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert "</html>" in page
    assert "#f8cbcb" in page  # weakened rows in red
    note = card._repr_html_()
    assert "<table" in note
    assert "weakened" in note
    again = Scorecard.model_validate_json(card.model_dump_json())
    assert again == card
    text = str(card)
    assert text.splitlines()[0] == card.summary()
    assert "  19.2: the model does not hold this article's text" in text


def test_to_frame(usmca: tc.Agreement) -> None:
    pytest.importorskip("pandas", reason="pandas is an optional extra")
    frame = score(tc.parse(EXAMPLE), against=usmca).to_frame()
    assert frame.loc["19.11", "verdict"] == "weakened"
    assert frame.loc["19.11", "draft"] == "8.4"
    assert list(frame.columns)[:3] == ["heading", "in_model", "draft"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_cli_score(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / f"card.{fmt}"
    assert main(["score", str(EXAMPLE), "--format", fmt, "--output", str(out)]) == 0
    body = out.read_text("utf-8")
    assert "19.11" in body
    if fmt == "json":
        assert json.loads(body)["rows"][10]["model_num"] == "19.11"
    assert "Sample draft against USMCA" in capsys.readouterr().err


def test_cli_score_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(tmp_path / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["score", str(EXAMPLE), "--against", "nafta-3"]) == 2
    assert "usmca" in capsys.readouterr().err
    assert main(["score", str(EXAMPLE), "--weight", "19.11"]) == 2
    assert "ARTICLE=NUMBER" in capsys.readouterr().err


# ----------------------------------------------------------------------------- real agreements


@pytest.fixture(scope="module")
def tota_chapters() -> dict[str, tc.Agreement]:
    if not TOTA.is_dir():
        pytest.skip("the ToTA corpus (../shared/corpus/tota/xml) is not beside the repository")
    corpus = tc.corpus.tota(TOTA)
    return {
        "TPP": corpus["449"].select(chapter="14"),
        "KORUS": corpus["159"].select(chapter="FIFTEEN"),
        "EU-Korea": corpus["145"].select(articles=["7.48", "7.49"]),  # Section F, Electronic Commerce
    }


@needs_tota
@pytest.mark.corpus
def test_tpp_aligns_to_usmca_as_the_gold_alignment(tota_chapters: dict[str, tc.Agreement], usmca: tc.Agreement) -> None:
    gold = json.loads(GOLD.read_text("utf-8"))["pairs"]
    alignment = align(usmca, tota_chapters["TPP"])
    held = {a.num for a in usmca.articles if a.status != "missing"}
    for tpp, us in gold.items():
        if us is None:
            assert alignment.for_draft(tpp).model == (), tpp
        elif us in held:
            assert alignment.for_draft(tpp).model_nums == (us,), tpp
    # articles the model holds only by heading are aligned by it, and never scored
    assert alignment.for_model("19.3").draft_nums == ("14.3",)


@needs_tota
@pytest.mark.corpus
def test_tpp_tracks_usmca_better_than_korus_better_than_eu_korea(
    tota_chapters: dict[str, tc.Agreement], usmca: tc.Agreement
) -> None:
    cards = {name: score(chapter, against=usmca) for name, chapter in tota_chapters.items()}
    tpp, korus, euk = (cards[n].overall for n in ("TPP", "KORUS", "EU-Korea"))
    assert tpp is not None
    assert korus is not None
    assert euk is not None
    assert tpp > korus > euk, {n: c.overall for n, c in cards.items()}
    # "Each Party shall allow" binds as "No Party shall prohibit": not weaker, but it does not reach restrictions
    assert tc.Flag.WEAKENED_OBLIGATION not in cards["TPP"].row("19.11").flags
    assert tc.Flag.NARROWED_SCOPE in cards["TPP"].row("19.11").flags
    assert tc.Flag.WEAKENED_OBLIGATION not in cards["TPP"].row("19.12").flags
    assert tc.Flag.WEAKENED_OBLIGATION in cards["KORUS"].row("19.11").flags  # "shall endeavor to refrain"
    assert cards["KORUS"].row("19.11").draft_nums == ("15.8",)  # a best-endeavour clause, loosely drafted
    assert cards["KORUS"].row("19.11").verdict == "weakened"


@needs_tota
@pytest.mark.corpus
def test_tpp_as_the_model(tota_chapters: dict[str, tc.Agreement], usmca: tc.Agreement) -> None:
    tpp = tota_chapters["TPP"]
    card = score(usmca, against=tpp)
    assert card.alignment.for_model("14.11").draft_nums == ("19.11",)
    assert card.alignment.for_model("14.13").draft_nums == ("19.12",)
    assert tc.Flag.STRENGTHENED_OBLIGATION not in card.row("14.11").flags  # equal force
    assert tc.Flag.BROADENED_SCOPE in card.row("14.11").flags  # "or restrict"
    assert tc.Flag.REMOVED_EXCEPTION in card.row("14.13").flags

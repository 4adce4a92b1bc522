"""Normalisation for comparison: cosmetic differences vanish, legal words stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from tradeclauses.normalize import SPELLING, normalize, normalize_aligned, tidy, tokens

SHARED = Path(__file__).parents[2] / "shared"
EVAL_FILE = SHARED / "eval" / "edits-19.11.jsonl"
needs_eval = pytest.mark.skipif(
    not EVAL_FILE.is_file(), reason=f"the shared evaluation cases are not at {EVAL_FILE} (../shared beside the repo)"
)

# fmt: off
SAME = [
    # (one form, another form): both normalise to the same string
    ("No Party shall prohibit or restrict the cross-border transfer",
     "No Party shall prohibit or restrict the cross\u2011border transfer"),      # USMCA eval: non-breaking hyphen
    ("the cross-border transfer of information by electronic means",
     "the cross-border trans-\nfer of information by elec-\ntronic means"),       # PDF line-break hyphenation
    ("achieve the objective.[^5]", "achieve the objective.12"),                # footnote mark vs renumbered digits
    ("covered person[^1] means:", "covered person1 means:"),                   # ToTA glues footnote digits to words
    ("1. This Article does not prevent", "This  Article\tdoes not\u00a0prevent"),  # label, double space, tab, NBSP
    ("(iv) security in electronic communications", "security in electronic communications"),  # roman label
    ("4.1 Each Party shall endeavour to", "each party shall endeavor to"),     # decimal label, case, spelling
    ("The Parties recognise", "The Parties recognize"),                        # TPP vs USMCA spelling
    ("less favourable treatment", "less favorable treatment"),                 # TPP 14.4 vs USMCA 19.4
    ("a computer programme", "a computer program"),                            # TPP vs USMCA 'digital product'
    ("a digitised representation", "a digitized representation"),              # TPP fn 2 vs USMCA 19.1
    ("should be categorised as", "should be categorized as"),                  # TPP fn 3
    ("the minimisation of messages", "the minimization of messages"),          # TPP 14.14(c)
    ("organisation, authorised, harmonisation, utilisation",
     "organization, authorized, harmonization, utilization"),                 # -isation family
    ("labour and behaviour", "labor and behavior"),                            # -our family
    ("the Parties shall endeavour, endeavours, endeavoured, endeavouring",
     "the Parties shall endeavor, endeavors, endeavored, endeavoring"),       # inflections
    ("most-favoured-nation treatment", "most-favored-nation treatment"),       # spelling inside a compound
    ("co-operation between agencies", "cooperation between agencies"),        # hyphenated British form
    ("the Party\u2019s territory", "the Party's territory"),                   # typographic apostrophe
    ("\u201clike digital product\u201d", '"like digital product"'),            # typographic double quotes
    ("measures \u2014 including", "measures - including"),                     # em dash
    ("\ufb01nancial services", "financial services"),                          # PDF ligature (NFKC)
    ("the objective\u2075", "the objective"),                                  # superscript footnote digit
    ("data\u200b flows", "data flows"),                                        # zero-width space
]

KEPT = [
    # (text, normalised): real numbers and real hyphens survive
    ("Article 1.5 (General Definitions)", "article 1.5 (general definitions)"),     # dotted article number
    ("as referred to in Article 16.6.2 (Consumer Protection)",
     "as referred to in article 16.6.2 (consumer protection)"),                    # three-level number
    ("inconsistent with paragraph 2 to achieve", "inconsistent with paragraph 2 to achieve"),  # paragraph number
    ("Model Law on Electronic Commerce 1996.", "model law on electronic commerce 1996."),    # a year
    ("done at New York, November 23, 2005.", "done at new york, november 23, 2005."),       # a date
    ("Article XX of the GATT 1994", "article xx of the gatt 1994"),                        # GATT 1994
    ("the G20 and MC12", "the g20 and mc12"),                                              # short codes
    ("WT/MIN(15)/42", "wt/min(15)/42"),                                                    # document symbol
    ("small- and medium-sized enterprises", "small- and medium-sized enterprises"),        # suspended hyphen
    ("cross-\nborder", "cross-border"),                                                    # compound broken at a line
    ("non-\nconforming measures", "non-conforming measures"),                              # compound broken at a line
    ("subparagraph 9(a)", "subparagraph 9(a)"),                                            # cross-reference
    ("analyses of data", "analyses of data"),                                              # plural noun, not a verb
    ("The Parties shall (a) cooperate", "the parties shall (a) cooperate"),                # inner label stays
]
# fmt: on


@pytest.mark.parametrize(("one", "other"), SAME)
def test_cosmetic_variants_normalise_alike(one: str, other: str) -> None:
    assert normalize(one) == normalize(other)


@pytest.mark.parametrize(("text", "expected"), KEPT)
def test_real_numbers_and_hyphens_are_kept(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. Each Party shall allow", "Each Party shall allow"),  # label gone, case kept
        ("The Parties recognise the trans-\nfer", "The Parties recognise the transfer"),  # spelling kept
        ("objective.[^5]  Such", "objective. Such"),  # footnote mark gone
    ],
)
def test_tidy_keeps_case_and_spelling(text: str, expected: str) -> None:
    assert tidy(text) == expected


def test_tokens_keep_compounds_numbers_and_possessives() -> None:
    assert tokens("1. No Party’s cross-border rule; see Article 16.6.2.") == (
        "no",
        "party's",
        "cross-border",
        "rule",
        "see",
        "article",
        "16.6.2",
    )


def test_spelling_table_maps_to_american_and_back_is_stable() -> None:
    assert SPELLING["recognise"] == "recognize"
    assert SPELLING["programmes"] == "programs"
    for british, american in SPELLING.items():
        assert normalize(american) == american, british  # American forms are fixed points


def test_aligned_quotes_the_words_as_written() -> None:
    raw = "2. The Parties shall endeavour to recognise\nfavourable programmes.[^3]"
    aligned = normalize_aligned(raw)
    assert aligned.text == normalize(raw)
    start = aligned.text.index("endeavor")
    end = aligned.text.index("programs") + len("programs")
    assert aligned.quote(start, end) == "endeavour to recognise favourable programmes"
    assert aligned.quote(0, len("the parties")) == "The Parties"


def test_is_a_rapidfuzz_processor() -> None:
    choices = {"a": "No Party shall prohibit or restrict", "b": "Each Party shall allow"}
    best = process.extractOne("1. NO PARTY SHALL PROHIBIT OR RESTRICT", choices, scorer=fuzz.ratio, processor=normalize)
    assert best is not None
    assert best[1:] == (100.0, "a")


# --------------------------------------------------------------------------- properties

_TREATY_PIECES = st.sampled_from(
    [
        "No Party", "shall", "recognise", "endeavour", "trans-\nfer", "cross-\nborder", "small- and", "(a) ",
        "1. ", "4.1 ", "objective.5", "person1", "[^12]", "\u2019", "\u201c", "\u2011", "\u00a0", "\t", "\n",
        "Article 1.5", "G20", "per cent", "co-operation", "favour", "  ", ".", ",", ";", "-", " ", "\u00ad",
        "\ufb01", "\u2075", "\u0130", "\u03a3",
    ]
)  # fmt: skip


@settings(max_examples=400)
@given(st.one_of(st.text(), st.lists(_TREATY_PIECES, max_size=25).map("".join)))
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert tidy(tidy(text)) == tidy(text)


@settings(max_examples=200)
@given(st.one_of(st.text(), st.lists(_TREATY_PIECES, max_size=25).map("".join)))
def test_aligned_text_is_normalize(text: str) -> None:
    aligned = normalize_aligned(text)
    assert aligned.text == normalize(text)
    assert aligned.surface == tidy(text)
    assert aligned.quote(0, len(aligned.text)) == aligned.surface.strip()


# --------------------------------------------------------------------------- evaluation cases


def _body(article: str) -> str:
    """Paragraph lines only: no heading, no footnote block."""
    lines = article.splitlines()
    if "Footnotes:" in lines:
        lines = lines[: lines.index("Footnotes:")]
    return "\n".join(line for line in lines if not line.startswith("Article "))


@needs_eval
@pytest.mark.corpus
def test_cosmetic_edits_of_19_11_normalise_to_the_base() -> None:
    cases = [json.loads(line) for line in EVAL_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    cosmetic = [case for case in cases if case["effect"] == "cosmetic"]
    assert cosmetic
    for case in cosmetic:
        assert normalize(_body(case["edited"])) == normalize(_body(case["base"])), case["id"]
    for case in cases:
        if case["effect"] == "substantive":
            assert normalize(_body(case["edited"])) != normalize(_body(case["base"])), case["id"]

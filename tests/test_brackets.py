"""Bracketed negotiating texts: alternatives, proponents, nesting, and every reading."""

from __future__ import annotations

import pytest

import tradeclauses as tc
from tradeclauses.errors import ProvisionNotFoundError
from tradeclauses.model import Agreement, Gap, Option, Paragraph
from tradeclauses.read.brackets import looks_bracketed, read_bracketed, readings, resolve, slots

from .conftest import TEXTS, needs_shared

# --- WTO consolidated-text styles, written for these tests ----------------------------------

# (draft paragraph, every reading of it, what it shows)
READINGS = [
    (
        "1. [No Party shall][Parties shall endeavour not to] require a covered person to use computing facilities.",
        [
            "No Party shall require a covered person to use computing facilities.",
            "Parties shall endeavour not to require a covered person to use computing facilities.",
        ],
        "adjacent alternatives",
    ),
    (
        "1. Each [Party/Member] shall allow transfers [by electronic means].",
        [
            "Each Party shall allow transfers by electronic means.",
            "Each Party shall allow transfers.",
            "Each Member shall allow transfers by electronic means.",
            "Each Member shall allow transfers.",
        ],
        "slash alternatives and an optional bracket",
    ),
    (
        "1. [US: No Party shall [prohibit or] restrict transfers.] [EU: Each Party may regulate transfers.]",
        [
            "No Party shall prohibit or restrict transfers.",
            "No Party shall restrict transfers.",
            "Each Party may regulate transfers.",
        ],
        "nested bracket inside a proponent's alternative: chosen only with it",
    ),
    (
        "1. [[Parties/Members ]further agree to cooperate.]",
        ["Parties further agree to cooperate.", "Members further agree to cooperate.", ""],
        "double bracket: an optional sentence holding alternatives",
    ),
]


@pytest.mark.parametrize(("line", "expected", "note"), READINGS)
def test_readings_of_one_paragraph(line: str, expected: list[str], note: str) -> None:
    para = read_bracketed("Article 1: Test\n" + line)["1"].paragraphs[0]
    assert [r.text for r in para.readings()] == expected, note
    for reading in para.readings():
        assert not reading.options, note
        assert not reading.slots, note


def test_alt_labels_over_several_lines() -> None:
    draft = read_bracketed(
        "Article 6: Exceptions\n"
        "6. [Alt 1:\n"
        "Nothing in this Article shall prevent a Party from adopting a measure, provided that the measure:\n"
        "(a) is not arbitrary; and\n"
        "(b) is necessary.]\n"
        "[Alt 2:\n"
        "Nothing in this Article shall prevent a Party from adopting any measure it considers necessary.]\n"
    )
    (group,) = slots(draft)
    assert {o.label for o in slots(draft)[group]} == {"Alt 1", "Alt 2"}
    alt1 = resolve(draft, "Alt 1")["6"]
    assert [b.num for b in alt1.walk()] == ["6", "(a)", "(b)"]
    assert alt1.text.startswith("Nothing in this Article shall prevent a Party from adopting a measure, provided")
    alt2 = resolve(draft, "Alt 2")["6"]
    assert alt2.text == (
        "Nothing in this Article shall prevent a Party from adopting any measure it considers necessary."
    )
    assert len(list(readings(draft))) == 2


def test_proponent_codes_choose_a_position() -> None:
    draft = read_bracketed(
        "Article 3: Source Code\n"
        "1. [JP/US propose: No Party shall require the transfer of source code.]\n"
        "2. [CN propose; AU/JP oppose: A Party may require access to source code for security.]\n"
        "3. Each Party shall [EU propose; NO considering: endeavour to] protect consumers."
    )
    paras = draft["3"].paragraphs
    assert paras[0].options[0].proponents == ("JP", "US")
    assert (paras[1].options[0].proponents, paras[1].options[0].opposed) == (("CN",), ("AU", "JP"))
    assert paras[2].options[0].note == "NO considering"
    us = resolve(draft, "US")
    assert [p.text for p in us["3"].paragraphs] == [
        "No Party shall require the transfer of source code.",
        "Each Party shall protect consumers.",
    ]
    cn = resolve(draft, "CN")
    assert [p.num for p in cn["3"].paragraphs] == ["2", "3"]


def test_choices_that_settle_nothing_are_refused() -> None:
    para = read_bracketed("Article 1: A\n1. Each [Party/Member] shall act.")["1"].paragraphs[0]
    with pytest.raises(ProvisionNotFoundError, match="options"):
        para.resolve("Alt 9")
    assert para.resolve({"1": "2"}).text == "Each Member shall act."
    assert para.resolve(1).text == "Each Member shall act."


def test_model_option_fields_and_text() -> None:
    p = Paragraph(
        id="d/art1/para1",
        intro="[~1] require X.",
        options=(
            Option(slot="1", label="1", text="No Party shall", proponents=("US",)),
            Option(slot="1", label="2", text="Parties shall endeavour not to"),
        ),
    )
    assert p.text == "[No Party shall][Parties shall endeavour not to] require X."
    assert p.slots == {"1": p.options}
    assert [dict(c) for c in p.choices()] == [{"1": "1"}, {"1": "2"}]
    assert p.resolve("US") == Paragraph(id="d/art1/para1", intro="No Party shall require X.")


def test_our_own_marks_are_not_brackets() -> None:
    text = "Article 1: A\n1. Each Party shall act.[^1] [[NOTE: editorial]]\n[^1] A footnote."
    assert not looks_bracketed(text)
    draft = read_bracketed(text.replace("[[NOTE: editorial]]", "[GAP: not recovered]"))
    assert not slots(draft)
    assert any(isinstance(b, Gap) for b in draft.article("1").walk())
    assert draft.article("1").footnotes[0].text == "A footnote."


def test_parse_detects_brackets() -> None:
    draft = tc.parse("Article 2: Flows\n1. [CA/PE/US propose: No Party may prevent transfers.]")
    assert draft["2"].paragraphs[0].options[0].proponents == ("CA", "PE", "US")
    plain = tc.parse("Article 2: Flows\n1. No Party may prevent transfers.")
    assert not slots(plain)


# --- real drafts from ../shared (tests only) ----------------------------------------------------


def _valid(reading: Agreement) -> None:
    again = Agreement.model_validate(reading.model_dump())
    assert again == reading
    for art in reading.articles:
        for block in art.walk():
            if not isinstance(block, Gap):
                assert "[~" not in block.intro + block.wrap_up
                assert not block.options


@needs_shared
def test_tisa_drafts() -> None:
    draft = tc.parse(TEXTS / "tisa-annex-ecommerce-drafts.txt")
    para1 = draft.article("2")["1"]
    assert para1.options[0].proponents == ("CA", "TW", "CO", "JP", "MX", "US")
    nested = {o.text: o.proponents for o in para1.options}
    assert nested["or consumers of those suppliers,"] == ("CO", "JP")
    assert "accessing, processing or storing" in nested
    art5 = draft.article("5")
    assert art5.heading is not None
    assert "[AU/CO/NZ propose: Messages]" in art5.heading  # headings as printed
    assert {o.text for o in art5["1"].options} >= {"messages", "communications", "endeavour to"}
    assert [a.num for a in draft.articles if a.notes == ("proposed by US",)] == ["X.6", "X.7", "X.8"]
    n = 0
    for _, reading in readings(draft, limit=40):
        _valid(reading)
        n += 1
    assert n == 40
    us = resolve(draft, "US", default=0)
    _valid(us)
    assert us.article("X.6").paragraphs[0].text.startswith("No Party may prevent a service supplier")
    assert "3" not in [p.num for p in us.article("2").paragraphs]  # the CH proposals are left out
    ch = resolve(draft, "CH", default=0)
    assert "X.6" not in [a.num for a in ch.articles]


@needs_shared
def test_jsi_consolidated_text() -> None:
    draft = tc.parse(TEXTS / "jsi-consolidated-2020-flow-of-information.txt", format="bracketed")
    assert draft.title.startswith("WTO Electronic Commerce Negotiations")
    found = slots(draft)
    alt = next(k for k, v in found.items() if {o.label for o in v} == {"Alt 1", "Alt 2"})
    gaps = [b for a in draft.articles for b in a.walk() if isinstance(b, Gap)]
    assert any("paragraphs 1-5" in g.note for g in gaps)  # [GAP: ...] is a gap, not a bracket
    alt1 = resolve(draft, {alt: "Alt 1"}, default=0)
    _valid(alt1)
    texts = [b.text for b in alt1.articles[0].walk() if not isinstance(b, Gap)]
    assert any(t.startswith("This Article does not prevent a Party from adopting") for t in texts)
    assert "disguised restriction on trade; and" in " ".join(texts)
    alt2 = resolve(draft, {alt: "Alt 2"}, default=1)
    assert any(
        t.startswith("Nothing in this Article shall prevent a Member from adopting")
        for t in (b.text for b in alt2.articles[0].walk())
    )
    for _, reading in readings(draft, limit=64):
        _valid(reading)

"""The legal reading on hard drafting: frames, equivalences, the drafting lexicon.

The evaluation sets in ``tests/data/edits`` (363 edits of nine USMCA articles),
``tests/data/edits-second`` (187 edits), ``tests/data/edits-third`` (100 edits) and
``tests/data/edits-fourth`` (73 edits), each
written independently, by reading the drafting, not the code, are scored through :func:`tradeclauses.score` as a
user would: the edited article against its base as the model. The rule: every
substantive edit scores strictly below every cosmetic edit of the same base and carries
its flag; a cosmetic edit carries no substantive flag and scores at least 97.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tradeclauses as tc
from tradeclauses.analysis import Modality, analyse, compare_texts
from tradeclauses.lexicon import LexiconError, lexicon, load_lexicon, using_lexicon

EDITS = Path(__file__).parent / "data" / "edits"
SECOND = Path(__file__).parent / "data" / "edits-second"  # written independently of the first set
THIRD = Path(__file__).parent / "data" / "edits-third"  # written independently of both
FOURTH = Path(__file__).parent / "data" / "edits-fourth"  # and of all three
DOCS_LEXICON = Path(__file__).parents[1] / "docs" / "lexicon.md"


@cache
def _all_cases() -> tuple[dict[str, Any], ...]:
    files = [f for folder in (EDITS, SECOND, THIRD, FOURTH) for f in sorted(folder.glob("*.jsonl"))]
    lines = [line for file in files for line in file.read_text("utf-8").splitlines()]
    return tuple(json.loads(line) for line in lines if line.strip())


def _cases() -> list[dict[str, Any]]:
    return list(_all_cases())


@cache
def _scored(base: str, edited: str) -> tc.scoring.Row:
    card = tc.score(tc.parse(edited), against=tc.parse(base))
    [row] = [r for r in card.rows if r.score is not None]
    return row


def _params() -> list[Any]:
    out = []
    for case in _cases():
        marks = [pytest.mark.xfail(reason=case["known_limitation"], strict=True)] if "known_limitation" in case else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


def test_the_evaluation_set_is_what_its_readme_says() -> None:
    cases = _cases()
    assert len(cases) >= 500
    assert len({c["id"] for c in cases}) == len(cases)
    articles = {c["model_article"] for c in cases}
    assert {"19.1", "19.3", "19.4", "19.8", "19.11", "19.12", "19.15", "19.16", "19.17"} <= articles
    by_flag: dict[str | None, int] = defaultdict(int)
    for c in cases:
        by_flag[c["expected_flag"]] += 1
    assert 0.4 < by_flag[None] / len(cases) < 0.6  # about half cosmetic
    for flag in tc.Flag:
        if flag not in (tc.Flag.TEXT_CHANGED, tc.Flag.ADDED):
            assert by_flag[flag.value] >= 5 or flag.name.startswith("UNENFORCEABLE"), flag


@pytest.mark.parametrize("case", _params())
def test_each_edit_reads_as_a_lawyer_reads_it(case: dict[str, Any]) -> None:
    row = _scored(case["base"], case["edited"])
    explained = [str(f) for f in row.findings]
    if case["effect"] == "cosmetic":
        assert not [f for f in row.findings if f.substantive], (case["note"], explained)
        assert row.score is not None
        assert row.score >= 97, (case["note"], row.score, explained)
    else:
        assert tc.Flag(case["expected_flag"]) in row.flags, (case["note"], explained)
        cosmetic = [
            _scored(c["base"], c["edited"]).score or 0.0
            for c in _cases()
            if c["base"] == case["base"] and c["effect"] == "cosmetic" and "known_limitation" not in c
        ]
        assert row.score is not None
        assert all(row.score < s for s in cosmetic), (case["note"], row.score, explained)


def test_every_finding_says_its_direction_and_aspect() -> None:
    base = next(c["base"] for c in _cases() if c["model_article"] == "19.11")
    row = _scored(base, base.replace("prohibit or restrict the cross", "prohibit the cross"))
    [finding] = row.findings
    assert (finding.flag, finding.aspect, finding.direction) == (tc.Flag.NARROWED_SCOPE, "act", "binds less")
    assert finding.model_evidence == "restrict"


# --------------------------------------------------------------------------- equivalences

P = "the cross-border transfer of information by electronic means"
EQUIVALENT = [
    # (model, draft): equal force, equal reach
    (f"No Party shall prohibit {P}.", f"Each Party shall allow {P}."),
    (f"No Party shall prohibit {P}.", f"Each Party shall permit {P}."),
    (f"No Party shall prohibit or restrict {P}.", f"A Party shall not prohibit or restrict {P}."),
    (f"No Party shall prohibit or restrict {P}.", f"Neither Party shall prohibit or restrict {P}."),
    (f"No Party shall prohibit or restrict {P}.", f"Each Party shall refrain from prohibiting or restricting {P}."),
    (f"No Party shall prohibit or restrict {P}.", f"Each Party shall not prohibit or restrict {P}."),
    (
        f"No Party shall prohibit or restrict {P}.",
        f"{P[0].upper()}{P[1:]} shall not be prohibited or restricted by a Party.",
    ),
    (
        f"No Party shall prohibit or restrict {P}.",
        f"{P[0].upper()}{P[1:]} shall not be prohibited or restricted by any Party.",
    ),
    (
        "No Party shall accord less favorable treatment to a digital product of another Party than it accords to "
        "other like digital products.",
        "Each Party shall accord no less favourable treatment to a digital product of another Party than it accords "
        "to other like digital products.",
    ),
    (
        "No Party shall accord less favorable treatment to a digital product of another Party than it accords to "
        "other like digital products.",
        "Each Party shall accord to a digital product of another Party treatment no less favourable than it accords "
        "to other like digital products.",
    ),
    (
        "No Party shall require a covered person to use or locate computing facilities in that Party's territory "
        "as a condition for conducting business in that territory.",
        "As a condition for conducting business in its territory, no Party shall require a covered person to use "
        "or locate computing facilities in that Party's territory.",
    ),
    (
        f"No Party shall prohibit {P} if this activity is for the conduct of the business of a covered person.",
        f"If this activity is for the conduct of the business of a covered person, no Party shall prohibit {P}.",
    ),
    (
        "No Party shall require the transfer of source code pursuant to its laws as a condition for its import.",
        "No Party shall require the transfer of source code under its laws as a condition for its import.",
    ),
    ("The Parties shall endeavour to exchange information.", "The Parties shall endeavor to exchange information."),
    (
        "The Parties recognise the importance of cybersecurity.",
        "The Parties acknowledge the importance of cybersecurity.",
    ),
    (
        "1. This Article does not prevent a Party from adopting or maintaining a measure inconsistent with "
        "paragraph 1 that is necessary to achieve a legitimate public policy objective.",
        "1. Nothing in this Article shall prevent a Party from adopting or maintaining a measure inconsistent with "
        "paragraph 1 that is necessary to achieve a legitimate public policy objective.",
    ),
    (
        "No Party shall impose customs duties on electronic transmissions, including content transmitted "
        "electronically, between a person of one Party and a person of another Party.",
        "No customs duties shall be imposed by a Party on electronic transmissions, including content transmitted "
        "electronically, between a person of a Party and a person of another Party.",
    ),
]


M19_11 = (
    "No Party shall prohibit or restrict the cross-border transfer of information, including personal information, "
    "by electronic means if this activity is for the conduct of the business of a covered person."
)
EQUIVALENT += [
    (
        M19_11,
        M19_11.replace(
            "No Party shall prohibit or restrict",
            "No Party shall adopt or maintain a measure that prohibits or restricts",
        ),
    ),
    (M19_11, M19_11.replace("if this activity", "where such transfer")),
    (M19_11, M19_11.replace("the cross-border transfer of information", "cross-border data flows")),
    (M19_11, M19_11.replace("if this activity", "when this activity")),
]


C19_12 = (
    "No Party shall require a covered person to use or locate computing facilities in that Party's territory as a "
    "condition for conducting business in that territory."
)
EQUIVALENT += [
    (C19_12, C19_12.replace("No Party shall require", "No Party may require")),
    (M19_11, M19_11.replace("No Party shall prohibit or restrict",
                            "Each Party shall ensure that it does not prohibit or restrict")),
    (M19_11, M19_11.replace("No Party shall prohibit or restrict the cross-border transfer", "Each Party shall ensure "
                            "that the cross-border transfer").replace(" by electronic means if", " by electronic means "
                            "is not prohibited or restricted if")),
    (M19_11, M19_11 + " The Parties shall review the operation of this Article three years after entry into force."),
    (M19_11, M19_11.replace(", including personal information,", ", including but not limited to personal "
                            "information,")),
    (M19_11, M19_11.replace("No Party shall", "No Member shall")),
    ("No Party shall require the transfer of, or access to, source code of software, or to an algorithm expressed in "
     "that source code, as a condition for its import.",
     "No Party shall require the transfer of, or access to, source code of software as a condition for its import. "
     "The same applies to the transfer of, or access to, an algorithm expressed in that source code."),
    ("computing facility means a computer server or storage device for processing information;",
     "computing facility shall mean a computer server or a storage device for processing information;"),
]  # fmt: skip


@pytest.mark.parametrize(("model", "draft"), EQUIVALENT)
def test_equivalent_forms_are_not_a_change(model: str, draft: str) -> None:
    assert compare_texts([model], [draft]) == ()
    assert compare_texts([draft], [model]) == ()
    card = tc.score(tc.parse(f"Article 1: X\n{draft}"), against=tc.parse(f"Article 1: X\n{model}"))
    assert card.overall is not None
    assert card.overall >= 97


DIFFERENT = [
    # (model, draft, flag, aspect)
    (f"No Party shall prohibit or restrict {P}.", f"No Party shall prohibit {P}.", tc.Flag.NARROWED_SCOPE, "act"),
    (f"No Party shall prohibit {P}.", f"Each Party shall prohibit {P}.", tc.Flag.WEAKENED_OBLIGATION, "force"),
    (
        f"No Party shall prohibit {P}.",
        f"{P[0].upper()}{P[1:]} shall not be prohibited.",
        tc.Flag.WEAKENED_OBLIGATION,
        "force",
    ),
    (
        f"No Party shall prohibit {P}.",
        f"{P[0].upper()}{P[1:]} should not be prohibited.",
        tc.Flag.WEAKENED_OBLIGATION,
        "force",
    ),
    (f"No Party shall prohibit {P}.", f"No Party shall unduly prohibit {P}.", tc.Flag.WEAKENED_OBLIGATION, "qualifier"),
    (
        f"No Party shall prohibit {P}.",
        f"Where practicable, no Party shall prohibit {P}.",
        tc.Flag.WEAKENED_OBLIGATION,
        "qualifier",
    ),
    (
        f"No Party shall prohibit {P}.",
        f"No Party shall prohibit {P}. A Party shall not be obliged to apply this Article for a period of three "
        "years after the date of entry into force of this Agreement.",
        tc.Flag.WEAKENED_OBLIGATION,
        "time",
    ),
    (
        "No Party shall require a covered person to use computing facilities in its territory.",
        "No Party shall require a covered investment to use computing facilities in its territory.",
        tc.Flag.NARROWED_SCOPE,
        "beneficiary",
    ),
    (
        "No Party shall require a covered investment to use computing facilities in its territory.",
        "No Party shall require a covered person to use computing facilities in its territory.",
        tc.Flag.BROADENED_SCOPE,
        "beneficiary",
    ),
    (
        f"No Party shall prohibit {P}.",
        f"No Party shall prohibit {P.replace('information', 'personal information')}.",
        tc.Flag.NARROWED_SCOPE,
        "object",
    ),
]


DIFFERENT += [
    (M19_11, M19_11.replace("No Party shall prohibit", "Each Party shall, subject to its domestic law, not prohibit"),
     tc.Flag.WEAKENED_OBLIGATION, "qualifier"),
    (M19_11, M19_11.replace("No Party shall prohibit or restrict", "Each Party shall seek to avoid prohibiting or "
                            "restricting"), tc.Flag.WEAKENED_OBLIGATION, "force"),
    (M19_11, M19_11.replace("No Party shall", "Parties are encouraged not to"), tc.Flag.WEAKENED_OBLIGATION, "force"),
    (M19_11, M19_11.replace("including personal information, ", ""), tc.Flag.NARROWED_SCOPE, "object"),
    (M19_11, M19_11 + " This paragraph is without prejudice to measures a Party adopts to protect personal data.",
     tc.Flag.NEW_EXCEPTION, "exception"),
    (M19_11, M19_11 + " This paragraph is without prejudice to the treatment of financial information.",
     tc.Flag.NARROWED_SCOPE, "carve-out"),
    (M19_11, M19_11.replace(" if this activity is for the conduct of the business of a covered person", ""),
     tc.Flag.BROADENED_SCOPE, "condition"),
    (M19_11, M19_11.replace("No Party shall prohibit or restrict", "No Party shall prohibit"), tc.Flag.NARROWED_SCOPE,
     "act"),
    (M19_11, M19_11.replace("No Party shall prohibit or restrict", "No Party shall restrict"), None, None),
]  # fmt: skip


DIFFERENT += [
    (C19_12, C19_12.replace("No Party shall require", "No Party shall require, except as provided in its laws and "
                            "regulations,"), tc.Flag.WEAKENED_OBLIGATION, "qualifier"),
    (C19_12, C19_12.replace("in that territory.", "in that territory, unless it is necessary to achieve a legitimate "
                            "public policy objective."), tc.Flag.NEW_EXCEPTION, "exception"),
    ("computing facility means a computer server or storage device for processing information;",
     "computing facility includes a computer server or storage device for processing information;",
     tc.Flag.DEFINITION_CHANGED, "definition"),
    (M19_11, M19_11.replace("No Party shall", "No later than two years after the date of entry into force of this "
                            "Agreement, no Party shall"), tc.Flag.WEAKENED_OBLIGATION, "time"),
    (M19_11, M19_11 + " This Article shall not be subject to dispute settlement under Chapter 31.",
     tc.Flag.UNENFORCEABLE, "dispute settlement"),
    # a limb of a negated condition: fewer kinds of discrimination disqualify, so the exception allows more
    ("1. No Party shall restrict transfers of information.\n2. This Article does not prevent a Party from adopting a "
     "measure that is necessary to achieve a legitimate public policy objective, provided that the measure is not "
     "applied in a manner which would constitute a means of arbitrary or unjustifiable discrimination.",
     "1. No Party shall restrict transfers of information.\n2. This Article does not prevent a Party from adopting a "
     "measure that is necessary to achieve a legitimate public policy objective, provided that the measure is not "
     "applied in a manner which would constitute a means of arbitrary discrimination.",
     tc.Flag.BROADENED_EXCEPTION, "condition"),
    # a restatement in a sentence of its own adds nothing, unless it names something new
    ("No Party shall require the transfer of source code of software as a condition for its import.",
     "No Party shall require the transfer of source code of software as a condition for its import. The same "
     "applies to the transfer of an algorithm expressed in that source code.", tc.Flag.BROADENED_SCOPE, "object"),
]  # fmt: skip


@pytest.mark.parametrize(("model", "draft", "flag", "aspect"), DIFFERENT)
def test_each_class_of_difference_is_named(model: str, draft: str, flag: tc.Flag | None, aspect: str | None) -> None:
    findings = compare_texts([model], [draft])
    if flag is None:  # "restrict" includes prohibiting: the lexicon says so
        assert findings == (), [str(f) for f in findings]
        return
    assert (flag, aspect) in {(f.flag, f.aspect) for f in findings}, [str(f) for f in findings]
    assert all(f.substantive for f in findings)


def test_a_footnote_moved_into_a_definition_is_not_a_change() -> None:
    definition = "digital product means a computer program, text, video or image that is digitally encoded;"
    note = "This definition should not be understood to reflect a Party's view that digital products are a service."
    moved = definition.rstrip(";") + ". " + note
    assert compare_texts([definition, note], [moved]) == ()
    narrower = moved.replace("text, video or image", "text or video")
    assert {f.flag for f in compare_texts([definition, note], [narrower])} == {tc.Flag.DEFINITION_CHANGED}


def test_a_passive_that_names_nobody_is_weaker_never_missing() -> None:
    assert analyse(f"{P} shall not be restricted.").modality is Modality.UNATTRIBUTED
    assert analyse(f"{P} shall not be restricted by a Party.").modality is Modality.PROHIBITION
    [finding] = compare_texts([f"No Party shall restrict {P}."], [f"{P} shall not be restricted."])
    assert finding.flag is tc.Flag.WEAKENED_OBLIGATION


# --------------------------------------------------------------------------- frame-preserving rewrites

_SUBJECTS = [
    "No Party shall {v}",
    "A Party shall not {v}",
    "Neither Party shall {v}",
    "Each Party shall refrain from {ving}",
]
_VERBS = [("prohibit or restrict", "prohibiting or restricting"), ("require", "requiring"), ("restrict", "restricting")]
_OBJECTS = [
    "the cross-border transfer of information, including personal information, by electronic means",
    "a covered person to use or locate computing facilities in that Party's territory",
    "the transfer of, or access to, source code of software owned by a person of another Party",
]
_CONDITIONS = ["", "if this activity is for the conduct of the business of a covered person"]


@st.composite
def _provision(draw: st.DrawFn) -> tuple[str, str]:
    verb, ving = draw(st.sampled_from(_VERBS))
    obj = draw(st.sampled_from(_OBJECTS))
    condition = draw(st.sampled_from(_CONDITIONS))
    base = f"No Party shall {verb} {obj}" + (f" {condition}" if condition else "") + "."
    subject = draw(st.sampled_from(_SUBJECTS)).format(v=verb, ving=ving)
    if condition and draw(st.booleans()):  # the condition fronted
        lead = subject[0].lower() + subject[1:]
        rewrite = f"{condition[0].upper()}{condition[1:]}, {lead} {obj}."
    else:
        rewrite = f"{subject} {obj}" + (f" {condition}" if condition else "") + "."
    if draw(st.booleans()):
        rewrite = rewrite.replace("favorable", "favourable").replace("recognize", "recognise")
    label = draw(st.sampled_from(["", "1. ", "(a) ", "2. "]))
    return base, label + rewrite


@settings(max_examples=150, deadline=None)
@given(_provision())
def test_a_frame_preserving_rewrite_never_gives_a_substantive_finding(pair: tuple[str, str]) -> None:
    base, rewrite = pair
    findings = compare_texts([base], [rewrite])
    assert not [f for f in findings if f.substantive], (base, rewrite, [str(f) for f in findings])


# --------------------------------------------------------------------------- the lexicon


def test_every_lexicon_entry_names_its_source() -> None:
    entries = list(lexicon().entries())
    assert len(entries) > 60
    assert all(entry.source.strip() for _, entry in entries)
    tables = {table for table, _ in entries}
    assert {"equivalent", "act", "permissive", "term", "qualifier", "self_judging", "deferral"} <= tables


def test_the_documentation_lists_every_entry() -> None:
    """docs/lexicon.md is generated: `python -c "import tradeclauses as tc; print(tc.lexicon().to_markdown())"`."""
    assert DOCS_LEXICON.read_text(encoding="utf-8") == lexicon().to_markdown() + "\n"


def test_a_users_lexicon_extends_the_reading(tmp_path: Path) -> None:
    model = ["No Party shall prohibit the transfer of machine data by electronic means."]
    draft = ["No Party shall prohibit the transfer of sensor data by electronic means."]
    assert {f.flag for f in compare_texts(model, draft)} == {tc.Flag.TEXT_CHANGED}
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[[term]]\nterm = "machine data"\nnarrower = ["sensor data"]\nsource = "Draft FTA, Art. 3.2"\n',
        encoding="utf-8",
    )
    lex = load_lexicon(mine)
    [finding] = compare_texts(model, draft, lexicon=lex)
    assert (finding.flag, finding.aspect) == (tc.Flag.NARROWED_SCOPE, "object")
    with using_lexicon(lex):
        assert {f.flag for f in compare_texts(model, draft)} == {tc.Flag.NARROWED_SCOPE}
    assert {f.flag for f in compare_texts(model, draft)} == {tc.Flag.TEXT_CHANGED}  # the shipped one again
    card = tc.score(tc.parse("Article 1: X\n" + draft[0]), against=tc.parse("Article 1: X\n" + model[0]), lexicon=lex)
    assert card.rows[0].flags == (tc.Flag.NARROWED_SCOPE,)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[term]\nterm = 1", "not a valid TOML file"),
        ('[[verbs]]\nwords = ["x"]\nsource = "y"\n', "unknown table [[verbs]]"),
        ('[[term]]\nterm = "x"\nnarrower = ["y"]\n', "[[term]] entry 1: source"),
        ('[[deferral]]\npattern = "(unclosed"\nsource = "y"\n', "bad pattern"),
    ],
)
def test_a_bad_lexicon_file_is_named_with_what_is_wrong(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad\.toml") as raised:
        load_lexicon(path)
    assert message in str(raised.value)
    with pytest.raises(LexiconError, match="no such lexicon file"):
        load_lexicon(tmp_path / "missing.toml")

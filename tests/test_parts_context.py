"""Whole agreements, agreement-wide context, gaps and drafting families in scoring.

The cases in tests/data/*-style*.txt are written for these tests in the manner of EU,
ASEAN-centred and amending-protocol drafting; they are not the text of any agreement.
Exact scores will move as the legal reading improves: these tests assert which part is
compared, what aligns to what, which flags land on which rows, and orderings.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

import tradeclauses as tc
from tradeclauses.cli import main
from tradeclauses.context import classify, is_context_article
from tradeclauses.errors import ProvisionNotFoundError, WholeAgreementWarning
from tradeclauses.gaps import is_gap_text
from tradeclauses.parts import find_part
from tradeclauses.protocols import in_force

from .conftest import TOTA, needs_tota

DATA = Path(__file__).parent / "data"
Flag = tc.Flag


def _score(draft: tc.Agreement | Path, **kwargs: object) -> tc.Scorecard:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WholeAgreementWarning)
        return tc.score(draft, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def eu() -> tc.Agreement:
    return tc.parse(DATA / "eu-style-digital-trade.txt")


@pytest.fixture(scope="module")
def rcep() -> tc.Agreement:
    return tc.parse(DATA / "rcep-style-electronic-commerce.txt")


# ----------------------------------------------------------------------------- classification tables

CONTEXT_TABLE = [
    (
        "No Party shall have recourse to dispute settlement under Chapter 19 for any matter arising under this "
        "Article.",
        "dispute_settlement_exclusion",
        "RCEP-style exclusion from dispute settlement",
    ),
    (
        "Chapter 20 (Dispute Settlement) shall not apply to this Section.",
        "dispute_settlement_exclusion",
        "EU-style: the dispute settlement chapter does not apply",
    ),
    (
        "For the purposes of Chapter 14, Article XIV of GATS is incorporated into and made part of this Agreement, "
        "mutatis mutandis.",
        "general_exception",
        "incorporated GATS XIV",
    ),
    (
        "Nothing in this Agreement shall be construed to preclude a Party from applying measures that it considers "
        "necessary for the protection of its own essential security interests.",
        "security_exception",
        "self-judging",
    ),
    (
        "Nothing in this Agreement shall prevent a Party from adopting or maintaining measures for prudential reasons.",
        "prudential",
        "prudential carve-out",
    ),
    (
        "Articles 12.14 and 12.15 shall not apply to measures adopted for the collection of taxes.",
        "scope_carve_out",
        "carve-out naming articles",
    ),
    (
        "The obligations in Article 14.11 shall not apply to the non-conforming aspects of measures adopted in "
        "accordance with Article 9.12.",
        "non_conforming",
        "reservations",
    ),
    (
        "Nothing in this Agreement shall affect the protection of personal data and privacy afforded by the Parties' "
        "respective safeguards.",
        "privacy",
        "EU-style privacy carve-out",
    ),
    (
        "No Party shall require a covered person to use or locate computing facilities in that Party's territory.",
        None,
        "a commitment, not context",
    ),
]


@pytest.mark.parametrize(("text", "kind", "note"), CONTEXT_TABLE, ids=[c[2] for c in CONTEXT_TABLE])
def test_context_provisions_are_read_by_kind(text: str, kind: str | None, note: str) -> None:
    assert classify(text) == kind, note


@pytest.mark.parametrize(
    ("text", "gap"),
    [
        ("[...]", True),
        ("[ … ]", True),
        ("[Text not available]", True),
        ("(text not yet available)", True),
        ("[GAP: paragraph 2 not quoted]", True),
        ("1. No Party shall ...", False),
        ("Reserved for later drafting", False),
    ],
)
def test_gap_marks(text: str, gap: bool) -> None:
    assert is_gap_text(text) is gap


# ----------------------------------------------------------------------------- drafting families (own cases)


def test_eu_style_closed_list_aligns_to_both_data_flow_rows(eu: tc.Agreement) -> None:
    assert eu["12.4"].heading == "Cross-border data flows"  # "ARTICLE 12.4" with the title on the next line
    card = _score(eu)
    assert card.row("19.11").draft_nums == ("12.4",)
    assert card.row("19.12").draft_nums == ("12.4",)  # the closed list also bans localisation requirements
    assert card.alignment.for_model("19.12").kind == "shared"
    for num in ("25.1", "25.2", "12.2"):  # exceptions and the right to regulate stand in for nothing
        assert all(num not in r.draft_nums for r in card.rows), num


def test_eu_style_carve_outs_and_privacy_are_held_against_the_rows(eu: tc.Agreement) -> None:
    card = _score(eu)
    row = card.row("19.11")
    privacy = [f for f in row.findings if f.flag is Flag.NEW_EXCEPTION and "12.5" in f.explanation]
    assert privacy, row.explain()
    assert "personal data" in privacy[0].draft_evidence
    audiovisual = [f for f in row.findings if f.flag is Flag.NARROWED_SCOPE and "audio-visual" in f.draft_evidence]
    assert audiovisual, row.explain()
    # government-held information is carved out by the model too: no finding for 12.1(4)
    assert not any("information held" in f.draft_evidence for f in row.findings)
    kinds = {c.kind: c for c in card.context}
    assert kinds["general_exception"].source_num == "25.1"
    assert kinds["security_exception"].self_judging
    assert not any("25." in f.explanation for f in row.findings)  # the model has the same exceptions


def test_article_digit_numbering() -> None:
    draft = tc.parse(DATA / "digit-numbering.txt")
    assert [a.num for a in draft.articles] == ["DIGIT.6", "DIGIT.7"]
    card = _score(draft)
    assert card.row("19.11").draft_nums == ("DIGIT.6",)


def test_rcep_style_alignment_and_context(rcep: tc.Agreement) -> None:
    card = _score(rcep)
    assert card.row("19.11").draft_nums == ("12.15",)
    assert card.row("19.12").draft_nums == ("12.14",)
    assert all("12.17" not in r.draft_nums for r in card.rows)  # the dispute-settlement article is no commitment
    for num in ("19.11", "19.12"):
        row = card.row(num)
        assert Flag.UNENFORCEABLE in row.flags, row.explain()
        assert not [f for f in row.findings if f.flag is Flag.ADDED and "dispute" in f.draft_evidence]
    assert Flag.BROADENED_EXCEPTION in card.row("19.11").flags  # "it considers necessary"
    excluded = next(c for c in card.context if c.kind == "dispute_settlement_exclusion")
    assert excluded.source_num == "12.17"
    assert {"12.14", "12.15"} <= set(excluded.applies_to_nums)
    added = next(a for a in card.added if a.draft_num == "12.17")
    assert Flag.UNENFORCEABLE in added.flags
    assert {"19.11", "19.12"} <= set(added.applies_to)


def test_ds_exclusion_inside_the_article_is_not_an_added_prohibition() -> None:
    text = (DATA / "rcep-style-electronic-commerce.txt").read_text("utf-8")
    text = text.replace(
        "Such measures shall not be disputed by other Parties.\n[^1]",
        "Such measures shall not be disputed by other Parties.\n4. No Party shall have recourse to dispute "
        "settlement under Chapter 19 (Dispute Settlement) for any matter arising under this Article.\n[^1]",
    )
    row = _score(tc.parse(text)).row("19.11")
    assert Flag.UNENFORCEABLE in row.flags
    assert not any(f.flag is Flag.ADDED and "recourse" in f.draft_evidence for f in row.findings), row.explain()


def test_protocol_puts_its_replacement_article_in_force() -> None:
    protocol = tc.parse(DATA / "protocol-style-data-flows.txt")
    card = _score(protocol)
    assert card.row("19.11").draft_nums == ("8.81",)
    assert card.row("19.12").draft_nums == ("8.81",)
    assert all("1" not in r.draft_nums for r in card.rows)
    assert in_force(protocol)["8.81"].notes[0].startswith("put in force by Article 1")


def test_gap_rows_are_not_scored_and_coverage_says_so() -> None:
    card = _score(DATA / "gap-data-flows.txt")
    row = card.row("19.11")
    assert row.verdict == "not scored", row.explain()
    assert row.score is None
    assert "not available" in row.note
    assert card.row("19.12").score == 100.0
    full = _score(
        tc.parse(
            (DATA / "gap-data-flows.txt")
            .read_text("utf-8")
            .replace(
                "[text not available]",
                "1. No Party shall prohibit or restrict the cross-border transfer of information.",
            )
        )
    )
    assert card.coverage < full.coverage
    assert card.draft_coverage < 1.0 == full.draft_coverage or full.draft_coverage < 1.0
    assert "19.11" in card.not_scored_why()
    assert "not available" in str(card)


def test_whole_agreement_warns_and_chapter_chooses(eu: tc.Agreement) -> None:
    with pytest.warns(WholeAgreementWarning, match="Chapter 12"):
        card = tc.score(eu)
    assert card.part is not None
    assert card.part.label.startswith("Chapter 12")
    chosen = _score(eu, chapter="exceptions")
    assert chosen.part is not None
    assert chosen.part.chosen_by == "user"
    assert chosen.row("19.11").draft_ids == ()
    with pytest.raises(ProvisionNotFoundError, match="chapters"):
        tc.score(eu, chapter="99")
    assert eu.select(chapter="digital trade").articles[0].num == "12.1"


def test_scorecard_names_part_context_and_rows_not_scored(
    rcep: tc.Agreement, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = _score(rcep)
    text, md, page = str(card), card.to_markdown(), card.to_html()
    for out in (text, md, page):
        assert "Chapter 12 ELECTRONIC COMMERCE" in out
        assert "dispute settlement exclusion: Article 12.17" in out
        assert "the model does not hold this article" in out
    again = tc.Scorecard.model_validate_json(card.model_dump_json())
    assert again.part == card.part
    assert again.context == card.context
    pytest.importorskip("pandas")
    frame = card.to_frame()
    assert frame.attrs["part"].startswith("Chapter 12")
    assert "12.17" in frame.loc["19.11", "context"]
    path = DATA / "rcep-style-electronic-commerce.txt"
    assert main(["score", str(path), "--chapter", "17", "--output", str(tmp_path / "o.txt")]) == 0
    assert "Chapter 17" in (tmp_path / "o.txt").read_text("utf-8")
    assert main(["score", str(path)]) == 0
    assert "whole agreement" in capsys.readouterr().err


def test_exceptions_article_is_context() -> None:
    a = tc.parse(
        "Article 7: Exceptions\n1. Nothing in this Chapter shall be construed to prevent a Party from "
        "adopting measures necessary to protect public morals.\nArticle 8: Data\n1. No Party shall "
        "require a covered person to use computing facilities in its territory. Nothing in this Article "
        "shall prevent a Party from adopting measures for its essential security interests."
    )
    assert is_context_article(a["7"])
    assert not is_context_article(a["8"])


# ----------------------------------------------------------------------------- real agreements (../shared)


@pytest.fixture(scope="module")
def tota() -> tc.corpus.Corpus:
    if not TOTA.is_dir():
        pytest.skip("the ToTA corpus (../shared/corpus/tota/xml) is not beside the repository")
    return tc.corpus.tota(TOTA)


def _context_free(card: tc.Scorecard) -> dict[str, tuple[str, ...]]:
    return {
        r.model_num: tuple(f.flag.value for f in r.findings if "draft Article" not in f.explanation) for r in card.rows
    }


@needs_tota
@pytest.mark.corpus
@pytest.mark.parametrize(("pta", "chapter"), [("449", "14"), ("159", "FIFTEEN"), ("145", None)])
def test_whole_agreement_scores_its_e_commerce_part(tota: tc.corpus.Corpus, pta: str, chapter: str | None) -> None:
    whole = tota[pta]
    with pytest.warns(WholeAgreementWarning):
        card = tc.score(whole)
    part = find_part(whole)
    if chapter is not None:
        assert part.label.startswith(f"Chapter {chapter}")
        alone = tc.score(whole.select(chapter=chapter))
    else:  # EU-Korea: Section F "Electronic commerce" of Chapter Seven
        assert part.chosen_by == "section"
        assert part.article_nums == ("7.48", "7.49")
        alone = tc.score(whole.select(articles=part.article_nums))
    assert card.alignment.mapping() == alone.alignment.mapping()
    assert _context_free(card) == _context_free(alone)
    for r in card.rows:  # only context findings (quoting other chapters) may differ
        extra = [f for f in r.findings if f not in alone.row(r.model_num).findings]
        assert all("draft Article" in f.explanation for f in extra), r.explain()
    assert all(set(c.applies_to) <= set(part.article_ids) for c in card.context)


@needs_tota
@pytest.mark.corpus
def test_whole_tpp_context_reaches_chapter_14_only_where_it_says_so(tota: tc.corpus.Corpus) -> None:
    card = _score(tota["449"])
    sources = {c.source_num: c for c in card.context}
    assert sources["29.1"].kind in ("general_exception", "nothing_in")
    assert any(c.kind == "general_exception" and c.incorporates == "GATS Article XIV" for c in card.context)
    assert sources["29.2"].kind == "security_exception"
    assert sources["29.2"].self_judging
    assert "11.11" in sources  # the prudential exception reaches "this Agreement" but the goods chapters
    assert not any(c.source_num.startswith("8.") for c in card.context)  # "Nothing in this Chapter" of TBT
    transitional = [c for c in card.context if c.kind == "dispute_settlement_exclusion"]
    assert transitional
    assert all(c.temporary for c in transitional)
    assert Flag.UNENFORCEABLE not in card.row("19.11").flags  # Malaysia's and Viet Nam's two years only


@needs_tota
@pytest.mark.corpus
def test_eu_korea_exceptions_article_never_stands_for_a_commitment(tota: tc.corpus.Corpus) -> None:
    chapter7 = tota["145"].select(chapter="SEVEN")
    card = tc.score(chapter7)
    assert all("7.50" not in r.draft_nums for r in card.rows)  # the Exceptions article
    assert _score(tota["145"]).row("19.11").draft_ids == ()  # nothing of EU-Korea is a data-flow commitment


@needs_tota
@pytest.mark.corpus
def test_every_tota_e_commerce_chapter_is_the_chosen_part(tota: tc.corpus.Corpus) -> None:
    pattern = re.compile(r"electronic\s+commerce|e-commerce", re.IGNORECASE)
    checked, misses = 0, []
    for key in tota.keys:
        raw = (TOTA / f"pta_{key}.xml").read_bytes()
        if not re.search(rb'<chapter[^>]*name="[^"]*(?:[Ee]lectronic\s+[Cc]ommerce|E-[Cc]ommerce)', raw, re.I):
            continue
        whole = tota[key]
        chapters = {c.id for c in whole.chapters if c.heading and pattern.search(c.heading)}
        if not chapters:
            continue
        checked += 1
        part = find_part(whole)
        if not set(part.chapters) <= chapters or not part.article_ids:
            misses.append((key, part.label))
    assert checked >= 50
    assert misses == []


def test_eu_style_closed_list_is_a_narrower_binding_ban(eu: tc.Agreement) -> None:
    """A closed list of prohibited localisation measures binds (not weaker), but only on the listed measures."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WholeAgreementWarning)
        row = tc.score(eu).row("19.11")
    flows = [f for f in row.findings if f.draft_evidence.startswith("by:")]
    assert [(f.flag, f.aspect) for f in flows] == [(tc.Flag.NARROWED_SCOPE, "act")]
    assert tc.Flag.WEAKENED_OBLIGATION not in row.flags
    assert not [f for f in row.findings if f.flag is tc.Flag.BROADENED_SCOPE and "by:" in f.draft_evidence]


@needs_tota
@pytest.mark.corpus
def test_scores_rank_agreements_as_scholarship_does(tota: tc.corpus.Corpus, eu: tc.Agreement,
                                                    rcep: tc.Agreement) -> None:  # fmt: skip
    """USMCA > TPP > EU-style > RCEP-style > KORUS > EU-Korea on the data-flow rows and overall
    (Kendall tau-b >= 0.8, as benchmarks/ranking.py prints)."""
    from scipy.stats import kendalltau

    drafts = [tc.load("usmca"), tota["449"], eu, rcep, tota["159"], tota["145"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", WholeAgreementWarning)
        cards = [tc.score(d) for d in drafts]

    def data_flow(card: tc.Scorecard) -> float:
        rows = [card.row(n) for n in ("19.11", "19.12")]
        return sum(r.weight * (r.score or 0.0) for r in rows) / sum(r.weight for r in rows)

    expected = list(range(len(drafts), 0, -1))
    overall = kendalltau(expected, [c.overall or 0.0 for c in cards]).statistic
    flows = kendalltau(expected, [data_flow(c) for c in cards]).statistic
    assert overall >= 0.8, [c.overall for c in cards]
    assert flows >= 0.8, [data_flow(c) for c in cards]

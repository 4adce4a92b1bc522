"""Diffing two versions of an agreement: structure, redline, legal findings, outputs and the CLI."""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradeclauses as tc
from tradeclauses.cli import main
from tradeclauses.diffing import AgreementDiff, DiffKind, body, diff, redline
from tradeclauses.model import Agreement, Article, Chapter, Paragraph
from tradeclauses.read.brackets import read_bracketed
from tradeclauses.render.diff import to_html, to_markdown, to_text

from .conftest import TEXTS, TOTA, needs_shared, needs_tota

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "agreements" / "examples" / "draft-digital-trade.txt"


@pytest.fixture(scope="module")
def usmca() -> Agreement:
    return tc.load("usmca")


# ----------------------------------------------------------------------------- generated agreements

WORDS = [
    "Party",
    "shall",
    "not",
    "require",
    "covered",
    "person",
    "transfer",
    "information",
    "electronic",
    "means",
    "measure",
    "territory",
    "endeavour",
    "recognise",
    "cooperate",
    "exception",
    "necessary",
    "legitimate",
    "objective",
    "business",
    "computing",
    "facility",
    "source",
    "code",
    "consumer",
    "protection",
    "digital",
    "product",
    "customs",
    "duty",
]

_sentence = st.lists(st.sampled_from(WORDS), min_size=4, max_size=14).map(lambda ws: " ".join(ws) + ".")


@st.composite
def agreements(draw: st.DrawFn, prefix: str = "a") -> Agreement:
    """An agreement of 1-7 articles, each of 1-4 numbered paragraphs of legal-sounding words."""
    n_articles = draw(st.integers(1, 7))
    articles = []
    for k in range(1, n_articles + 1):
        art_id = f"{prefix}/ch1/art{k}"
        paras = draw(st.lists(_sentence, min_size=1, max_size=4))
        children = tuple(Paragraph(id=f"{art_id}/para{i}", num=str(i), intro=t) for i, t in enumerate(paras, 1))
        heading = draw(st.sampled_from(["Definitions", "Data Flows", "Source Code", "Cooperation", None]))
        articles.append(Article(id=art_id, num=f"1.{k}", heading=heading, children=children))
    return Agreement(
        id=prefix, title=prefix.upper(), chapters=(Chapter(id=f"{prefix}/ch1", num="1", articles=tuple(articles)),)
    )


def _rebuild(prefix: str, articles: Sequence[tuple[str | None, str | None, list[str]]]) -> Agreement:
    """A new agreement (ids under ``prefix``) from (number, heading, paragraph texts) triples."""
    arts = []
    for k, (num, heading, paras) in enumerate(articles, 1):
        art_id = f"{prefix}/ch1/art{k}"
        children = tuple(Paragraph(id=f"{art_id}/para{i}", num=str(i), intro=t) for i, t in enumerate(paras, 1))
        arts.append(Article(id=art_id, num=num, heading=heading, children=children))
    return Agreement(
        id=prefix, title=prefix.upper(), chapters=(Chapter(id=f"{prefix}/ch1", num="1", articles=tuple(arts)),)
    )


def _triples(agreement: Agreement) -> list[tuple[str | None, str | None, list[str]]]:
    return [(a.num, a.heading, [p.intro for p in a.paragraphs]) for a in agreement.articles]


@st.composite
def edited(draw: st.DrawFn) -> tuple[Agreement, Agreement]:
    """An agreement and a later version: words changed, paragraphs and articles added, removed, reordered."""
    a = draw(agreements())
    arts = _triples(a)
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["word", "drop_para", "add_para", "drop_art", "add_art", "swap", "renumber"]))
        k = draw(st.integers(0, len(arts) - 1)) if arts else 0
        if op == "add_art" or not arts:
            arts.insert(k, (f"9.{len(arts) + 1}", "New Article", [draw(_sentence)]))
        elif op == "word":
            num, heading, paras = arts[k]
            i = draw(st.integers(0, len(paras) - 1))
            ws = paras[i].split()
            ws[draw(st.integers(0, len(ws) - 1))] = draw(st.sampled_from(["may", "endeavour", "all", "any"]))
            arts[k] = (num, heading, [*paras[:i], " ".join(ws), *paras[i + 1 :]])
        elif op == "drop_para" and len(arts[k][2]) > 1:
            num, heading, paras = arts[k]
            arts[k] = (num, heading, paras[1:])
        elif op == "add_para":
            num, heading, paras = arts[k]
            arts[k] = (num, heading, [*paras, draw(_sentence)])
        elif op == "drop_art" and len(arts) > 1:
            del arts[k]
        elif op == "swap" and len(arts) > 1:
            arts[0], arts[-1] = arts[-1], arts[0]
        elif op == "renumber":
            num, heading, paras = arts[k]
            arts[k] = (f"{num}0", heading, paras)
    return a, _rebuild("b", arts)


_settings = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(agreements())
def test_an_agreement_against_itself_has_no_changes(a: Agreement) -> None:
    d = diff(a, a)
    assert d.identical
    assert len(d) == 0
    assert d.counts(None) == {}


@_settings
@given(edited())
def test_applying_the_diff_to_old_gives_new_word_for_word(pair: tuple[Agreement, Agreement]) -> None:
    a, b = pair
    d = diff(a, b)
    assert body(d.apply(a)) == body(b)
    assert body(d.mirror.apply(b)) == body(a)


@_settings
@given(edited())
def test_diff_b_a_is_the_mirror_of_diff_a_b(pair: tuple[Agreement, Agreement]) -> None:
    a, b = pair
    forward, backward = diff(a, b), diff(b, a)
    assert forward.mirror == backward
    assert backward.mirror == forward
    added = sum(1 for c in forward.changes if DiffKind.ADDED in c.kinds)
    removed = sum(1 for c in backward.changes if DiffKind.REMOVED in c.kinds)
    assert added == removed
    ins = [s.text for c in forward.entries for s in c.redline if s.op == "insert"]
    dels = [s.text for c in backward.entries for s in c.redline if s.op == "delete"]
    assert sorted(ins) == sorted(dels)


@_settings
@given(agreements(), st.randoms(use_true_random=False))
def test_renumbering_and_reordering_gives_only_renumbered_and_moved(a: Agreement, rnd: object) -> None:
    arts = _triples(a)
    rnd.shuffle(arts)  # type: ignore[attr-defined]
    renumbered = [(f"7.{k}", h, ps) for k, (_, h, ps) in enumerate(arts, 1)]
    b = _rebuild("b", renumbered)
    b = b.replace(
        chapters=tuple(
            c.replace(
                articles=tuple(
                    art.replace(children=tuple(p.replace(num=f"({i})") for i, p in enumerate(art.paragraphs, 1)))
                    for art in c.articles
                )
            )
            for c in b.chapters
        )
    )
    d = diff(a, b)
    kinds = {k for c in d.entries for k in c.kinds}
    assert kinds <= {DiffKind.RENUMBERED, DiffKind.MOVED}
    assert not any(c.substantive for c in d.entries)
    assert DiffKind.RENUMBERED in kinds  # every article got a new number


def _usmca_renumbered(usmca: Agreement, order: list[int]) -> Agreement:
    arts = list(usmca.articles)
    moved = [arts[i].replace(num=f"8.{n}") for n, i in enumerate(order, 1)]
    return usmca.replace(chapters=(usmca.chapters[0].replace(articles=tuple(moved)),))


@settings(max_examples=25, deadline=None)
@given(st.permutations(list(range(18))))
def test_usmca_renumbered_and_reordered_is_only_renumbered_and_moved(order: list[int]) -> None:
    usmca = tc.load("usmca")
    new = _usmca_renumbered(usmca, order)
    d = diff(usmca, new)
    assert {k for c in d.entries for k in c.kinds} <= {DiffKind.RENUMBERED, DiffKind.MOVED}
    assert d.mirror == diff(new, usmca)
    assert body(d.apply(usmca)) == body(new)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(["19.11", "19.12", "19.15", "19.16"]), st.integers(0, 30), st.sampled_from(["may", "all"]))
def test_usmca_with_one_word_changed_applies_and_mirrors(num: str, at: int, word: str) -> None:
    usmca = tc.load("usmca")
    art = usmca.article(num)
    para = art.paragraphs[0]
    ws = para.intro.split()
    ws[at % len(ws)] = word
    changed = art.replace(children=(para.replace(intro=" ".join(ws)), *art.children[1:]))
    new = usmca.replace(
        chapters=(usmca.chapters[0].replace(articles=tuple(changed if a.id == art.id else a for a in usmca.articles)),)
    )
    d = diff(usmca, new)
    assert [c.title for c in d.changes if c.level == "article"] == [num]
    assert body(d.apply(usmca)) == body(new)
    assert d.mirror == diff(new, usmca)


# ----------------------------------------------------------------------------- redline, footnotes, alternatives


@pytest.mark.parametrize(
    ("old", "new", "note"),
    [
        ("the cross-border trans-\nfer of information", "the cross-border transfer of information", "PDF line break"),
        ("each Party  shall\tendeavour", "each Party shall endeavor", "whitespace and British spelling"),
        ("the Party’s territory.[^5]", "the Party's territory.", "curly quote and footnote mark"),
        ("Each Party shall", "each Party shall", "case"),
    ],
)
def test_redline_ignores_layout_and_spelling(old: str, new: str, note: str) -> None:
    assert {s.op for s in redline(old, new)} == {"equal"}, note


def test_redline_marks_the_words_deleted_and_inserted() -> None:
    segments = redline(
        "Each Party shall allow the cross-border transfer of information",
        "No Party shall prohibit or restrict the cross-border transfer of information",
    )
    assert [s.text for s in segments if s.op == "delete"] == ["Each", "allow"]
    assert [s.text for s in segments if s.op == "insert"] == ["No", "prohibit or restrict"]
    assert " ".join(s.new_side for s in segments if s.new_side).startswith("No Party shall prohibit")


def test_a_cross_reference_number_is_a_real_change() -> None:
    assert any(s.op != "equal" for s in redline("inconsistent with paragraph 2.", "inconsistent with paragraph 1."))


def _with_note(usmca: Agreement, text: str, num: str = "5") -> Agreement:
    art = usmca.article("19.11")
    note = art.footnotes[0].replace(text=text, num=num)
    new_art = art.replace(footnotes=(note,))
    return usmca.replace(
        chapters=(usmca.chapters[0].replace(articles=tuple(new_art if a.id == art.id else a for a in usmca.articles)),)
    )


def test_footnotes_are_compared_as_footnotes(usmca: Agreement) -> None:
    renumbered = _with_note(usmca, usmca.article("19.11").footnotes[0].text, num="12")
    assert diff(usmca, renumbered).identical  # a footnote's number is not a change
    text = usmca.article("19.11").footnotes[0].text.replace("solely on the basis", "on the basis")
    edited = _with_note(usmca, text)
    d = diff(usmca, edited)
    levels = {c.level: c for c in d.changes}
    assert set(levels) == {"article", "footnote"}  # no paragraph is reported as changed
    assert levels["footnote"].kinds == (DiffKind.MODIFIED,)
    assert [s.text for s in levels["footnote"].redline if s.op != "equal"] == ["solely"]


def test_a_change_inside_an_alternative_is_reported_against_it() -> None:
    old = read_bracketed(
        "Article 1: Flows\n1. [US: No Party shall prohibit or restrict transfers.] "
        "[EU: Each Party may regulate transfers.]"
    )
    new = read_bracketed(
        "Article 1: Flows\n1. [US: No Party shall prohibit or restrict transfers of information.] "
        "[EU: Each Party may regulate transfers.]"
    )
    d = diff(old, new)
    alternatives = [c for c in d.changes if c.level == "alternative"]
    assert len(alternatives) == 1
    alt = alternatives[0]
    assert (alt.new_slot, alt.new_label) == ("1", "1")
    assert [s.text for s in alt.redline if s.op == "insert"] == ["transfers of information."]
    assert body(d.apply(old)) == body(new)


def test_substantive_only_keeps_legal_changes(usmca: Agreement) -> None:
    draft = tc.parse(EXAMPLE)
    d = diff(usmca, draft)
    sub = diff(usmca, draft, substantive_only=True)
    assert sub.changes == d.substantive.changes
    assert sub.changes
    assert all(c.substantive for c in sub.changes)
    assert len(sub.changes) < len(d.changes)
    row = sub.article("19.11")
    assert "WEAKENED_OBLIGATION" in {f.flag.value for f in row.findings}


def test_inputs_by_name_path_and_text(usmca: Agreement, tmp_path: Path) -> None:
    path = tmp_path / "v2.txt"
    path.write_text(
        "Article 19.12: Location\nNo Party shall require a covered person to use or locate computing "
        "facilities in that Party's territory as a condition for conducting business in that territory.\n"
    )
    by_name = diff("usmca", path)
    assert by_name.old_id == "usmca"
    assert by_name.article("19.12").kinds == ()  # same words, heading not given in the shipped text
    with pytest.raises(tc.errors.UnknownAgreementError):
        diff("no-such-agreement", path)


def test_missing_articles_of_the_model_are_not_comparable(usmca: Agreement) -> None:
    draft = tc.parse(EXAMPLE)
    d = diff(draft, usmca)
    for num in usmca.coverage.missing:
        change = d.article(num)
        assert DiffKind.NOT_COMPARABLE in change.kinds, num
        assert DiffKind.ADDED not in change.kinds


# ----------------------------------------------------------------------------- outputs


@pytest.fixture(scope="module")
def example_diff(usmca: Agreement) -> AgreementDiff:
    return diff(usmca, tc.parse(EXAMPLE))


def test_outputs_render_the_redline(example_diff: AgreementDiff) -> None:
    d = example_diff
    plain = to_text(d, colour=False)
    assert plain.startswith(d.summary())
    assert "[-" in plain
    assert "{+" in plain
    assert "\x1b[" not in plain
    coloured = to_text(d, colour=True)
    assert "\x1b[9;31m" in coloured  # deletions struck through in red
    assert "\x1b[4;32m" in coloured  # insertions underlined in green
    md = to_markdown(d)
    assert md.startswith("# USMCA → ")
    assert "~~" in md
    assert "**" in md
    page = to_html(d)
    assert page.startswith("<!DOCTYPE html>")
    assert "<del>" in page
    assert "<ins>" in page
    assert "<nav>" in page
    assert 'href="#c-' in page
    side = to_html(d, view="side-by-side")
    assert 'class="sbs"' in side
    assert 'td class="old"' in side
    assert "<del>" in d._repr_html_()


def test_json_round_trip_and_determinism(example_diff: AgreementDiff, usmca: Agreement) -> None:
    text = example_diff.model_dump_json()
    assert AgreementDiff.model_validate_json(text) == example_diff
    assert diff(usmca, tc.parse(EXAMPLE)).model_dump_json() == text


def test_summary_lists_counts_then_substantive_changes(example_diff: AgreementDiff) -> None:
    lines = example_diff.summary().splitlines()
    assert lines[1].startswith("  articles: ")
    assert "Substantive changes, by article:" in lines
    assert any(line.startswith("  19.11 → 8.4") for line in lines)


# ----------------------------------------------------------------------------- CLI


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "usmca", "usmca"]) == 0
    assert "no changes" in capsys.readouterr().out
    assert main(["diff", "usmca", str(EXAMPLE)]) == 1
    assert "Substantive changes" in capsys.readouterr().out
    assert main(["diff", "usmca", str(tmp_path / "missing.txt")]) == 2
    assert capsys.readouterr().err.startswith("tradeclauses: error:")


def test_cli_formats_and_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "diff.html"
    assert main(["diff", "usmca", str(EXAMPLE), "--format", "html", "--view", "side-by-side", "-o", str(out)]) == 1
    assert "<ins>" in out.read_text("utf-8")
    assert "changes" in capsys.readouterr().err  # the summary goes to stderr when writing a file
    assert main(["diff", "usmca", str(EXAMPLE), "--format", "json", "--substantive-only"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["substantive_only"] is True
    assert main(["diff", "usmca", str(EXAMPLE), "--format", "markdown"]) == 1
    assert capsys.readouterr().out.startswith("# USMCA")


# ----------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def tpp14() -> Agreement:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return tc.corpus.tota(TOTA)["449"].select(chapter="14")


@needs_tota
def test_tpp_14_against_usmca_19(tpp14: Agreement, usmca: Agreement) -> None:
    d = diff(tpp14, usmca)
    # 14.11 -> 19.11: modified; "shall allow" and "shall not prohibit" bind alike, but USMCA also
    # reaches restrictions; the recognition paragraph removed
    flows = d.article("14.11")
    assert flows.new_nums == ("19.11",)
    assert DiffKind.MODIFIED in flows.kinds
    assert not {tc.Flag.STRENGTHENED_OBLIGATION, tc.Flag.WEAKENED_OBLIGATION} & {f.flag for f in flows.findings}
    stronger = [f for f in flows.findings if f.flag is tc.Flag.BROADENED_SCOPE and f.aspect == "act"]
    assert [(f.draft_evidence, f.direction) for f in stronger] == [("restrict", "binds more")]
    paras = {c.old_nums: c for c in d.children(flows) if c.level == "paragraph"}
    assert paras[("1",)].kinds == (DiffKind.REMOVED,)
    assert paras[("1",)].old_text.startswith("The Parties recognise that each Party may have its own regulatory")
    assert stronger[0] in paras[("2",)].findings
    # 14.13 -> 19.12: renumbered and modified, its exception paragraph removed (a narrowed exception)
    location = d.article("14.13")
    assert location.new_nums == ("19.12",)
    assert {DiffKind.RENUMBERED, DiffKind.MODIFIED} <= set(location.kinds)
    exception = next(c for c in d.children(location) if c.old_nums == ("3",))
    assert exception.kinds == (DiffKind.REMOVED,)
    assert tc.Flag.NARROWED_EXCEPTION in {f.flag for f in exception.findings}
    assert exception.substantive
    # 14.12 and 14.18: no counterpart
    for num in ("14.12", "14.18"):
        assert d.article(num).kinds == (DiffKind.REMOVED,)
        assert d.article(num).new == ()
    # the articles the shipped USMCA does not hold: not comparable, never removed or added
    for num in usmca.coverage.missing:
        change = d.article(num)
        assert change.kinds == (DiffKind.NOT_COMPARABLE,), num
    assert d.article("14.3").kinds == (DiffKind.NOT_COMPARABLE,)  # Customs Duties, by its heading
    assert "Substantive changes, by article:" in d.summary()


@needs_tota
@needs_shared
def test_tpp_from_tota_against_the_cleaned_text_is_cosmetic(tpp14: Agreement) -> None:
    cleaned = tc.parse(TEXTS / "tpp-ch14.txt")
    d = diff(tpp14, cleaned)
    assert not [c for c in d.changes if not c.cosmetic]
    assert not any(c.substantive for c in d.entries)
    assert body(d.apply(tpp14)) == body(cleaned)

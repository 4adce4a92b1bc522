"""The clause graph: USMCA's own relations, exports, queries and alignment edges."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

import tradeclauses as tc
from tradeclauses.clausegraph import ClauseGraph, dependents, depends_on, graph, without_counterpart
from tradeclauses.errors import GraphError, MissingDependencyError
from tradeclauses.model import Agreement, Article, Chapter, Paragraph, Subparagraph

from .conftest import TOTA, needs_tota


@pytest.fixture(scope="module")
def usmca_graph() -> ClauseGraph:
    return graph(tc.load("usmca"))


def _edges(G: ClauseGraph, rel: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, r in G.nx.edges(data="rel") if r == rel}


def test_19_11_and_19_12_reach_covered_person_and_article_17_1(usmca_graph: ClauseGraph) -> None:
    for art in ("usmca/ch19/art19.11", "usmca/ch19/art19.12"):
        deps = depends_on(usmca_graph, art)
        assert "usmca/ch19/art19.1/def-covered-person" in deps
        assert "usmca/unresolved/article-17-1" in deps
    unresolved = {r.text: r for r in usmca_graph.unresolved}
    assert unresolved["Article 17.1 (Definitions)"].source == "usmca/ch19/art19.1/def-covered-person"
    assert unresolved["Article 17.1 (Definitions)"].reason == "Chapter 17 is not in this text"


def test_exception_paragraph_of_19_11_excepts_paragraph_1(usmca_graph: ClauseGraph) -> None:
    excepts = _edges(usmca_graph, "excepts")
    assert ("usmca/ch19/art19.11/para2", "usmca/ch19/art19.11/para1") in excepts
    # "This Article does not preclude ..." limits the article's obligation
    assert ("usmca/ch19/art19.16/para2", "usmca/ch19/art19.16/para1") in excepts
    # an obligation is not an exception
    assert not any(u == "usmca/ch19/art19.11/para1" for u, _ in excepts)


def test_no_reference_in_chapter_19_is_silently_unresolved(usmca_graph: ClauseGraph) -> None:
    listed = {(r.source, r.target) for r in usmca_graph.unresolved}
    refs = [(u, v, d) for u, v, d in usmca_graph.nx.edges(data=True) if d["rel"] == "refers_to"]
    assert len(refs) >= 9
    for u, v, d in refs:
        kind = usmca_graph.nx.nodes[v]["kind"]
        assert d["resolved"] == (kind != "unresolved")
        if not d["resolved"]:
            assert (u, v) in listed
            assert usmca_graph.nx.nodes[v]["reason"]
    assert {r.text for r in usmca_graph.unresolved} == {
        "Article 17.1 (Definitions)",
        "Article 1.5 (General Definitions)",
        "Article 14.1 (Definitions)",
        "Article 15.1 (Definitions)",
        "paragraph 4",
    }


# fmt: off
REFERENCES = [
    # (paragraph text, expected targets, note)
    ("Nothing in paragraph 2 applies.", ["d/art1/para2"], "a paragraph of the same article"),
    ("This Article applies.", ["d/art1"], "this Article"),
    ("As provided in paragraph 2(a).", ["d/art1/para2/a"], "paragraph with subparagraph"),
    ("Subject to subparagraph (b) of paragraph 2 of Article 2.",
     ["d/unresolved/subparagraph-b-of-paragraph-2-of-article-2"], "an article that is not there"),
    ("Subject to subparagraph (b) of paragraph 2.", ["d/art1/para2/b"], "subparagraph of a paragraph"),
    ("Articles 1 and 3 apply.", ["d/art1", "d/art3"], "a list of articles"),
    ("Article XIV of GATS is incorporated.", ["d/unresolved/article-xiv-of-gats"], "another treaty"),
    ("Chapter 17 (Financial Services) prevails.", ["d/unresolved/chapter-17"], "a chapter not in the text"),
    ("as defined in Article 3 (Definitions).", ["d/art3"], "as defined in, with a title"),
    ("paragraphs 1 through 3 apply.", ["d/art1/para1", "d/art1/para2", "d/unresolved/article-1-paragraph-3"],
     "a range"),
    ("Articles 1, 3, and 4 apply.", ["d/art1", "d/art3", "d/unresolved/article-4"], "a serial comma before the last"),
    ("subparagraphs (a) and (b) of paragraph 2 apply.", ["d/art1/para2/a", "d/art1/para2/b"],
     "a list of subparagraphs of a paragraph"),
    ("subparagraphs (a) through (b) of paragraph 2 apply.", ["d/art1/para2/a", "d/art1/para2/b"],
     "a range of subparagraphs"),
    ("subparagraph (b) applies.", ["d/unresolved/article-1-subparagraph-b"],
     "a bare subparagraph is one of the citing paragraph, not of another numbered paragraph"),
    ("paragraphs 2(a) and (b) apply.", ["d/art1/para2/a", "d/art1/para2/b"], "a second label keeps the paragraph"),
    ("sub-paragraph (b) of paragraph 2 applies.", ["d/art1/para2/b"], "sub-paragraph with a hyphen"),
    ("Article 3, paragraph 1 applies.", ["d/art3", "d/art3/para1"], "the paragraph of the article just named"),
    ("Article 3(1) applies.", ["d/art3/para1"], "a pinpoint on the article number"),
    ("Article 3(4) applies.", ["d/art3"], "a pinpoint the text does not hold"),
    ("Article 3 of Annex 2 applies.", ["d/unresolved/article-3-of-annex-2"], "an article of an annex not in the text"),
    ("Article 3 of Protocol 1 applies.", ["d/unresolved/article-3-of-protocol-1"], "an article of a protocol"),
    ("Article 3 of the Treaty establishing the Community applies.",
     ["d/unresolved/article-3-of-treaty-establishing-the-community"], "another treaty named at length"),
    ("Article 3 of the said Convention applies.", ["d/unresolved/article-3-of-the-said-convention"],
     "the said Convention"),
    ("paragraph 8 of Article XXIV of the GATT 1994 applies.",
     ["d/unresolved/paragraph-8-of-article-xxiv-of-gatt-1994"], "a paragraph of another treaty's article"),
    ("Article XXIV:8 of the GATT 1994 applies.", ["d/unresolved/article-xxiv-8-of-gatt-1994"],
     "a pinpoint before another treaty"),
    ("Articles III to V of the GATT 1994 apply.",
     ["d/unresolved/article-iii-of-gatt-1994", "d/unresolved/article-iv-of-gatt-1994",
      "d/unresolved/article-v-of-gatt-1994"], "a range of roman numerals"),
    ("Article 3 and Article 1 of the Agreement on Agriculture apply.",
     ["d/unresolved/article-3-of-agreement-on-agriculture", "d/unresolved/article-1-of-agreement-on-agriculture"],
     "two articles of another treaty"),
    ("Annex 1A to the WTO Agreement applies.", ["d/unresolved/annex-1a-of-wto-agreement"], "an annex of a treaty"),
    ("This Treaty applies.", ["d"], "this Treaty"),
    ("The present Agreement applies.", ["d"], "the present Agreement"),
    ("The lists in this Annex apply.", ["d/unresolved/article-1-this-annex"], "this Annex where no annex is marked"),
    ("The Chapter Coordinators shall meet.", [], "a word that starts like a number"),
    ("Within the period set out in Article 3 or 30 days, the Parties shall meet.", ["d/art3"],
     "a quantity is not the next number of a list"),
    ("The application of Article 3 to Chapter 17 (Financial Services) is reviewed.",
     ["d/art3", "d/unresolved/chapter-17"], "two references joined by to"),
]
# fmt: on


@pytest.mark.parametrize(("text", "targets", "note"), REFERENCES, ids=[r[2] for r in REFERENCES])
def test_references_are_resolved_or_listed(text: str, targets: list[str], note: str) -> None:
    del note
    draft = tc.parse(
        f"Article 1: One\n1. {text}\n2. Second.\n(a) first;\n(b) second.\nArticle 3: Definitions\n1. Terms.",
        agreement_id="d",
    )
    G = graph(draft)
    found = sorted(v for v, rel in ((v, r) for _, v, r in G.nx.out_edges("d/art1/para1", data="rel"))
                   if rel == "refers_to")
    assert found == sorted(targets)
    unresolved = {r.target for r in G.unresolved}
    assert {t for t in targets if "/unresolved/" in t} <= unresolved


_Spec = list[tuple[str, str, str, list[tuple[str, str, list[tuple[str, str, list[str]]]]]]]
"""Chapters: (label, number, heading, articles: (number, heading, paragraphs: (number, words, subparagraphs)))."""

# A free trade agreement that spells its chapter numbers out and numbers articles by chapter.
_FTA: _Spec = [
    ("Chapter", "ONE", "Initial Provisions", [
        ("1.1", "Definitions", [("1", "For the purposes of this Agreement, the terms below have these meanings.", []),
                                ("2", "Other terms keep their ordinary meaning.", [])]),
        ("1.2", "Scope", [("1", "This Agreement covers measures affecting trade:", ["in goods;", "in services."]),
                          ("2", "It does not cover government procurement.", [])]),
    ]),
    ("Chapter", "TWO", "Trade in Goods", [
        ("2.1", "National Treatment", [("1", "Each Party shall accord national treatment.", []),
                                       ("2", "Paragraph 1 covers internal taxes.", []),
                                       ("3", "Paragraph 1 does not cover subsidies.", [])]),
        ("2.2", "Import Licensing", [("1", "{text}", [])]),
        ("2.3", "Export Duties", [("1", "No Party shall adopt an export duty.", [])]),
    ]),
    ("Chapter", "THREE", "Dispute Settlement", [
        ("3.1", "Consultations", [("1", "A Party may request consultations.", []),
                                  ("2", "The request shall set out:", ["the measure;", "the legal basis."])]),
    ]),
]

# An association agreement: titles that hold chapters have no heading of their own in the
# text, and each title numbers its chapters afresh.
_ASSOCIATION: _Spec = [
    ("Part", "I", "General Principles", [("1", "Principles", [("1", "The Parties shall cooperate.", [])])]),
    ("Part", "II", "Political Dialogue", [("2", "Dialogue", [("1", "The Parties shall meet each year.", [])])]),
    ("Chapter", "I", "Movement of Workers", [("10", "Workers", [("1", "Workers shall be treated fairly.", [])])]),
    ("Chapter", "II", "Establishment", [("11", "Companies", [("1", "Companies may establish.", [])])]),
    ("Chapter", "I", "Current Payments", [("20", "Payments", [("1", "{cite20}", [])])]),
    ("Chapter", "II", "Competition", [("21", "Rules", [("1", "Cartels are incompatible with this Agreement.", [])])]),
    ("Part", "V", "Final Provisions", [("30", "Application", [("1", "{text}", [])])]),
]


def _agreement(agreement_id: str, spec: _Spec, **texts: str) -> Agreement:
    """An agreement built from ``spec``; ``{name}`` in a paragraph is replaced by ``texts[name]``."""
    chapters: list[Chapter] = []
    taken: set[str] = set()
    for label, num, heading, articles in spec:
        ch_id = f"{agreement_id}/ch{num}"
        n = 1
        while ch_id + (f"_{n}" if n > 1 else "") in taken:
            n += 1
        ch_id += f"_{n}" if n > 1 else ""
        taken.add(ch_id)
        arts: list[Article] = []
        for art_num, art_heading, paras in articles:
            art_id = f"{ch_id}/art{art_num}"
            children: list[Paragraph] = []
            for para_num, words, subs in paras:
                para_id = f"{art_id}/para{para_num}"
                kids = tuple(
                    Subparagraph(id=f"{para_id}/{chr(97 + i)}", num=f"({chr(97 + i)})", intro=sub)
                    for i, sub in enumerate(subs)
                )
                children.append(Paragraph(id=para_id, num=f"{para_num}.", intro=words.format(**texts), children=kids))
            arts.append(Article(id=art_id, num=art_num, heading=art_heading, children=tuple(children)))
        chapters.append(Chapter(id=ch_id, num=num, heading=heading, label=label, articles=tuple(arts)))
    return Agreement(id=agreement_id, title="Invented agreement", chapters=tuple(chapters))


def _cited(G: ClauseGraph, source: str) -> list[str]:
    edges: list[tuple[str, str, str]] = list(G.nx.out_edges(source, data="rel"))
    return sorted(v for _, v, rel in edges if rel == "refers_to")


# fmt: off
FTA_REFERENCES = [
    # (paragraph text, expected targets, note) -- cited from Article 2.2, paragraph 1
    ("Disputes are settled under Chapter Three (Dispute Settlement).", ["f/chTHREE"], "a chapter number spelled out"),
    ("Chapter 1 (Initial Provisions) applies.", ["f/chONE"], "digits for a chapter number spelled out"),
    ("Chapters One and Three apply.", ["f/chONE", "f/chTHREE"], "a list of spelled-out numbers"),
    ("As provided in Article 3.1.2, a Party may act.", ["f/chTHREE/art3.1/para2"],
     "a paragraph number written onto the article number"),
    ("Subject to Article 3.1.2(b), a Party may act.", ["f/chTHREE/art3.1/para2/b"], "and a subparagraph"),
    ("Consistent with Article 3.1.5, a Party may act.", ["f/unresolved/article-3-1-5"], "a paragraph not in the text"),
    ("Pursuant to Article 1.2.1 (Consultations), a Party may act.", ["f/unresolved/article-1-2-1"],
     "a cited title that names another article"),
    ("Subparagraph (b) of Article 3.1.2 applies.", ["f/chTHREE/art3.1/para2/b"],
     "a subparagraph of a paragraph written onto the article number"),
    ("Articles 2.1 to 2.3 apply.", ["f/chTWO/art2.1", "f/chTWO/art2.2", "f/chTWO/art2.3"], "a range of articles"),
    ("Articles 2.1, 1.1, or 3.1 apply.", ["f/chONE/art1.1", "f/chTHREE/art3.1", "f/chTWO/art2.1"],
     "a serial comma before or"),
    ("Article 2.1, paragraph 3, shall apply.", ["f/chTWO/art2.1", "f/chTWO/art2.1/para3"],
     "the paragraph of the article just named"),
    ("Paragraph 2 of Article 3.1 applies.", ["f/chTHREE/art3.1/para2"], "a paragraph of another article"),
    ("Goods of Chapters 1 through 3, heading 01.01 and subheading 0201.10 are excluded.",
     ["f/unresolved/hs-chapter-1", "f/unresolved/hs-chapter-2", "f/unresolved/hs-chapter-3"],
     "tariff chapters are not this agreement's chapters"),
    ("Goods of Chapter 2 of the Harmonized System are excluded.", ["f/unresolved/chapter-2-of-harmonized-system"],
     "a chapter of the Harmonized System"),
    ("Article 2 and Article 5 of the Agreement on Safeguards apply.",
     ["f/unresolved/article-2-of-agreement-on-safeguards", "f/unresolved/article-5-of-agreement-on-safeguards"],
     "the treaty named after the last of two articles"),
]

ASSOCIATION_REFERENCES = [
    # (paragraph text, expected targets, note) -- cited from Article 30, in Title V
    ("Chapter II of Title III applies.", ["t/chII_2"], "a chapter of a title the text marks only by its chapters"),
    ("Chapter II of Title IV applies.", ["t/chII_3"], "the same number in the next title"),
    ("The rules of Title IV, Chapter I apply.", ["t/chI_3"], "the title written before the chapter"),
    ("Chapter II (Competition) applies.", ["t/chII_3"], "the cited title chooses between chapters"),
    ("Chapter II applies.", ["t/unresolved/chapter-ii"], "a number two titles use, nothing to choose between them"),
    ("Chapter 2 (Establishment) applies.", ["t/chII_2"], "an arabic number for a roman one, the title confirms it"),
    ("Chapter 2 applies.", ["t/unresolved/chapter-2"], "an arabic number for a roman one, nothing confirms it"),
    ("Articles 10, 11 and 20 apply.", ["t/chII_2/art11", "t/chI_2/art10", "t/chI_3/art20"], "articles across titles"),
]

WITHIN_TITLE_REFERENCES = [
    # (paragraph text, expected targets, note) -- cited from Article 20, in Title IV
    ("Chapter II applies.", ["t/chII_3"], "the chapter of the citing title"),
    ("Chapter I of this Title applies.", ["t/chI_3"], "this Title"),
    ("Chapter II of Title III applies.", ["t/chII_2"], "another title named"),
]

REASONS = [
    # (paragraph text, words the reason of its first unresolved target holds, note)
    ("Goods of HS Chapter 3 are excluded.", "tariff nomenclature", "a tariff chapter"),
    ("Article XIV of the GATS applies.", "outside this agreement (GATS)", "another treaty"),
    ("Consistent with Article 3.1.5, a Party may act.", "Article 3.1 has no paragraph 5", "a missing paragraph"),
    ("Article 1 of Protocol 2 applies.", "Protocol 2 is not in this text", "a protocol"),
    ("Article 7 of Chapter Three applies.", "Chapter THREE has no Article 7", "an article not in the chapter named"),
]
# fmt: on


@pytest.mark.parametrize(("text", "targets", "note"), FTA_REFERENCES, ids=[r[2] for r in FTA_REFERENCES])
def test_fta_references(text: str, targets: list[str], note: str) -> None:
    del note
    G = graph(_agreement("f", _FTA, text=text))
    assert _cited(G, "f/chTWO/art2.2/para1") == sorted(targets)
    listed = {r.target: r.reason for r in G.unresolved}
    for target in targets:
        if "/unresolved/" in target:
            assert listed[target]


@pytest.mark.parametrize(
    ("text", "targets", "note"), ASSOCIATION_REFERENCES, ids=[r[2] for r in ASSOCIATION_REFERENCES]
)
def test_association_references(text: str, targets: list[str], note: str) -> None:
    del note
    G = graph(_agreement("t", _ASSOCIATION, text=text, cite20="Payments shall be free."))
    assert _cited(G, "t/chV/art30/para1") == sorted(targets)
    listed = {r.target: r.reason for r in G.unresolved}
    assert all(listed[t] for t in targets if "/unresolved/" in t)


@pytest.mark.parametrize(
    ("text", "targets", "note"), WITHIN_TITLE_REFERENCES, ids=[r[2] for r in WITHIN_TITLE_REFERENCES]
)
def test_references_within_a_title(text: str, targets: list[str], note: str) -> None:
    del note
    G = graph(_agreement("t", _ASSOCIATION, text="The Parties shall apply this Agreement.", cite20=text))
    assert _cited(G, "t/chI_3/art20/para1") == sorted(targets)


@pytest.mark.parametrize(("text", "reason", "note"), REASONS, ids=[r[2] for r in REASONS])
def test_unresolved_references_say_why(text: str, reason: str, note: str) -> None:
    del note
    G = graph(_agreement("f", _FTA, text=text))
    reasons = [r.reason for r in G.unresolved if r.source == "f/chTWO/art2.2/para1"]
    assert reasons
    assert reason in reasons[0]


def test_an_unresolved_paragraph_is_named_by_its_own_article() -> None:
    # the same words in two articles cite two different missing paragraphs
    G = graph(tc.parse(
        "Article 1: One\n1. As provided in paragraph 3 of this Article.\n"
        "Article 2: Two\n1. As provided in paragraph 3 of this Article.\n2. Second.",
        agreement_id="d",
    ))
    by_source = {r.source: (r.target, r.reason) for r in G.unresolved}
    for n in (1, 2):
        assert by_source[f"d/art{n}/para1"] == (
            f"d/unresolved/article-{n}-paragraph-3", f"Article {n} has no paragraph 3 in this text"
        )


@needs_tota
@pytest.mark.corpus
@pytest.mark.slow
def test_tota_references_resolve_where_the_text_holds_them() -> None:
    tpp, bulgaria, serbia = (tc.parse(TOTA / f"pta_{n}.xml") for n in (449, 208, 402))
    G = graph(tpp, bulgaria, serbia)
    # measured: 776 unresolved before "Article 28.7.2"-style numbers, lists and qualifiers were read
    assert len(G.unresolved) < 620
    assert sum(r.source.startswith("tota-449/") for r in G.unresolved) < 450
    # Article 28.7.2 is paragraph 2 of Article 28.7
    assert "tota-449/ch28/art28.7/para2" in _cited(G, "tota-449/ch28/art28.14/p1")
    # HS chapters 1 to 24 are not the agreement's chapters 1 to 24
    perishable = _cited(G, "tota-449/ch28/art28.1/def-perishable-goods")
    assert perishable
    assert all("/unresolved/hs-chapter-" in t for t in perishable)
    # "Chapter II of Title IV" is the chapter on establishment, not the first chapter II
    assert "tota-208/chII_3" in _cited(G, "tota-208/chI_4/art61/para1")
    assert "tota-208/chII_2" not in _cited(G, "tota-208/chI_4/art61/para1")
    # "Article 41, paragraphs 3 to 6" are Article 41's paragraphs
    cited = _cited(G, "tota-402/chII_2/art32/p4")
    assert {f"tota-402/chIII_2/art41/para{n}" for n in range(3, 7)} <= set(cited)
    # every reference left unresolved is listed with a reason
    assert all(r.reason for r in G.unresolved)


def test_terms_plurals_and_missing_definitions(usmca_graph: ClauseGraph) -> None:
    uses = _edges(usmca_graph, "uses_term")
    # "computing facilities" uses the term "computing facility"
    assert ("usmca/ch19/art19.12/p1", "usmca/term/computing-facility") in uses
    # "personal information" is defined in the full text; its definition is a gap here
    term = usmca_graph.nx.nodes["usmca/term/personal-information"]
    assert term["defined"] is False
    assert ("usmca/ch19/art19.11/para1", "usmca/term/personal-information") in uses
    # a definition does not use its own term
    assert ("usmca/ch19/art19.1/def-covered-person", "usmca/term/covered-person") not in uses
    touched = {usmca_graph.nx.nodes[n].get("article") for n in dependents(usmca_graph, "covered person")}
    assert {"usmca/ch19/art19.11", "usmca/ch19/art19.12"} <= touched
    assert "usmca/ch19/art19.15" not in touched


def test_footnotes_attach_to_the_provision_that_carries_the_mark(usmca_graph: ClauseGraph) -> None:
    assert ("usmca/ch19/art19.11/fn5", "usmca/ch19/art19.11/para2/b") in _edges(usmca_graph, "footnote_of")
    assert ("usmca/ch19/art19.1/fn1", "usmca/ch19/art19.1/def-digital-product") in _edges(usmca_graph, "footnote_of")


@pytest.mark.parametrize("suffix", [".graphml", ".gexf"])
def test_exports_round_trip(usmca_graph: ClauseGraph, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"usmca{suffix}"
    if suffix == ".graphml":
        usmca_graph.to_graphml(path)
        back = nx.read_graphml(path, force_multigraph=True)
    else:
        usmca_graph.to_gexf(path)
        back = nx.read_gexf(path)
    assert back.number_of_nodes() == usmca_graph.nx.number_of_nodes()
    assert back.nodes["usmca/ch19/art19.11"]["heading"] == "Cross-Border Transfer of Information by Electronic Means"
    if suffix == ".graphml":
        assert isinstance(back, nx.MultiDiGraph)
        # queries work on the graph read back
        assert "usmca/unresolved/article-17-1" in depends_on(back, "usmca/ch19/art19.12")


def test_alignment_edges_and_counterparts() -> None:
    draft = tc.parse(
        "Article 8: Location of Computing Facilities\nNo Party shall require a covered person to use or locate "
        "computing facilities in that Party's territory as a condition for conducting business in that territory.\n"
        "Article 9: Spam\n1. Each Party shall adopt measures regarding unsolicited commercial electronic messages.",
        agreement_id="draft",
    )
    G = graph(tc.load("usmca"), draft, align=True)
    aligned = {(u, v): d["similarity"] for u, v, d in G.nx.edges(data=True) if d["rel"] == "aligned_with"}
    assert aligned[("usmca/ch19/art19.12", "draft/art8")] > 90
    assert without_counterpart(G, "draft", "usmca") == ["draft/art9"]
    assert "usmca/ch19/art19.12" not in without_counterpart(G, "usmca", "draft")
    assert "usmca/ch19/art19.11" in without_counterpart(G, "usmca", "draft")


def test_errors_say_what_is_wrong(usmca_graph: ClauseGraph) -> None:
    with pytest.raises(GraphError, match="no node"):
        depends_on(usmca_graph, "usmca/ch19/art99")
    with pytest.raises(GraphError, match="no node or defined term"):
        dependents(usmca_graph, "flux capacitor")
    with pytest.raises(GraphError, match="MultiDiGraph"):
        depends_on(nx.Graph(), "x")  # type: ignore[arg-type]
    with pytest.raises(GraphError, match="already holds"):
        graph(tc.load("usmca"), tc.load("usmca"))


def test_draw_without_matplotlib_names_the_extra(usmca_graph: ClauseGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(MissingDependencyError, match=r"tradeclauses\[draw\]"):
        usmca_graph.draw("usmca/ch19/art19.11/para2")


def test_draw_neighbourhood(usmca_graph: ClauseGraph) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib as mpl

    mpl.use("Agg")
    ax = usmca_graph.draw("usmca/ch19/art19.11/para2", radius=1)
    labels = {t.get_text() for t in ax.texts}
    assert "ch19/art19.11/para1" in labels

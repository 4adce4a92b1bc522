"""The clause graph: USMCA's own relations, exports, queries and alignment edges."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

import tradeclauses as tc
from tradeclauses.clausegraph import ClauseGraph, dependents, depends_on, graph, without_counterpart
from tradeclauses.errors import GraphError, MissingDependencyError


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

"""Precedent search: hits, the saved index, the CLI, and (with ../shared) ToTA lineage and recall."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

import tradeclauses as tc
from tradeclauses.cli import main
from tradeclauses.corpus import tota
from tradeclauses.errors import IndexFormatError
from tradeclauses.precedent import SearchIndex, lineage, phrase_similarity, phrases, search

from .conftest import EVAL, TOTA, needs_shared, needs_tota

CLAUSE_19_12 = (
    "No Party shall require a covered person to use or locate computing facilities in that Party's "
    "territory as a condition for conducting business in that territory."
)


@pytest.fixture(scope="module")
def usmca_index() -> SearchIndex:
    return SearchIndex.build([tc.load("usmca")])


def test_hit_carries_agreement_id_score_and_features(usmca_index: SearchIndex) -> None:
    hits = usmca_index.query(CLAUSE_19_12.replace("Party's", "Party’s"))
    best = hits[0]
    assert (best.agreement, best.id, best.num, best.score) == ("usmca", "usmca/ch19/art19.12", "19.12", 100.0)
    assert best.title.startswith("Agreement between the United States")
    assert best.features.modality.value == "prohibition"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(0 < h.score < 40 for h in hits[1:])  # the other articles share only a few phrases
    assert json.loads(json.dumps(best.as_dict()))["features"]


def test_score_is_phrase_similarity_and_sees_through_cosmetics(usmca_index: SearchIndex) -> None:
    # British spelling, curly quotes, hyphenation across a line break, a footnote mark: same phrases
    cosmetic = CLAUSE_19_12.replace("Party's", "Party’s").replace("computing", "com-\nputing") + "[^7]"
    assert usmca_index.query(cosmetic)[0].score == 100.0
    # one word changed breaks the two phrases it is part of, and no more
    changed = CLAUSE_19_12.replace("require", "compel")
    n = len(phrases(CLAUSE_19_12))
    assert n == 27  # 26 words, with the text's start and end
    assert usmca_index.query(changed)[0].score == pytest.approx(200 * (n - 2) / (2 * n), abs=0.01)
    for hit in usmca_index.query(changed, k=8):
        assert hit.score == pytest.approx(phrase_similarity(changed, hit.text), abs=0.01)


def test_a_chapter_gives_one_result_per_article(usmca_index: SearchIndex) -> None:
    usmca = tc.load("usmca")
    results = search(usmca, usmca_index, k=1)
    held = [a for a in usmca.articles if a.status != "missing"]
    assert len(results) == len(usmca.articles)
    by_query = {r.query: r for r in results}
    for art in held:
        assert by_query[art.text][0].id == art.id


_WORDS = ["Party", "shall", "not", "the", "of", "information", "transfer", "measure", "necessary", "each", "may",
          "territory", "covered", "person", "computing", "facilities", "endeavour", "exception", "a", "to"]
_TEXT = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(_TEXT, min_size=2, max_size=40),
    query=_TEXT,
    k=st.integers(1, 12),
    cutoff=st.sampled_from([0.0, 10.0, 35.0, 70.0]),
    exclude=st.sampled_from([(), ("gen-a",)]),
)
def test_bounded_search_equals_scoring_everything(
    texts: list[str], query: str, k: int, cutoff: float, exclude: tuple[str, ...]
) -> None:
    """Property: the bound-pruned search and the exhaustive one give the same hits, scores and order."""
    half = len(texts) // 2
    agreements = [
        tc.parse("\n".join(f"Article {i + 1}: Provision\n{t}." for i, t in enumerate(part)), agreement_id=name)
        for name, part in (("gen-a", texts[:half]), ("gen-b", texts[half:]))
    ]
    index = SearchIndex.build(agreements)
    with patch("tradeclauses.precedent._FIRST_BATCH", 2):  # so that small corpora take the pruned path too
        fast = index.query(query, k=k, score_cutoff=cutoff, exclude=exclude)
    slow = index.query(query, k=k, score_cutoff=cutoff, exclude=exclude, exhaustive=True)
    assert fast == slow
    with patch("tradeclauses.precedent._CODE_POINTS", 0):  # phrase ids past what a str holds: lists of ints
        assert index.query(query, k=k, score_cutoff=cutoff, exclude=exclude) == fast
    assert all(h.score >= cutoff and h.score > 0 and h.agreement not in exclude for h in fast)
    assert [h.score for h in fast] == pytest.approx([round(phrase_similarity(query, h.text), 2) for h in fast])


def test_cutoff_exclude_and_before(usmca_index: SearchIndex) -> None:
    assert search("wholly unrelated words about fisheries quotas", usmca_index) == ()  # no phrase in common
    assert [h.num for h in search(CLAUSE_19_12, usmca_index, score_cutoff=50)] == ["19.12"]
    assert len(search(CLAUSE_19_12, usmca_index, k=3)) == 3
    assert usmca_index.query(CLAUSE_19_12, exclude=["usmca"]) == ()
    assert usmca_index.query(CLAUSE_19_12, before=date(2030, 1, 1)) == ()  # the shipped USMCA is undated


def test_saved_index_answers_like_the_original(usmca_index: SearchIndex, tmp_path: Path) -> None:
    path = tmp_path / "usmca.npz"
    usmca_index.save(path)
    loaded = SearchIndex.load(path)
    assert [(h.id, h.score) for h in loaded.query(CLAUSE_19_12)] == [
        (h.id, h.score) for h in usmca_index.query(CLAUSE_19_12)
    ]
    assert loaded.texts == usmca_index.texts


def test_damaged_or_old_index_is_refused(usmca_index: SearchIndex, tmp_path: Path) -> None:
    path = tmp_path / "usmca.npz"
    usmca_index.save(path)
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    cases = {
        "phrase ids out of range": {"sequence": arrays["sequence"] + len(arrays["keys"])},
        "phrase counts do not add up": {"lengths": arrays["lengths"] + 1},
        "8 ids, 8 texts, 7 lengths": {"lengths": arrays["lengths"][:-1]},
        "text offsets": {"text_ends": arrays["text_ends"] + 5},
        "format 1": {"meta": np.frombuffer(bytes(arrays["meta"]).replace(b'"version": 2', b'"version": 1'), np.uint8)},
    }
    for message, change in cases.items():
        damaged = tmp_path / "damaged.npz"
        np.savez(damaged, **{**arrays, **change})
        with pytest.raises(IndexFormatError, match=message):
            SearchIndex.load(damaged)


def test_loading_never_unpickles(tmp_path: Path) -> None:
    path = tmp_path / "evil.npz"
    np.savez(path, meta=np.array([{"format": "tradeclauses-search-index"}], dtype=object))
    with pytest.raises(IndexFormatError, match="not a search index"):
        SearchIndex.load(path)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(IndexFormatError, match=r"not a NumPy \.npz archive"):
        SearchIndex.load(tmp_path / "junk.npz")
    with pytest.raises(IndexFormatError, match="no such file"):
        SearchIndex.load(tmp_path / "absent.npz")


def test_cli_search_json_and_saved_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "idx.npz"
    assert main(["search", CLAUSE_19_12, "--corpus", "usmca", "-k", "2", "--index", str(index),
                 "--format", "json", "-q"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["id"] == "usmca/ch19/art19.12"
    assert index.is_file()
    clause = tmp_path / "clause.txt"
    clause.write_text(CLAUSE_19_12, "utf-8")
    assert main(["search", str(clause), "--index", str(index)]) == 0
    assert "19.12" in capsys.readouterr().out
    assert main(["search", "x"]) == 2
    assert "--corpus" in capsys.readouterr().err


def test_hits_as_table_frame_and_spreadsheet_rows(usmca_index: SearchIndex, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    hits = usmca_index.query(CLAUSE_19_12, k=3)
    frame = hits.to_frame()
    assert list(frame["num"]) == [h.num for h in hits]
    assert frame.loc[0, "modality"] == "prohibition"
    assert frame.loc[0, "chapter"] == "DIGITAL TRADE"  # as the shipped text prints it
    assert frame.loc[0, "parties"] == "USA, MEX, CAN"
    assert "<table>" in hits._repr_html_()
    assert "prohibition" in hits._repr_html_()
    rows = hits.records()
    assert rows[0]["parties"] == ", ".join(hits[0].parties)
    assert rows[0]["score"] == 100.0
    assert main(["search", CLAUSE_19_12, "--corpus", "usmca", "-k", "3", "--format", "csv", "-q"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["num"] for r in table] == [h.num for h in hits]
    assert table[0]["modality"] == "prohibition"


def test_cli_graph_lists_unresolved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "usmca.graphml"
    assert main(["graph", "usmca", "-o", str(out)]) == 0
    assert "Article 17.1 (Definitions)" in capsys.readouterr().err
    assert out.read_text("utf-8").startswith("<?xml")


# ---------------------------------------------------------------- ToTA


@pytest.fixture(scope="session")
def tota_index() -> SearchIndex:
    """ToTA's articles and the shipped USMCA, indexed once for the session (~20 s)."""
    agreements = tota(TOTA).load_all(workers=2)
    return SearchIndex.build([*agreements, tc.load("usmca")])


@needs_tota
@pytest.mark.corpus
@pytest.mark.slow
def test_lineage_of_usmca_19_11_starts_with_tpp_14_11(tota_index: SearchIndex) -> None:
    line = lineage("usmca/ch19/art19.11", tota_index)
    assert (line[0].agreement, line[0].num) == ("tota-449", "14.11")
    dates = [h.date for h in line]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]
    assert len({h.agreement for h in line}) == len(line)
    assert str(line).endswith("tota-449 14.11 (2016, 71) → usmca/ch19/art19.11")
    # nothing dated on or after the TPP when asking for its own precedents
    tpp_line = lineage("tota-449/ch14/art14.11", tota_index)
    assert all(h.date is not None and h.date < date(2016, 2, 3) for h in tpp_line)


@needs_tota
@pytest.mark.corpus
@pytest.mark.slow
def test_index_search_is_exact_against_exhaustive_cdist(tota_index: SearchIndex) -> None:
    """The bounded search returns what scoring every article with RapidFuzz returns: recall@10 of 1."""
    tpp = tota(TOTA)["449"].select(chapter="14")
    queries = [a for a in tpp.articles if a.text]
    phrase_texts = tota_index._phrase_texts
    exact = process.cdist([tota_index._phrase_texts[tota_index.position(a.id)] for a in queries], phrase_texts,
                          scorer=fuzz.ratio, dtype=np.float64, workers=-1)
    results = tota_index.query(queries, k=10)
    for row, hits in zip(exact, results, strict=True):
        best = np.sort(row)[::-1][:10]
        assert [h.score for h in hits] == pytest.approx([round(float(s), 2) for s in best], abs=0.01)
        assert all(row[tota_index.position(h.id)] >= best[-1] - 1e-9 for h in hits)
    assert results == tota_index.query(queries, k=10, exhaustive=True)
    # a lower k, a cutoff and a date filter keep it exact
    for query in queries[:4]:
        kwargs = {"k": 3, "score_cutoff": 20.0, "before": date(2010, 1, 1)}
        assert tota_index.query(query, **kwargs) == tota_index.query(query, exhaustive=True, **kwargs)


@needs_tota
@needs_shared
@pytest.mark.corpus
@pytest.mark.slow
def test_usmca_articles_find_their_tpp_ancestor(tota_index: SearchIndex) -> None:
    """Each USMCA article the shipped text holds finds its gold TPP counterpart among its first two hits."""
    gold = json.loads((EVAL / "alignment-tpp14-usmca19.json").read_text("utf-8"))["pairs"]
    ancestor = {usmca: f"tota-449/ch14/art{tpp}" for tpp, usmca in gold.items() if usmca}
    usmca = tc.load("usmca")
    ranks = {}
    for art in usmca.articles:
        if art.status == "missing" or art.num not in ancestor:
            continue
        ids = [h.id for h in tota_index.query(art, k=5, exclude=["usmca"])]
        ranks[art.num] = ids.index(ancestor[art.num]) + 1 if ancestor[art.num] in ids else None
    assert ranks.keys() == {"19.1", "19.4", "19.8", "19.11", "19.12", "19.15", "19.16"}
    assert all(r is not None and r <= 2 for r in ranks.values()), ranks
    assert sum(r == 1 for r in ranks.values()) >= 6, ranks

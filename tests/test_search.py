"""Precedent search: hits, the saved index, the CLI, and (with ../shared) ToTA lineage and recall."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz, process

import tradeclauses as tc
from tradeclauses.cli import main
from tradeclauses.corpus import tota
from tradeclauses.errors import IndexFormatError
from tradeclauses.normalize import normalize
from tradeclauses.precedent import SCORE_CUTOFF, SearchIndex, lineage, search

from .conftest import TOTA, needs_tota

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
    assert all(h.score >= SCORE_CUTOFF for h in hits)
    assert json.loads(json.dumps(best.as_dict()))["features"]


def test_a_chapter_gives_one_result_per_article(usmca_index: SearchIndex) -> None:
    usmca = tc.load("usmca")
    results = search(usmca, usmca_index, k=1)
    held = [a for a in usmca.articles if a.status != "missing"]
    assert len(results) == len(usmca.articles)
    by_query = {r.query: r for r in results}
    for art in held:
        assert by_query[art.text][0].id == art.id


def test_cutoff_exclude_and_before(usmca_index: SearchIndex) -> None:
    assert search("wholly unrelated words about fisheries quotas", usmca_index) == ()
    assert len(search("wholly unrelated words about fisheries quotas", usmca_index, score_cutoff=0, k=3)) == 3
    assert usmca_index.query(CLAUSE_19_12, exclude=["usmca"]) == ()
    assert usmca_index.query(CLAUSE_19_12, before=date(2030, 1, 1)) == ()  # the shipped USMCA is undated


def test_saved_index_answers_like_the_original(usmca_index: SearchIndex, tmp_path: Path) -> None:
    path = tmp_path / "usmca.npz"
    usmca_index.save(path)
    loaded = SearchIndex.load(path)
    assert [h.id for h in loaded.query(CLAUSE_19_12, score_cutoff=0)] == [
        h.id for h in usmca_index.query(CLAUSE_19_12, score_cutoff=0)
    ]
    assert loaded.texts == usmca_index.texts


def test_loading_never_unpickles(tmp_path: Path) -> None:
    path = tmp_path / "evil.npz"
    np.savez(path, meta=np.array([{"format": "tradeclauses-search-index"}], dtype=object))
    with pytest.raises(IndexFormatError, match="not a search index"):
        SearchIndex.load(path)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(IndexFormatError):
        SearchIndex.load(tmp_path / "junk.npz")


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
    assert str(line).endswith("tota-449 14.11 (2016, 83) → usmca/ch19/art19.11")
    # nothing dated on or after the TPP when asking for its own precedents
    tpp_line = lineage("tota-449/ch14/art14.11", tota_index)
    assert all(h.date is not None and h.date < date(2016, 2, 3) for h in tpp_line)


@needs_tota
@pytest.mark.corpus
@pytest.mark.slow
def test_index_recall_against_exhaustive_cdist(tota_index: SearchIndex) -> None:
    tpp = tota(TOTA)["449"].select(chapter="14")
    queries = [a for a in tpp.articles if a.text][:6]
    exact = process.cdist([normalize(a.text) for a in queries], tota_index.norms, scorer=fuzz.ratio,
                          dtype=np.float32, workers=-1)
    results = tota_index.query(queries, k=10)
    found = wanted = 0
    for row, hits in zip(exact, results, strict=True):
        best = np.sort(row)[::-1][:10]
        best = best[best >= SCORE_CUTOFF]
        assert len(hits) == len(best)
        found += sum(1 for h in hits if row[tota_index.position(h.id)] >= best[-1] - 1e-3)
        wanted += len(best)
        assert [h.score for h in hits] == pytest.approx([float(s) for s in best], abs=0.01)
    assert found / wanted >= 0.99

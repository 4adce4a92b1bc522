"""Behaviour behind the speed work: what importing loads, the parsed-corpus cache, progress bars,
and the assignment solver that stands in for scipy's on small matrices."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tradeclauses
from tradeclauses._lsap import solve

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("scipy", "networkx", "numpy", "pandas", "pdfminer", "matplotlib", "lxml", "tqdm")


def _modules_after(code: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_import_loads_no_heavy_dependency() -> None:
    loaded = _modules_after("import tradeclauses")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert "pydantic" not in loaded  # the models load on first use too


def test_parsing_and_scoring_a_text_draft_do_not_load_scipy_networkx_or_lxml() -> None:
    loaded = _modules_after(
        "import tradeclauses as tc\n"
        "card = tc.score(tc.parse('agreements/examples/draft-digital-trade.txt'))\n"
        "assert card.rows"
    )
    assert "numpy" in loaded  # the similarity matrix
    assert not loaded & {"scipy", "networkx", "pandas", "pdfminer", "matplotlib", "lxml"}


def test_cli_score_does_not_load_graph_or_search_machinery() -> None:
    loaded = _modules_after(
        "from tradeclauses.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['score', 'agreements/examples/draft-digital-trade.txt'])"
    )
    assert not loaded & {"scipy", "networkx", "pandas", "pdfminer", "lxml"}


@pytest.mark.parametrize("name", tradeclauses.__all__)
def test_every_public_name_imports(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from tradeclauses import {name}", namespace)  # the statement users write
    assert namespace[name] is getattr(tradeclauses, name)


def test_catalog_stays_the_function_after_its_module_is_imported() -> None:
    import importlib

    importlib.import_module("tradeclauses.catalog")
    assert callable(tradeclauses.catalog)
    assert "usmca" in str(tradeclauses.catalog())


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = tradeclauses.no_such_name  # type: ignore[attr-defined]


# --- the assignment solver: the same pairs as scipy, ties included ---


@settings(max_examples=300, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=0, max_side=9),
        elements=st.sampled_from([0.0, 0.5, 1.0, 2.0, 37.25, 100.0]),  # few values: many ties
    ),
    st.booleans(),
)
def test_assignment_is_scipys(matrix: np.ndarray, maximize: bool) -> None:
    from scipy.optimize import linear_sum_assignment

    want_rows, want_cols = linear_sum_assignment(matrix, maximize=maximize)
    rows, cols = solve(matrix, maximize=maximize)
    assert rows.tolist() == want_rows.tolist()
    assert cols.tolist() == want_cols.tolist()


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), st.integers(0, 2**32 - 1))
def test_assignment_is_scipys_on_alignment_sized_matrices(n_rows: int, n_cols: int, seed: int) -> None:
    from scipy.optimize import linear_sum_assignment

    margin = np.clip(np.random.default_rng(seed).random((n_rows, n_cols)) * 100 - 60, 0, None).astype(np.float32)
    want = linear_sum_assignment(margin, maximize=True)
    got = solve(margin.astype(np.float64), maximize=True)
    assert got[0].tolist() == want[0].tolist()
    assert got[1].tolist() == want[1].tolist()


def test_assignment_rejects_nan() -> None:
    with pytest.raises(ValueError, match="invalid"):
        solve(np.array([[np.nan, 1.0]]))


# --- the parsed-corpus cache ---

from tradeclauses import cache, corpus  # noqa: E402
from tradeclauses.cli import main  # noqa: E402

from .conftest import TOTA, needs_tota  # noqa: E402

_TREATY = (
    "<treaty><meta><name>Test {n}</name><treaty_identifier>{n}</treaty_identifier></meta><body>"
    "<chapter name='Digital Trade' number='CHAPTER 1'><article number='Article 1.1' name='Scope'>"
    "1. This Chapter applies to {what}.</article></chapter></body></treaty>"
)


def _treaties(folder: Path, n: int = 3) -> Path:
    folder.mkdir(exist_ok=True)
    for i in range(1, n + 1):
        (folder / f"pta_{i}.xml").write_text(_TREATY.format(n=i, what=f"measures number {i}"), "utf-8")
    return folder


def test_cached_load_equals_uncached_and_is_used(tmp_path: Path) -> None:
    folder = _treaties(tmp_path / "xml")
    uncached = corpus.tota(folder, cache=False).load_all(workers=1)
    assert cache.info().files == 0  # cache=False stores nothing
    first = corpus.tota(folder).load_all(workers=1)
    assert cache.info().files == 3
    again = corpus.tota(folder).load_all(workers=1)
    assert first == uncached
    assert again == uncached
    assert [a.model_dump_json() for a in again] == [a.model_dump_json() for a in uncached]
    assert corpus.tota(folder)["2"] == uncached[1]  # one file by key goes through the cache too


def test_cache_is_what_is_read_back(tmp_path: Path) -> None:
    """A stored entry really is used: an edited entry comes back (so a hit skips the reader)."""
    folder = _treaties(tmp_path / "xml", 1)
    corpus.tota(folder).load_all(workers=1)
    (entry,) = cache.directory().glob("*/*.json")
    entry.write_text(entry.read_text("utf-8").replace("measures number 1", "stored words"), "utf-8")
    assert "stored words" in corpus.tota(folder).load_all(workers=1)[0].articles[0].text
    assert "measures number 1" in corpus.tota(folder, cache=False).load_all(workers=1)[0].articles[0].text


def test_changed_file_misses_the_cache(tmp_path: Path) -> None:
    folder = _treaties(tmp_path / "xml", 1)
    corpus.tota(folder).load_all(workers=1)
    (folder / "pta_1.xml").write_text(_TREATY.format(n=1, what="services"), "utf-8")
    (loaded,) = corpus.tota(folder).load_all(workers=1)
    assert "services" in loaded.articles[0].text
    assert cache.info().files == 2


def test_damaged_entry_is_read_again_and_replaced(tmp_path: Path) -> None:
    folder = _treaties(tmp_path / "xml", 1)
    (want,) = corpus.tota(folder).load_all(workers=1)
    (entry,) = cache.directory().glob("*/*.json")
    entry.write_bytes(b'{"not": "an agreement"')
    assert corpus.tota(folder).load_all(workers=1) == [want]
    assert corpus.tota(folder).load_all(workers=1) == [want]


def test_environment_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADECLAUSES_NO_CACHE", "1")
    folder = _treaties(tmp_path / "xml", 2)
    corpus.tota(folder).load_all(workers=1)
    assert cache.info().files == 0
    corpus.tota(folder).load_all(workers=1, cache=True)  # an explicit argument wins
    assert cache.info().files == 2


def test_clear_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus.tota(_treaties(tmp_path / "xml", 2)).load_all(workers=1)
    assert main(["cache", "info"]) == 0
    assert "2 agreement(s)" in capsys.readouterr().out
    assert main(["cache", "clear"]) == 0
    assert "removed 2" in capsys.readouterr().out
    assert cache.info().files == 0


def test_cache_dir_is_relocatable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRADECLAUSES_CACHE_DIR", str(tmp_path / "elsewhere"))
    corpus.tota(_treaties(tmp_path / "xml", 1)).load_all(workers=1)
    assert len(list((tmp_path / "elsewhere").glob("*/*.agreement.json"))) == 1


@needs_tota
def test_real_tota_files_cached_equal_uncached() -> None:
    paths = corpus.tota(TOTA).paths
    few = corpus.Corpus(paths[:: len(paths) // 8], [str(i) for i in range(9)], corpus.tota(TOTA)._reader)
    uncached = few.load_all(workers=1, cache=False)
    few.load_all(workers=2)
    assert few.load_all(workers=1) == uncached


# --- progress ---


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus.tota(_treaties(tmp_path / "xml", 2)).load_all(workers=1)
    assert capsys.readouterr().err == ""


def test_progress_bar_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus.tota(_treaties(tmp_path / "xml", 2)).load_all(workers=1, progress=True)
    err = capsys.readouterr().err
    assert "reading" in err
    assert "2/2" in err
    assert err.count("\n") <= 2  # redrawn in place, not one line per file


# --- the fast paths of the readers and the graph give what the plain patterns give ---------

from collections import Counter  # noqa: E402

from tradeclauses import clausegraph  # noqa: E402
from tradeclauses.model import Definition, Paragraph  # noqa: E402
from tradeclauses.read import text as text_reader  # noqa: E402

_LINE = st.text(alphabet=st.sampled_from(list("aAbz(1)2.-*+#_ \t\u00a0\ufeffIVxCPS[^]:–")), max_size=30)
_FURNITURE_PATTERNS = (
    r"^\s*\d{1,3}\s*[-–]\s*\d{1,4}\s*$",
    r"^\s*[-–]\s*\d{1,4}\s*[-–]\s*$",
    r"^\s*(?:Page|PAGE)\s+\d+(?:\s+of\s+\d+)?\s*$",
    r"^\s*\d{1,4}\s*$",
)


@given(_LINE)
def test_line_cleaning_is_the_three_markdown_patterns(line: str) -> None:
    plain = line.replace("\t", " ").replace("\u00a0", " ").replace("\ufeff", "").rstrip()
    plain = text_reader._MD_HEADING.sub("", plain)
    plain = text_reader._MD_EMPH.sub(r"\2", plain)
    assert text_reader._Reader.clean(line) == text_reader._MD_BULLET.sub("", plain)


@given(_LINE)
def test_gated_line_patterns_match_where_the_patterns_do(line: str) -> None:
    s = line.strip()
    assert bool(text_reader._para(s)) == bool(text_reader._PARA.match(s))
    assert bool(text_reader._sub(s)) == bool(text_reader._SUB.match(s))
    assert bool(text_reader._FURNITURE.match(s)) == any(__import__("re").match(p, s) for p in _FURNITURE_PATTERNS)


def test_dehyphenation_vocabulary_counts_every_chapter_read_so_far() -> None:
    reader = text_reader._Reader(None)
    reader.run("Article 1: A\n1. The cross-border flow.")
    reader.run("Article 2: B\n1. A \u212aelvin sign and a transfer.")  # lowercases to an ASCII k
    words = Counter(
        w.lower() for w in text_reader._VOCAB_WORD.findall("The cross-border flow. A \u212aelvin sign and a transfer.")
    )
    assert all(reader.seen(w) for w in words)
    assert not reader.seen("kelvin")  # the pattern never took the Kelvin sign for a letter
    assert not reader.seen("crossborder")


@given(
    st.text(max_size=20),
    st.one_of(st.none(), st.text(max_size=5)),
    st.text(max_size=40),
    st.booleans(),
)
def test_blocks_are_built_as_model_construct_builds_them(node_id: str, num: str | None, intro: str, wrap: bool) -> None:
    values: dict[str, object] = {"id": node_id, "num": num, "intro": intro, "children": ()}
    if wrap:
        values["wrap_up"] = intro
    for cls, extra in ((Paragraph, {}), (Definition, {"term": intro[:5]})):
        ours = text_reader._construct(cls, {**values, **extra})
        theirs = cls.model_construct(**values, **extra)  # type: ignore[arg-type]
        assert ours == theirs
        assert ours.model_fields_set == theirs.model_fields_set
        assert list(ours.__dict__) == list(theirs.__dict__)
        assert ours.model_dump_json() == theirs.model_dump_json()
    with pytest.raises(TypeError, match="term"):
        text_reader._construct(Definition, values)


_REF_TEXT = st.lists(
    st.sampled_from(
        ["Article 3", "Articles 4 and 5", "paragraph 2", "subparagraph (b)", "Sub-paragraph (c)", "Chapter 7",
         "Annex II", "this Agreement", "The present Article", "of", "of the GATT 1994", " ", ", ", "and",
         "This", "the", "present", "Art", "(a)", "of Article 2.1", "Thisis", "xArticle 9"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@given(_REF_TEXT)
def test_references_are_those_the_reference_pattern_finds(text: str) -> None:
    want = [(m.span(), m.groupdict()) for m in clausegraph._REFERENCE.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in clausegraph._references_in(text)] == want


def _graph_state(graph: object) -> tuple[object, ...]:
    nxg = graph.nx  # type: ignore[attr-defined]
    return (
        list(nxg.nodes(data=True)),
        list(nxg.edges(keys=True, data=True)),
        [(n, list(nxg.succ[n]), list(nxg.pred[n])) for n in nxg],
    )


def test_graph_of_several_agreements_is_the_graph_they_make_one_by_one() -> None:
    usmca = tradeclauses.load("usmca")
    draft = tradeclauses.parse(ROOT / "agreements" / "examples" / "draft-digital-trade.txt")
    together = clausegraph.ClauseGraph(usmca, draft)
    one_by_one = clausegraph.ClauseGraph(usmca).add(draft)
    assert _graph_state(together) == _graph_state(one_by_one)
    rels = Counter(r for _, _, r in together.nx.edges(data="rel"))
    assert rels["contains"] == together.nx.number_of_nodes() - 2 - sum(
        1 for _, k in together.nx.nodes(data="kind") if k in ("term", "unresolved")
    )
    assert rels["refers_to"] > 0
    assert rels["defines"] > 0
    assert rels["uses_term"] > 0


@needs_tota
def test_references_in_real_tota_provisions_are_those_the_pattern_finds() -> None:
    from tradeclauses.read.tota import read_tota

    for path in sorted(TOTA.glob("*.xml"))[::90]:
        agreement = read_tota(path.read_bytes(), path=str(path))
        for art in agreement.articles:
            for block in art.walk():
                own = clausegraph._own_text(block)
                want = [(m.span(), m.groupdict()) for m in clausegraph._REFERENCE.finditer(own)]
                assert [(m.span(), m.groupdict()) for m in clausegraph._references_in(own)] == want, block.id

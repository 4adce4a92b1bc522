"""The ToTA reader and the corpus loader: real XML from ../shared, checked against gold text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tradeclauses as tc
from tradeclauses import corpus
from tradeclauses.errors import ReadError, UnknownAgreementError, UnsupportedFormatError
from tradeclauses.model import Agreement, Article
from tradeclauses.read import detect_format
from tradeclauses.read.tota import read_tota

from .conftest import TEXTS, TOTA, needs_shared, needs_tota

_CACHE: dict[str, Agreement] = {}


def _tpp() -> Agreement:
    if "tpp" not in _CACHE:
        _CACHE["tpp"] = tc.parse(TOTA / "pta_449.xml")
    return _CACHE["tpp"]


def _tpp_ch14() -> list[Article]:
    return [a for ch in _tpp().chapters if ch.num == "14" for a in ch.articles]


# --- TPP Chapter 14 against the cleaned gold text -----------------------------------------


@needs_tota
@needs_shared
def test_tpp_chapter_14_matches_the_gold_text() -> None:
    gold = tc.parse(TEXTS / "tpp-ch14.txt").articles
    got = _tpp_ch14()
    assert [a.num for a in got] == [g.num for g in gold]
    for art, g in zip(got, gold, strict=True):
        assert art.heading == g.heading, art.num
        assert len(art.paragraphs) == len(g.paragraphs), art.num
        assert [p.text for p in art.paragraphs] == [p.text for p in g.paragraphs], art.num
        assert [(b.kind, b.num, b.text) for b in art.walk()] == [(b.kind, b.num, b.text) for b in g.walk()], art.num
        assert [(f.num, f.text) for f in art.footnotes] == [(f.num, f.text) for f in g.footnotes], art.num
        assert art.heading_footnotes == g.heading_footnotes, art.num


@needs_tota
def test_footnote_dropped_mid_sentence_is_lifted_out() -> None:
    art = _tpp()["14.11"]
    assert art["3"].children[0].text == (
        "is not applied in a manner which would constitute a means of arbitrary or unjustifiable "
        "discrimination or a disguised restriction on trade; and"
    )
    assert not art.footnotes  # footnote 7 is not held by 14.11 ...
    owner = _tpp()["14.10"]  # ... but by 14.10, whose subparagraph (a) bears its marker
    assert [f.num for f in owner.footnotes] == ["7"]
    assert owner.footnotes[0].text.startswith("The Parties recognise that an Internet access service supplier")
    assert owner.paragraphs[0].children[0].intro.endswith("reasonable network management;[^7]")


# Where ToTA shows a footnote marker, and where it ends up (see the header notes of tpp-ch14.txt)
MARKERS = [
    ("14.1", "covered person", "1", "glued to a word: 'covered person1'"),
    ("14.1", "digital product", "2", "two glued markers: 'electronically;2, 3'"),
    ("14.4", "1", "4", "glued after a full stop: 'products.4'"),
    ("14.8", None, "5", "stray '5' at the end of 14.7: the heading of 14.8"),
    ("14.14", None, "8", "no marker in ToTA: the heading of the article holding the text"),
]


@needs_tota
@pytest.mark.parametrize(("article", "where", "num", "note"), MARKERS)
def test_footnote_markers(article: str, where: str | None, num: str, note: str) -> None:
    art = _tpp()[article]
    assert num in [f.num for f in art.footnotes], note
    if where is None:
        assert num in art.heading_footnotes, note
    else:
        block = next(b for b in art.walk() if getattr(b, "term", None) == where or b.num == where)
        assert num in block.footnote_refs, note


@needs_tota
def test_stray_marker_digits_never_end_up_as_text() -> None:
    for art in _tpp_ch14():
        for block in art.walk():
            assert not re.search(r"(^|\s)[5-8](\s|$)", block.text), (art.num, block.text)


@needs_tota
def test_metadata_and_chapters() -> None:
    a = _tpp()
    assert a.id == "tota-449"
    assert a.title == "Trans-Pacific Partnership"
    assert a.parties[:3] == ("AUS", "BRN", "CAN")
    assert len(a.parties) == 12
    assert str(a.date_signed) == "2016-02-03"
    assert a.date_in_force is None
    assert a.language == "en"
    meta = dict(a.metadata)
    assert meta["treaty_identifier"] == "449"
    assert meta["status"] == "Early announcement-Signed"
    assert (a.chapters[0].label, a.chapters[0].id) == ("Preamble", "tota-449/preamble")
    ch14 = next(c for c in a.chapters if c.num == "14")
    assert (ch14.id, ch14.heading) == ("tota-449/ch14", "Electronic Commerce")
    assert a["14.11"].id == "tota-449/ch14/art14.11"


# Files of other shapes: (file, article, what to check)
OTHERS = [
    ("pta_159.xml", "15.8", "KORUS: 'ARTICLE 15.8' numbering, e-commerce chapter"),
    ("pta_37.xml", "16.4", "US-Australia"),
    ("pta_141.xml", "12.1", "Australia-China"),
]


@needs_tota
@pytest.mark.parametrize(("name", "article", "note"), OTHERS)
def test_other_agreements_read(name: str, article: str, note: str) -> None:
    a = tc.parse(TOTA / name)
    art = a[article]
    assert art.text, note
    assert not a.unparsed, note
    assert all("\u200b" not in b.text for b in art.walk()), note


def test_sniffer_and_errors(tmp_path: Path) -> None:
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<treaty>\n  <meta>'
    assert detect_format(head) == "tota"
    with pytest.raises(UnsupportedFormatError, match="root element"):
        read_tota(b"<other/>")
    xml = (
        b"<treaty><meta><name>T</name><treaty_identifier>5</treaty_identifier></meta><body>"
        b"<chapter number='CAP\xc3\x8dTULO 3' name='Acceso'><article number='ART\xc3\x8dCULO 3-01' name='Ambito'>"
        b"1. Texto.</article><article number='ARTICLE' name='X'></article></chapter>"
        b"<chapter number='TITLE II'><article number='ARTICLE G-1'>Text.</article></chapter></body></treaty>"
    )
    a = read_tota(xml)
    first, empty, g1 = a.articles
    assert (first.label, first.num, a.chapters[0].num) == ("Artículo", "3-01", "3")
    assert empty.status == "missing"
    assert (a.chapters[1].label, g1.num, g1.id) == ("Part", "G-1", "tota-5/chII/artG-1")


# --- the corpus loader ------------------------------------------------------------------------


@needs_tota
def test_corpus_is_lazy_and_indexable() -> None:
    c = corpus.tota(TOTA.parent)
    assert len(c) == 450
    assert "449" in c
    assert "tota-449" in c
    assert "nope" not in c
    assert c["449"].title == "Trans-Pacific Partnership"
    assert c[0].id == "tota-1"
    with pytest.raises(UnknownAgreementError):
        c["99999"]


@needs_tota
def test_load_all_in_parallel_with_progress(capsys: pytest.CaptureFixture[str]) -> None:
    few = corpus.Corpus(corpus.tota(TOTA).paths[:6], [str(i) for i in range(6)], corpus.tota(TOTA)._reader)
    loaded = few.load_all(progress=True, workers=2)
    assert [a.id for a in loaded] == [f"tota-{p.stem.split('_')[1]}" for p in few.paths]
    err = capsys.readouterr().err
    assert "reading" in err
    assert "6/6" in err


def test_folder_of_own_files(tmp_path: Path) -> None:
    (tmp_path / "draft.txt").write_text("Article 1: Scope\n1. This applies.", "utf-8")
    (tmp_path / "notes.csv").write_text("a,b", "utf-8")
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01binary")
    mine = corpus.folder(tmp_path)
    assert mine.keys == ("broken", "draft")
    assert [a.id for a in mine.load_all(workers=1, errors="skip")] == ["draft"]
    with pytest.raises(ReadError):
        mine.load_all(workers=1)
    with pytest.raises(ReadError, match="no supported files"):
        corpus.folder(tmp_path / "empty" if (tmp_path / "empty").mkdir() is None else tmp_path)


@needs_tota
def test_whole_corpus_loads_with_nothing_unparsed() -> None:
    agreements = corpus.tota(TOTA).load_all(workers=2)
    assert len(agreements) == 450
    assert sum(len(a.unparsed) for a in agreements) == 0

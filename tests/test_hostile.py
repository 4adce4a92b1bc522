"""Hostile and careless inputs through the API and the CLI: nothing lost, nothing blown up, nothing raw.

Every hostile file is generated here, at test time (no binary fixtures). One table per
class of problem; then hypothesis strategies that mutate valid inputs and check that the
only outcome is a clean read with every character accounted for, or a TradeClausesError.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import multiprocessing
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradeclauses as tc
from tradeclauses import errors
from tradeclauses.errors import TradeClausesError
from tradeclauses.normalize import lookalikes, printed_form
from tradeclauses.read import accounting, pdf
from tradeclauses.read.accounting import lost_chars, raw_xml_chars
from tradeclauses.read.akn import to_akn

from .conftest import TOTA, needs_tota

# --- builders -------------------------------------------------------------------------------------


def tota(*articles: str, encoding: str = "utf-8", declaration: bool = True) -> bytes:
    """A ToTA document with one chapter holding ``articles`` (their XML content, as given)."""
    body = "".join(
        f'<article number="ARTICLE 1.{k}" name="Provision {k}">{text}</article>' for k, text in enumerate(articles, 1)
    )
    decl = f'<?xml version="1.0" encoding="{encoding.upper().removesuffix("-SIG")}"?>\n' if declaration else ""
    xml = (
        f"{decl}<treaty><meta><name>A - B</name><treaty_identifier>7</treaty_identifier>"
        "<parties><partyisocode n='1'>AUS</partyisocode></parties></meta><body>"
        f'<chapter number="CHAPTER 1" name="General">{body}</chapter></body></treaty>'
    )
    return xml.encode(encoding)


TRANSFER = (
    "1. No Party shall prohibit the transfer of information by electronic means, "
    "except for reasons of national security.\n\n"
    "2. Each Party shall allow a covered person to store information."
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def para(text: str, *, num: bool = False) -> str:
    numpr = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>' if num else ""
    return f"<w:p>{numpr}{run(text)}</w:p>"


def docx(body: str, *, numbering: str | None = None) -> bytes:
    """A minimal Word file: ``body`` is the XML inside ``<w:body>``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{W_NS}" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
            f"<w:body>{body}</w:body></w:document>",
        )
        if numbering is not None:
            zf.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
    return buf.getvalue()


def pdf_with_stream(content: bytes) -> bytes:
    """A one-page PDF whose page content stream is ``content`` (already encoded, FlateDecode)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for k, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def zeros_deflated(size: int) -> bytes:
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(size >> 20)) + packer.flush()


def fast(fn: Callable[[], object], error: type[Exception], match: str | None = None) -> Exception:
    """``fn`` raises ``error`` (a TradeClausesError), within seconds."""
    start = time.perf_counter()
    with pytest.raises(error, match=match) as info:
        fn()
    assert time.perf_counter() - start < 10.0, "a hostile input must fail fast"
    assert isinstance(info.value, TradeClausesError)
    return info.value


def texts(agreement: tc.Agreement) -> list[str]:
    return [p.text for p in agreement.articles[0].paragraphs]


# --- 1. nothing lost in XML ----------------------------------------------------------------------

# (article content, what must be in the text, what must be reported as unparsed, quirk)
XML_LOSS = [
    (
        "1. No Party shall prohibit <!-- ocr note --> the transfer, except for reasons of national security.",
        "except for reasons of national security",
        "ocr note",
        "a comment in the middle of a sentence: the rest of the article follows it",
    ),
    ("1. A Party shall <b>not</b> prohibit the transfer.", "shall not prohibit", None, "an inline element"),
    ("1. A Party <i>shall <u>not</u></i> restrict trade.", "shall not restrict", None, "nested inline elements"),
    (
        "1. A Party shall<?ocr page 3?> not restrict trade.",
        "shall not restrict",
        "ocr page 3",
        "a processing instruction",
    ),
    ("1. A Party <![CDATA[shall not]]> restrict trade.", "shall not restrict", None, "a CDATA section"),
    (
        '1. A Party shall allow it.<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="annex.xml"/>'
        " 2. Each Party shall publish it.",
        "Each Party shall publish it",
        "annex.xml",
        "an XInclude: not followed, reported, and the text after it kept",
    ),
    (
        "1. A Party &amp; its agencies shall act &#x41;ccordingly.",
        "& its agencies shall act Accordingly",
        None,
        "character references",
    ),
]


@pytest.mark.parametrize(("content", "kept", "reported", "note"), XML_LOSS)
def test_tota_keeps_every_character(content: str, kept: str, reported: str | None, note: str) -> None:
    data = tota(content)
    a = tc.parse(data)
    assert kept in a.articles[0].text, note
    if reported is not None:
        assert any(reported in r.text for r in a.unparsed), note
    assert not lost_chars(raw_xml_chars(data, "article"), a, body_only=True), note


def test_tota_number_with_thousands_separators_is_no_footnote_marker() -> None:
    """``1,621,249`` on a line of a table is a number, not the markers 1, 621 and 249."""
    table = (
        "To the world\n\n\nJuly 1980/June 1981\n\n106,107\n\n1,621,249\n\n\n"
        "July 1981/June 1982\n\n137,504\n\n2,110,060\n\n"
    )
    data = tota(table, "The Parties agree.\n\n1 For greater certainty, the figures are in thousands.")
    a = tc.parse(data)
    assert "106,107 1,621,249" in a.articles[0].text
    assert not lost_chars(raw_xml_chars(data, "article"), a, body_only=True)


def test_tota_reports_text_outside_articles() -> None:
    data = tota(TRANSFER).replace(b"<article ", b"stray words<note>a hidden note</note><!-- c --><article ", 1)
    a = tc.parse(data)
    reasons = {r.text: r.reason for r in a.unparsed}
    assert reasons["stray words"] == "text in <chapter> outside any <article>"
    assert reasons["a hidden note"] == "<note> in <chapter> is not read"
    assert reasons[" c "] == "XML comment"


def test_text_beside_the_body_is_reported() -> None:
    data = tota(TRANSFER).replace(b"</body>", b"</body><annex>Annex words</annex>")
    assert [(r.text, r.reason) for r in tc.parse(data).unparsed] == [("Annex words", "<annex> in <treaty> is not read")]
    a = tc.parse("Article 1: Transfers\n" + TRANSFER, agreement_id="x")
    xml = to_akn(a).decode().replace("<body>", "<preamble><p>Preamble words</p></preamble><body>", 1)
    assert [r.text for r in tc.parse(xml.encode()).unparsed] == ["Preamble words"]


def test_entity_from_an_external_dtd_is_refused_naming_the_line() -> None:
    data = b'<!DOCTYPE treaty SYSTEM "treaty.dtd">\n' + tota("1. A Party &ocr; shall act.", declaration=False)
    fast(lambda: tc.parse(data), errors.UnsafeInputError, r"line 2.*entity reference &ocr;")


def test_accounting_catches_a_reader_that_drops_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check counts from the raw bytes, so a reader taking only an element's first text node fails it."""
    data = tota(XML_LOSS[0][0])
    assert not lost_chars(raw_xml_chars(data, "article"), tc.parse(data), body_only=True)
    from tradeclauses.read import tota as tota_reader

    def first_text_only(el: object, residues: object, path: object = None) -> str:
        del residues, path
        return getattr(el, "text", None) or ""

    monkeypatch.setattr(tota_reader, "gather_text", first_text_only)
    lossy = tc.parse(data)
    assert "security" not in lossy.articles[0].text
    lost = lost_chars(raw_xml_chars(data, "article"), lossy, body_only=True)
    assert sum(lost.values()) >= len("exceptforreasonsofnationalsecurity")


AKN_EDITS = [
    ("prohibit the transfer", "prohibit <!-- ocr --> <b>the</b> transfer", "prohibit the transfer", "ocr"),
    ("store information.", "store<?pi x?> information.</p><p>Second sentence.", "Second sentence.", "pi x"),
]


@pytest.mark.parametrize(("old", "new", "kept", "reported"), AKN_EDITS)
def test_akn_keeps_inline_text_and_reports_comments(old: str, new: str, kept: str, reported: str) -> None:
    a = tc.parse("Article 1: Transfers\n" + TRANSFER, agreement_id="x")
    xml = to_akn(a).decode().replace(old, new)
    b = tc.parse(xml.encode())
    assert kept in b["1"].text
    assert any(reported in r.text for r in b.unparsed)


def test_akn_unknown_element_in_an_article_is_reported() -> None:
    a = tc.parse("Article 1: Transfers\n" + TRANSFER, agreement_id="x")
    xml = to_akn(a).decode().replace("<num>1</num>", "<num>1</num><subheading>Words kept</subheading>", 1)
    b = tc.parse(xml.encode())
    assert [(r.text, r.reason) for r in b.unparsed] == [
        ("Words kept", "<subheading> in <article> is not part of the structure read")
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_tota_in_any_unicode_encoding_with_a_bom(encoding: str) -> None:
    data = tota(TRANSFER, encoding=encoding)
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    a = tc.parse(bom + data)
    assert a.id == "tota-7"
    assert texts(a)[1] == "Each Party shall allow a covered person to store information."


def test_html_page_furniture_is_set_aside_not_dropped() -> None:
    page = (
        b"<html><body><nav>Home | Treaties</nav><main><h2>Article 1: Scope</h2><p>1. This applies.</p>"
        b"<aside>Related: other texts</aside></main><footer>Copyright ministry</footer></body></html>"
    )
    a = tc.parse(page)
    assert texts(a) == ["This applies."]
    assert [(r.text, r.reason) for r in a.removed] == [
        ("Home | Treaties", "web page <nav>"),
        ("Related: other texts", "web page <aside>"),
        ("Copyright ministry", "web page <footer>"),
    ]


# --- 2. nothing lost in Word files ---------------------------------------------------------------

HEADING = para("Article 1: Data Flows")
# (body XML around a paragraph, quirk)
WORD_CONTAINERS = [
    ('<w:customXml w:element="clause">{p}</w:customXml>', "body-level custom XML"),
    ("<w:sdt><w:sdtPr/><w:sdtContent>{p}</w:sdtContent></w:sdt>", "content control"),
    ("<w:sdt><w:sdtContent><w:customXml>{p}</w:customXml></w:sdtContent></w:sdt>", "nested containers"),
    ("<w:ins w:id='1' w:author='x'>{p}</w:ins>", "a body-level insertion"),
    (
        "<mc:AlternateContent><mc:Choice Requires='w14'>{p}</mc:Choice><mc:Fallback>{p}</mc:Fallback>"
        "</mc:AlternateContent>",
        "alternate content: the choice, once",
    ),
    ("<w:tbl><w:tr><w:tc>{p}</w:tc></w:tr></w:tbl>", "a table cell"),
]
RUN_CONTAINERS = [
    "<w:smartTag w:element='place'>{r}</w:smartTag>",
    "<w:hyperlink w:anchor='x'>{r}</w:hyperlink>",
    "<w:fldSimple w:instr='REF x'>{r}</w:fldSimple>",
    "<w:customXml w:element='term'>{r}</w:customXml>",
    "<w:sdt><w:sdtContent>{r}</w:sdtContent></w:sdt>",
    "<w:ins w:id='2' w:author='x'>{r}</w:ins>",
]


@pytest.mark.parametrize(("wrapper", "note"), WORD_CONTAINERS)
def test_word_paragraph_inside_a_container_is_read(wrapper: str, note: str) -> None:
    body = (
        HEADING
        + para("1. No Party shall prohibit the transfer.")
        + wrapper.format(p=para("2. Each Party shall allow data flows."))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", errors.TradeClausesWarning)  # tracked changes are announced
        a = tc.parse(docx(body))
    assert texts(a) == ["No Party shall prohibit the transfer.", "Each Party shall allow data flows."], note
    assert not a.unparsed


@pytest.mark.parametrize("wrapper", RUN_CONTAINERS)
def test_word_run_inside_a_container_is_read(wrapper: str) -> None:
    inner = wrapper.format(r=run("not "))
    body = HEADING + f"<w:p>{run('1. A Party shall ')}{inner}{run('restrict transfers.')}</w:p>"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", errors.TradeClausesWarning)
        a = tc.parse(docx(body))
    assert texts(a) == ["A Party shall not restrict transfers."]


def test_word_element_the_reader_does_not_know_is_reported() -> None:
    body = HEADING + para("1. No Party shall prohibit it.") + f"<w:future>{para('2. Words in it.')}</w:future>"
    a = tc.parse(docx(body))
    assert [(r.text, r.reason) for r in a.unparsed] == [("2. Words in it.", "<w:future> in the Word body is not read")]


# --- 3. bounded work and memory ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "start"), [("lowerLetter", "2000000000"), ("upperRoman", "900000000"), ("decimal", "9" * 300)]
)
def test_huge_list_start_in_word_is_refused(fmt: str, start: str) -> None:
    numbering = (
        f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    data = docx(HEADING + para("No Party shall.", num=True), numbering=numbering)
    assert len(data) < 2048
    fast(lambda: tc.parse(data), errors.InputTooLargeError, "label of")


def test_bad_numbers_in_word_numbering_are_not_raw_errors() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="x"><w:start w:val="two"/>'
        '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    )
    a = tc.parse(docx(HEADING + para("No Party shall restrict it.", num=True), numbering=numbering))
    assert a["1"].paragraphs[0].num == "1"


def test_huge_list_start_in_html_is_refused() -> None:
    page = (
        b"<html><body><h2>Article 1: A</h2><ol type='a' start='2000000000'><li>No Party shall.</li></ol></body></html>"
    )
    fast(lambda: tc.parse(page), errors.InputTooLargeError, "label of")


def test_pdf_stream_inflating_to_a_gigabyte_is_refused_fast() -> None:
    bomb = pdf_with_stream(zeros_deflated(128 << 20))
    assert len(bomb) < 1 << 20
    fast(lambda: tc.parse(bomb), errors.InputTooLargeError, "decompression bomb")


def test_pdf_character_and_page_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    fpdf = pytest.importorskip("fpdf")
    doc = fpdf.FPDF()
    doc.set_font("helvetica", size=11)
    for k, words in (
        (1, "Scope\n1. This Chapter applies to measures."),
        (2, "Data Flows\n1. Each Party shall allow it."),
    ):
        doc.add_page()
        doc.set_y(80)
        doc.multi_cell(0, 6, f"Article {k}: {words}")
    data = bytes(doc.output())
    assert tc.parse(data)["2"].paragraphs
    monkeypatch.setattr(pdf, "MAX_PAGE_CHARS", 40)
    fast(lambda: tc.parse(data), errors.InputTooLargeError, "page 1 of the PDF has more than 40 characters")
    monkeypatch.setattr(pdf, "MAX_PAGE_CHARS", 200_000)
    monkeypatch.setattr(pdf, "MAX_PAGES", 1)
    fast(lambda: tc.parse(data), errors.InputTooLargeError, "more than 1 pages")


def test_image_only_pdf_says_it_has_no_text_layer() -> None:
    fpdf = pytest.importorskip("fpdf")
    image = pytest.importorskip("PIL.Image")
    png = io.BytesIO()
    image.new("RGB", (120, 160), "white").save(png, "PNG")
    doc = fpdf.FPDF()
    for _ in range(2):
        doc.add_page()
        doc.image(io.BytesIO(png.getvalue()), x=10, y=10, w=120)
    err = fast(lambda: tc.parse(bytes(doc.output())), errors.NoTextLayerError, "no text layer")
    assert "2 pages" in str(err)


def _index_zip(tmp_path: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]], *, deflate: bool) -> Path:
    good = tmp_path / "good.npz"
    tc.SearchIndex.build([tc.load("usmca")]).save(good)
    with zipfile.ZipFile(good) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    bad = tmp_path / "bad.npz"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as zf:
        for name, content in change(members).items():
            zf.writestr(name, content)
    return bad


def test_index_with_an_extra_huge_member_loads_without_inflating_it(tmp_path: Path) -> None:
    path = _index_zip(tmp_path, lambda m: {**m, "extra.npy": b"\0" * (256 << 20)}, deflate=True)
    start = time.perf_counter()
    assert len(tc.SearchIndex.load(path)) == 8
    assert time.perf_counter() - start < 5


def test_index_member_that_is_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    def bomb(members: dict[str, bytes]) -> dict[str, bytes]:
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(header, {"descr": "<i8", "fortran_order": False, "shape": (32 << 20,)})
        return {**members, "keys.npy": header.getvalue() + b"\0" * (256 << 20)}

    fast(lambda: tc.SearchIndex.load(_index_zip(tmp_path, bomb, deflate=True)), errors.IndexFormatError, "zip bomb")


def test_index_array_header_claiming_more_than_it_holds_is_refused(tmp_path: Path) -> None:
    def liar(members: dict[str, bytes]) -> dict[str, bytes]:
        header = io.BytesIO()
        np.lib.format.write_array_header_1_0(header, {"descr": "<i8", "fortran_order": False, "shape": (10**12,)})
        return {**members, "keys.npy": header.getvalue() + b"\0" * 64}

    path = _index_zip(tmp_path, liar, deflate=False)
    fast(lambda: tc.SearchIndex.load(path), errors.IndexFormatError, "does not hold")


def test_bit_flipped_index_is_an_error_naming_the_file(tmp_path: Path) -> None:
    good = tmp_path / "index.npz"
    tc.SearchIndex.build([tc.load("usmca")]).save(good)
    data = good.read_bytes()
    for offset in range(200, len(data), max(1, len(data) // 60)):
        flipped = bytearray(data)
        flipped[offset] ^= 0x10
        bad = tmp_path / "flipped.npz"
        bad.write_bytes(bytes(flipped))
        try:
            tc.SearchIndex.load(bad)
        except errors.IndexFormatError as exc:
            message = str(exc)
        else:
            continue  # the flip hit padding or a byte no check depends on
        assert "flipped.npz" in message


def test_index_with_a_damaged_vocabulary_is_refused(tmp_path: Path) -> None:
    def swap(members: dict[str, bytes]) -> dict[str, bytes]:
        meta_array = np.load(io.BytesIO(members["meta.npy"]))
        meta = json.loads(meta_array.tobytes())
        meta["words"][3], meta["words"][4] = meta["words"][4], meta["words"][3]
        out = io.BytesIO()
        np.save(out, np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8))
        return {**members, "meta.npy": out.getvalue()}

    path = _index_zip(tmp_path, swap, deflate=False)
    fast(lambda: tc.SearchIndex.load(path), errors.IndexFormatError, "vocabulary")


# --- 4. silent wrong results ---------------------------------------------------------------------

DRAFT = "Article 2: Location\n1. No Party shall require a covered person to use computing facilities."

# (weights, error, message)
BAD_WEIGHTS = [
    ({"99.99": 5}, errors.WeightsError, "no article '99.99'"),
    ({"19,11": 2}, errors.WeightsError, "did you mean 19.11"),
    ({"Article 19.121": 2}, errors.WeightsError, "did you mean 19.12"),
    ({"19.11": -1}, errors.WeightsError, "zero or more"),
    ({"19.11": float("nan")}, errors.WeightsError, "finite"),
    ({"19.11": float("inf")}, errors.WeightsError, "finite"),
    ({"19.11": "3"}, errors.WeightsError, "must be a number"),
    ({"19.11": True}, errors.WeightsError, "must be a number"),
    ({19.11: 3}, errors.WeightsError, "strings"),
    (dict.fromkeys((f"19.{k}" for k in range(1, 19)), 0), errors.WeightsError, "nothing to average"),
    ([("19.11", 3)], errors.ArgumentTypeError, "mapping"),
]


@pytest.mark.parametrize(("weights", "error", "message"), BAD_WEIGHTS)
def test_bad_weights_are_refused(weights: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        tc.score(tc.parse(DRAFT), weights=weights)  # type: ignore[arg-type]


def test_good_weights_replace_the_defaults() -> None:
    draft = tc.parse(DRAFT)
    card = tc.score(draft, weights={"Article 19.12": 4})
    assert card.row("19.12").weight == 4.0
    assert card.row("19.11").weight == 1.0  # the defaults are replaced, not extended


@pytest.mark.parametrize("alignment", [["19.11"], "19.11", {"19.11": 3}, {"19.11": [1, 2]}, {7: "1"}])
def test_bad_alignment_argument_is_refused(alignment: object) -> None:
    with pytest.raises(errors.ArgumentTypeError, match="alignment="):
        tc.score(tc.parse(DRAFT), alignment=alignment)  # type: ignore[arg-type]


def _register_some(home: str, worker: int, count: int) -> list[str]:
    import os

    os.environ["TRADECLAUSES_HOME"] = home
    import tradeclauses

    names = []
    for k in range(count):
        src = Path(home).parent / f"w{worker}-{k}.txt"
        src.write_text(f"Article 1: Data Flows {worker} {k}\n1. Each Party shall allow transfers.", "utf-8")
        name = f"model-{worker}-{k}"
        tradeclauses.register(name, src)
        tradeclauses.load(name)
        names.append(name)
    return names


def test_processes_registering_at_once_lose_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("TRADECLAUSES_HOME", str(home))
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        done = pool.starmap(_register_some, [(str(home), w, 4) for w in range(4)])
    registry = json.loads((home / "models.json").read_text("utf-8"))
    assert sorted(registry) == sorted(n for names in done for n in names)
    assert len(registry) == 16
    assert all((home / entry["file"]).is_file() for entry in registry.values())


def test_registry_entry_outside_the_registry_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("TRADECLAUSES_HOME", str(home))
    (home / "models.json").write_text(json.dumps({"evil": {"file": "../../etc/passwd"}}), "utf-8")
    with pytest.raises(errors.ReadError, match="not a file of the registry folder"):
        tc.load("evil")


def test_registry_tolerates_a_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "model.txt"
    src.write_text("Article 19.11: Flows\n1. Each Party shall allow transfers.", "utf-8")
    tc.register("usmca", src)
    tc.register("mine", src)
    home = importlib.import_module("tradeclauses.catalog").user_dir()
    for entry in json.loads((home / "models.json").read_text("utf-8")).values():
        (home / entry["file"]).unlink()
    with pytest.warns(errors.TradeClausesWarning, match=r"is gone .*; using the shipped text"):
        assert len(tc.load("usmca").articles) > 1
    with pytest.raises(errors.ReadError, match="register it again"):
        tc.load("mine")
    tc.unregister("mine")


# --- 5. no raw errors from deep inside -----------------------------------------------------------

# (call, error class, message)
DOOR = [
    (lambda: tc.parse("draft_v3"), errors.InputNotFoundError, "no such file"),
    (lambda: tc.parse("no/such/file.txt"), errors.InputNotFoundError, "no such file"),
    (lambda: tc.parse("my draft v3.docx"), errors.InputNotFoundError, "no such file"),
    (lambda: tc.parse(Path("/")), errors.InputNotFoundError, "is a directory"),
    (lambda: tc.parse("x" * 5000), errors.NoArticlesError, "no article heading"),
    (lambda: tc.parse(None), errors.ArgumentTypeError, "NoneType"),  # type: ignore[arg-type]
    (lambda: tc.parse(42), errors.ArgumentTypeError, "int"),  # type: ignore[arg-type]
    (lambda: tc.diff(tc.load("usmca"), "no/such/file.txt"), errors.InputNotFoundError, "no such file"),
    (lambda: tc.diff(tc.load("usmca"), "nafta-3"), errors.UnknownAgreementError, "available"),
    (lambda: tc.load(None), errors.ArgumentTypeError, "agreement name"),  # type: ignore[arg-type]
    (lambda: tc.graph(None), errors.ArgumentTypeError, "agreements"),  # type: ignore[arg-type]
    (lambda: tc.to_akn("x"), errors.ArgumentTypeError, "to read Akoma Ntoso, use tc.parse"),  # type: ignore[arg-type]
    (lambda: tc.analyse(None), errors.ArgumentTypeError, "text of a provision"),  # type: ignore[arg-type]
    (lambda: tc.align(tc.load("usmca"), None), errors.ArgumentTypeError, "draft"),  # type: ignore[arg-type]
    (lambda: tc.search(None, tc.load("usmca")), errors.ArgumentTypeError, "clause"),  # type: ignore[call-overload]
    # a list of names is a corpus (as for tc.score): an unknown name says so
    (lambda: tc.search("no party shall", ["x"]), errors.UnknownAgreementError, "unknown agreement 'x'"),
    (lambda: tc.search("no party shall", tc.load("usmca"), k=0), errors.InvalidArgumentError, "k must"),
    (lambda: tc.slots(None), errors.ArgumentTypeError, "agreement"),  # type: ignore[arg-type]
    (lambda: tc.load("usmca")[None], errors.ArgumentTypeError, "article number"),  # type: ignore[index]
    (lambda: tc.SearchIndex.load(None), errors.ArgumentTypeError, "saved index"),  # type: ignore[arg-type]
    (lambda: tc.register("my model", "agreements/usmca.txt"), errors.InvalidNameError, "'my-model'"),
    (lambda: tc.score(tc.parse(DRAFT)).row("99.9"), errors.ProvisionNotFoundError, "99.9"),
]


@pytest.mark.parametrize(("call", "error", "message"), DOOR)
def test_ordinary_mistakes_get_a_clear_error(call: Callable[[], object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as info:
        call()
    assert isinstance(info.value, TradeClausesError)


def test_a_directory_is_not_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.InputNotFoundError, match="is a directory"):
        tc.parse(str(tmp_path))
    with pytest.raises(errors.IndexFormatError, match="is a directory"):
        tc.SearchIndex.load(tmp_path)


def test_a_text_that_is_not_a_path_is_still_read() -> None:
    assert tc.parse("Article 1: Scope\n1. This applies.")["1"].paragraphs[0].text == "This applies."
    assert tc.parse("Article 1: Scope of this Agreement applies.").articles[0].num == "1"


CLI = [
    ["parse", "draft_v3"],
    ["parse", "/"],
    ["parse", "x" * 5000],
    ["show", "nafta3"],
    ["diff", "usmca", "no/such/file.txt"],
    ["score", "agreements/usmca.txt", "--weight", "19,11=3"],
    ["score", "agreements/usmca.txt", "--weight", "19.11=nan"],
    ["models", "add", "my model", "agreements/usmca.txt"],
    ["models", "remove", "never-registered"],
    ["parse", "agreements/usmca.txt", "-o", "/no/such/folder/out.json"],
    ["search", "x" * 5000, "--corpus", "usmca", "-q"],
    ["search", "no party shall", "--index", "/"],
]


@pytest.mark.parametrize("argv", CLI, ids=lambda a: " ".join(a)[:40])
def test_cli_prints_one_line_and_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from tradeclauses.cli import main

    root = Path(__file__).resolve().parents[1]
    argv = [str(root / a) if a.startswith("agreements/") else a for a in argv]
    code = main(argv)
    err = capsys.readouterr().err
    if argv[0] == "search" and argv[1].startswith("x"):
        assert code == 0  # a long query that is no file is a query
        return
    assert code == 2
    assert err.startswith("tradeclauses: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


# --- 6. look-alike and invisible characters ------------------------------------------------------

CLEAN = "No Party shall prohibit the transfer of information."
# (text, quirk)
LOOKALIKE = [
    ("No Party sh\u0430ll prohibit the transfer of information.", "Cyrillic а in shall"),
    ("No Party sh\u03b1ll prohibit the transfer of information.", "Greek α in shall"),
    ("No Party shall prohibit th\u0435 transf\u0435r of information.", "Cyrillic е twice"),
    ("No Party sha\u200bll prohibit the trans\u2060fer of information.", "zero-width space and word joiner"),
    ("No Party shall \u202etibihorp\u202c the transfer of information.", "right-to-left override, printed forwards"),
    ("No Party \u2066shall\u2069 prohibit the transfer of information.", "isolate controls"),
]


@pytest.mark.parametrize(("text", "note"), LOOKALIKE)
def test_lookalike_text_reads_as_printed_warns_and_stays_verbatim(text: str, note: str) -> None:
    assert printed_form(text) == CLEAN, note
    with pytest.warns(errors.LookalikeTextWarning, match="Article 1"):
        a = tc.parse(f"Article 1: Transfers\n1. {text}")
    para1 = a["1"].paragraphs[0]
    assert para1.intro == text, "the model keeps the text verbatim"
    assert any(n.startswith("look-alike or invisible characters") for n in a["1"].notes)
    assert tc.analyse(para1.text).modality == tc.analyse(CLEAN).modality == tc.Modality.PROHIBITION


def test_lookalikes_leave_other_scripts_alone() -> None:
    for word in ("Соглашение", "Пiдписано", "Ευρωπαϊκή", "Україна"):
        assert printed_form(word) == word
        assert not [f for f in lookalikes(word) if f.kind == "confusable"]


def test_lookalike_changes_comparison_as_it_prints() -> None:
    usmca = tc.load("usmca")
    with pytest.warns(errors.LookalikeTextWarning):
        draft = tc.parse(
            "Article 1: Location\n1. No Party sh\u0430ll require a covered person to use or locate computing "
            "facilities in that Party's territory as a condition for conducting business in that territory."
        )
    assert tc.score(draft, against=usmca).row("19.12").verdict == "identical"


# --- 7. mutations of valid inputs ----------------------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
INSERTIONS = st.one_of(
    WORD.map(lambda w: f"<!-- {w} -->"),
    WORD.map(lambda w: f"<b>{w}</b>"),
    WORD.map(lambda w: f"<span class='x'><i>{w}</i></span>"),
    WORD.map(lambda w: f"<![CDATA[{w} & <{w}>]]>"),
    WORD.map(lambda w: f"<?ocr {w}?>"),
    st.sampled_from(["&amp;", "&lt;", "&#x41;", "&#233;", "&quot;", "\u00a0", "\r\n", "\t"]),
    WORD.map(lambda w: f"<note>{w}</note>"),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"])


@st.composite
def mutated_tota(draw: st.DrawFn) -> bytes:
    """A valid ToTA file, with markup, references and odd characters put between its words."""
    articles = []
    for text in (TRANSFER, "The Parties recognise the importance of trade.\n\n1 For greater certainty, a note."):
        words = text.split(" ")
        for _ in range(draw(st.integers(0, 4))):
            at = draw(st.integers(0, len(words)))
            words.insert(at, draw(INSERTIONS))
        articles.append(" ".join(words))
    return tota(*articles, encoding=draw(ENCODINGS))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_tota())
def test_mutated_tota_loses_no_character(data: bytes) -> None:
    try:
        a = tc.parse(data)
    except TradeClausesError:
        return
    lost = lost_chars(raw_xml_chars(data, "article"), a, body_only=True)
    assert not lost, lost


LINES = st.one_of(
    st.sampled_from(
        [
            "Article 1: Scope",
            "ARTICLE 2",
            "Chapter 3: Trade",
            "Annex I",
            "Section A",
            "Footnotes",
            "1.",
            "(a)",
            "[^1] A note.",
            "[[MISSING: text]]",
            "title: X",
            "Preamble",
            "",
        ]
    ),
    st.text(min_size=0, max_size=40),
    st.builds(lambda n, w: f"{n}. Each Party shall {w}.", st.integers(0, 2_000_000_000), WORD),
    st.builds(lambda n, w: f"({n}) {w}", st.sampled_from(["a", "iv", "zz", "2000000000"]), WORD),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=12))
def test_any_text_is_read_or_refused_with_our_error(lines: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", errors.TradeClausesWarning)
        with contextlib.suppress(TradeClausesError):
            tc.parse("\n".join(lines))


BASE_DOCX = docx(
    HEADING + para("1. No Party shall prohibit the transfer.") + para("2. Each Party shall allow it."),
    numbering='<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"/></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>',
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(BASE_DOCX) - 1), st.integers(0, 255)), min_size=1, max_size=6),
       st.integers(64, len(BASE_DOCX)))  # fmt: skip
def test_damaged_word_files_are_refused_with_our_error(flips: list[tuple[int, int]], keep: int) -> None:
    data = bytearray(BASE_DOCX)
    for at, value in flips:
        data[at] = value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", errors.TradeClausesWarning)
        with contextlib.suppress(TradeClausesError):
            tc.parse(bytes(data[:keep]))


@needs_tota
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["pta_1.xml", "pta_100.xml", "pta_250.xml"]), st.data())
def test_mutated_real_tota_files_lose_no_character(name: str, data: st.DataObject) -> None:
    source = (TOTA / name).read_bytes().decode("utf-8")
    starts = [k for k in range(len(source)) if source.startswith("<article", k)]
    at = data.draw(st.sampled_from(starts))
    close = source.index(">", at) + 1
    end = source.index("</article>", close)
    words = source[close:end].split(" ")
    for _ in range(data.draw(st.integers(1, 4))):
        words.insert(data.draw(st.integers(0, len(words))), data.draw(INSERTIONS))
    mutated = (source[:close] + " ".join(words) + source[end:]).encode(data.draw(ENCODINGS))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", errors.TradeClausesWarning)
        a = tc.parse(mutated)
    assert not accounting.lost_chars(raw_xml_chars(mutated, "article"), a, body_only=True)

"""Word, PDF and HTML: files made from the shipped USMCA text read back to the same articles."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import pytest

import tradeclauses as tc
from tradeclauses.errors import MissingDependencyError, TradeClausesWarning
from tradeclauses.model import FOOTNOTE_MARK, Agreement, Article, Definition, Gap, Paragraph, Subparagraph
from tradeclauses.read import detect_format

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _usmca() -> Agreement:
    return tc.load("usmca")


def _with_text(a: Agreement) -> Iterator[Article]:
    return (art for art in a.articles if any(not isinstance(b, Gap) for b in art.children))


def _same_articles(got: Agreement, want: Agreement, *, normalise: bool = False) -> None:
    """Same articles (numbers, headings) and the same paragraph texts and footnotes."""

    def norm(s: str) -> str:
        s = s.replace("’", "'").replace("“", '"').replace("”", '"') if normalise else s
        return re.sub(r"\s+", " ", s).strip()

    held = {a.num: a for a in got.articles}
    for art in _with_text(want):
        mine = held[art.num]
        assert norm(mine.heading or "") == norm(art.heading or ""), art.num
        assert [norm(p.text) for p in mine.paragraphs] == [norm(p.text) for p in art.paragraphs], art.num
        assert [(b.kind, b.num) for b in mine.walk()] == [(b.kind, b.num) for b in art.walk() if not isinstance(b, Gap)]
        assert [f.num for f in mine.footnotes] == [f.num for f in art.footnotes], art.num
        assert [norm(f.text) for f in mine.footnotes] == [norm(f.text) for f in art.footnotes], art.num


# --- Word -------------------------------------------------------------------------------------

_NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">
  <w:abstractNum w:abstractNumId="7">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%2)"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%3)"/></w:lvl>
  </w:abstractNum>
  {{nums}}
</w:numbering>"""


def make_docx(a: Agreement, *, tracked: bool = False) -> bytes:
    """A Word file of ``a`` with automatic numbering and real footnotes (python-docx + XML)."""
    docx = pytest.importorskip("docx", reason="python-docx makes the test file (pip install python-docx)")
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph(a.title, style="Title")
    footnotes: list[str] = []
    nums: list[str] = []

    def para(text: str, num_id: int | None, level: int) -> None:
        p = document.add_paragraph()
        if num_id is not None:
            p._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
            )
        pos = 0
        for m in FOOTNOTE_MARK.finditer(text):
            p.add_run(text[pos : m.start()])
            footnotes.append(next(f.text for f in art.footnotes if f.num == m[1]))
            # the treaty's own footnote number, as a custom mark (Word would number them 1, 2, ...)
            p._p.append(
                parse_xml(
                    f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:footnoteReference w:customMarkFollows="1" w:id="{len(footnotes)}"/><w:t>{m[1]}</w:t></w:r>'
                )
            )
            pos = m.end()
        p.add_run(text[pos:])

    def block(b: Paragraph | Subparagraph | Definition | Gap, num_id: int, level: int) -> None:
        if isinstance(b, Gap):
            return
        numbered = b.num is not None and not isinstance(b, Definition)
        para(b.intro, num_id if numbered else None, level)
        for child in b.children:
            block(child, num_id, level + 1)
        if b.wrap_up:
            para(b.wrap_up, None, 0)

    for art in a.articles:
        document.add_paragraph(f"Article {art.num}: {art.heading or ''}".rstrip(": "), style="Heading 2")
        num_id = len(nums) + 1
        first = next((b.num for b in art.children if isinstance(b, Paragraph) and b.num), "1")
        nums.append(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="7"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{first}"/></w:lvlOverride></w:num>'
        )
        for b in art.children:
            block(b, num_id, 0)
    if tracked:
        body = document.element.body
        p = document.add_paragraph()
        ns = nsdecls("w")
        p._p.append(parse_xml(f'<w:ins {ns} w:id="90" w:author="x"><w:r><w:t>Added words.</w:t></w:r></w:ins>'))
        p._p.append(parse_xml(f'<w:del {ns} w:id="91" w:author="x"><w:r><w:delText>Gone.</w:delText></w:r></w:del>'))
        assert body is not None
    buf = io.BytesIO()
    document.save(buf)
    return _add_parts(buf.getvalue(), _NUMBERING.replace("{nums}", "".join(nums)), footnotes)


def _add_parts(data: bytes, numbering: str, footnotes: list[str]) -> bytes:
    """Put our numbering.xml and a footnotes.xml (python-docx cannot make footnotes) in the file."""
    notes = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {t}</w:t></w:r></w:p>'
        "</w:footnote>"
        for i, t in enumerate(footnotes, 1)
    )
    footnotes_xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f"{notes}</w:footnotes>"
    )
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            if info.filename == "word/numbering.xml":
                content = numbering.encode()
            dst.writestr(info.filename, content)
        if "word/numbering.xml" not in src.namelist():
            dst.writestr("word/numbering.xml", numbering)
        dst.writestr("word/footnotes.xml", footnotes_xml)
    return out.getvalue()


def test_docx_reads_back_usmca() -> None:
    data = make_docx(_usmca())
    assert detect_format(data) == "docx"
    got = tc.parse(data, agreement_id="usmca")
    assert got.title == _usmca().title
    _same_articles(got, _usmca())
    assert got["19.11"].paragraphs[1].children[1].intro.endswith("objective.[^5]")


def test_docx_numbers_come_from_numbering_xml() -> None:
    data = make_docx(_usmca())
    document = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "1. No Party shall prohibit" not in document  # the number is not in the text
    got = tc.parse(data, agreement_id="usmca")
    assert [b.num for b in got["19.11"].walk()] == ["1", "2", "(a)", "(b)"]


def test_docx_tracked_changes_are_read_as_accepted() -> None:
    data = make_docx(_usmca(), tracked=True)
    with pytest.warns(TradeClausesWarning, match="1 insertions, 1 deletions"):
        got = tc.parse(data, agreement_id="usmca")
    assert "Added words." in got.articles[-1].text
    assert "Gone." not in " ".join(a.text for a in got.articles)
    assert any("tracked changes" in n for n in got.notes)


# --- PDF --------------------------------------------------------------------------------------


def _latin(s: str) -> str:
    return s.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", "-").replace("–", "-")


def make_pdf(a: Agreement, *, columns: int = 2) -> bytes:
    """A PDF of ``a``: two columns, a running header, page numbers, words hyphenated at line ends."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 makes the test file (pip install fpdf2)")

    class Doc(fpdf.FPDF):  # type: ignore[misc]
        def header(self) -> None:
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, "USMCA Chapter 19 - Digital Trade", align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, f"19-{self.page_no()}", align="C")

    pdf = Doc(format=(148, 210))  # A5
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    cols = pdf.text_columns(ncols=columns, gutter=8, text_align="LEFT", wrapmode="CHAR" if False else "WORD")
    with cols:
        for art in _with_text(a):
            cols.write(text=_latin(f"Article {art.num}: {art.heading or ''}".rstrip(": ")) + "\n")

            def block(b: Paragraph | Subparagraph | Definition | Gap) -> None:
                if isinstance(b, Gap):
                    return
                label = f"{b.num} " if b.num and not isinstance(b, Definition) else ""
                if isinstance(b, Paragraph) and b.num:
                    label = f"{b.num}. "
                text = FOOTNOTE_MARK.sub(lambda m: m[1], b.intro)
                cols.write(text=_latin(label + text) + "\n")
                for child in b.children:
                    block(child)
                if b.wrap_up:
                    cols.write(text=_latin(b.wrap_up) + "\n")

            for b in art.children:
                block(b)
            for f in art.footnotes:
                cols.write(text=_latin(f"{f.num} {f.text}") + "\n")
            cols.write(text="\n")
    return bytes(pdf.output())


def test_pdf_two_columns_reads_back_usmca() -> None:
    pytest.importorskip("pdfminer", reason="the PDF reader needs pdfminer.six (pip install 'tradeclauses[pdf]')")
    data = make_pdf(_usmca())
    assert detect_format(data) == "pdf"
    got = tc.parse(data, agreement_id="usmca")
    _same_articles(got, _usmca(), normalise=True)
    assert any("USMCA Chapter 19" in r.text for r in got.removed)  # the running header
    assert any(re.fullmatch(r"19-\d", r.text) for r in got.removed)  # the page numbers


def test_pdf_without_pdfminer_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pdfminer", None)
    monkeypatch.setitem(sys.modules, "pdfminer.high_level", None)
    monkeypatch.setitem(sys.modules, "pdfminer.layout", None)
    with pytest.raises(MissingDependencyError, match=r"tradeclauses\[pdf\]"):
        tc.parse(b"%PDF-1.4 fake")


# --- HTML -------------------------------------------------------------------------------------


def make_html(a: Agreement) -> bytes:
    """A web page of ``a``: navigation, header, footer, scripts, <ol> lists and linked footnotes."""
    import html

    out = [
        "<!DOCTYPE html><html><head><title>USMCA Chapter 19</title><style>p{}</style>",
        "<script>var x = 'Article 99: Not a treaty';</script></head><body>",
        "<header><nav><a href='/'>Home</a> | <a href='/ch19'>Chapter 19 menu</a></nav></header>",
        "<main><h1>" + html.escape(a.title) + "</h1>",
    ]
    notes: list[tuple[str, str]] = []

    def words(text: str) -> str:
        def mark(m: re.Match[str]) -> str:
            f = next(f for art in a.articles for f in art.footnotes if f.num == m[1])
            notes.append((f.num, f.text))
            return f"<sup><a href='#fn{f.num}' id='ref{f.num}'>{f.num}</a></sup>"

        return FOOTNOTE_MARK.sub(mark, html.escape(text))

    def items(blocks: tuple[Paragraph | Subparagraph | Definition | Gap, ...], kind: str) -> str:
        parts = []
        for b in blocks:
            if isinstance(b, Gap):
                continue
            kids = items(b.children, "a") if b.children else ""
            parts.append(f"<li>{words(b.intro)}{kids}{words(b.wrap_up)}</li>")
        first = next((b.num for b in blocks if not isinstance(b, Gap) and b.num), "1").strip("()")
        start = f" start='{first}'" if first.isdigit() and first != "1" else ""
        return f"<ol type='{kind}'{start}>{''.join(parts)}</ol>"

    for art in _with_text(a):
        out.append(f"<h2>Article {art.num}: {html.escape(art.heading or '')}</h2>".replace(": </h2>", "</h2>"))
        held = [b for b in art.children if not isinstance(b, Gap)]
        if all(isinstance(b, Paragraph) and b.num for b in held):
            out.append(items(art.children, "1"))
        else:
            for b in art.children:
                if isinstance(b, Gap):
                    continue
                out.append(f"<p>{words(b.intro)}</p>")
                if b.children:
                    out.append(items(b.children, "a"))
    out.append("<section class='footnotes'><ol>")
    out.extend(f"<li id='fn{n}'>{html.escape(t)} <a href='#ref{n}'>↩</a></li>" for n, t in notes)
    out.append("</ol></section></main><footer>© 2024 Example Ministry. Article 1 of the site terms.</footer>")
    out.append("</body></html>")
    return "".join(out).encode()


def test_html_reads_back_usmca() -> None:
    data = make_html(_usmca())
    assert detect_format(data) == "html"
    got = tc.parse(data, agreement_id="usmca")
    _same_articles(got, _usmca())
    text = " ".join(a.text for a in got.articles)
    for furniture in ("Not a treaty", "Chapter 19 menu", "site terms"):  # script, nav, footer
        assert furniture not in text
    assert got["19.11"].footnotes[0].text.startswith("A measure does not meet the conditions")


def test_html_ol_numbering() -> None:
    page = (
        b"<html><body><h2>Article 3: Cooperation</h2><ol start='2'><li>Each Party shall:<ol type='a'>"
        b"<li>share information;</li><li value='4'>meet.</li></ol></li><li>Done.</li></ol></body></html>"
    )
    got = tc.parse(page)
    assert [(b.num, b.text) for b in got["3"].walk()] == [
        ("2", "Each Party shall: (a) share information; (d) meet."),
        ("(a)", "share information;"),
        ("(d)", "meet."),
        ("3", "Done."),
    ]


# PDF text artefacts, after extraction: (lines, article, expected paragraph texts, what)
PDF_ARTEFACTS = [
    (
        ["Article 1: Scope", "1. Each Party shall allow the trans-", "fer of information by elec-", "tronic means."],
        ["Each Party shall allow the transfer of information by electronic means."],
        "words hyphenated at line ends",
    ),
    (
        ["Article 1: Cross-Border Transfer", "of Information", "1. No Party shall restrict the", "transfer.2",
         "2 For greater certainty, this is a footnote.", "2. Each Party may regulate."],
        ["No Party shall restrict the transfer.", "Each Party may regulate."],
        "a heading wrapped in a column, a footnote below a numbered paragraph",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("lines", "expected", "note"), PDF_ARTEFACTS)
def test_pdf_text_artefacts(lines: list[str], expected: list[str], note: str) -> None:
    from tradeclauses.read.pdf import join_wrapped, mark_footnotes
    from tradeclauses.read.text import read_text

    a = read_text("\n".join(mark_footnotes(join_wrapped(lines))))
    art = a.articles[0]
    assert [p.text for p in art.paragraphs] == expected, note
    if "Cross-Border" in lines[0]:
        assert art.heading == "Cross-Border Transfer of Information", note
        assert [f.text for f in art.footnotes] == ["For greater certainty, this is a footnote."], note

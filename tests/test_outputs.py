"""The files people exchange: Word redlines and reports, spreadsheets, charts, the HTML comparison."""

from __future__ import annotations

import csv
import io
import posixpath
import re
import warnings
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import pytest
from lxml import etree

import tradeclauses as tc
from tradeclauses.cli import main
from tradeclauses.diffing import AgreementDiff, body
from tradeclauses.errors import OptionError, TradeClausesError
from tradeclauses.normalize import normalize
from tradeclauses.read.docx import read_docx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "agreements" / "examples" / "draft-digital-trade.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

OLD = """Article 1: Scope
1. This Chapter applies to measures adopted or maintained by a Party that affect trade by electronic means.
2. This Chapter does not apply to government procurement.
Article 2: Cross-Border Transfer of Information
1. No Party shall prohibit or restrict the cross-border transfer of information, including personal information, \
by electronic means if this activity is for the conduct of the business of a covered person.[^1]
2. Nothing in this Article shall prevent a Party from adopting a measure necessary to achieve a legitimate public \
policy objective, provided that the measure:
(a) is not applied in a manner which would constitute a means of arbitrary or unjustifiable discrimination; and
(b) does not impose restrictions greater than are necessary.
[^1] For greater certainty, this paragraph covers financial information.
Article 3: Cooperation
The Parties shall endeavour to cooperate.
Article 5: Paperless Trading
Each Party shall accept electronic trade administration documents.
"""

NEW = """Article 5: Paperless Trading
Each Party shall accept electronic trade administration documents.
Article 1: Scope
1. This Chapter applies to measures adopted or maintained by a Party that affect trade by electronic means.
Article 2: Cross-Border Transfer of Information
1. Each Party shall endeavour not to prohibit or restrict the cross-border transfer of information by electronic \
means if this activity is for the conduct of the business of a covered person.[^1]
2. Nothing in this Article shall prevent a Party from adopting a measure it considers necessary to achieve a \
legitimate public policy objective, provided that the measure:
(a) is not applied in a manner which would constitute a means of arbitrary or unjustifiable discrimination.
[^1] For greater certainty, this paragraph does not cover financial information.
Article 4: Security
Nothing in this Chapter shall prevent a Party from taking any measure it considers necessary for the protection \
of its essential security interests.
"""


@pytest.fixture(scope="module")
def versions() -> tuple[tc.Agreement, tc.Agreement, AgreementDiff]:
    old = tc.parse(OLD, agreement_id="round1")
    new = tc.parse(NEW, agreement_id="round2")
    return old, new, tc.diff(old, new)


def _redline(d: AgreementDiff, tmp_path: Path, **kwargs: object) -> bytes:
    pytest.importorskip("docx", reason="python-docx writes Word files (pip install 'tradeclauses[docx]')")
    out = tmp_path / "redline.docx"
    d.to_docx(out, **kwargs)  # type: ignore[arg-type]
    return out.read_bytes()


def _read(data: bytes, revisions: str, agreement_id: str) -> tc.Agreement:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tc.errors.TradeClausesWarning)  # it holds tracked changes: that is the point
        return read_docx(data, revisions=revisions, agreement_id=agreement_id)  # type: ignore[arg-type]


def _footnotes(a: tc.Agreement) -> list[tuple[str, str]]:
    return [(f.num, normalize(f.text)) for f in a.footnotes]


# --------------------------------------------------------------------------- Word redline


def test_redline_accept_all_gives_the_new_text_and_reject_all_the_old(
    versions: tuple[tc.Agreement, tc.Agreement, AgreementDiff], tmp_path: Path
) -> None:
    old, new, d = versions
    data = _redline(d, tmp_path)
    accepted = _read(data, "accept", "round2")
    rejected = _read(data, "reject", "round1")
    assert body(accepted) == body(new)
    assert body(rejected) == body(old)  # the moved Article 5 and the removed Article 3 are back in place
    assert _footnotes(accepted) == _footnotes(new)
    assert _footnotes(rejected) == _footnotes(old)
    assert [b.num for b in rejected["2"].walk()] == ["1", "2", "(a)", "(b)"]
    assert [b.num for b in accepted["2"].walk()] == ["1", "2", "(a)"]


@pytest.mark.parametrize("direction", ["template to draft", "draft to template"])
def test_redline_of_the_sample_draft_against_usmca(direction: str, tmp_path: Path) -> None:
    usmca, draft = tc.load("usmca"), tc.parse(EXAMPLE)
    old, new = (usmca, draft) if direction == "template to draft" else (draft, usmca)
    data = _redline(tc.diff(old, new), tmp_path)
    assert body(_read(data, "accept", new.id)) == body(new)
    assert body(_read(data, "reject", old.id)) == body(old)


def test_redline_tracks_changes_with_author_and_date(
    versions: tuple[tc.Agreement, tc.Agreement, AgreementDiff], tmp_path: Path
) -> None:
    when = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    data = _redline(versions[2], tmp_path, author="Round 2 team", date=when)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    revisions = list(root.iter(W + "ins", W + "del"))
    assert revisions
    assert {r.get(W + "author") for r in revisions} == {"Round 2 team"}
    assert {r.get(W + "date") for r in revisions} == {"2026-05-04T09:30:00Z"}
    deleted = " ".join(t.text or "" for t in root.iter(W + "delText"))
    inserted = " ".join(t.text or "" for r in root.iter(W + "ins") for t in r.iter(W + "t"))
    assert "No" in deleted.split()
    assert "endeavour" in inserted.split()
    assert "government procurement." in deleted  # the removed paragraph
    assert "essential security interests." in inserted  # the added article
    # article headings are Word headings, in the new text's order; the moved Article 5 (first in the new
    # text) also stands, deleted, where it stood in the old one: after Article 3, removed, before the new 4
    headings = [
        "".join(t.text or "" for t in p.iter(W + "t", W + "delText"))
        for p in root.iter(W + "p")
        if p.find(f"{W}pPr/{W}pStyle[@{W}val='Heading2']") is not None
    ]
    assert [h.split(":")[0].strip() for h in headings] == [
        "Article 5",
        "Article 1",
        "Article 2",
        "Article 3",
        "Article 5",
        "Article 4",
    ]


def _comment_ranges(document: etree._Element) -> dict[str, tuple[str, str]]:
    """Comment id → (new side, old side): the words between its range start and end, changes accepted or rejected."""
    open_: dict[str, tuple[list[str], list[str]]] = {}
    out: dict[str, tuple[str, str]] = {}
    for el in document.iter():
        if el.tag == W + "commentRangeStart":
            open_[el.get(W + "id", "")] = ([], [])
        elif el.tag == W + "commentRangeEnd":
            new, old = open_.pop(el.get(W + "id", ""))
            out[el.get(W + "id", "")] = ("".join(new), "".join(old))
        elif el.tag in (W + "t", W + "delText"):
            inserted = any(a.tag == W + "ins" for a in el.iterancestors())
            for new, old in open_.values():
                if el.tag == W + "t":
                    new.append(el.text or "")
                if not inserted:
                    old.append(el.text or "")
    return out


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s-]", " ", normalize(text)).split())


def test_each_finding_is_a_comment_anchored_at_the_words_it_quotes(
    versions: tuple[tc.Agreement, tc.Agreement, AgreementDiff], tmp_path: Path
) -> None:
    d = versions[2]
    data = _redline(d, tmp_path)
    package = zipfile.ZipFile(io.BytesIO(data))
    document = etree.fromstring(package.read("word/document.xml"))
    comments = etree.fromstring(package.read("word/comments.xml"))
    ranges = _comment_ranges(document)
    by_text = {c.get(W + "id"): "\n".join(p.xpath("string()") for p in c.iter(W + "p")) for c in comments}
    findings = list(d.findings())
    assert findings
    for f in findings:
        ids = [cid for cid, text in by_text.items() if text.startswith(f"{f.flag.value}: {f.explanation}")]
        assert len(ids) == 1, f  # each finding once
        new_side, old_side = ranges[ids[0]]
        if f.draft_evidence:
            assert _words(f.draft_evidence)[:60] in _words(new_side), (f, new_side)
        elif f.model_evidence:
            assert _words(f.model_evidence)[:60] in _words(old_side), (f, old_side)
    weakened = next(f for f in findings if f.flag is tc.Flag.WEAKENED_OBLIGATION)
    cid = next(k for k, v in by_text.items() if v.startswith(weakened.flag.value))
    assert "endeavour" in ranges[cid][0].split()
    # the evidence is in the comment too
    assert f"new: {weakened.draft_evidence}" in by_text[cid]


def test_redline_package_is_well_formed(
    versions: tuple[tc.Agreement, tc.Agreement, AgreementDiff], tmp_path: Path
) -> None:
    data = _redline(versions[2], tmp_path)
    package = zipfile.ZipFile(io.BytesIO(data))
    names = set(package.namelist())
    xml = {n: etree.fromstring(package.read(n)) for n in names if n.endswith((".xml", ".rels"))}  # all parse
    types = xml["[Content_Types].xml"]
    ct = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = {e.get("Extension", "").lower() for e in types.iter(ct + "Default")}
    overrides = {e.get("PartName", "") for e in types.iter(ct + "Override")}
    for name in names - {"[Content_Types].xml"}:
        assert f"/{name}" in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
    for part in overrides:
        assert part.lstrip("/") in names, part
    assert "/word/comments.xml" in overrides
    rel = "{http://schemas.openxmlformats.org/package/2006/relationships}"
    for name, root in xml.items():
        if not name.endswith(".rels"):
            continue
        base = PurePosixPath(name).parent.parent
        for r in root.iter(rel + "Relationship"):
            if r.get("TargetMode") == "External":
                continue
            target = r.get("Target", "")
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(str(base / target))
            assert resolved in names, (name, target)
    rels = xml["word/_rels/document.xml.rels"]
    assert any(r.get("Type", "").endswith("/comments") for r in rels.iter(rel + "Relationship"))
    document = xml["word/document.xml"]
    revision_ids = [e.get(W + "id") for e in document.iter(W + "ins", W + "del")]
    assert len(revision_ids) == len(set(revision_ids))
    comment_ids = [e.get(W + "id") for e in xml["word/comments.xml"].iter(W + "comment")]
    assert len(comment_ids) == len(set(comment_ids))
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        assert sorted(e.get(W + "id") for e in document.iter(W + tag)) == sorted(comment_ids), tag
    # python-docx opens it again
    docx = pytest.importorskip("docx")
    assert docx.Document(io.BytesIO(data)).paragraphs[0].style.name == "Title"


def test_redline_needs_the_texts_of_a_diff_read_from_json(
    versions: tuple[tc.Agreement, tc.Agreement, AgreementDiff], tmp_path: Path
) -> None:
    old, new, d = versions
    again = AgreementDiff.model_validate_json(d.model_dump_json())
    with pytest.raises(TradeClausesError, match="pass old= and new="):
        _redline(again, tmp_path)
    assert body(_read(_redline(again, tmp_path, old=old, new=new), "accept", "round2")) == body(new)
    with pytest.raises(TradeClausesError, match="not round2 with round1"):
        _redline(again, tmp_path, old=new, new=old)


def test_cli_diff_writes_a_word_redline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("docx")
    out = tmp_path / "out.docx"
    assert main(["diff", "usmca", str(EXAMPLE), "--format", "docx", "-o", str(out)]) == 1
    assert "USMCA → Sample draft" in capsys.readouterr().err
    assert body(_read(out.read_bytes(), "accept", "sample-draft")) == body(tc.parse(EXAMPLE))
    assert main(["diff", "usmca", str(EXAMPLE), "--format", "docx"]) == 2
    assert "--output" in capsys.readouterr().err


def test_word_reader_revisions_option() -> None:
    with pytest.raises(OptionError, match="'accept' or 'reject'"):
        read_docx(b"PK", revisions="keep")  # type: ignore[arg-type]


def test_scorecard_as_word_report(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    card = tc.score(tc.parse(EXAMPLE))
    out = tmp_path / "card.docx"
    card.to_docx(out)
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert card.summary() in text
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["Model", "Heading", "Draft"]
    assert len(table.rows) == len(card.rows) + 1
    row = next(r for r in table.rows if r.cells[0].text == "19.11")
    assert row.cells[5].text == card.row("19.11").verdict
    for f in card.row("19.11").findings:
        assert f.explanation in text
    assert "Articles the draft adds" in text


# --------------------------------------------------------------------------- tables


def test_scorecard_frame_includes_added_articles() -> None:
    pytest.importorskip("pandas")
    card = tc.score(tc.parse(EXAMPLE))
    frame = card.to_frame()
    assert len(frame) == len(card.rows) + len(card.added)
    added = frame[frame["row"] == "added"]
    assert sorted(added["draft"]) == sorted(a.draft_num for a in card.added)
    assert set(added["verdict"]) == {"added"}
    assert frame.loc["19.11", "verdict"] == card.row("19.11").verdict


def test_scorecard_csv_matches_the_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tc.score(tc.parse(EXAMPLE))
    rows = list(csv.DictReader(io.StringIO(card.to_csv())))
    assert [r["model"] for r in rows[: len(card.rows)]] == [r.model_num for r in card.rows]
    assert [r["draft"] for r in rows[len(card.rows) :]] == [a.draft_num for a in card.added]
    assert rows[0]["verdict"] == card.rows[0].verdict
    assert main(["score", str(EXAMPLE), "--format", "csv"]) == 0
    assert list(csv.DictReader(io.StringIO(capsys.readouterr().out))) == rows


def test_diff_frame_and_csv_one_row_per_change(versions: tuple[tc.Agreement, tc.Agreement, AgreementDiff]) -> None:
    d = versions[2]
    rows = list(csv.DictReader(io.StringIO(d.to_csv())))
    assert len(rows) == len(d.changes)
    removed = next(r for r in rows if r["level"] == "paragraph" and "REMOVED" in r["kinds"])
    assert removed["old_text"] == "This Chapter does not apply to government procurement."
    assert removed["new_text"] == ""
    art2 = next(r for r in rows if r["level"] == "article" and r["new_num"] == "2")
    assert "WEAKENED_OBLIGATION" in art2["flags"]
    assert art2["substantive"] == "True"
    pd = pytest.importorskip("pandas")
    frame = d.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["level"]) == [c.level for c in d.changes]
    assert list(frame.columns[:4]) == ["level", "kinds", "old_num", "new_num"]


def test_excel_workbooks(versions: tuple[tc.Agreement, tc.Agreement, AgreementDiff], tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl writes .xlsx (pip install 'tradeclauses[excel]')")
    d = versions[2]
    d.to_excel(tmp_path / "diff.xlsx")
    book = openpyxl.load_workbook(tmp_path / "diff.xlsx")
    assert book.sheetnames == ["Changes", "Findings"]
    changes = list(book["Changes"].values)
    assert changes[0][:4] == ("level", "kinds", "old_num", "new_num")
    assert len(changes) == len(d.changes) + 1
    findings = list(book["Findings"].values)
    assert len(findings) == len(list(d.findings())) + 1
    assert {"flag", "explanation", "model_evidence", "draft_evidence", "substantive"} <= set(findings[0])
    card = tc.score(tc.parse(EXAMPLE))
    card.to_excel(tmp_path / "card.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "card.xlsx")["Scorecard"]
    assert sheet.max_row == len(card.rows) + len(card.added) + 1
    hits = tc.search(tc.load("usmca")["19.12"], "usmca", k=2)
    hits.to_excel(tmp_path / "hits.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "hits.xlsx")["Hits"].values)
    assert rows[1][0] == 100.0
    assert len(rows) == 3


def test_excel_cells_are_values_never_formulas(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from tradeclauses.render.tables import to_excel

    to_excel({"s": (["text"], [{"text": '=HYPERLINK("x")'}])}, tmp_path / "t.xlsx")
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx")["s"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("x")'


def test_hits_csv(tmp_path: Path) -> None:
    hits = tc.search(tc.load("usmca")["19.12"], "usmca", k=3)
    text = hits.to_csv(tmp_path / "hits.csv")
    assert (tmp_path / "hits.csv").read_text("utf-8") == text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [h.id for h in hits]


# --------------------------------------------------------------------------- charts and HTML


def test_scorecard_plot() -> None:
    pytest.importorskip("matplotlib", reason="charts need matplotlib (pip install 'tradeclauses[draw]')")
    card = tc.score(tc.parse(EXAMPLE))
    ax = card.plot()
    scored = [r for r in card.rows if r.score is not None]
    assert [p.get_width() for p in ax.patches[: len(scored)]] == [r.score for r in scored]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith(scored[0].model_num)
    weights = [t.get_text() for t in ax.texts]
    assert any(f"×{card.row('19.11').weight:g}" in w for w in weights)
    from matplotlib.colors import to_hex

    from tradeclauses.render.charts import VERDICT_COLOURS

    assert to_hex(ax.patches[0].get_facecolor()) == VERDICT_COLOURS[scored[0].verdict]
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_diff_plot_counts_changes_by_article_and_kind(
    versions: tuple[tc.Agreement, tc.Agreement, AgreementDiff],
) -> None:
    pytest.importorskip("matplotlib")
    from tradeclauses.render.charts import diff_counts

    d = versions[2]
    counts = dict(diff_counts(d))
    assert counts["3 → —"]["REMOVED"] == 1
    assert counts["— → 4"]["ADDED"] == 1
    assert counts["2"]["MODIFIED"] == 3  # paragraphs 1 and 2 and the footnote
    ax = d.plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == list(counts)
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_html_reports_embed_the_charts(versions: tuple[tc.Agreement, tc.Agreement, AgreementDiff]) -> None:
    pytest.importorskip("matplotlib")
    page = versions[2].to_html()
    assert page.count("<svg") == 1
    card_page = tc.score(tc.parse(EXAMPLE)).to_html()
    assert card_page.count("<svg") == 1
    etree.fromstring(re.search(r"<svg.*?</svg>", card_page, re.S)[0].encode())  # type: ignore[index]


def test_diff_report_reads_like_a_comparison_document() -> None:
    d = tc.diff("usmca", EXAMPLE)
    when = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
    page = d.to_html(when=when)
    assert "Comparison of <b>Sample draft</b>" in page
    assert "04 May 2026, 09:30 UTC" in page
    assert page.index("Changes by kind") < page.index("<section")
    assert page.index("Substantive findings by flag") < page.index("<section")
    assert "@media print" in page
    # not-comparable articles: one note, no section each
    assert page.count('class="unheld"') == 1
    assert 'id="c-usmca-ch19-art19-2"' not in page
    # each finding once
    for f in d.findings():
        assert page.count(f"{f.flag.value}</span>: {_html(f.explanation)}<") == 1, f
    # subparagraphs on their own lines
    assert '<br class="sub">(b)' in page
    # new text's order, moves marked
    sections = re.findall(r'<section id="([^"]+)"', page)
    assert sections.index("c-usmca-ch19-art19-11") < sections.index("c-usmca-ch19-art19-16")
    assert "moved: it stood at article" in page


def _html(text: str) -> str:
    import html

    return html.escape(text)


# --------------------------------------------------------------------------- one API shape


def test_search_lineage_graph_take_names_files_folders_and_corpora(tmp_path: Path) -> None:
    usmca = tc.load("usmca")
    clause = usmca["19.12"]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "draft.txt").write_text(EXAMPLE.read_text("utf-8"), "utf-8")
    by_name = tc.search(clause, "usmca", k=1)
    assert by_name[0].id == clause.id
    assert tc.search(clause, tmp_path / "mine", k=1)[0].agreement == "sample-draft"
    assert tc.search(clause, str(tmp_path / "mine"), k=1)[0].agreement == "sample-draft"
    assert tc.search(clause, tc.corpus.folder(tmp_path / "mine"), k=1)[0].agreement == "sample-draft"
    assert tc.search(clause, str(EXAMPLE), k=1)[0].num == "8.5"
    assert {h.agreement for h in tc.search(clause, ["usmca", EXAMPLE], k=2)} == {"usmca", "sample-draft"}
    graph = tc.graph("usmca", EXAMPLE, align=True)
    assert "sample-draft/ch8/art8.5" in graph
    assert tc.graph(tmp_path / "mine").nx.number_of_nodes() > 10


@pytest.mark.parametrize("bad", [3, b"bytes", [1, 2]])
def test_search_says_what_it_takes(bad: object) -> None:
    with pytest.raises(tc.errors.InputTypeError, match="corpus"):
        tc.search("No Party shall", bad)  # type: ignore[call-overload]
    with pytest.raises(tc.errors.InputTypeError):
        tc.graph(bad)  # type: ignore[arg-type]


def test_lineage_by_id_of_an_agreement_outside_the_index() -> None:
    older = tc.parse(
        "Article 7: Location of Computing Facilities\nNo Party shall require a covered person to use or locate "
        "computing facilities in that Party's territory as a condition for conducting business in that territory.",
        agreement_id="older",
    ).replace(date_signed=datetime(2016, 2, 4).date())
    index = tc.SearchIndex.build([older])
    assert str(tc.lineage("usmca/ch19/art19.12", index)) == "older 7 (2016, 100) → usmca/ch19/art19.12"
    with pytest.raises(tc.errors.ProvisionNotFoundError, match="nowhere/x"):
        tc.lineage("nowhere/x", index)


def test_folders_are_not_files(tmp_path: Path) -> None:
    with pytest.raises(tc.errors.ReadError, match="folder, not a file"):
        tc.parse(tmp_path)
    with pytest.raises(tc.errors.ReadError, match="folder, not a file"):
        tc.score(str(tmp_path))
    with pytest.raises(tc.errors.ReadError, match="folder, not a file"):
        tc.diff("usmca", str(tmp_path))


def test_version() -> None:
    from importlib.metadata import version

    assert tc.__version__ == version("tradeclauses")
    assert "__version__" in dir(tc)


def test_cli_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"tradeclauses {tc.__version__}"


def test_cli_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(EXAMPLE.read_bytes())))
    assert main(["diff", "usmca", "-", "--format", "json"]) == 1
    assert '"new_id": "' in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert main(["score", "-"]) == 2
    assert "standard input, which was empty" in capsys.readouterr().err


def test_cli_directory_is_not_no_such_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "usmca", str(tmp_path)]) == 2
    assert "folder, not a file" in capsys.readouterr().err
    assert main(["show", str(tmp_path)]) == 2
    assert "folder, not a file" in capsys.readouterr().err


def test_cli_output_cut_short_by_the_reader_ends_quietly() -> None:
    import subprocess
    import sys

    command = f"{sys.executable} -m tradeclauses diff usmca {EXAMPLE} | head -n 1"
    done = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)
    assert done.stdout.startswith("USMCA → Sample draft")
    assert "Traceback" not in done.stderr, done.stderr
    assert "BrokenPipeError" not in done.stderr

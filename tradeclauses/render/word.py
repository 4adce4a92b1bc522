"""Word files: a diff as a redline with tracked changes and comments, a scorecard as a report.

The redline (:func:`diff_docx`) is the new version's text, article by article in the
new version's order (articles only in the old version stand after their old
neighbour), in which every word deleted or inserted is a real Word tracked change:

* ``w:del`` / ``w:ins`` runs carrying ``w:author`` and ``w:date``; a paragraph that
  exists on one side only also has its paragraph mark tracked, so *Accept All*
  gives exactly the new text and *Reject All* exactly the old one (both read back
  with :func:`tradeclauses.read.docx.read_docx` and its ``revisions=`` choice);
* paragraph numbers are part of the text ("1.", "(a)"), so a renumbered paragraph
  shows its old number deleted and its new one inserted;
* article headings are Word headings (``Heading 2``, chapters ``Heading 1``), so
  Word's navigation pane lists the articles;
* each legal finding of :mod:`tradeclauses.analysis` is a Word comment (a
  ``word/comments.xml`` part) anchored at the words it quotes: the new text's words
  when it quotes them, else the old text's (deleted) words, else the article heading.
  A comment holds every field of the finding, so fields added to
  :class:`~tradeclauses.analysis.Finding` appear without a change here.

Footnotes are written as the text format writes them: a ``[^N]`` mark in the
paragraph and the footnote's words in a paragraph after the article. Articles that
cannot be compared (one side does not hold their words) are written as the new
version has them, with a comment saying so.

python-docx builds the package (styles, core properties, content types,
relationships, the comments part); the tracked changes and comment anchors are
written with lxml, since python-docx has no API for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from lxml import etree
from rapidfuzz.distance import Indel

from tradeclauses.errors import MissingDependencyError, TradeClausesError
from tradeclauses.model import Agreement, Article, Chapter
from tradeclauses.render.text import article_text

if TYPE_CHECKING:
    from tradeclauses.analysis import Finding
    from tradeclauses.diffing import AgreementDiff, Change
    from tradeclauses.scoring import Scorecard

__all__ = ["diff_docx", "scorecard_docx"]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_BREAK = "\x00¶"
"""The token standing for a paragraph break in the word streams that are compared."""

Op = Literal["equal", "delete", "insert"]


def _docx() -> Any:
    try:
        import docx  # noqa: PLC0415 - optional extra
    except ImportError as exc:
        raise MissingDependencyError("writing Word files", "docx") from exc
    return docx


def _w(tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(_W + tag)
    for key, value in attrs.items():
        el.set(_W + key, value)
    return el


# --------------------------------------------------------------------------- word streams


@dataclass
class _Item:
    """One word (or paragraph break) of the merged stream of old and new words."""

    op: Op
    text: str
    old_line: int
    """Index of the old line the item belongs to (-1: none)."""
    new_line: int
    """Index of the new line the item belongs to (-1: none)."""
    comments_start: list[int] = field(default_factory=list)
    comments_end: list[int] = field(default_factory=list)

    @property
    def is_break(self) -> bool:
        return self.text == _BREAK


def _tokens(lines: Sequence[str]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for i, line in enumerate(lines):
        if i:
            out.append((_BREAK, i - 1))
        out += [(w, i) for w in line.split()]
    return out


def _key(word: str) -> str:
    from tradeclauses.diffing import _key as word_key  # noqa: PLC0415 - the diff's own word comparison

    return word if word == _BREAK else "w:" + word_key(word)


def _stream(old_lines: Sequence[str], new_lines: Sequence[str]) -> list[_Item]:
    """The words of both sides in reading order: kept, deleted, inserted; deletions first in each stretch.

    Words compared alike but written differently (case, spelling) are deleted and
    inserted, so that accepting or rejecting every change gives each side word for word.
    """
    old = _tokens(old_lines)
    new = _tokens(new_lines)
    out: list[_Item] = []
    dels: list[_Item] = []
    ins: list[_Item] = []
    for op in Indel.opcodes([_key(w) for w, _ in old], [_key(w) for w, _ in new]):
        if op.tag == "equal":
            out += dels + ins
            dels, ins = [], []
            for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end), strict=True):
                (ow, ol), (nw, nl) = old[i], new[j]
                if ow == nw:
                    out.append(_Item("equal", nw, ol, nl))
                else:
                    out.append(_Item("delete", ow, ol, -1))
                    out.append(_Item("insert", nw, -1, nl))
        else:  # a changed stretch may be several operations: its deletions first, then its insertions
            dels += [_Item("delete", w, line, -1) for w, line in old[op.src_start : op.src_end]]
            ins += [_Item("insert", w, -1, line) for w, line in new[op.dest_start : op.dest_end]]
    return out + dels + ins


def _side_words(items: Sequence[_Item], side: Literal["old", "new"]) -> list[tuple[int, str]]:
    skip = "insert" if side == "old" else "delete"
    return [(k, it.text) for k, it in enumerate(items) if it.op != skip and not it.is_break]


def _loose(word: str) -> str:
    """A word as quotes are matched: its comparison key without punctuation."""
    return re.sub(r"[\W_]+", "", _key(word)[2:])


def _find(items: Sequence[_Item], quote: str, side: Literal["old", "new"]) -> tuple[int, int] | None:
    """Stream positions of the first and last word of ``quote`` on one side, if the side holds it."""
    want = [k for k in (_loose(w) for w in quote.split()) if k]
    if not want:
        return None
    words = [(k, w) for k, w in _side_words(items, side) if _loose(w)]
    keys = [_loose(w) for _, w in words]
    for size in (len(want), min(len(want), 12), min(len(want), 6)):
        target = want[:size]
        for start in range(len(keys) - size + 1):
            if keys[start : start + size] == target:
                return words[start][0], words[start + size - 1][0]
    return None


# --------------------------------------------------------------------------- writing


_SUBPARA = re.compile(r"^\((?:[a-z]{1,2}|[ivxlc]+|[A-Z]|\d+)\)\s")
_ROMAN = re.compile(r"^\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\)\s")
_FOOTNOTE = re.compile(r"^\[\^[^\]\s]+\]\s")


class _Writer:
    """Writes tracked paragraphs and comment anchors into a python-docx document."""

    def __init__(self, document: Any, author: str, date: datetime) -> None:
        self.document = document
        self.body = document.element.body
        self.sect = self.body.find(_W + "sectPr")
        self.author = author
        self.date = date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = 1

    def _rev(self, tag: str) -> etree._Element:
        el = _w(tag, id=str(self.next_id), author=self.author, date=self.date)
        self.next_id += 1
        return el

    def _append(self, p: etree._Element) -> None:
        if self.sect is not None:
            self.sect.addprevious(p)
        else:
            self.body.append(p)

    def comment(self, finding: Finding) -> int:
        """A comment holding the finding; returns its id."""
        data = finding.model_dump(mode="json")
        lines = [f"{data.pop('flag')}: {data.pop('explanation')}"]
        for key, value in data.items():
            if value not in ("", None, [], ()):
                label = {"model_evidence": "old", "draft_evidence": "new"}.get(key, key.replace("_", " "))
                lines.append(f"{label}: {value}")
        comment = self.document.comments.add_comment(lines[0], author=self.author, initials="tc")
        for line in lines[1:]:
            comment.add_paragraph(line)
        comment._comment_elm.set(_W + "date", self.date)
        return int(comment.comment_id)

    def note_comment(self, text: str) -> int:
        comment = self.document.comments.add_comment(text, author=self.author, initials="tc")
        comment._comment_elm.set(_W + "date", self.date)
        return int(comment.comment_id)

    def paragraph(self, style: str | None, items: Sequence[_Item], mark: Op, *, indent: int = 0) -> None:
        """One Word paragraph of ``items``; ``mark``: whether its paragraph mark is kept, deleted or inserted."""
        p = _w("p")
        ppr = etree.SubElement(p, _W + "pPr")
        if style:
            etree.SubElement(ppr, _W + "pStyle").set(_W + "val", style)
        if indent:
            ind = etree.SubElement(ppr, _W + "ind")
            ind.set(_W + "left", str(360 * indent))
        if mark != "equal":
            rpr = etree.SubElement(ppr, _W + "rPr")
            rpr.append(self._rev("del" if mark == "delete" else "ins"))
        group: list[_Item] = []

        def flush() -> None:
            if not group:
                return
            text = "".join(it.text + " " for it in group)
            op = group[0].op
            run = _w("r")
            t = etree.SubElement(run, _W + ("delText" if op == "delete" else "t"))
            t.text = text
            t.set(_XML_SPACE, "preserve")
            if op == "equal":
                p.append(run)
            else:
                wrapper = self._rev("del" if op == "delete" else "ins")
                wrapper.append(run)
                p.append(wrapper)
            group.clear()

        for it in items:
            if it.comments_start:
                flush()
                for cid in it.comments_start:
                    p.append(_w("commentRangeStart", id=str(cid)))
            if group and group[0].op != it.op:
                flush()
            group.append(it)
            if it.comments_end:
                flush()
                for cid in it.comments_end:
                    p.append(_w("commentRangeEnd", id=str(cid)))
                    ref = _w("r")
                    rpr = etree.SubElement(ref, _W + "rPr")
                    etree.SubElement(rpr, _W + "vertAlign").set(_W + "val", "superscript")
                    ref.append(_w("commentReference", id=str(cid)))
                    p.append(ref)
        flush()
        self._append(p)

    def lines(
        self,
        old_lines: Sequence[str],
        new_lines: Sequence[str],
        *,
        findings: Sequence[Finding] = (),
        notes: Sequence[str] = (),
        heading_style: str = "Heading2",
    ) -> None:
        """Write the redline of two runs of lines, with ``findings`` and ``notes`` as comments."""
        items = _stream(old_lines, new_lines)
        if not items:
            return
        for finding in findings:
            where = None
            if finding.draft_evidence:
                where = _find(items, finding.draft_evidence, "new")
            if where is None and finding.model_evidence:
                where = _find(items, finding.model_evidence, "old")
            cid = self.comment(finding)
            start, end = where if where is not None else _heading_span(items)
            items[start].comments_start.append(cid)
            items[end].comments_end.append(cid)
        for note in notes:
            cid = self.note_comment(note)
            start, end = _heading_span(items)
            items[start].comments_start.append(cid)
            items[end].comments_end.append(cid)
        for paragraph, mark in _paragraphs(items):
            words = [it for it in paragraph if not it.is_break]
            new_line = next((it.new_line for it in paragraph if it.new_line >= 0), -1)
            old_line = next((it.old_line for it in paragraph if it.old_line >= 0), -1)
            line = new_lines[new_line] if new_line >= 0 else old_lines[old_line] if old_line >= 0 else ""
            is_heading = (new_line == 0) if new_line >= 0 else (old_line == 0)
            style, indent = _style(line, is_heading, heading_style)
            # comment anchors held by a break go on the paragraph's last word
            for it in paragraph:
                if it.is_break and (it.comments_start or it.comments_end) and words:
                    words[-1].comments_end += it.comments_end
                    words[0].comments_start += it.comments_start
            self.paragraph(style, words, mark, indent=indent)


def _heading_span(items: Sequence[_Item]) -> tuple[int, int]:
    """The first line's words: where comments go that quote nothing either side holds."""
    end = next((k for k, it in enumerate(items) if it.is_break), len(items))
    return 0, max(0, end - 1)


def _paragraphs(items: Sequence[_Item]) -> Iterator[tuple[list[_Item], Op]]:
    """Cut the stream at its breaks: each paragraph with the fate of its mark."""
    current: list[_Item] = []
    for it in items:
        if it.is_break:
            current.append(it)
            yield current, it.op
            current = []
        else:
            current.append(it)
    yield current, "equal"


def _style(line: str, is_heading: bool, heading_style: str) -> tuple[str | None, int]:
    if is_heading:
        return heading_style, 0
    if _FOOTNOTE.match(line):
        return "FootnoteText", 0
    if _ROMAN.match(line):
        return None, 2
    if _SUBPARA.match(line):
        return None, 1
    return None, 0


def _article_lines(articles: Sequence[Article]) -> list[str]:
    return [line for art in articles for line in article_text(art).splitlines() if line.strip()]


def _chapter_line(chapter: Chapter | None) -> list[str]:
    """The chapter's heading line as the text format writes it (``CHAPTER 19 DIGITAL TRADE``)."""
    if chapter is None or chapter.label not in ("Chapter", "Annex"):
        return []
    return [" ".join(x for x in (chapter.label.upper(), chapter.num or "", chapter.heading or "") if x)]


def _chapters_of(agreement: Agreement) -> dict[str, Chapter]:
    return {a.id: c for c in agreement.chapters for a in c.articles}


def _add_style(document: Any, name: str, size: float) -> None:
    docx = _docx()
    styles = document.styles
    if name not in [s.name for s in styles]:
        style = styles.add_style(name, docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.font.size = docx.shared.Pt(size)


def _set_style_id(document: Any, name: str, style_id: str) -> None:
    for s in document.styles:
        if s.name == name:
            s.element.set(_W + "styleId", style_id)


# --------------------------------------------------------------------------- the redline


def diff_docx(
    d: AgreementDiff,
    path: str | Path,
    *,
    old: Agreement,
    new: Agreement,
    author: str = "tradeclauses",
    date: datetime | None = None,
) -> None:
    """Write the redline of ``d`` (made from ``old`` and ``new``) as a Word file at ``path``.

    Raises:
        MissingDependencyError: python-docx is not installed.
        TradeClausesError: ``old`` or ``new`` is not the text the diff was made from.
    """
    docx = _docx()
    when = date or datetime.now(UTC)
    if old.id != d.old_id or new.id != d.new_id:
        raise TradeClausesError(
            f"this diff compares {d.old_id} with {d.new_id}, not {old.id} with {new.id}: "
            "pass the texts it was made from"
        )
    document = docx.Document()
    _add_style(document, "Footnote Text", 9)
    _set_style_id(document, "Footnote Text", "FootnoteText")
    core = document.core_properties
    core.title = f"{d.old_title} → {d.new_title}: redline"
    core.subject = f"Changes from {d.old_id} to {d.new_id}"
    core.author = author
    core.created = when.astimezone(UTC).replace(tzinfo=None)
    core.comments = "Tracked changes: Accept All gives the new text, Reject All the old one. Produced offline."
    header = document.sections[0].header.paragraphs[0]
    header.text = (
        f"Redline of {d.new_title} ({d.new_id}) against {d.old_title} ({d.old_id}), "
        f"{when.astimezone(UTC):%Y-%m-%d %H:%M} UTC — tracked changes by {author}; findings as comments"
    )
    document.add_paragraph(f"{d.old_title} → {d.new_title}", style="Title")
    writer = _Writer(document, author, when)
    old_arts = {a.id: a for a in old.articles}
    new_arts = {a.id: a for a in new.articles}
    old_ch = _chapters_of(old)
    new_ch = _chapters_of(new)
    current: tuple[str | None, str | None] = (None, None)
    for e, side in _placed(d):
        if side == "old":  # a moved article where it stood: its old words deleted
            writer.lines(
                _article_lines([old_arts[i] for i in e.old]),
                [],
                notes=[f"Moved: this article is now {'+'.join(e.new_nums) or 'elsewhere'}, further on or back"],
            )
            continue
        xs = [old_arts[i] for i in e.old if i in old_arts] if side == "both" else []
        ys = [new_arts[i] for i in e.new if i in new_arts]
        chapter = (
            new_ch[ys[0].id].id if ys else current[1],
            old_ch[xs[0].id].id if xs else current[0],
        )
        if ys and chapter[0] != current[1]:
            new_chapter = new_ch[ys[0].id]
            old_chapter = old_ch[xs[0].id] if xs else None
            old_line = _chapter_line(old_chapter) if old_chapter is not None else _chapter_line(new_chapter)
            writer.lines(old_line, _chapter_line(new_chapter), heading_style="Heading1")
            current = (old_chapter.id if old_chapter is not None else current[0], new_chapter.id)
        _write_article(writer, d, e, xs, ys)
    _save(document, path)


def _placed(d: AgreementDiff) -> list[tuple[Change, Literal["both", "old", "new"]]]:
    """Article entries in writing order, each with the side(s) written there.

    Entries follow the new version's order (articles only in the old one after their old
    neighbour). Articles only in the old version stand after the article that precedes
    them there. A moved article is written twice: its new words inserted where it now
    stands (``"new"``) and its old words deleted where it stood (``"old"``), after the
    article that preceded it in the old version, so that rejecting every change puts it back.
    """
    from tradeclauses.diffing import DiffKind  # noqa: PLC0415

    entries = [e for e in d.entries if e.level == "article"]
    moved = {id(e) for e in entries if DiffKind.MOVED in e.kinds and e.old and e.new}
    floating = moved | {id(e) for e in entries if e.old and not e.new}  # placed by the old order
    by_old = sorted((e for e in entries if e.old and e.old_pos is not None), key=lambda e: e.old_pos or 0)
    after: dict[int, list[Change]] = {}
    anchor = 0  # id() of the last entry met in the old order that keeps its place (0: the start)
    for e in by_old:
        if id(e) in floating:
            after.setdefault(anchor, []).append(e)
        else:
            anchor = id(e)

    def old_side(e: Change) -> tuple[Change, Literal["both", "old", "new"]]:
        return e, "old" if id(e) in moved else "both"

    out = [old_side(e) for e in after.get(0, [])]
    for e in entries:
        if id(e) in floating and id(e) not in moved:
            continue
        out.append((e, "new" if id(e) in moved else "both"))
        out += [old_side(m) for m in after.get(id(e), [])]
    return out


def _write_article(writer: _Writer, d: AgreementDiff, e: Change, xs: list[Article], ys: list[Article]) -> None:
    from tradeclauses.diffing import DiffKind  # noqa: PLC0415 - diffing imports this module lazily

    findings = list(e.findings)
    notes = []
    if DiffKind.NOT_COMPARABLE in e.kinds:
        notes.append(f"Not comparable: {e.note}" if e.note else "Not comparable")
    elif e.note:
        notes.append(e.note)
    cosmetic = [k.value for k in e.kinds if k.cosmetic]
    if cosmetic:
        where = f" (was {'+'.join(e.old_nums)})" if DiffKind.RENUMBERED in e.kinds else ""
        notes.append(f"{', '.join(cosmetic)}{where}")
    del d
    writer.lines(_article_lines(xs), _article_lines(ys), findings=findings, notes=notes)


def _save(document: Any, path: str | Path) -> None:
    document.save(str(path))


# --------------------------------------------------------------------------- the scorecard


_WIDTHS_CM = (1.5, 4.3, 1.3, 1.5, 1.5, 2.3, 4.5)
"""Column widths of the scorecard table (16.9 cm: an A4 or Letter page's text width)."""


def scorecard_docx(card: Scorecard, path: str | Path) -> None:
    """Write ``card`` as a Word report: headline, one table row per model article, then each finding.

    Raises:
        MissingDependencyError: python-docx is not installed.
    """
    docx = _docx()
    document = docx.Document()
    core = document.core_properties
    core.title = f"{card.draft_title} against {card.model_title}: scorecard"
    core.author = "tradeclauses"
    document.add_paragraph(f"{card.draft_title} against {card.model_title}", style="Title")
    document.add_paragraph(card.summary())
    document.add_heading("Article by article", level=1)
    columns = ("Model", "Heading", "Draft", "Weight", "Score", "Verdict", "Flags")
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Light List Accent 1"
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        cell.text = name
    for r in card.rows:
        cells = table.add_row().cells
        values = (
            r.model_num,
            r.heading or "",
            "+".join(r.draft_nums) or "—",
            f"{r.weight:g}",
            "—" if r.score is None else f"{r.score:.1f}",
            r.verdict,
            ", ".join(f.value for f in r.flags),
        )
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    table.autofit = False
    for column, width in zip(table.columns, _WIDTHS_CM, strict=True):
        column.width = docx.shared.Cm(width)  # the grid, which LibreOffice and Word lay out by
    for row in table.rows:
        for cell, width in zip(row.cells, _WIDTHS_CM, strict=True):
            cell.width = docx.shared.Cm(width)
            for run in (r for par in cell.paragraphs for r in par.runs):
                run.font.size = docx.shared.Pt(8.5)
    document.add_heading("Findings", level=1)
    for r in card.rows:
        if not r.findings and r.verdict not in ("reworded", "missing"):
            continue
        document.add_heading(f"{r.model_num} {r.heading or ''} → {'+'.join(r.draft_nums) or 'no counterpart'}", 2)
        document.add_paragraph(r.explain().splitlines()[0])
        for f in r.findings:
            _finding_paragraphs(document, f)
    if card.added:
        document.add_heading("Articles the draft adds", level=1)
        for a in card.added:
            document.add_heading(f"{a.draft_num} {a.heading or ''}".strip(), 2)
            document.add_paragraph(a.summary)
            for f in a.findings:
                _finding_paragraphs(document, f)
    if card.not_scored:
        document.add_heading("Not scored", level=1)
        document.add_paragraph(
            "The model text does not hold the words of these articles: " + ", ".join(card.not_scored)
        )
    document.save(str(path))


def _finding_paragraphs(document: Any, finding: Finding) -> None:
    p = document.add_paragraph(style="List Bullet")
    p.add_run(finding.flag.value).bold = True
    p.add_run(f": {finding.explanation}")
    data = finding.model_dump(mode="json")
    for key in ("flag", "explanation"):
        data.pop(key)
    for key, value in data.items():
        if value in ("", None, [], ()):
            continue
        label = {"model_evidence": "Model", "draft_evidence": "Draft"}.get(key, key.replace("_", " ").capitalize())
        q = document.add_paragraph(style="Quote")
        q.add_run(f"{label}: ").bold = True
        q.add_run(str(value))

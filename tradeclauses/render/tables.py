"""Rows for spreadsheets: scorecards, diffs and search hits as CSV, Excel and DataFrames.

Every table is a list of flat records (``str``, numbers, ``bool`` or ``None`` in each
cell; lists joined with ``", "``), built once here and shared by ``to_frame()``,
``to_csv()`` and ``to_excel()``, so the three always hold the same columns.

Findings are written with every field of :class:`~tradeclauses.analysis.Finding`
(taken from the model, so a field added there shows up as a column by itself).

Examples:
    >>> import tradeclauses as tc
    >>> usmca = tc.load("usmca")
    >>> d = tc.diff(usmca.select(articles=["19.11", "19.12"]), usmca.select(articles=["19.12"]))
    >>> rows = diff_records(d)
    >>> rows[0]["level"], rows[0]["kinds"], rows[0]["old_num"], rows[0]["new_num"]
    ('article', 'REMOVED', '19.11', '')
    >>> print(to_csv(rows, DIFF_COLUMNS[:4]).splitlines()[1])
    article,REMOVED,19.11,
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradeclauses.analysis import Finding
from tradeclauses.errors import MissingDependencyError

if TYPE_CHECKING:
    from tradeclauses.diffing import AgreementDiff, Change
    from tradeclauses.scoring import Scorecard

__all__ = [
    "DIFF_COLUMNS",
    "SCORECARD_COLUMNS",
    "diff_records",
    "finding_records",
    "scorecard_records",
    "to_csv",
    "to_excel",
]

Record = dict[str, Any]

SCORECARD_COLUMNS = (
    "model",
    "heading",
    "in_model",
    "draft",
    "weight",
    "similarity",
    "legal",
    "score",
    "verdict",
    "flags",
    "row",
    "summary",
    "applies_to",
    "context",
    "note",
)
"""Columns of a scorecard table: one row per model article, then one per article the draft adds
(``row`` says which: ``"model"`` or ``"added"``)."""

DIFF_COLUMNS = (
    "level",
    "kinds",
    "old_num",
    "new_num",
    "old_heading",
    "new_heading",
    "article",
    "substantive",
    "flags",
    "old_text",
    "new_text",
    "note",
)
"""Columns of a diff table: one row per change (articles, paragraphs, footnotes, alternatives)."""


def _flags(findings: Iterable[Finding]) -> str:
    return ", ".join(dict.fromkeys(f.flag.value for f in findings))


def scorecard_records(card: Scorecard) -> list[Record]:
    """One record per model article (in model order), then one per article the draft adds."""
    out: list[Record] = [
        {
            "model": r.model_num,
            "heading": r.heading,
            "in_model": r.in_model,
            "draft": "+".join(r.draft_nums) or None,
            "weight": r.weight,
            "similarity": r.similarity,
            "legal": r.legal,
            "score": r.score,
            "verdict": r.verdict,
            "flags": _flags(r.findings),
            "row": "model",
            "summary": None,
            "applies_to": None,
            "context": ", ".join(
                dict.fromkeys(c.source_num for c in card.context if set(c.applies_to) & set(r.draft_ids))
            )
            or None,
            "note": r.note or None,
        }
        for r in card.rows
    ]
    out += [
        {
            "model": None,
            "heading": a.heading,
            "in_model": None,
            "draft": a.draft_num,
            "weight": None,
            "similarity": None,
            "legal": None,
            "score": None,
            "verdict": "added",
            "flags": _flags(a.findings),
            "row": "added",
            "summary": a.summary,
            "applies_to": ", ".join(a.applies_to) or None,
            "context": None,
            "note": None,
        }
        for a in card.added
    ]
    return out


def finding_records(findings: Iterable[tuple[Mapping[str, Any], Finding]]) -> list[Record]:
    """One record per finding: the context given with it, then every field of the finding."""
    out: list[Record] = []
    for context, finding in findings:
        data = finding.model_dump(mode="json")
        record: Record = dict(context)
        record["flag"] = data.pop("flag")
        record["substantive"] = finding.substantive
        for key, value in data.items():
            record[key] = ", ".join(map(str, value)) if isinstance(value, list | tuple) else value
        out.append(record)
    return out


def scorecard_findings(card: Scorecard) -> list[Record]:
    """The findings of a scorecard, row by row, then those of added articles."""
    pairs: list[tuple[Mapping[str, Any], Finding]] = []
    for r in card.rows:
        pairs += [({"model": r.model_num, "draft": "+".join(r.draft_nums) or None}, f) for f in r.findings]
    for a in card.added:
        pairs += [({"model": None, "draft": a.draft_num}, f) for f in a.findings]
    return finding_records(pairs)


def _article_of(d: AgreementDiff) -> dict[str, Change]:
    return {i: e for e in d.entries if e.level == "article" for i in (*e.old, *e.new)}


def _article_title(change: Change | None) -> str | None:
    if change is None:
        return None
    return "+".join(change.new_nums or change.old_nums) or None


def diff_records(d: AgreementDiff) -> list[Record]:
    """One record per change a reader sees (:attr:`AgreementDiff.changes`), in reading order."""
    owner = _article_of(d)
    out: list[Record] = []
    for c in d.changes:
        art = c if c.level == "article" else owner.get(c.new_article or c.old_article or "")
        old_text = c.old_text or " ".join(c.old_texts)
        new_text = c.new_text or " ".join(c.new_texts)
        out.append(
            {
                "level": c.level,
                "kinds": ", ".join(k.value for k in c.kinds),
                "old_num": "+".join(c.old_nums) if c.level != "alternative" else (c.old_label or ""),
                "new_num": "+".join(c.new_nums) if c.level != "alternative" else (c.new_label or ""),
                "old_heading": c.old_heading,
                "new_heading": c.new_heading,
                "article": _article_title(art),
                "substantive": c.substantive,
                "flags": _flags(c.findings),
                "old_text": old_text or None,
                "new_text": new_text or None,
                "note": c.note or None,
            }
        )
    return out


def diff_findings(d: AgreementDiff) -> list[Record]:
    """The legal findings of a diff, each once, with the article they belong to."""
    pairs: list[tuple[Mapping[str, Any], Finding]] = []
    for e in d.entries:
        if e.level == "article":
            context = {"old_num": "+".join(e.old_nums), "new_num": "+".join(e.new_nums)}
            pairs += [(context, f) for f in e.findings]
    return finding_records(pairs)


def _cell(value: Any) -> Any:
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def to_csv(records: Sequence[Mapping[str, Any]], columns: Sequence[str], path: str | Path | None = None) -> str:
    """The records as CSV text (UTF-8, a header row first); also written to ``path`` when given."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in records:
        writer.writerow({k: "" if r.get(k) is None else _cell(r.get(k)) for k in columns})
    text = buffer.getvalue()
    if path is not None:
        Path(path).write_text(text, "utf-8", newline="")
    return text


_WIDE = {"text", "old_text", "new_text", "explanation", "model_evidence", "draft_evidence", "summary", "note"}


def to_excel(sheets: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, Any]]]], path: str | Path) -> None:
    """Write one worksheet per entry of ``sheets`` (name → (columns, records)) to an ``.xlsx`` file.

    The header row is bold and frozen, with a filter; long text columns are wide and
    wrapped. Cells are written as values, never as formulas (text starting with ``=`` stays text).

    Raises:
        MissingDependencyError: openpyxl is not installed (``pip install 'tradeclauses[excel]'``).
    """
    try:
        from openpyxl import Workbook  # noqa: PLC0415 - optional extra
        from openpyxl.styles import Alignment, Font  # noqa: PLC0415
        from openpyxl.utils import get_column_letter  # noqa: PLC0415
    except ImportError as exc:
        raise MissingDependencyError("writing .xlsx files", "excel") from exc
    book = Workbook()
    book.remove(book.active)
    for name, (columns, records) in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for r in records:
            sheet.append([_cell(r.get(k)) for k in columns])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.data_type == "f":  # a value that opens with "=" is words, not a formula
                    cell.data_type = "s"
        for i, column in enumerate(columns, start=1):
            letter = get_column_letter(i)
            if column in _WIDE:
                sheet.column_dimensions[letter].width = 80
                for cell in sheet[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                sheet.column_dimensions[letter].width = max(10, min(30, len(column) + 4))
        sheet.freeze_panes = "A2"
        if records:
            sheet.auto_filter.ref = sheet.dimensions
    book.save(str(path))


def columns_of(records: Sequence[Mapping[str, Any]], first: Sequence[str] = ()) -> list[str]:
    """``first``, then every other key of ``records`` in the order met."""
    out = list(first)
    for r in records:
        out += [k for k in r if k not in out]
    return out

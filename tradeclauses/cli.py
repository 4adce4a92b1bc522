"""The ``tradeclauses`` command line: a thin layer over the library.

``main(argv)`` returns an exit code; library errors (:class:`TradeClausesError`) are
printed as one line on stderr; anything else is a bug and shows its traceback.

Exit codes:

* ``0``: done (``diff``: the two versions are identical);
* ``1``: ``diff`` only: the versions differ;
* ``2``: an error, printed as one line ``tradeclauses: error: ...`` on stderr: any
  :class:`TradeClausesError` (a file that cannot be read, an unknown agreement, a bad
  weight, a name that cannot be used...), an output file that cannot be written, or
  arguments the command does not take;
* ``130``: interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tradeclauses.errors import TradeClausesError, WholeAgreementWarning

if TYPE_CHECKING:
    from tradeclauses.model import Agreement, Article

# Each command imports what it needs when it runs, so that ``tradeclauses score`` does not
# load the graph, search or PDF machinery: the command line starts in a fraction of a second.

__all__ = ["entrypoint", "main"]


def _catalog() -> Any:
    """The ``tradeclauses.catalog`` module (not the ``tc.catalog()`` function)."""
    return importlib.import_module("tradeclauses.catalog")


def _parse() -> Any:
    """:func:`tradeclauses.parse`, imported when a command first reads a file."""
    return importlib.import_module("tradeclauses.read").parse


def _readers() -> list[str]:
    """The format names :func:`tradeclauses.parse` knows."""
    from tradeclauses.read import READERS  # noqa: PLC0415 - imported when the command line is built

    return sorted(READERS)


def _stdin() -> bytes:
    data = sys.stdin.buffer.read()
    if not data.strip():
        raise UsageError("'-' reads the text from standard input, which was empty")
    return data


def _agreement(name_or_path: str) -> Agreement:
    """A shipped/registered name, a file to parse, or ``-`` for standard input."""
    if name_or_path == "-":
        read: Agreement = _parse()(_stdin())
        return read
    resolved: Agreement = _catalog().resolve_agreement(name_or_path)
    return resolved


def _file(path: str, input_format: str | None = None) -> Agreement:
    """A file to parse, or ``-`` for standard input."""
    source: bytes | Path = _stdin() if path == "-" else Path(path)
    result: Agreement = _parse()(source, format=input_format)
    return result


def _is_file(text: str) -> bool:
    """True when ``text`` names an existing file (a clause's words never do, however long)."""
    try:
        return "\n" not in text and Path(text).is_file()
    except OSError:  # too long for a file name
        return False


def _binary_output(args: argparse.Namespace, fmt: str) -> Path:
    if not args.output:
        raise UsageError(f"--format {fmt} writes a file: give --output FILE.{fmt}")
    return Path(args.output)


def _write(text: str, output: str | None) -> None:
    if output:
        try:
            Path(output).write_text(text, "utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _show_article(agreement: Agreement, art: Article) -> str:
    from tradeclauses.render.text import article_text  # noqa: PLC0415 - per command

    lines = [article_text(art, marks=False)]
    if art.status != "complete":
        missing = "; ".join(g.note for g in art.gaps) or (art.heading_gap or "")
        lines.append("")
        lines.append(f"-- {art.status} in this text: {missing}")
        lines.append(f"-- {agreement._how_to_supply()}")
    return "\n".join(lines)


def _cmd_list(args: argparse.Namespace) -> int:
    del args
    print(_catalog().catalog())
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    agreement = _agreement(args.agreement)
    if args.article is None:
        print(f"{agreement.title}\n")
        print(agreement.coverage)
        print()
        for art in agreement.articles:
            print(f"  {art.label} {art.num or '':<7} {art.heading or '(title not in this text)'}  [{art.status}]")
        return 0
    art = agreement.article(args.article)
    print(_show_article(agreement, art))
    return 0


def _cmd_parse(args: argparse.Namespace) -> int:
    from tradeclauses.render.text import to_text  # noqa: PLC0415 - per command

    parse = _parse()
    agreement = (
        parse(_stdin(), format=args.input_format, agreement_id=args.id)
        if args.file == "-"
        else parse(Path(args.file), format=args.input_format, agreement_id=args.id)
    )
    if args.format == "json":
        _write(agreement.model_dump_json(indent=2), args.output)
    elif args.format == "akn":
        from tradeclauses.read.akn import to_akn  # noqa: PLC0415 - only when asked for

        _write(to_akn(agreement).decode("utf-8"), args.output)
    else:
        _write(to_text(agreement), args.output)
    if agreement.unparsed:
        print(f"note: {len(agreement.unparsed)} passage(s) could not be placed; see 'unparsed'", file=sys.stderr)
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    score = importlib.import_module("tradeclauses.scoring")
    draft = _file(args.draft, args.input_format)
    model = _agreement(args.against)
    weights = None
    if args.weight:
        # --weight changes the default weights (those of articles the model has), one by one
        held = {a.num for a in model.articles}
        weights = {num: w for num, w in score.DEFAULT_WEIGHTS.items() if num in held}
        for item in args.weight:
            num, _, value = item.partition("=")
            try:
                weights[num.strip()] = float(value)
            except ValueError:
                raise UsageError(f"--weight expects ARTICLE=NUMBER, e.g. 19.11=3, not {item!r}") from None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", WholeAgreementWarning)
        card = score.score(draft, against=model, weights=weights, chapter=args.chapter)
    for w in caught:
        if issubclass(w.category, WholeAgreementWarning):
            print(f"note: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if args.format == "markdown":
        text = card.to_markdown()
    elif args.format == "html":
        text = card.to_html()
    elif args.format == "json":
        text = card.model_dump_json(indent=2)
    elif args.format == "csv":
        text = card.to_csv()
    elif args.format in ("docx", "xlsx"):
        out = _binary_output(args, args.format)
        card.to_docx(out) if args.format == "docx" else card.to_excel(out)
        print(card.summary(), file=sys.stderr)
        return 0
    else:
        text = str(card)
    _write(text, args.output)
    if args.output:
        print(card.summary(), file=sys.stderr)
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    differ = importlib.import_module("tradeclauses.diffing")
    result = differ.diff(_agreement(args.old), _agreement(args.new), substantive_only=args.substantive_only)
    if args.format == "markdown":
        text = result.to_markdown()
    elif args.format == "html":
        text = result.to_html(view=args.view)
    elif args.format == "json":
        text = result.model_dump_json(indent=2)
    elif args.format == "csv":
        text = result.to_csv()
    elif args.format in ("docx", "xlsx"):
        out = _binary_output(args, args.format)
        result.to_docx(out) if args.format == "docx" else result.to_excel(out)
        print(result.summary(), file=sys.stderr)
        return 0 if result.identical else 1
    else:
        text = result.to_text(colour=None if not args.output else False)
    _write(text, args.output)
    if args.output:
        print(result.summary(), file=sys.stderr)
    return 0 if result.identical else 1


def _search_corpus(spec: str) -> object:
    """A folder (ToTA's ``pta_*.xml`` or your own files), or loadable names separated by commas."""
    corpus = importlib.import_module("tradeclauses.corpus")
    if _safe(Path(spec).is_dir):
        return corpus.collect(spec)
    return [_agreement(name) for name in spec.split(",")]


def _cmd_search(args: argparse.Namespace) -> int:
    search = importlib.import_module("tradeclauses.precedent")
    query = _stdin().decode("utf-8") if args.query == "-" else _read_query(args.query)
    index_path = Path(args.index) if args.index else None
    if index_path is not None and _safe(index_path.is_file):
        index = search.SearchIndex.load(index_path)
    else:
        if not args.corpus:
            raise UsageError("give --corpus DIR|NAME (or --index PATH of a saved index)")
        index = search.SearchIndex.build(
            _search_corpus(args.corpus), level=args.level, progress=False if args.quiet else None
        )
        if index_path is not None:
            index.save(index_path)
    hits = index.query(query, k=args.k, score_cutoff=args.score_cutoff)
    if args.format == "json":
        _write(json.dumps([h.as_dict() for h in hits], indent=2, ensure_ascii=False), args.output)
    elif args.format == "csv":
        _write(hits.to_csv().rstrip("\n"), args.output)
    elif args.format == "xlsx":
        hits.to_excel(_binary_output(args, "xlsx"))
    else:
        lines = []
        for h in hits:
            lines.append(str(h))
            lines.append(f"       {h.id} | {h.features.describe()}")
        _write("\n".join(lines) or str(hits), args.output)
    return 0


def _cmd_graph(args: argparse.Namespace) -> int:
    graphs = importlib.import_module("tradeclauses.clausegraph")
    clause_graph = graphs.graph(*(_agreement(a) for a in args.agreements), align=len(args.agreements) > 1)
    if args.output.endswith(".gexf"):
        clause_graph.to_gexf(args.output)
    else:
        clause_graph.to_graphml(args.output)
    print(clause_graph, file=sys.stderr)
    for ref in clause_graph.unresolved:
        print(f"unresolved: {ref}", file=sys.stderr)
    return 0


def _cmd_models(args: argparse.Namespace) -> int:
    if args.action == "add":
        agreement = _catalog().register(args.name, args.path, format=args.input_format)
        print(f"registered {args.name}: {agreement.coverage}")
    elif args.action == "remove":
        _catalog().unregister(args.name)
        print(f"removed {args.name}")
    else:
        print(_catalog().catalog())
    return 0


def _cmd_cache(args: argparse.Namespace) -> int:
    from tradeclauses import cache  # noqa: PLC0415 - per command

    if args.action == "clear":
        print(f"removed {cache.clear()} stored agreement(s) from {cache.directory()}")
    else:
        print(cache.info())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed so other commands can be added and tested)."""
    p = argparse.ArgumentParser(
        prog="tradeclauses",
        description="Read, score, diff and search trade-agreement clauses. Works offline: no network use.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", required=True)
    readers = _readers()

    s = sub.add_parser("list", help="list the agreements that can be loaded by name, with their coverage")
    s.set_defaults(func=_cmd_list)

    s = sub.add_parser("show", help="print an article (with its footnotes), or an agreement's table of contents")
    s.add_argument("agreement", help="a name from 'tradeclauses list', or a file")
    s.add_argument("article", nargs="?", help="article number, e.g. 19.11")
    s.set_defaults(func=_cmd_show)

    s = sub.add_parser("parse", help="read a file into the clause model and print it")
    s.add_argument("file", help="the file to read, or - for standard input")
    s.add_argument(
        "--format",
        choices=["json", "text", "akn"],
        default="json",
        help="output format (default json; akn: Akoma Ntoso 3.0 XML)",
    )
    s.add_argument("--input-format", choices=readers, help="force the input format")
    s.add_argument("--id", help="agreement id (first segment of every node id)")
    s.add_argument("--output", "-o", help="write to this file instead of standard output")
    s.set_defaults(func=_cmd_parse)

    s = sub.add_parser("score", help="score a draft against a model text (default: the USMCA model)")
    s.add_argument("draft", help="the draft: a file in any format tradeclauses reads, or - for standard input")
    s.add_argument("--against", default="usmca", help="model: a name from 'tradeclauses list', or a file")
    s.add_argument(
        "--format",
        choices=["text", "markdown", "html", "json", "csv", "docx", "xlsx"],
        default="text",
        help="csv: one row per model article, then the draft's added articles; docx, xlsx: need --output",
    )
    s.add_argument("--output", "-o", help="write to this file instead of standard output")
    s.add_argument("--input-format", choices=readers, help="force the draft's input format")
    s.add_argument(
        "--weight", action="append", metavar="ARTICLE=N", help="weight of a model article (repeatable), e.g. 19.4=3"
    )
    s.add_argument(
        "--chapter",
        metavar="NUM|HEADING",
        help="the part of a whole agreement to compare: a chapter number or words of its heading "
        "(default: the electronic-commerce / digital-trade chapter or section, found from headings and content)",
    )
    s.set_defaults(func=_cmd_score)

    s = sub.add_parser(
        "diff",
        help="diff two versions of an agreement (exit 0: identical, 1: different, 2: error)",
        description="Structure, word-level redline and legal significance of the changes from OLD to NEW.",
    )
    s.add_argument("old", help="the earlier version: a file in any format tradeclauses reads, a name, or -")
    s.add_argument("new", help="the later version: a file or a name")
    s.add_argument(
        "--format",
        choices=["text", "markdown", "html", "json", "csv", "docx", "xlsx"],
        default="text",
        help="docx: a Word redline with tracked changes and the findings as comments (needs --output); "
        "csv, xlsx: one row per change",
    )
    s.add_argument("--substantive-only", action="store_true", help="only changes with legal effect")
    s.add_argument("--view", choices=["inline", "side-by-side"], default="inline", help="HTML redline layout")
    s.add_argument("--output", "-o", help="write to this file instead of standard output")
    s.set_defaults(func=_cmd_diff)

    s = sub.add_parser("search", help="find the provisions of a corpus most similar to a clause (precedent search)")
    s.add_argument("query", metavar="TEXT|FILE", help="the clause, a file holding it, or - for standard input")
    s.add_argument("--corpus", help="a folder (ToTA xml/ or your own files), or agreement names separated by commas")
    s.add_argument("-k", type=int, default=10, help="number of hits (default 10)")
    s.add_argument("--index", help="a saved index to use; built from --corpus and saved there if absent")
    s.add_argument("--level", choices=["article", "paragraph"], default="article")
    s.add_argument(
        "--score-cutoff", type=float, default=0.0, help="leave out hits scoring below this (0-100; default: none)"
    )
    s.add_argument(
        "--format", choices=["text", "json", "csv", "xlsx"], default="text", help="csv, xlsx: one row per hit"
    )
    s.add_argument("--output", "-o", help="write to this file instead of standard output")
    s.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    s.set_defaults(func=_cmd_search)

    s = sub.add_parser("graph", help="write the clause graph of agreements as GraphML (or GEXF)")
    s.add_argument("agreements", nargs="+", help="names or files; several are aligned with the first")
    s.add_argument("--output", "-o", required=True, help="file.graphml or file.gexf")
    s.set_defaults(func=_cmd_graph)

    s = sub.add_parser("models", help="manage your own model texts (e.g. the official USMCA text)")
    msub = s.add_subparsers(dest="action", required=True)
    m = msub.add_parser("add", help="register a text under a name; 'usmca' replaces the shipped partial text")
    m.add_argument("name")
    m.add_argument("path")
    m.add_argument("--input-format", choices=readers, help="force the input format")
    msub.add_parser("list", help="list loadable agreements")
    m = msub.add_parser("remove", help="forget a registered text")
    m.add_argument("name")
    s.set_defaults(func=_cmd_models)

    s = sub.add_parser(
        "cache",
        help="the parsed-corpus cache: where it is and how big (info), or empty it (clear)",
        description="Agreements read from corpus folders are kept as JSON, keyed by each file's content and "
        "the library version; set TRADECLAUSES_NO_CACHE=1 to turn it off, TRADECLAUSES_CACHE_DIR to move it.",
    )
    s.add_argument("action", choices=["info", "clear"])
    s.set_defaults(func=_cmd_cache)
    return p


class UsageError(TradeClausesError):
    """A command-line argument that cannot be used."""


def _version() -> str:
    from tradeclauses import __version__  # noqa: PLC0415 - the package imports this module's siblings

    return __version__


def _safe(check: Callable[[], bool]) -> bool:
    """A file-system check that is false, not an error, for a name the system cannot take."""
    try:
        return check()
    except (OSError, ValueError):
        return False


def _read_query(query: str) -> str:
    """The clause: the text given, or the text of the file it names."""
    path = Path(query)
    if not _safe(path.is_file):
        return query
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the clause from {query}: {exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code.

    Output cut short by the reader (``tradeclauses diff a b | head``) ends quietly with
    exit code 141, as other command-line tools do.
    """
    args = build_parser().parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()
    except TradeClausesError as exc:
        print(f"tradeclauses: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away: send what is left nowhere, so the interpreter's final flush cannot fail
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("tradeclauses: interrupted", file=sys.stderr)
        return 130
    return code


def _one_line(message: str) -> str:
    return " ".join(message.split())


def entrypoint() -> None:
    """Console-script entry point."""
    raise SystemExit(main())

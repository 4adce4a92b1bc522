"""Safe parsing of XML, HTML and zip containers: the one place readers get a parser.

Every reader that parses markup goes through this module; library code never uses
lxml's default parser. The rules:

* **No entities, no DTDs, no network.** Parsers are made with
  ``resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False``.
  A document whose DOCTYPE declares entities (``<!ENTITY ...>``) is refused with
  :class:`~tradeclauses.errors.UnsafeInputError` before any parsing: that covers
  external entities pointing at local files (XXE) and "billion laughs" expansion.
* **Documented limits.** Input larger than :data:`MAX_XML_BYTES`, nesting deeper
  than :data:`MAX_DEPTH` or more than :data:`MAX_ELEMENTS` elements raise
  :class:`~tradeclauses.errors.InputTooLargeError`. The tree is built while the
  limits are checked (a pull parser fed in chunks), so a hostile input fails fast.
* **Every character accounted for.** :func:`gather_text` reads the text of an element
  from all its descendants and their tails (``shall <b>not</b> prohibit`` keeps
  "not"); comments, processing instructions and XInclude elements are set aside as
  :class:`~tradeclauses.model.Residue` entries for the agreement's ``unparsed`` report,
  and the text after them is kept; an entity reference the parser did not expand
  (its definition is in an external DTD that is never loaded) is refused with
  :class:`~tradeclauses.errors.UnsafeInputError`, naming the entity and the line.
* **Encodings.** XML in UTF-16 or UTF-32 (with a byte-order mark, or recognisable by
  its first ``<``) is transcoded to UTF-8 before any check, so the checks above see
  the same text in every encoding.
* **Zip containers** (``.docx``) are checked from their central directory before
  anything is inflated: at most :data:`MAX_ZIP_MEMBERS` members, at most
  :data:`MAX_UNZIPPED_BYTES` in all once inflated, no member inflating more than
  :data:`MAX_ZIP_RATIO` times its compressed size; members are then read with a
  hard cap, so a lying header cannot inflate past the limit either.

Examples:
    >>> root = parse_xml(b"<treaty><meta/></treaty>")
    >>> root.tag
    'treaty'
    >>> parse_xml(b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tradeclauses.errors.UnsafeInputError: <text>: the document declares XML entities (<!ENTITY ...>), ...
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

from lxml import etree

from tradeclauses.errors import EncodingError, InputTooLargeError, ParseError, ReadError, UnsafeInputError
from tradeclauses.model import Residue

__all__ = [
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_UNZIPPED_BYTES",
    "MAX_XML_BYTES",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_RATIO",
    "XINCLUDE_NS",
    "as_utf8",
    "check_markup",
    "gather_text",
    "html_parser",
    "parse_html",
    "parse_xml",
    "read_zip",
    "xml_parser",
]

MAX_XML_BYTES = 64 * 1024 * 1024
"""Largest XML or HTML input accepted (64 MiB, as :data:`tradeclauses.read.MAX_INPUT_BYTES`)."""
MAX_DEPTH = 200
"""Deepest element nesting accepted. Treaty documents nest about a dozen levels."""
MAX_ELEMENTS = 2_000_000
"""Most elements accepted in one document (the largest ToTA file has about 4,000)."""
MAX_ZIP_MEMBERS = 2_000
"""Most members accepted in a zip container (a Word file has a few dozen)."""
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
"""Most bytes a zip container may inflate to, all members together (256 MiB)."""
MAX_ZIP_RATIO = 200
"""Highest inflated/compressed size ratio accepted for one zip member.

Word's XML compresses about 5-20 times; a zip bomb's members, thousands of times."""

_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "huge_tree": False,
    "remove_pis": True,
    "recover": False,
}
XINCLUDE_NS = "http://www.w3.org/2001/XInclude"
"""Namespace of XInclude elements (``<xi:include href=...>``), which are never followed."""
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_CHUNK = 1 << 16
_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")
_WIDE = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)


def as_utf8(data: bytes, *, path: str | None = None) -> bytes:
    """XML in UTF-16 or UTF-32 transcoded to UTF-8 (its ``encoding=`` declaration dropped).

    Anything else is returned unchanged.

    Examples:
        >>> as_utf8('<?xml version="1.0" encoding="UTF-16"?><a>é</a>'.encode("utf-16"))
        b'<?xml version="1.0"?><a>\\xc3\\xa9</a>'
    """
    for mark, encoding in _WIDE:
        if data.startswith(mark):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise EncodingError(f"invalid {encoding.upper()} XML ({exc.reason})", path=path) from None
            return _XML_ENCODING.sub(r"\1", text.removeprefix("\ufeff"), count=1).encode("utf-8")
    return data


def gather_text(el: etree._Element, residues: list[Residue], *, path: str | None = None) -> str:
    """All the text inside ``el``: its own, every descendant's and their tails, in order.

    Comments, processing instructions and XInclude elements are not text: each is put
    in ``residues`` (for the ``unparsed`` report), and the text that follows it is kept.

    Raises:
        UnsafeInputError: an entity reference that the parser did not expand.

    Examples:
        >>> el = parse_xml(b"<p>No Party shall <b>not</b> prohibit <!-- note --> the transfer.</p>")
        >>> found: list[Residue] = []
        >>> gather_text(el, found), [(r.text, r.reason) for r in found]
        ('No Party shall not prohibit  the transfer.', [(' note ', 'XML comment')])
    """
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(el, False)]
    while stack:
        node, is_tail = stack.pop()
        if is_tail:
            parts.append(node.tail or "")
            continue
        if node is not el:
            stack.append((node, True))
        _node_text(node, parts, residues, path)
        if isinstance(node.tag, str) and not node.tag.startswith(f"{{{XINCLUDE_NS}}}"):
            stack.extend((child, False) for child in reversed(node))
    return "".join(parts)


def _node_text(node: etree._Element, parts: list[str], residues: list[Residue], path: str | None) -> None:
    """Add the text of ``node`` itself (not its children or tail) to ``parts`` or ``residues``."""
    if isinstance(node, etree._Comment):
        residues.append(Residue(line=node.sourceline, text=node.text or "", reason="XML comment"))
    elif isinstance(node, etree._ProcessingInstruction):
        text = f"{node.target} {node.text or ''}".strip()
        residues.append(Residue(line=node.sourceline, text=text, reason="XML processing instruction"))
    elif isinstance(node, etree._Entity):
        raise UnsafeInputError(
            f"the document uses the entity reference {node.text}, which is not defined in it; "
            "entities from external DTDs are never loaded",
            path=path,
            line=node.sourceline,
        )
    elif isinstance(node.tag, str) and node.tag.startswith(f"{{{XINCLUDE_NS}}}"):
        href = node.get("href", "")
        residues.append(
            Residue(
                line=node.sourceline,
                text=" ".join(t for t in (href, *node.itertext()) if t.strip()),
                reason="XInclude not followed (tradeclauses never reads other files or the network)",
            )
        )
    else:
        parts.append(node.text or "")


def xml_parser(**overrides: Any) -> etree.XMLParser:
    """Return a hardened XML parser (no entities, DTDs or network; size limits on).

    Args:
        **overrides: extra parser options, e.g. ``remove_blank_text=True``. The safety
            options cannot be overridden.

    Examples:
        >>> from lxml import etree
        >>> etree.fromstring(b"<a>x</a>", xml_parser()).text
        'x'
    """
    options = {**overrides, **_PARSER_OPTIONS}
    parser: etree.XMLParser = etree.XMLParser(**options)
    return parser


def html_parser(encoding: str | None = None) -> etree.HTMLParser:
    """Return a hardened HTML parser (no network, no huge trees, comments dropped).

    Examples:
        >>> from lxml import etree
        >>> etree.fromstring(b"<p>x</p>", html_parser()).findtext(".//p")
        'x'
    """
    return etree.HTMLParser(
        encoding=encoding,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        default_doctype=False,
    )


def check_markup(data: bytes, *, path: str | None = None, max_bytes: int = MAX_XML_BYTES) -> None:
    """Refuse markup that is too large or that declares entities, before parsing it.

    Raises:
        InputTooLargeError: ``data`` is larger than ``max_bytes``.
        UnsafeInputError: a DOCTYPE declares entities.

    Examples:
        >>> check_markup(b"<!DOCTYPE html><p>fine</p>")
        >>> check_markup(b"<a/>", max_bytes=2)
        Traceback (most recent call last):
        ...
        tradeclauses.errors.InputTooLargeError: <text>: the input is 4 bytes; the limit for XML and HTML is 2 bytes
    """
    if len(data) > max_bytes:
        raise InputTooLargeError(
            f"the input is {len(data):,} bytes; the limit for XML and HTML is {max_bytes:,} bytes", path=path
        )
    doctype = _DOCTYPE.search(data)
    if doctype is not None and _ENTITY_DECL.search(data, doctype.start()):
        raise UnsafeInputError(
            "the document declares XML entities (<!ENTITY ...>), which are refused for safety", path=path
        )


def _syntax_error(exc: etree.XMLSyntaxError, path: str | None) -> ReadError:
    msg = str(exc.msg if getattr(exc, "msg", None) else exc)
    if "no element found" in msg and getattr(exc, "error_log", None):
        msg = exc.error_log[-1].message  # the pull parser reports the cause in its log
    if "entity" in msg.lower():
        return UnsafeInputError(f"the document uses an XML entity that is not allowed ({msg})", path=path)
    if "depth" in msg.lower() or "huge" in msg.lower():
        return InputTooLargeError(f"the document nests too deeply ({msg})", path=path)
    line = exc.lineno if getattr(exc, "lineno", None) else None
    return ParseError(f"not well-formed XML: {msg}", path=path, line=line)


def parse_xml(
    data: bytes,
    *,
    path: str | None = None,
    max_bytes: int = MAX_XML_BYTES,
    max_depth: int = MAX_DEPTH,
    max_elements: int = MAX_ELEMENTS,
    keep_pis: bool = False,
) -> etree._Element:
    """Parse XML safely and return its root element.

    Args:
        data: the XML document (UTF-8, or UTF-16/32, see :func:`as_utf8`).
        path: where it came from, for error messages.
        max_bytes: size limit (default :data:`MAX_XML_BYTES`).
        max_depth: nesting limit (default :data:`MAX_DEPTH`).
        max_elements: element count limit (default :data:`MAX_ELEMENTS`).
        keep_pis: keep processing instructions in the tree (readers that report them);
            by default they are dropped.

    Raises:
        UnsafeInputError: entity declarations or references.
        InputTooLargeError: a limit is exceeded (checked while parsing).
        ParseError: the XML is not well-formed.

    Examples:
        >>> parse_xml(b"<a>" * 100 + b"</a>" * 100, max_depth=50)
        Traceback (most recent call last):
        ...
        tradeclauses.errors.InputTooLargeError: <text>, line 1: the document nests deeper than 50 elements
    """
    data = as_utf8(data, path=path)
    check_markup(data, path=path, max_bytes=max_bytes)
    options = {**_PARSER_OPTIONS, "remove_pis": not keep_pis}
    parser = etree.XMLPullParser(events=("start", "end"), **options)
    depth = count = 0
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.feed(data[offset : offset + _CHUNK])
            for event, _elem in parser.read_events():
                if event == "start":
                    depth += 1
                    count += 1
                    if depth > max_depth:
                        line = data[: offset + _CHUNK].count(b"\n", 0, offset) + 1
                        raise InputTooLargeError(
                            f"the document nests deeper than {max_depth} elements", path=path, line=line
                        )
                    if count > max_elements:
                        raise InputTooLargeError(f"the document has more than {max_elements:,} elements", path=path)
                else:
                    depth -= 1
        root = parser.close()
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, path) from None
    return root


def parse_html(data: bytes, *, path: str | None = None, max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """Parse HTML safely and return its root element.

    Raises:
        UnsafeInputError: entity declarations in a DOCTYPE.
        InputTooLargeError: too large or too deeply nested.

    Examples:
        >>> parse_html(b"<html><body><p>Article 1</p></body></html>").findtext(".//p")
        'Article 1'
    """
    check_markup(data, path=path, max_bytes=max_bytes)
    declared = _CHARSET.search(data[:4096])
    encoding = declared[1].decode("ascii") if declared else None
    if encoding is None:
        try:
            data.decode("utf-8")
            encoding = "utf-8"  # no charset declared: UTF-8 if it decodes, else the parser's guess
        except UnicodeDecodeError:
            encoding = None
    try:
        root: etree._Element | None = etree.fromstring(data, parser=html_parser(encoding))
    except (etree.ParserError, etree.XMLSyntaxError) as exc:
        if "depth" in str(exc).lower() or "huge" in str(exc).lower():
            raise InputTooLargeError(f"the document nests too deeply ({exc})", path=path) from None
        raise ParseError(f"not readable as HTML: {exc}", path=path) from None
    if root is None:
        raise ParseError("not readable as HTML: no elements", path=path)
    depth_limit_check(root, path=path)
    return root


def depth_limit_check(root: etree._Element, *, path: str | None = None, max_depth: int = MAX_DEPTH) -> None:
    """Raise :class:`InputTooLargeError` if ``root``'s tree nests deeper than ``max_depth``.

    Examples:
        >>> from lxml import etree
        >>> depth_limit_check(etree.fromstring(b"<a><b/></a>"), max_depth=1)
        Traceback (most recent call last):
        ...
        tradeclauses.errors.InputTooLargeError: <text>: the document nests deeper than 1 elements
    """
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    count = 0
    while stack:
        elem, depth = stack.pop()
        count += 1
        if depth > max_depth:
            raise InputTooLargeError(f"the document nests deeper than {max_depth} elements", path=path)
        if count > MAX_ELEMENTS:
            raise InputTooLargeError(f"the document has more than {MAX_ELEMENTS:,} elements", path=path)
        stack.extend((child, depth + 1) for child in elem)


def read_zip(
    data: bytes,
    *,
    path: str | None = None,
    max_total: int = MAX_UNZIPPED_BYTES,
    max_ratio: int = MAX_ZIP_RATIO,
    max_members: int = MAX_ZIP_MEMBERS,
    want: Callable[[str], bool] | None = None,
) -> dict[str, bytes]:
    """Inflate a zip container safely; return member name → bytes.

    Sizes are checked from the central directory before anything is inflated, then
    each member is read with a hard cap (a header that lies cannot get past it).
    ``want`` picks the members to inflate (all by default); every member is checked.

    Raises:
        UnsafeInputError: the container looks like a zip bomb (ratio, total, members).
        ParseError: not a readable zip file.

    Examples:
        >>> buf = io.BytesIO()
        >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        ...     zf.writestr("a.xml", "<a/>")
        >>> read_zip(buf.getvalue())
        {'a.xml': b'<a/>'}
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ParseError(f"not a readable zip container ({exc})", path=path) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > max_members:
            raise UnsafeInputError(f"the container has {len(infos):,} members (limit {max_members:,})", path=path)
        total = sum(i.file_size for i in infos)
        if total > max_total:
            raise UnsafeInputError(
                f"the container would inflate to {total:,} bytes (limit {max_total:,}): refused as a zip bomb",
                path=path,
            )
        for info in infos:
            if info.file_size > 1 << 20 and info.file_size > max_ratio * max(info.compress_size, 1):
                raise UnsafeInputError(
                    f"member {info.filename!r} would inflate {info.file_size // max(info.compress_size, 1):,} times "
                    f"(limit {max_ratio}): refused as a zip bomb",
                    path=path,
                )
        out: dict[str, bytes] = {}
        budget = max_total
        for info in infos:
            if info.is_dir() or (want is not None and not want(info.filename)):
                continue
            try:
                with zf.open(info) as member:
                    content = member.read(min(info.file_size, budget) + 1)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError) as exc:
                raise ParseError(f"cannot inflate member {info.filename!r} ({exc})", path=path) from None
            if len(content) > info.file_size or len(content) > budget:
                raise UnsafeInputError(
                    f"member {info.filename!r} inflates past its declared size: refused as a zip bomb", path=path
                )
            budget -= len(content)
            out[info.filename] = content
        return out

"""Hostile inputs fail fast with a clear error: entities, bombs, huge and deep documents."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import tradeclauses as tc
from tradeclauses.errors import InputTooLargeError, ParseError, ReadError, UnsafeInputError
from tradeclauses.read._xml import MAX_DEPTH, parse_html, parse_xml, read_zip, xml_parser

PASSWD = Path("/etc/passwd")
SECRET = PASSWD.read_text("utf-8", "replace").splitlines()[0] if PASSWD.is_file() else "root:x:0:0"

XXE_TOTA = f"""<?xml version="1.0"?>
<!DOCTYPE treaty [<!ENTITY xxe SYSTEM "file://{PASSWD}">]>
<treaty><meta><name>&xxe;</name></meta><body/></treaty>""".encode()

XXE_AKN = f"""<?xml version="1.0"?>
<!DOCTYPE akomaNtoso [<!ENTITY xxe SYSTEM "file://{PASSWD}">]>
<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><act>&xxe;</act></akomaNtoso>""".encode()

XXE_PARAMETER = f"""<?xml version="1.0"?>
<!DOCTYPE treaty [<!ENTITY % p SYSTEM "file://{PASSWD}"> %p;]><treaty/>""".encode()

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<treaty><meta><name>&lol9;</name></meta></treaty>"""


def _fast(fn: Callable[[], object], error: type[Exception], match: str | None = None) -> Exception:
    start = time.perf_counter()
    with pytest.raises(error, match=match) as info:
        fn()
    assert time.perf_counter() - start < 2.0, "hostile input must fail fast"
    return info.value


# (input, what it is)
ENTITY_CASES = [
    (XXE_TOTA, "external entity pointing at a local file, ToTA root"),
    (XXE_AKN, "external entity pointing at a local file, AKN root"),
    (XXE_PARAMETER, "external parameter entity"),
    (LAUGHS, "billion laughs"),
]


@pytest.mark.parametrize(("data", "note"), ENTITY_CASES)
def test_entities_are_refused(data: bytes, note: str) -> None:
    err = _fast(lambda: tc.parse(data), UnsafeInputError, "entities")
    assert SECRET not in str(err), note


def test_xxe_contents_never_appear_even_through_the_parser() -> None:
    # bypass the DOCTYPE check: the parser itself must not resolve or load anything
    from lxml import etree

    root = etree.fromstring(XXE_TOTA, xml_parser())
    assert SECRET not in etree.tostring(root).decode()
    with pytest.raises(UnsafeInputError):
        parse_xml(XXE_TOTA)


def test_undeclared_entity_is_an_error() -> None:
    _fast(lambda: parse_xml(b"<treaty>&ghost;</treaty>"), UnsafeInputError, "entity")


def test_xxe_in_html_and_docx() -> None:
    page = f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{PASSWD}">]><html><body><p>&x;</p></body></html>'.encode()
    err = _fast(lambda: parse_html(page), UnsafeInputError)
    assert SECRET not in str(err)
    docx = _zip({"word/document.xml": XXE_TOTA.replace(b"treaty", b"w:document")})
    _fast(lambda: tc.parse(docx), UnsafeInputError)


def test_input_of_200_mb_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.xml"
    with big.open("wb") as f:
        f.write(b"<treaty>")
        f.truncate(200 * 1024 * 1024)  # sparse: takes no memory or disk
    err = _fast(lambda: tc.parse(big), InputTooLargeError, "limit")
    assert "209,715,200" in str(err)


def test_oversized_markup_bytes_are_refused() -> None:
    _fast(lambda: parse_xml(b"<a>" + b" " * 2048 + b"</a>", max_bytes=1024), InputTooLargeError, "limit")


def test_deep_nesting() -> None:
    deep = b"<treaty>" + b"<x>" * 5000 + b"</x>" * 5000 + b"</treaty>"
    _fast(lambda: tc.parse(deep), InputTooLargeError, "nests")
    page = b"<html><body>" + b"<div>" * 5000 + b"x" + b"</div>" * 5000 + b"</body></html>"
    _fast(lambda: parse_html(page), (InputTooLargeError, ParseError))  # type: ignore[arg-type]
    ok = b"<treaty>" + b"<x>" * (MAX_DEPTH - 2) + b"</x>" * (MAX_DEPTH - 2) + b"</treaty>"
    assert parse_xml(ok).tag == "treaty"


def test_too_many_elements() -> None:
    many = b"<treaty>" + b"<x/>" * 5000 + b"</treaty>"
    _fast(lambda: parse_xml(many, max_elements=1000), InputTooLargeError, "more than 1,000 elements")


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _bomb(size_mb: int) -> bytes:
    """A .docx whose document.xml inflates to ``size_mb`` MB of spaces (written in chunks)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b"<w:document>")
            chunk = b" " * (1 << 20)
            for _ in range(size_mb):
                member.write(chunk)
    return buf.getvalue()


def test_zip_bomb_in_docx_is_refused_before_inflating() -> None:
    bomb = _bomb(64)
    assert len(bomb) < 1_000_000
    err = _fast(lambda: tc.parse(bomb), UnsafeInputError, "zip bomb")
    assert "inflate" in str(err)


def test_zip_total_and_members_limits() -> None:
    many = _zip({f"m{i}.xml": b"<a/>" for i in range(50)})
    _fast(lambda: read_zip(many, max_members=10), UnsafeInputError, "members")
    big = _zip({"a.xml": b"<a>" + b"x" * 5000 + b"</a>"})
    _fast(lambda: read_zip(big, max_total=1000), UnsafeInputError, "zip bomb")


def test_not_a_zip() -> None:
    _fast(lambda: read_zip(b"PK\x03\x04 broken"), ParseError, "zip")


def test_every_error_is_a_read_error() -> None:
    for data in (XXE_TOTA, LAUGHS, _bomb(4)):
        with pytest.raises(ReadError):
            tc.parse(data)

"""Akoma Ntoso 3.0: round trips, eIds, footnotes at their marks, and only real AKN elements."""

from __future__ import annotations

import pytest
from lxml import etree

import tradeclauses as tc
from tradeclauses import ids
from tradeclauses.errors import UnsupportedFormatError
from tradeclauses.model import Agreement
from tradeclauses.read import detect_format
from tradeclauses.read._xml import parse_xml
from tradeclauses.read.akn import AKN_ELEMENTS, AKN_NS, TC_NS, read_akn, to_akn
from tradeclauses.read.brackets import read_bracketed

from .conftest import TEXTS, TOTA, needs_shared, needs_tota

A = f"{{{AKN_NS}}}"

# Every element name of the Akoma Ntoso 3.0 vocabulary that to_akn may use, checked by hand
# against the OASIS LegalDocML AKN 3.0 schema (akomantoso30.xsd). A name here that is not
# in that schema, or an element written that is not here, fails the tests below.
AKN30_NAMES = frozenset(
    {
        "akomaNtoso", "act", "meta", "identification", "FRBRWork", "FRBRExpression",
        "FRBRManifestation", "FRBRthis", "FRBRuri", "FRBRalias", "FRBRdate", "FRBRauthor",
        "FRBRcountry", "FRBRnumber", "FRBRname", "FRBRlanguage", "references", "TLCOrganization",
        "TLCTerm", "TLCConcept", "notes", "note", "proprietary", "preface", "docTitle", "body",
        "chapter", "part", "hcontainer", "article", "paragraph", "point", "list", "intro",
        "wrapUp", "content", "num", "heading", "p", "def", "authorialNote", "noteRef", "omissis",
        "placeholder", "party",
    }
)  # fmt: skip


def _texts() -> dict[str, Agreement]:
    out = {"usmca": tc.load("usmca")}
    if TEXTS.is_dir():
        out["tpp"] = tc.parse(TEXTS / "tpp-ch14.txt")
        out["jsi"] = tc.parse(TEXTS / "wto-jsi-ecommerce-agreement-inf-ecom-87.txt")
        out["tisa"] = read_bracketed((TEXTS / "tisa-annex-ecommerce-drafts.txt").read_text("utf-8"))
    return out


@pytest.mark.parametrize("name", ["usmca", "tpp", "jsi", "tisa"])
def test_round_trip(name: str) -> None:
    texts = _texts()
    if name not in texts:
        pytest.skip(f"the shared corpus is not at {TEXTS}")
    agreement = texts[name]
    xml = to_akn(agreement)
    assert tc.parse(xml) == agreement
    assert read_akn(xml) == agreement


@needs_tota
def test_round_trip_tota() -> None:
    agreement = tc.parse(TOTA / "pta_449.xml")
    assert read_akn(to_akn(agreement)) == agreement


def test_only_akn_30_elements_are_written() -> None:
    assert AKN_ELEMENTS <= AKN30_NAMES
    for agreement in _texts().values():
        root = parse_xml(to_akn(agreement))
        used = {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str) and e.tag.startswith(A)}
        assert used <= AKN_ELEMENTS, used - AKN_ELEMENTS
        others = {etree.QName(e).namespace for e in root.iter() if isinstance(e.tag, str)} - {AKN_NS}
        assert others <= {TC_NS}
        for e in root.iter(f"{{{TC_NS}}}*"):  # our own namespace only inside <proprietary>
            assert any(etree.QName(p).localname == "proprietary" for p in e.iterancestors())


def test_eids_and_structure() -> None:
    usmca = tc.load("usmca")
    root = parse_xml(to_akn(usmca))
    eids = [e.get("eId") for e in root.iter() if e.get("eId")]
    assert len(eids) == len(set(eids))
    art = root.find(f".//{A}article[@eId='chp_19__art_19-11']")
    assert art is not None
    assert art.findtext(f"{A}num") == "19.11"
    assert art.findtext(f"{A}heading") == "Cross-Border Transfer of Information by Electronic Means"
    para2 = art.find(f"{A}paragraph[@eId='chp_19__art_19-11__para_2']")
    assert para2 is not None
    intro = para2.find(f"{A}list/{A}intro/{A}p")
    assert intro is not None
    assert (intro.text or "").startswith("This Article does not prevent")
    points = para2.findall(f"{A}list/{A}point")
    assert [p.get("eId") for p in points] == [ids.to_eid(b.id) for b in usmca["19.11"]["2"].children]
    note = para2.find(f".//{A}authorialNote")
    assert note is not None
    assert note.get("marker") == "5"
    assert note.getparent() is points[1].find(f"{A}content/{A}p")  # at the mark, end of (b)
    assert note.get("eId") == "chp_19__art_19-11__fn_5"
    number = root.find(f".//{A}FRBRWork/{A}FRBRnumber")
    assert number is not None
    assert number.get("value") == "usmca"


def test_definitions_and_gaps() -> None:
    usmca = tc.load("usmca")
    root = parse_xml(to_akn(usmca))
    defs = root.findall(f".//{A}hcontainer[@name='definition']")
    assert len(defs) == len(usmca.definitions)
    term = defs[0].find(f".//{A}def")
    assert term is not None
    assert term.text == usmca.definitions[0].term
    refs = {t.get("eId"): t.get("showAs") for t in root.iter(f"{A}TLCTerm")}
    assert refs[term.get("refersTo", "").lstrip("#")] == usmca.definitions[0].term
    gaps = root.findall(f".//{A}hcontainer[@name='gap']")
    assert len(gaps) == len(usmca.coverage.gaps) - sum(1 for f in usmca.footnotes if f.gap)
    assert all(g.find(f"{A}content/{A}p/{A}omissis") is not None for g in gaps)


def test_alternatives_are_placeholders_and_options() -> None:
    draft = read_bracketed("Article 1: A\n1. [US: No Party shall][EU: A Party may] require [or locate] X.")
    root = parse_xml(to_akn(draft))
    assert [p.get("refersTo") for p in root.iter(f"{A}placeholder")] == ["#slot-1", "#slot-2"]
    options = root.findall(f".//{A}hcontainer[@name='option']")
    assert [o.findtext(f"{A}num") for o in options] == ["1", "2", "1", "omit"]
    assert [x.text for x in options[0].iter(f"{A}party")] == ["US"]
    assert read_akn(to_akn(draft)) == draft


def test_detection_and_errors() -> None:
    assert detect_format(to_akn(tc.load("usmca"))[:4096]) == "akn"
    with pytest.raises(UnsupportedFormatError, match="Akoma Ntoso"):
        read_akn(b"<akomaNtoso/>")


@needs_shared
def test_agreement_id_can_be_given() -> None:
    a = read_akn(to_akn(tc.load("usmca")), agreement_id="mine")
    assert a.id == "mine"
    assert a["19.11"].id == "mine/ch19/art19.11"


@pytest.mark.parametrize(
    ("node_id", "eid"),
    [
        ("usmca/ch19/art19.11/para2/a", "chp_19__art_19-11__para_2__list_1__point_a"),
        ("jsi/art1/para1.1", "art_1__para_1-1"),
        ("x/annex/art1", "annex__art_1"),
        ("x/ch1/artnn2/p3", "chp_1__art_nn_2__intro_p_3"),
        ("x/chII/artG-1/para1_2/a_2", "chp_II__art_G~d1__para_1~2__list_1__point_a~2"),
        ("x/front/art1", "preface__art_1"),
        ("x/body_2/art1", "body~2__art_1"),
    ],
)
def test_eid_mapping_is_invertible(node_id: str, eid: str) -> None:
    assert ids.to_eid(node_id) == eid
    assert ids.from_eid(node_id.split("/", 1)[0], eid) == node_id

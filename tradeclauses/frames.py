"""Provisions read as frames: what an obligation reaches, compared part by part.

:mod:`tradeclauses.analysis` reads who is bound and how strongly. This module reads
*how far* the obligation reaches and compares two readings of the same provision:

- the **acts** it covers ("prohibit or restrict", "use or locate"), looked up in the
  drafting lexicon (:mod:`tradeclauses.lexicon`), so "ban" is "prohibit" and "shall
  allow" binds as "shall not prohibit";
- the **object** and the **beneficiary** ("information", "a covered person"), with the
  breadth of terms from the lexicon ("covered person" is wider than "covered
  investment");
- **conditions** ("if", "where", "as a condition for"), **inclusions** ("including"),
  **exclusions** ("except", "other than"), each a region whose changes cut the other
  way: a dropped "or" limb of the object narrows the obligation, a dropped exclusion
  broadens it, a dropped "and" limb of a condition broadens it;
- **qualifiers** that soften ("to the extent practicable", "unnecessarily") and
  **deferrals** ("five years after the date of entry into force").

Before comparing, both texts are put in one canonical form: equivalent phrases read
alike ("No Party shall" = "A Party shall not" = "Each Party shall refrain from"),
a passive that names the Party is made active, a condition placed before the
obligation is moved after it, list order is ignored. A rewording that leaves the
frame equal gives no finding at all.

Examples:
    >>> model = "No Party shall prohibit or restrict the cross-border transfer of information."
    >>> reach_findings(model, "A Party shall not prohibit or restrict the cross-border transfer of information.")
    ()
    >>> [str(f) for f in reach_findings(model, "No Party shall prohibit the cross-border transfer of information.")]
    ['NARROWED_SCOPE: the obligation no longer covers "restrict"']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from tradeclauses.findings import Aspect, Finding, Flag
from tradeclauses.lexicon import Lexicon, active_lexicon
from tradeclauses.normalize import normalize, singular

__all__ = ["Reading", "Tok", "deferral_sentences", "reach_findings", "read"]

Role = Literal["modal", "core", "condition", "inclusion", "exclusion", "qualifier", "time"]

_FORCE_WORDS = frozenset(
    {
        "no", "not", "neither", "nor", "may", "should", "must", "will", "endeavor", "recognize", "encourage",
        "encouraged", "agree", "commit", "undertake", "refrain", "seek", "strive", "ensure", "nothing",
    }
)  # fmt: skip
"""Words of the modal frame, compared by the force reading, not here."""
_RESTATEMENT = re.compile(r"(?:^|\. )(?:(?:the same|this|that) (?:applies|apply)|nor shall)\b")
"""A sentence that extends the one before it."""
_RESTATING = frozenset({"same", "applies", "apply", "nor", "likewise", "also", "equally", "similarly", "obligation"})
"""Words that announce a restatement of the sentence before."""
_STOPS = frozenset(
    {"under", "in", "of", "for", "to", "with", "by", "on", "at", "from", "within", "as", "that", "which"}
)
"""Prepositions and relatives end a list item: "or judicial proceeding | under a law"."""
_COORDINATORS = frozenset({"or", "and", ",", ";", "and/or"})
_PUNCT = frozenset({",", ";", ".", ":"})

_CONDITION_LEAD = re.compile(
    r"\b(?:if|where|when|whenever|provided that|to the extent that|insofar as|in so far as|subject to|"
    r"as a condition (?:for|of)|on condition that|in the event that|only if|only where)\b"
    r"|\bby(?: means of)?(?: any of the following(?: measures)?)? ?:"  # a closed list: "restrict ... by: (a) ..."
)
_EXCLUSION_LEAD = re.compile(
    r"\b(?:except(?: for| as| where| when| if| to the extent)?|other than|excluding|save for|save as|"
    r"with the exception of|does not include|do not include|shall not include|unless)\b"
)
_INCLUSION_LEAD = re.compile(r"\bincluding(?: but not limited to| without limitation)?\b")
_LABEL = re.compile(r"\((?:[a-z]{1,3}|[ivxlcdm]{1,6}|\d{1,3})\)")
_SENTENCE = re.compile(r"(?<=\.)\s+(?=[a-z(\d])")
REVIEW_VERBS = r"(?:jointly |periodically )?(?:review|evaluate|assess|reconsider|consult)\b"
"""The verbs of a review or consultation clause (it changes no obligation)."""
_REVIEW = re.compile(rf"\b(?:shall|will) {REVIEW_VERBS}")
_MODAL = re.compile(
    r"\b(?:shall|must|may|will|should|cannot)\b|\bis (?:not )?required\b|\b(?:the same|this|that) (?:applies|apply)\b"
)
_WORD = re.compile(r"[a-z0-9][a-z0-9'/-]*|[,;.:]")
_PASSIVE = re.compile(
    r"^(?P<obj>(?!(?:no|each|a|any|the) (?:party|parties|member)\b).{3,300}?) "
    r"(?P<modal>shall|must|may|will) (?P<neg>not )?be "
    r"(?P<verbs>[a-z]+(?:ed|en|wn)(?:,? (?:or|and) [a-z]+(?:ed|en|wn))*)"
    r"(?P<agent> by (?:a|any|each|either|the|no|another|that|such|every) (?:party|parties|member|members))?"
    r"(?P<rest>\b.*)$"
)
_FRONTED = re.compile(
    rf"^(?P<cond>(?:{_CONDITION_LEAD.pattern}).+?), (?P<main>(?:no|each|a|any|the|neither|every) "
    r"(?:party|parties|member|members)\b.*)$"
)
_NEGATIVE_SUBJECT = re.compile(r"^(?:no|neither) (?:party|parties|member|members) ")


@dataclass(frozen=True, slots=True)
class Tok:
    """One word of a canonical provision, with the part of the frame it belongs to."""

    word: str
    role: Role
    region: int
    coordinator: str = ""
    start: int = 0
    """Where the word starts in :attr:`Reading.canonical`."""
    end: int = 0
    """Where it ends."""
    """For a word inside a list: the coordinator of that list ("or", "and"), else ''."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A provision in canonical form: its words with their roles, qualifiers, deferrals, terms."""

    text: str
    canonical: str
    toks: tuple[Tok, ...]
    negative: bool
    """The obligation is a prohibition once negation is resolved ("shall allow" is one)."""
    qualifiers: tuple[str, ...]
    deferrals: tuple[str, ...]
    terms: tuple[tuple[str, Role, str], ...]
    """(term, the part of the frame it sits in, the word before it)."""
    limb_joiners: tuple[str, ...]
    """The words joining limbs ("; and", "; or") in text order."""
    closed: frozenset[int] = frozenset()
    """Regions that are closed lists of means ("shall not restrict ... by: (a) ...; (b) ...")."""


def _canonical_sentence(sentence: str, lex: Lexicon) -> str:
    sentence = sentence.strip().rstrip(".;:").strip()
    fronted = _FRONTED.match(sentence)
    if fronted is not None:
        sentence = f"{fronted.group('main')} {fronted.group('cond')}"
    passive = _PASSIVE.match(sentence)
    if passive is not None and not _NEGATIVE_SUBJECT.match(sentence):
        neg = passive.group("neg") or ""
        agent = passive.group("agent") or ""
        obj = passive.group("obj")
        if obj.startswith("no "):  # "No customs duties shall be imposed by a Party"
            obj, neg = obj[3:], "not "
        subject = "no party" if neg or " no " in agent else "each party"
        modal = passive.group("modal")
        sentence = f"{subject} {modal} {passive.group('verbs')} {obj}{passive.group('rest')}"
    # "each party shall accord ... treatment no less favorable" binds as "no party shall accord less favorable"
    if re.search(r"\b(?:no|not) less favorable\b", sentence) and not re.search(r"\bshall not\b|^no ", sentence):
        sentence = re.sub(r"\b(?:no|not) less favorable\b", "less favorable", sentence)
        sentence = re.sub(r"^(?:each|every|the) (party|parties|member|members) shall\b", "no party shall", sentence)
    # "each party shall allow X" binds as "no party shall prohibit X"
    for entry in lex.permissive:
        verbs = "|".join(re.escape(v) for v in entry.verbs)
        sentence = re.sub(
            rf"\b(?:each|every|the) (?:party|parties|member|members) (shall|must|will)(?: also)? (?:{verbs})s?\b",
            rf"no party \1 {entry.negates}",
            sentence,
        )
        sentence = re.sub(rf"\bshall (?:{verbs})\b", f"shall not {entry.negates}", sentence)
    return sentence


@lru_cache(maxsize=4096)
def _read_cached(text: str, lex: Lexicon) -> Reading:
    norm = _LABEL.sub(" ", normalize(text))
    norm = lex.canonical(re.sub(r"\s+", " ", norm)).strip()
    sentences = [s for s in _SENTENCE.split(norm) if s.strip()]
    operative = [  # recitals ("The Parties are committed to") bind no one; a review clause changes no obligation
        s for s in sentences if _MODAL.search(s) and not _REVIEW.search(s)
    ]
    sentences = operative or sentences
    canon = ". ".join(_canonical_sentence(s, lex) for s in sentences)
    canon = lex.canonical(canon)
    negative = bool(re.search(r"\bno party (?:shall|must|will|may)\b|\bshall(?:, [^,]{1,80},)? not\b", canon))

    found_qualifiers = [m for m in lex.qualifiers.finditer(canon) if _softens(m, canon, lex)]
    qualifiers = tuple(m.group(0) for m in found_qualifiers)
    deferrals = tuple(m.group(0) for p in lex.deferrals for m in p.finditer(canon))
    spans: list[tuple[int, int, Role]] = []
    for m in found_qualifiers:
        spans.append((m.start(), m.end(), "qualifier"))
    for p in lex.deferrals:
        for m in p.finditer(canon):
            # the deferral and what completes it ("... after the date of entry into force of this agreement"),
            # up to the next clause break: the obligation it defers is read as usual
            stop = re.compile(r"[,;.]").search(canon, m.end())
            spans.append((m.start(), len(canon) if stop is None else stop.start(), "time"))

    toks: list[Tok] = []
    terms: list[tuple[str, Role, str]] = []
    role: Role = "core"
    region = 0
    coordinator_of: dict[int, str] = {}
    words: list[tuple[str, int, int]] = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(canon)]
    # which lead starts where
    found_leads: list[tuple[int, int, Role]] = []
    lead_patterns: tuple[tuple[re.Pattern[str], Role], ...] = (
        (_EXCLUSION_LEAD, "exclusion"),
        (_CONDITION_LEAD, "condition"),
        (_INCLUSION_LEAD, "inclusion"),
    )
    for pattern, lead_role in lead_patterns:
        found_leads += [(m.start(), m.end(), lead_role) for m in pattern.finditer(canon)]
    leads: dict[int, tuple[Role, int]] = {}
    covered_to = -1
    for start, end, lead_role in sorted(found_leads, key=lambda x: (x[0], -x[1])):
        if start < covered_to:
            continue  # "except where": one lead
        leads[start] = (lead_role, end)
        covered_to = end
    lead_end = -1
    proviso = False
    closed: set[int] = set()
    for word, start, _end in words:
        span_role = next((r for s, e, r in spans if s <= start < e), None)
        if start in leads and region not in closed:  # a closed list runs to the end of its sentence
            role, lead_end = leads[start]
            region += 1
            closed_list = canon.startswith("by", start)
            proviso = closed_list or canon.startswith(("provided", "on condition"), start)  # limbs run over ";"
            if closed_list:
                closed.add(region)
        elif region in closed and word != ".":
            pass
        elif (
            word == "."
            or (word == ";" and not proviso)
            or (word == "," and role in ("exclusion", "inclusion") and start > lead_end)
        ):
            proviso = False
            if role != "core":
                role = "core"
                region += 1
        this_role: Role = span_role or role
        if word in _PUNCT or word in _FORCE_WORDS or word in lex.function_word_set:
            lemma = word
        else:
            lemma = lex.act_atom(word) or _stem(singular(word))
        toks.append(Tok(lemma, this_role, region, "", start, _end))
    # lists: a word between two coordinators of one list belongs to that list
    _mark_lists(toks, coordinator_of)
    # a sentence that extends the one before ("The same applies to X", "Nor shall a Party ...") is one more item
    for m in _RESTATEMENT.finditer(canon):
        end = canon.find(".", m.end())
        end = len(canon) if end < 0 else end
        for i, t in enumerate(toks):
            if m.start() <= t.start < end:
                coordinator_of.setdefault(i, "or")
    toks = [
        Tok(t.word, t.role, t.region, coordinator_of.get(i, ""), t.start, t.end) if i in coordinator_of else t
        for i, t in enumerate(toks)
    ]
    offsets: list[int] = []
    cursor = 0
    for t in toks:
        offsets.append(cursor)
        cursor += len(t.word) + 1
    tok_text = " ".join(t.word for t in toks)
    term_pattern, term_names = _term_index(lex)
    for m in term_pattern.finditer(tok_text):
        term = term_names[m.group(0)]
        index = next((i for i, p in enumerate(offsets) if p >= m.start()), len(toks) - 1)
        before = toks[index - 1].word if index > 0 else ""
        terms.append((term, toks[index].role if toks else "core", before))
    joiners = tuple(m.group(1) for m in re.finditer(r"; (and|or)\b", canon))
    return Reading(
        text=text,
        canonical=canon,
        toks=tuple(toks),
        negative=negative,
        qualifiers=qualifiers,
        deferrals=deferrals,
        terms=tuple(terms),
        limb_joiners=joiners,
        closed=frozenset(closed),
    )


_SUFFIXES = ("ments", "ment", "ings", "ing", "ed")


def _stem(word: str) -> str:
    """A light stem for comparison: 'conducting', 'conduct' and 'conducted' are one word."""
    if word in ("including", "provided", "excluding", "need", "red", "bed", "feed", "thing"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            stem = word[: -len(suffix)]
            if stem.endswith(("at", "iz", "is", "ur", "iv", "ag")) or (suffix == "ed" and stem.endswith("c")):
                stem += "e"  # "regulated" → "regulate", "authorized" → "authorize"
            return stem
    return word


_SOFTENED = re.compile(r"\s*(?:(?:or|and) [a-z]+ )?([a-z]+)")


def _softens(match: re.Match[str], canon: str, lex: Lexicon) -> bool:
    """A qualifier of the act ("unnecessarily", "unjustifiable") softens only an act or a barrier it stands
    before ("unduly restrict", "unjustified restrictions"), not "arbitrary or unjustifiable discrimination"."""
    if not lex.act_qualifiers.fullmatch(match.group(0)):
        return True
    following = _SOFTENED.match(canon, match.end())
    if following is None:
        return False
    word = singular(following.group(1))
    return bool(lex.act_atom(word)) or word in ("barrier", "restriction", "requirement", "obstacle", "burden")


def _mark_lists(toks: Sequence[Tok], out: dict[int, str]) -> None:
    """Mark list items: the words after 'or'/'and' up to the next break, the word before,
    and short comma-joined items before that ("import, distribution, sale or use")."""
    breaks = _COORDINATORS | _PUNCT
    n = len(toks)
    for i, tok in enumerate(toks):
        if tok.word not in ("or", "and"):
            continue
        j = i + 1
        while j < n and j <= i + 3 and toks[j].word not in breaks and (j == i + 1 or toks[j].word not in _STOPS):
            out.setdefault(j, tok.word)
            j += 1
        k = i - 1
        if k >= 0 and toks[k].word not in breaks:
            out.setdefault(k, tok.word)
        # earlier comma-joined items
        k = i - 1
        while k >= 0 and toks[k].word not in breaks:
            k -= 1
        while k >= 1 and toks[k].word == ",":
            segment = []
            m = k - 1
            while m >= 0 and toks[m].word not in breaks:
                segment.append(m)
                m -= 1
            if not segment:
                break
            if len(segment) > 3:
                out.setdefault(segment[0], tok.word)  # "of which the author, ...": the last word only
                break
            for index in segment:
                out.setdefault(index, tok.word)
            k = m


@lru_cache(maxsize=8)
def _term_index(lex: Lexicon) -> tuple[re.Pattern[str], dict[str, str]]:
    """The lexicon's terms in the stemmed form of canonical tokens, and their names."""
    names: dict[str, str] = {}
    for term in lex.terms:
        canon = lex.canonical(normalize(term))
        stemmed = " ".join(lex.act_atom(w) or _stem(singular(w)) for w in _WORD.findall(canon))
        names.setdefault(stemmed, term)
    alternatives = sorted(names, key=lambda t: (-len(t), t))
    body = "|".join(re.escape(t) for t in alternatives) or r"(?!x)x"
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])"), names


def read(text: str, lexicon: Lexicon | None = None) -> Reading:
    """The canonical reading of one provision.

    Examples:
        >>> r = read("The cross-border transfer of information shall not be prohibited by a Party.")
        >>> r.canonical, r.negative
        ('no party shall prohibited the cross-border transfer of information', True)
    """
    return _read_cached(text, lexicon or active_lexicon())


def deferral_sentences(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """The sentences of ``text`` that only say when other provisions apply (transition periods).

    Examples:
        >>> deferral_sentences("A Party shall not be obliged to apply paragraph 1 for a period of "
        ...                    "five years after the date of entry into force of this Agreement.")
        ... # doctest: +NORMALIZE_WHITESPACE
        ['a party shall not be obliged to apply paragraph 1 for a period of five years after the date of entry
          into force of this agreement.']
    """
    lex = lexicon or active_lexicon()
    norm = normalize(text)
    return [s for s in re.split(r"(?<=\.)\s+", norm) if s.strip() and any(p.search(s) for p in lex.deferral_sentences)]


def _content(tok: Tok, lex: Lexicon) -> bool:
    return (
        tok.word not in lex.function_word_set
        and tok.word not in _FORCE_WORDS
        and tok.word not in _PUNCT
        and tok.word not in _COORDINATORS
        and not tok.word.isdigit()
    )


def reach_findings(model_text: str, draft_text: str, lexicon: Lexicon | None = None) -> tuple[Finding, ...]:
    """The differences of reach between two readings of one obligation.

    Force (who is bound, how strongly) is compared by :mod:`tradeclauses.analysis`;
    this compares acts, object, beneficiary, conditions, inclusions, exclusions,
    qualifiers and deferrals. An empty result means the frames are equal.
    """
    lex = lexicon or active_lexicon()
    m, d = read(model_text, lex), read(draft_text, lex)
    findings: list[Finding] = []

    def add(flag: Flag, explanation: str, model_words: str, draft_words: str, aspect: Aspect) -> None:
        findings.append(
            Finding(
                flag=flag,
                explanation=explanation,
                model_evidence=model_words,
                draft_evidence=draft_words,
                aspect=aspect,
            )
        )

    if m.negative != d.negative and _binding(m) and _binding(d):
        add(
            Flag.WEAKENED_OBLIGATION,
            "the obligation is reversed: "
            + ("a prohibition became a duty to act" if m.negative else "a duty became a prohibition"),
            m.canonical[:120],
            d.canonical[:120],
            "force",
        )

    # a closed list of means on one side only: the obligation reaches only (or no longer only) the listed measures
    skip_m = m.closed if not d.closed else frozenset()
    skip_d = d.closed if not m.closed else frozenset()
    if skip_d:
        listed = _quote(d.canonical, [t for t in d.toks if t.region in skip_d])
        add(Flag.NARROWED_SCOPE, f'the obligation reaches only the measures it lists: "{listed[:200]}"',
            "", listed, "act")  # fmt: skip
    if skip_m:
        listed = _quote(m.canonical, [t for t in m.toks if t.region in skip_m])
        add(Flag.BROADENED_SCOPE, f'the obligation no longer reaches only the measures listed: "{listed[:200]}"',
            listed, "", "act")  # fmt: skip

    def kept(reading: Reading, skip: frozenset[int]) -> list[Tok]:
        return [t for t in reading.toks if t.role not in ("qualifier", "time") and t.region not in skip]

    removed = Counter(t.word for t in kept(m, skip_m) if _content(t, lex))
    added = Counter(t.word for t in kept(d, skip_d) if _content(t, lex))
    net_removed, net_added = removed - added, added - removed
    # a restatement repeats words the provision already has ("... The same applies to the transfer of, or access
    # to, an algorithm"): words it only repeats, and the words that announce it, add nothing
    for reading, net, other in ((d, net_added, removed), (m, net_removed, added)):
        if sum(1 for s in re.split(r"\.\s+", reading.canonical) if s.strip()) > 1:
            announcing = {t.word for t in reading.toks if reading.canonical[t.start : t.end] in _RESTATING}
            for word in list(net):
                if word in other or word in announcing:
                    del net[word]

    # qualifiers and deferrals
    for phrase in _multiset_minus(d.qualifiers, m.qualifiers):
        add(Flag.WEAKENED_OBLIGATION, f'the obligation is now qualified by "{phrase}"', "", phrase, "qualifier")
    for phrase in _multiset_minus(m.qualifiers, d.qualifiers):
        add(Flag.STRENGTHENED_OBLIGATION, f'the qualifier "{phrase}" was dropped', phrase, "", "qualifier")
    for phrase in _multiset_minus(d.deferrals, m.deferrals):
        add(Flag.WEAKENED_OBLIGATION, f'the obligation is deferred: "{phrase}"', "", phrase, "time")
    for phrase in _multiset_minus(m.deferrals, d.deferrals):
        add(Flag.STRENGTHENED_OBLIGATION, f'the deferral "{phrase}" was dropped', phrase, "", "time")

    # the Party's own judgment, wherever it enters ("it considers", "in its view")
    m_judging = [x.group(0) for x in lex.self_judging_markers.finditer(m.canonical)]
    d_judging = [x.group(0) for x in lex.self_judging_markers.finditer(d.canonical)]
    for phrase in _multiset_minus(d_judging, m_judging):
        add(Flag.BROADENED_EXCEPTION, f'the Party\'s own judgment now decides ("{phrase}")', "", phrase, "exception")
        _consume(net_added, phrase)
    for phrase in _multiset_minus(m_judging, d_judging):
        add(
            Flag.NARROWED_EXCEPTION,
            f'the Party\'s own judgment no longer decides ("{phrase}")',
            phrase,
            "",
            "exception",
        )
        _consume(net_removed, phrase)

    # limbs of conditions joined by "and" must all hold; by "or", any one
    for mj, dj in zip(m.limb_joiners, d.limb_joiners, strict=False):
        if mj != dj:
            flag = Flag.BROADENED_SCOPE if mj == "and" else Flag.NARROWED_SCOPE
            add(flag, f'limbs joined by "{mj}" are now joined by "{dj}"', f"; {mj}", f"; {dj}", "condition")
            break

    # terms, by the part of the frame they sit in
    for group in (("core", "condition"), ("inclusion",), ("exclusion",)):
        # a term after a new modifier is another term ("health information" is not "information")
        m_terms = [t for t, r, before in m.terms if r in group and before not in net_removed]
        d_terms = [t for t, r, before in d.terms if r in group and before not in net_added]
        gone, new = _multiset_minus(m_terms, d_terms), _multiset_minus(d_terms, m_terms)
        for old in list(gone):
            for fresh in list(new):
                if lex.is_wider(old, fresh) or lex.is_wider(fresh, old):
                    narrower = lex.is_wider(old, fresh)
                    if group == ("exclusion",):
                        narrower = not narrower
                    flag = Flag.NARROWED_SCOPE if narrower else Flag.BROADENED_SCOPE
                    kind: Aspect = "beneficiary" if _is_party_term(old) or _is_party_term(fresh) else "object"
                    add(flag, f'"{old}" became "{fresh}"', old, fresh, kind)
                    gone.remove(old)
                    new.remove(fresh)
                    _consume(net_removed, old)
                    _consume(net_added, fresh)
                    break

    # an act the other side still covers is no change ("shall not restrict" includes prohibiting)
    m_acts = {t.word for t in m.toks if t.word in lex.act_atoms and t.role == "core"}
    d_acts = {t.word for t in d.toks if t.word in lex.act_atoms and t.role == "core"}
    for act in list(net_removed):
        if act in lex.act_atoms and any(lex.covers(other, act) for other in d_acts):
            del net_removed[act]
    for act in list(net_added):
        if act in lex.act_atoms and any(lex.covers(other, act) for other in m_acts):
            del net_added[act]

    if not net_removed and not net_added:
        return _unique(findings)

    # the rest, opcode by opcode
    m_seq, d_seq = kept(m, skip_m), kept(d, skip_d)
    matcher = SequenceMatcher(None, [t.word for t in m_seq], [t.word for t in d_seq], autojunk=False)
    leftovers: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        gone_toks = [t for t in m_seq[i1:i2] if _content(t, lex) and _take(net_removed, t.word)]
        new_toks = [t for t in d_seq[j1:j2] if _content(t, lex) and _take(net_added, t.word)]
        if gone_toks and new_toks:
            alternatives = [t for t in m_seq[i1:i2] if t.word == "or"]
            if alternatives and not any(t.word == "or" for t in d_seq[j1:j2]) and gone_toks[0].role == "core":
                # "harmful or objectionable" became "unlawful": fewer alternatives, a narrower reach
                old_words, new_words = _quote(m.canonical, gone_toks), _quote(d.canonical, new_toks)
                add(
                    Flag.NARROWED_SCOPE,
                    f'the alternatives "{old_words}" became "{new_words}"',
                    old_words,
                    new_words,
                    "object",
                )
                continue
            leftovers.append((_quote(m.canonical, gone_toks), _quote(d.canonical, new_toks)))
            continue
        for toks, side, seq, lo, hi in ((gone_toks, "model", m_seq, i1, i2), (new_toks, "draft", d_seq, j1, j2)):
            if not toks:
                continue
            flag, explanation, aspect = _classify(toks, gone=side == "model", seq=seq, span=(lo, hi), lex=lex)
            words = _quote(m.canonical if side == "model" else d.canonical, toks)
            add(
                flag,
                explanation.format(words=words),
                words if side == "model" else "",
                words if side == "draft" else "",
                aspect,
            )
    for gone_words, new_words in leftovers:
        add(Flag.TEXT_CHANGED, f'"{gone_words}" became "{new_words}"', gone_words, new_words, "text")
    return _unique(findings)


def _binding(reading: Reading) -> bool:
    return bool(re.search(r"\b(?:shall|must)\b", reading.canonical)) and "endeavor" not in reading.canonical


_PARTY_WORDS = frozenset({"person", "investor", "supplier", "investment", "enterprise", "institution"})


def _is_party_term(term: str) -> bool:
    return bool(_PARTY_WORDS & set(term.split()))


def _classify(
    toks: Sequence[Tok], *, gone: bool, seq: Sequence[Tok], span: tuple[int, int], lex: Lexicon
) -> tuple[Flag, str, Aspect]:
    """What a run of words dropped from (``gone``) or added to the draft does, by where it sits."""
    lo, hi = span
    # the run's part of the frame: an inclusion, exclusion or condition it touches decides ("information, including
    # personal" may be matched against the other "information")
    role = next((t.role for t in toks if t.role in ("inclusion", "exclusion", "condition")), toks[0].role)
    region_tok = next((t for t in toks if t.role == role), toks[0])
    region_words = [t for t in seq if t.region == region_tok.region and _content(t, lex)]
    whole_region = role in ("condition", "exclusion", "inclusion") and len(region_words) <= len(toks) + 1
    listed = bool(toks[0].coordinator) or any(seq[k].word in ("or", "and") for k in (lo - 1, hi) if 0 <= k < len(seq))
    coordinator = toks[0].coordinator or next(
        (seq[k].word for k in (lo - 1, hi) if 0 <= k < len(seq) and seq[k].word in ("or", "and")), "or"
    )
    acts = [t.word for t in toks if t.word in lex.act_atoms]
    if role == "exclusion":
        purpose = lex.purposes.search(" ".join(t.word for t in seq if t.region == region_tok.region))
        if purpose is not None and whole_region:
            if gone:
                return Flag.REMOVED_EXCEPTION, 'the exception "{words}" was removed', "exception"
            return Flag.NEW_EXCEPTION, 'new exception "{words}"', "exception"
        if gone:
            return Flag.BROADENED_SCOPE, 'the exclusion "{words}" was dropped', "exclusion"
        return Flag.NARROWED_SCOPE, 'new exclusion "{words}"', "exclusion"
    if role == "inclusion":
        if gone:
            return Flag.NARROWED_SCOPE, 'no longer expressly covers "{words}"', "object"
        return Flag.BROADENED_SCOPE, 'now expressly covers "{words}"', "object"
    if role == "condition":
        if whole_region:
            alternative = _before_region(seq, region_tok.region) == "or"  # "..., or as a condition for X"
            if alternative:
                if gone:
                    return Flag.NARROWED_SCOPE, 'the alternative condition "{words}" was dropped', "condition"
                return Flag.BROADENED_SCOPE, 'new alternative condition "{words}"', "condition"
            if gone:
                return Flag.BROADENED_SCOPE, 'the condition "{words}" was dropped', "condition"
            return Flag.NARROWED_SCOPE, 'new condition "{words}"', "condition"
        # an "or" limb dropped: the condition holds in fewer cases; an "and" limb dropped: in more
        wider = (coordinator == "or") != gone if listed else gone
        negated = any(  # "is not applied in a manner which would constitute arbitrary or unjustifiable ..."
            t.region == region_tok.region and t.word in ("not", "no", "neither") and t.start < toks[0].start
            for t in seq
        )
        if negated and listed:
            wider = not wider
        return (
            (Flag.BROADENED_SCOPE, 'the condition lost "{words}"', "condition")
            if wider and gone
            else (Flag.BROADENED_SCOPE, 'the condition now also admits "{words}"', "condition")
            if wider
            else (Flag.NARROWED_SCOPE, 'the condition lost "{words}"', "condition")
            if gone
            else (Flag.NARROWED_SCOPE, 'the condition now also requires "{words}"', "condition")
        )
    # core: acts, object, beneficiary; a verb that is no list item is a modifier ("facilities used to process")
    aspect: Aspect = "act" if acts and listed else "object"
    if gone:
        if listed:
            return Flag.NARROWED_SCOPE, 'the obligation no longer covers "{words}"', aspect
        return Flag.BROADENED_SCOPE, 'the obligation is no longer limited by "{words}"', aspect
    if listed:
        return Flag.BROADENED_SCOPE, 'the obligation now also covers "{words}"', aspect
    return Flag.NARROWED_SCOPE, 'the obligation now reaches only what is "{words}"', aspect


def _before_region(seq: Sequence[Tok], region: int) -> str:
    """The coordinator just before a region starts ("or" in "..., or as a condition for X"), if any."""
    for index, tok in enumerate(seq):
        if tok.region == region:
            for k in range(index - 1, max(-1, index - 3), -1):
                if seq[k].word in ("or", "and"):
                    return seq[k].word
            return ""
    return ""


def _multiset_minus(a: Iterable[str], b: Iterable[str]) -> list[str]:
    return list((Counter(a) - Counter(b)).elements())


def _consume(counter: Counter[str], phrase: str) -> None:
    for written in _WORD.findall(phrase):
        word = _stem(singular(written))
        if counter.get(word, 0) > 0:
            counter[word] -= 1
            if counter[word] == 0:
                del counter[word]


def _take(counter: Counter[str], word: str) -> bool:
    if counter.get(word, 0) > 0:
        counter[word] -= 1
        if counter[word] == 0:
            del counter[word]
        return True
    return False


def _quote(canonical: str, toks: Sequence[Tok]) -> str:
    """The words of a run as they read (canonical spelling), from its first to its last word."""
    return canonical[toks[0].start : toks[-1].end].strip(" ,;:")


def _unique(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    seen: set[tuple[str, str, str]] = set()
    kept: list[Finding] = []
    for f in findings:
        key = (f.flag.value, f.model_evidence, f.draft_evidence)
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return tuple(kept)

"""Legal-operative features of a provision, extracted by rule and explained.

Word overlap cannot tell "No Party shall" from "A Party may". This module reads a
provision the way a trade lawyer does and records, with the words that decided
each point:

- **obligation strength** (:class:`Modality`): who is bound and how hard, for every
  operative sentence; the strongest one is the provision's :attr:`Features.modality`;
- **scope** (:class:`ScopeItem`): what is expressly included ("including personal
  information"), excluded, limited, conditioned ("if this activity is for the conduct
  of the business of a covered person") or qualified ("as appropriate"), and who
  benefits ("a covered person");
- **carve-outs** (:class:`CarveOut`): "This Article shall not apply to ...";
- **exceptions** (:class:`ExceptionClause`): their purpose, their necessity test
  (objective, self-judging or none), their conditions (non-discrimination, no
  disguised restriction, no greater than necessary) and whether they are shielded
  from dispute settlement;
- **definitions**: the term a provision defines, and the defined terms it uses.

:func:`compare` and :func:`compare_texts` turn two sets of features into
:class:`Finding` objects, each with a :class:`Flag`, a plain-English explanation and
the words quoted from both texts. All matching runs on normalised text
(:func:`tradeclauses.normalize.normalize`), so spelling, case, numbering,
hyphenation, quotes and footnote numbers never produce a finding.

Decisions worth knowing:

- Strength runs prohibition (5) > duty (4) > endeavour (3) > hortatory (2) >
  permission (1) > none (0). "Are encouraged to" is hortatory (the Party commits to
  nothing); "agree to" is a duty; "No Party shall be required to" and "is not required
  to" are permissions that work as exceptions, never prohibitions.
- A verb in a subordinate clause is not operative: in "The Parties recognise that each
  Party may ...", only "recognise" counts.
- An exception is a permission to depart from an obligation ("Nothing in this Article
  shall prevent", "This Article does not prevent", "paragraph 1 shall not preclude",
  "Notwithstanding paragraph 2, a Party may", "Article XX of the GATT 1994 ... shall
  apply"). Its test is self-judging if it says so anywhere ("it considers necessary"),
  else objective if necessity appears in the chapeau or a condition ("that is
  necessary", "greater than are required"), else none; self-judging is the broadest.
- A removed exception is reported as ``REMOVED_EXCEPTION`` (the event) followed by
  ``NARROWED_EXCEPTION`` (its effect); a new one only as ``NEW_EXCEPTION``.
- ``TEXT_CHANGED`` is the one non-substantive flag: operative words changed and no
  rule could say how (a reworded condition, a changed verb). Read both texts.

The rules are patterns of treaty drafting (subject + modal verb, "Nothing in this
Article shall prevent", "shall not apply to", "it considers necessary" ...), checked
against the TPP, USMCA and WTO texts and RCEP-style wording. They are not a parser:
unusual drafting may be missed, and :attr:`Features.evidence` always shows what was
read.

Examples:
    >>> features = analyse("No Party shall prohibit or restrict the cross-border transfer "
    ...                    "of information, including personal information, by electronic means.")
    >>> features.modality, features.bound, features.modal_phrase
    (<Modality.PROHIBITION: 'prohibition'>, 'no Party', 'No Party shall')
    >>> features.describe()
    'binding prohibition on each Party; covers personal information'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Literal, NamedTuple, TypeAlias, TypeVar

from rapidfuzz import fuzz

from tradeclauses._docs import FrozenModel as _Frozen
from tradeclauses.findings import SUBSTANTIVE_FLAGS, Aspect, Direction, Finding, Flag
from tradeclauses.frames import REVIEW_VERBS, deferral_sentences, reach_findings
from tradeclauses.lexicon import Lexicon, active_lexicon, using_lexicon
from tradeclauses.normalize import AlignedText, normalize, normalize_aligned, singular

__all__ = [
    "DEFAULT_DEFINED_TERMS",
    "SUBSTANTIVE_FLAGS",
    "Aspect",
    "CarveOut",
    "CarveOutKind",
    "Condition",
    "ConditionKind",
    "Direction",
    "ExceptionClause",
    "ExceptionKind",
    "Features",
    "Finding",
    "Flag",
    "Modality",
    "NecessityTest",
    "Operative",
    "ScopeItem",
    "ScopeKind",
    "analyse",
    "compare",
    "compare_texts",
]

ScopeKind: TypeAlias = Literal[
    "includes", "excludes", "limited_to", "condition", "qualifier", "beneficiary", "applies_to"
]
"""What a :class:`ScopeItem` does to the reach of an obligation."""
CarveOutKind: TypeAlias = Literal["scope", "savings", "dispute_settlement"]
"""``scope``: "shall not apply to"; ``savings``: "shall not be construed to affect";
``dispute_settlement``: "shall not be subject to dispute settlement"."""
ExceptionKind: TypeAlias = Literal["legitimate_public_policy", "security", "general", "prudential", "other"]
"""The purpose an exception serves."""
NecessityTest: TypeAlias = Literal["objective", "self_judging", "none"]
"""How the need for an excepted measure is judged."""
ConditionKind: TypeAlias = Literal[
    "arbitrary_or_unjustifiable_discrimination", "disguised_restriction", "no_greater_than_necessary"
]
"""The conditions an exception may put on the measures it allows."""

_T = TypeVar("_T")


# =========================================================================== enums


class Modality(StrEnum):
    """How strongly an operative sentence binds, from prohibition down to none.

    Examples:
        >>> Modality.PROHIBITION.strength == Modality.DUTY.strength > Modality.ENDEAVOUR.strength
        True
        >>> Modality.HORTATORY.label
        'hortatory statement'
    """

    PROHIBITION = "prohibition"
    """Binding negative obligation: "No Party shall", "a Party shall not", "may not"."""
    DUTY = "duty"
    """Binding positive obligation: "Each Party shall (allow, ensure, adopt)", "agree to"."""
    UNATTRIBUTED = "unattributed"
    """A passive that names nobody bound: "transfers shall not be restricted" (binds no one named)."""
    ENDEAVOUR = "endeavour"
    """Best endeavours: "shall endeavour (not) to", "shall seek to", "shall strive to"."""
    HORTATORY = "hortatory"
    """No commitment: "recognise (the importance)", "should", "affirm", "are encouraged to"."""
    PERMISSION = "permission"
    """A Party may act: "may", "Nothing ... shall prevent", "shall not be required to"."""
    NONE = "none"
    """No operative language: definitions, descriptions, scope statements."""

    @property
    def strength(self) -> int:
        """4 (prohibition or duty: equal force, different form) down to 0 (none)."""
        return _STRENGTH[self]

    @property
    def label(self) -> str:
        """A short English name: ``'binding prohibition'``, ``'best-endeavour commitment'``."""
        return _MODALITY_LABEL[self]


_STRENGTH = {
    Modality.PROHIBITION: 4,
    Modality.DUTY: 4,
    Modality.UNATTRIBUTED: 3,
    Modality.ENDEAVOUR: 3,
    Modality.HORTATORY: 2,
    Modality.PERMISSION: 1,
    Modality.NONE: 0,
}
_MODALITY_LABEL = {
    Modality.PROHIBITION: "binding prohibition",
    Modality.DUTY: "binding duty",
    Modality.UNATTRIBUTED: "obligation naming no one bound",
    Modality.ENDEAVOUR: "best-endeavour commitment",
    Modality.HORTATORY: "hortatory statement",
    Modality.PERMISSION: "permission",
    Modality.NONE: "no operative language",
}


DEFAULT_DEFINED_TERMS: tuple[str, ...] = (
    "algorithm",
    "computing facility",
    "covered person",
    "digital product",
    "electronic authentication",
    "electronic signature",
    "government information",
    "information content provider",
    "interactive computer service",
    "personal information",
)
"""The defined terms of USMCA Article 19.1 looked for by default (plurals match too)."""


# =========================================================================== models




class Operative(_Frozen):
    """One operative clause: who is bound, how strongly, by which words."""

    bound: str | None
    """Who is bound or permitted: ``'each Party'``, ``'no Party'``, ``'the Parties'``,
    ``'a Party'``, another subject as written, or ``None`` when none is named."""
    modality: Modality
    """How strongly the clause binds."""
    phrase: str
    """The words that decided the modality, as written (``'No Party shall'``)."""
    action: str | None = None
    """What the bound subject must, may or must not do, as written, if found."""
    role: Literal["obligation", "exception"] = "obligation"
    """``exception`` when the clause lets a Party depart from an obligation."""


class ScopeItem(_Frozen):
    """A phrase that sets the reach of an obligation."""

    kind: ScopeKind
    """What the phrase does: includes, excludes, limits, conditions, qualifies, names a beneficiary."""
    phrase: str
    """The phrase as written (``'including personal information'``)."""
    key: str
    """Normalised form used for comparison (conditions lose their ``if``/``when``)."""


class CarveOut(_Frozen):
    """A statement that (part of) a provision does not apply."""

    kind: CarveOutKind
    """Scope carve-out, savings clause, or exclusion from dispute settlement."""
    phrase: str
    """The carve-out as written (``'This Article shall not apply to ...'``)."""
    key: str
    """Normalised form used for comparison."""


class Condition(_Frozen):
    """A condition an exception puts on the measures it allows."""

    kind: ConditionKind
    """Which condition."""
    phrase: str
    """The clause that states it, as written."""


class ExceptionClause(_Frozen):
    """An exception: the room a Party keeps to depart from an obligation."""

    kind: ExceptionKind
    """Its purpose: legitimate public policy, security, general (GATT XX / GATS XIV), prudential, other."""
    test: NecessityTest
    """``objective`` ("that is necessary", "required to achieve"), ``self_judging`` ("it considers
    necessary", "in its judgment") or ``none`` (no necessity test)."""
    test_phrase: str
    """The words that decided :attr:`test` (empty for ``none``)."""
    conditions: tuple[Condition, ...] = ()
    """Conditions on the excepted measures, one per kind, in a fixed order."""
    non_disputable: bool = False
    """True when the exception is shielded from dispute settlement ("shall not be disputed")."""
    non_disputable_phrase: str = ""
    """The words that shield it, as written."""
    phrase: str
    """The exception as written (its first sentence)."""
    key: str
    """Normalised form used for pairing exceptions."""

    @property
    def condition_kinds(self) -> frozenset[str]:
        """The kinds of :attr:`conditions`."""
        return frozenset(condition.kind for condition in self.conditions)

    def describe(self) -> str:
        """``'objective necessity test; conditions: non-discrimination, ...'``."""
        parts = [_TEST_LABEL[self.test]]
        if self.conditions:
            parts.append("conditions: " + ", ".join(_CONDITION_LABEL[c.kind] for c in self.conditions))
        if self.non_disputable:
            parts.append("shielded from dispute settlement")
        return "; ".join(parts)


class Features(_Frozen):
    """The legal-operative features of one provision (a paragraph or an article).

    Build with :func:`analyse`; compare with :func:`compare`.
    """

    text: str
    """The provision as written, layout cleaned (:func:`~tradeclauses.normalize.tidy`)."""
    bound: str | None = None
    """Who the strongest operative clause binds (see :attr:`Operative.bound`)."""
    modality: Modality = Modality.NONE
    """The strongest modality among :attr:`operatives` (``PERMISSION`` for a pure exception)."""
    modal_phrase: str = ""
    """The words that decided :attr:`modality`, as written."""
    action: str | None = None
    """What the strongest operative clause requires, permits or forbids, as written."""
    operatives: tuple[Operative, ...] = ()
    """Every operative clause, in text order."""
    scope: tuple[ScopeItem, ...] = ()
    """Phrases setting the reach of the obligations (not of exceptions or carve-outs)."""
    carve_outs: tuple[CarveOut, ...] = ()
    """Carve-outs, savings clauses and exclusions from dispute settlement."""
    exceptions: tuple[ExceptionClause, ...] = ()
    """Exceptions, in text order."""
    defines: str | None = None
    """The term this provision defines, if it is a definition (``'covered person'``)."""
    definition: str = ""
    """Normalised wording of the definition (empty unless :attr:`defines` is set)."""
    defined_terms_used: tuple[str, ...] = ()
    """The defined terms (of those looked for) that occur in the text."""

    @property
    def strength(self) -> int:
        """:attr:`Modality.strength` of :attr:`modality`."""
        return self.modality.strength

    @property
    def obligation(self) -> Operative | None:
        """The strongest operative clause that is not an exception, if any."""
        return _strongest(op for op in self.operatives if op.role == "obligation")

    @property
    def is_exception(self) -> bool:
        """True when the provision is an exception and carries no obligation of its own."""
        if not self.exceptions:
            return False
        obligation = self.obligation
        return obligation is None or obligation.modality in (Modality.HORTATORY, Modality.NONE)

    @property
    def is_carve_out(self) -> bool:
        """True when the provision only carves something out."""
        return bool(self.carve_outs) and self.obligation is None and not self.exceptions

    @property
    def is_definition(self) -> bool:
        """True when the provision defines a term."""
        return self.defines is not None

    @property
    def evidence(self) -> tuple[tuple[str, str], ...]:
        """``(what, words as written)`` for every feature found, in a fixed order."""
        found: list[tuple[str, str]] = [(op.modality.value, op.phrase) for op in self.operatives]
        found += [(f"scope:{item.kind}", item.phrase) for item in self.scope]
        found += [(f"carve-out:{carve.kind}", carve.phrase) for carve in self.carve_outs]
        for exception in self.exceptions:
            found.append((f"exception:{exception.kind}", exception.phrase))
            if exception.test_phrase:
                found.append((f"test:{exception.test}", exception.test_phrase))
            found += [(f"condition:{c.kind}", c.phrase) for c in exception.conditions]
            if exception.non_disputable:
                found.append(("non-disputable", exception.non_disputable_phrase))
        if self.defines is not None:
            found.append(("defines", self.defines))
        return tuple(found)

    def describe(self) -> str:
        """A one-line summary a lawyer can check against the text.

        Examples:
            >>> analyse("Each Party shall endeavour to accept documents.").describe()
            'best-endeavour commitment on each Party'
        """
        parts: list[str] = []
        if self.defines is not None:
            parts.append(f"defines {self.defines!r}")
        obligation = self.obligation
        if obligation is not None and obligation.modality is not Modality.NONE:
            label = obligation.modality.label
            parts.append(f"{label} on {_display_bound(obligation.bound)}" if obligation.bound else label)
        parts += [_describe_scope(item) for item in self.scope]
        if self.carve_outs:
            count = len(self.carve_outs)
            parts.append(f"{count} carve-out" + ("s" if count > 1 else ""))
        details = "; ".join(
            (f"{_KIND_LABEL[e.kind]}, " if e.kind != "other" else "") + e.describe() for e in self.exceptions
        )
        if self.is_exception:
            permitted = next((op.bound for op in self.operatives if op.role == "exception" and op.bound), None)
            parts.insert(0, "exception" + (f" for {permitted}" if permitted else "") + f" ({details})")
        elif self.exceptions:
            count = len(self.exceptions)
            parts.append(f"{count} exception" + ("s" if count > 1 else "") + f" ({details})")
        return "; ".join(parts) if parts else Modality.NONE.label


_TEST_LABEL: dict[str, str] = {
    "objective": "objective necessity test",
    "self_judging": "self-judging test",
    "none": "no necessity test",
}
_TEST_RANK: dict[str, int] = {"objective": 0, "none": 1, "self_judging": 2}
"""Broader tests rank higher: an objective test is reviewable, a self-judging one is not."""
_CONDITION_LABEL: dict[str, str] = {
    "arbitrary_or_unjustifiable_discrimination": "non-discrimination",
    "disguised_restriction": "no disguised restriction",
    "no_greater_than_necessary": "no greater than necessary",
}
_CONDITION_ORDER: tuple[ConditionKind, ...] = (
    "arbitrary_or_unjustifiable_discrimination",
    "disguised_restriction",
    "no_greater_than_necessary",
)
_KIND_LABEL: dict[str, str] = {
    "legitimate_public_policy": "public policy",
    "security": "security",
    "general": "general",
    "prudential": "prudential",
    "other": "other",
}


def _strongest(operatives: Iterable[Operative]) -> Operative | None:
    best: Operative | None = None
    for op in operatives:
        if best is None or op.modality.strength > best.modality.strength:
            best = op
    return best


def _display_bound(bound: str) -> str:
    """'no Party' binds each Party."""
    if bound.startswith(("no ", "neither ")):
        return "each " + bound.split(" ", 1)[1]
    return bound


def _describe_scope(item: ScopeItem) -> str:
    if item.kind == "includes":
        return "covers " + re.sub(r"^including(?: but not limited to)? ", "", item.phrase, flags=re.IGNORECASE)
    if item.kind == "beneficiary":
        return "for " + item.phrase
    if item.kind == "applies_to":
        return "scope: " + item.phrase
    if item.kind == "qualifier":
        return "qualified: " + item.phrase
    return item.phrase


# =========================================================================== patterns
# All patterns run on normalize()d text: lowercase, one spelling (American), one space.

_PARTY = (
    r"(?:(?:no|each|a|any|either|neither|every|the|both|that|such|another|all|one|the other|each other) )?"
    r"(?:contracting )?(?:part(?:y|ies)|members?)"
)
_NEGATIVE_SUBJECT = re.compile(r"^(?:no|neither) ")

_SUBJECT = re.compile(
    rf"(?<![\w-])(?P<subj>{_PARTY}|it|they)"
    r"(?:,? (?:also|further|hereby|jointly|each|therefore|accordingly|however|respectively|mutually|both|"
    r"individually|collectively|in turn|shall each)|:| \([a-z0-9]{1,4}\))*,? $"
)
"""A party subject ending right before a modal cue (adverbs, or a list label after a colon, between)."""

_SUBORDINATE = re.compile(
    r"\b(?:that|which|who|whom|whose|whether|if|where|when|unless|whereby|although|because|since|while|"
    r"once|until|whereas|recognizing|noting)\s*$"
)
"""A cue right after one of these words is in a subordinate clause, not operative."""

_COORDINATED = re.compile(r"\b(?:and|or|but)(?: also)?\s*$")
_CLAUSE_START = re.compile(r"[,;:(]\s*|\b(?:that|which) ")

_NOTHING_IN = (
    r"\bnothing in (?:[^.;]|(?<=\d)\.(?=\d)){1,120}?\b"  # "Nothing in Article 8.4 or 8.5 ..."
    r"(?:(?:shall|will|may|is to|are to) (?:be (?:construed|interpreted) (?:to|as) )?)?"
)
_CUE_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "exc_nothing",
        _NOTHING_IN + r"(?:prevents?|precludes?|prohibits?|restricts?|limits?|preventing|precluding)\b"
        r"|\bnothing in (?:[^.;:]|(?<=\d)\.(?=\d)){1,120}?\b(?:shall|will|may) ?:",
    ),
    ("relief_nothing", _NOTHING_IN + r"(?:requires?|requiring|obliges?|obliging|compels?)\b"),
    ("carve_nothing_apply", _NOTHING_IN + r"(?:apply|applies|cover|covers|extend|extends) to\b"),
    (
        "carve_nothing",
        _NOTHING_IN + r"(?:affects?|affecting|diminish(?:es|ing)?|derogates?|derogating|prejudices?)\b",
    ),
    (
        "exc_subject",
        r"\b(?:(?:this|the|that|these|such) (?:article|chapter|agreement|section|paragraph|subparagraph|"
        r"annex|provision|obligation)s?|(?:sub)?paragraphs? (?:\d+(?:\.\d+)*)?(?: ?\([a-z0-9]+\))*"
        r"(?:,? (?:and|or) (?:\d+(?:\.\d+)*)?(?: ?\([a-z0-9]+\))*)?|articles? \d+(?:\.\d+)*)"
        r" (?:does|do|shall|will|may) not (?:be (?:construed|interpreted) (?:to|as) )?"
        r"(?:prevent|preclude|prohibit|restrict)\w*",
    ),
    (
        "nodispute",
        r"\b(?:shall not be|shall not|is not|are not|will not be|may not be) (?:disputed|challenged|"
        r"subject to (?:the |any )?dispute(?: settlement)?|reviewable)\b",
    ),
    (
        "carve",
        r"\b(?:shall|does|do|will|would|may) not (?:be (?:construed|interpreted) (?:to|as) )?"
        r"(?:apply|cover|affect|extend)\b|\b(?:is|are|shall be) (?:not applicable|excluded from)\b"
        r"|\b(?:is|are|shall be) without prejudice to\b",
    ),
    (
        "relief",
        r"\b(?:shall not be|shall be|is not|are not|will not be|will be|is|are|may be) "
        r"(?:required|obliged|obligated|compelled) to\b",
    ),
    (
        "endeavour",
        r"\b(?:(?:shall|will|must|should) (?:also |further |jointly |each |mutually )?)?"
        r"(?:endeavor|endeavors|seek|seeks|strive|strives)\b(?:,? (?:as appropriate|where appropriate|"
        r"where possible|to the extent (?:possible|practicable)),)?(?: not)?(?: to)?(?: refrain from)?"
        r"|\b(?:shall|will) (?:make|use) (?:every|all reasonable|its best|their best|best) "
        r"(?:effort|efforts|endeavors?)(?: not)?(?: to)?",
    ),
    ("encouraged", r"\b(?:is|are) (?:also |further |strongly )?encouraged(?: not)? to\b"),
    ("should", r"\bshould(?: not)?\b"),
    (
        "negmodal",
        r"\b(?:shall|must|may|will) not\b|\bshall refrain from\b|\b(?:is|are|shall be) prohibited from\b"
        r"|\bcannot\b",
    ),
    ("agree", r"\b(?:agree|agrees|undertake|undertakes|commit|commits)(?: themselves| itself)? (?:to|that)\b"),
    (
        "recognize",
        r"\b(?:recognize|recognizes|acknowledge|acknowledges|affirm|affirms|reaffirm|reaffirms|note|notes|"
        r"share the view|desire|desires|welcome|welcomes|emphasize|emphasizes|underline|underlines|"
        r"stress|stresses)\b",
    ),
    ("applies", r"\bshall (?:\w+ )?apply\b|\b(?:applies|apply) to\b"),
    ("may", r"\bmay\b"),
    ("shall", r"\b(?:shall|must)\b"),
)
"""(name, pattern) of every modal cue, most specific first."""
_CUES = re.compile(
    r"(?=[acdeimnprstuw])\b(?:"  # the first letters of all cues: lets the scan skip most positions
    + "|".join(f"(?P<{name}>{pattern.removeprefix(chr(92) + 'b')})" for name, pattern in _CUE_PATTERNS)
    + ")"
)
"""Modal cues, most specific first: at one position the first alternative that matches wins."""

_LEGAL_EFFECT = re.compile(
    r" be (?:incorporated|deemed|considered|construed|read|interpreted|understood|regarded|treated as|made an?)\b"
)
"""'The provisions above shall be incorporated ...': a legal effect, not a duty on anyone."""
_EXCEPTION_CUES = frozenset({"exc_nothing", "exc_subject", "relief_nothing"})
_PARTY_ONLY_CUES = frozenset({"encouraged", "should", "agree", "recognize"})
_EXCEPTION_MARKERS = re.compile(
    r"\bnotwithstanding\b|\binconsistent with\b|\badopt(?:ing)? or maintain(?:ing)? (?:a |any |such )?measures?\b"
)
_PERMITTED = re.compile(rf"\s*:?\s*(?P<who>{_PARTY}|[a-z]+(?: [a-z]+){{0,2}}?) from\b")
_INCORPORATION = re.compile(
    r"\barticles? (?P<art>xx|xxi|xiv bis|xiv)\b[^.;]{0,30}? of (?:the )?(?:gatt|gats|general agreement)"
)

_SENTENCE_END = re.compile(r"\.\s+(?=\S)")
"""A full stop and the space after it (``e.g.``, ``i.e.`` and ``No.`` are skipped in code)."""
_ABBREVIATIONS = ("e.g", "i.e", " no", " art", " para", " cf", " etc")
_ACTION_END = re.compile(
    r"[,;:.()]|\b(?:including|if|when|where|provided|unless|except|as a condition|in its territory)\b"
)

_SELF_JUDGING = re.compile(
    r"\b(?:it|they|that party|the party|such party|a party|each party|the (?:invoking|responding) party)"
    r"(?: itself| themselves)? (?:considers?|deems?|determines?|judges?|believes?)\b"
    r"(?:[^,;.]{0,30}?\b(?:necessary|appropriate|required)\b)?"
    r"|\bin (?:its|their) (?:own )?(?:judgment|view|opinion|discretion)\b|\bat (?:its|their) (?:own )?discretion\b"
)
_OBJECTIVE = re.compile(
    r"\b(?:that|which) (?:is|are) necessary\b|\bnecessary (?:to|for)\b"
    r"|\brequired to (?:achieve|protect|secure|ensure)\b"
    r"|\b(?:greater|more) than (?:is |are )?(?:necessary|required)\b|\bno more than (?:is |are )?necessary\b"
    r"|\bnecessary\b"
)
_CONDITIONS: tuple[tuple[ConditionKind, re.Pattern[str]], ...] = (
    (
        "arbitrary_or_unjustifiable_discrimination",
        re.compile(
            r"\barbitrary or unjustifi(?:able|ed) discrimination\b|\b(?:arbitrary|unjustifiable) discrimination\b"
        ),
    ),
    ("disguised_restriction", re.compile(r"\bdisguised restrictions?\b")),
    (
        "no_greater_than_necessary",
        re.compile(
            r"\b(?:greater|more) than (?:is |are )?(?:necessary|required)\b|\bno more than (?:is |are )?necessary\b"
            r"|\bmore trade[- ]restrictive than (?:is )?necessary\b|\bleast (?:trade[- ])?restrictive\b"
        ),
    ),
)
_CONDITION_CLAUSE_START = re.compile(r".*(?:[;:]|\([a-z0-9]{1,4}\)|\bprovided that|\bif)\s*", re.DOTALL)
_EXCEPTION_KINDS: tuple[tuple[ExceptionKind, re.Pattern[str]], ...] = (
    ("security", re.compile(r"\b(?:essential|national) security\b|\bsecurity interests?\b")),
    ("prudential", re.compile(r"\bprudential\b")),
    ("general", re.compile(r"\barticle (?:xx|xiv) of (?:the )?(?:gatt|gats)\b|\bgeneral exceptions?\b")),
    (
        "legitimate_public_policy",
        re.compile(r"\b(?:legitimate )?public policy objectives?\b|\blegitimate objectives?\b"),
    ),
)
_NON_DISPUTABLE = re.compile(
    r"\b(?:shall not be|shall not|is not|are not|will not be|may not be) (?:disputed|challenged|"
    r"subject to (?:the |any )?dispute(?: settlement)?|reviewable)\b[^.;]{0,40}"
)

_DEFINITION = re.compile(
    r"^(?:for (?:the )?purposes? of (?:this|these) (?:article|chapter|agreement|section|annex|paragraph)s?"
    r"(?: and (?:the|its) annex)?[,:] )?(?:the term )?"
    r"\"?(?P<term>[a-z][a-z0-9' -]{0,60}?)\"?(?: or \"?[a-z][a-z0-9' -]{0,60}?\"?)? "
    r"(?:means|includes|refers to|shall mean|has the (?:same )?meaning)\b"
)
_NOT_A_TERM = re.compile(r"\b(?:shall|may|party|parties|this|that|each|it|which|should|will)\b|^(?:a|an|the) ")

_QUALIFIER = re.compile(
    r"\b(?:as appropriate|where appropriate|if appropriate|when appropriate|as necessary"
    r"|to the extent (?:possible|practicable|feasible|appropriate)|as far as (?:possible|practicable)"
    r"|where (?:possible|practicable|feasible)"
    r"|(?:in accordance with|subject to|consistent with) (?:its|their) (?:respective )?(?:domestic )?"
    r"(?:laws and regulations|laws|law|legislation|legal systems?|policies)"
    r"|subject to (?:applicable|available) [a-z ]{1,40}"
    r"|within (?:its|their) (?:available )?(?:resources|means)|as (?:its|their) (?:resources|circumstances) permit)\b"
)
_PHRASE_CHAR = r"(?:(?!\b(?:and |but )?(?:does|do|shall|is|are) not\b|\b(?:including|if|when|except)\b)[^,;:.()])"
"""A character of a scope phrase; phrases stop at punctuation and at the next clause."""
_CONDITION_STOP = (
    r"(?:(?!, (?:it|they|each|the parties|a party|no party|any party|including|provided|except|unless)\b)[^;:.])"
)
"""A character of a condition: conditions run on over commas, up to the next clause or sentence."""
_SCOPE_PATTERNS: tuple[tuple[ScopeKind, re.Pattern[str]], ...] = (
    (
        "includes",
        re.compile(
            r"\bincluding(?: but not limited to| without limitation)?(?: (?:for|with respect to|in respect of|"
            r"in relation to|through))? " + _PHRASE_CHAR + "{1,150}"
        ),
    ),
    (
        "excludes",
        re.compile(
            r"\b(?:but )?(?:does not include|do not include|shall not include|excluding|other than|"
            r"except(?: for| as| where| when| in| to the extent| with respect to)?|with the exception of|save for)"
            r"\b" + _PHRASE_CHAR + "{1,150}"
        ),
    ),
    (
        "limited_to",
        re.compile(
            r"\b(?:(?:is|are|shall be) limited to|only (?:to|if|where|when|in respect of))\b" + _PHRASE_CHAR + "{1,150}"
        ),
    ),
    (
        "condition",
        re.compile(
            r"\b(?:if|when|where|whenever|provided that|to the extent that|in so far as|insofar as|"
            r"as a condition (?:for|of)|on condition that)\b" + _CONDITION_STOP + r"{1,300}"
        ),
    ),
    (
        "beneficiary",
        re.compile(
            r"\b(?:(?:a|an|any|the|such) )?(?:covered persons?|covered investments?|"
            r"(?:persons?|service suppliers?|investors?|enterprises?) of (?:another|the other|any other|a) party)\b"
        ),
    ),
)
_SCOPE_WORDS: dict[str, tuple[str, ...]] = {
    "qualifier": ("appropriate", "necessary", "to the extent", "as far as", "where p", "where f", "accordance with",
                  "subject to", "consistent with", "within", "permit"),
    "includes": ("including",),
    "excludes": ("include", "excluding", "other than", "except", "save for"),
    "limited_to": ("limited to", "only "),
    "condition": ("if ", "when", "where", "provided that", "extent that", "so far as", "insofar", "condition"),
    "beneficiary": ("covered", " of another", " of the other", " of any other", " of a party"),
}  # fmt: skip
"""Words without which a scope pattern cannot match: a cheap test before running it."""
_CONDITION_LEAD = re.compile(
    r"^(?:if|when|where|whenever|provided that|to the extent that|in so far as|insofar as|on condition that) "
)
_ARTICLE_LEAD = re.compile(r"^(?:a|an|any|the|such) ")


# =========================================================================== analyse


@dataclass(slots=True)
class _Sentence:
    """What one sentence of the normalised text holds (filled while reading it)."""

    start: int
    end: int
    binding: bool = False  # an obligation or plain permission, not hortatory
    hortatory: bool = False
    carve: bool = False
    exception: bool = False


class _ExceptionCue(NamedTuple):
    sentence_start: int
    cue_start: int
    incorporated: str | None  # "xx", "xxi", "xiv", "xiv bis" for GATT/GATS incorporation


class _Cue(NamedTuple):
    name: str
    start: int  # of the subject when there is one, else of the cue
    cue_start: int
    end: int
    subject: str | None  # normalised
    negative: bool
    party: bool


def analyse(text: str, *, defined_terms: Iterable[str] = DEFAULT_DEFINED_TERMS) -> Features:
    """Extract the legal-operative features of one provision.

    Args:
        text: the provision, as written (a paragraph with its subparagraphs, or a
            whole article). Spelling, case, numbering and layout do not matter.
        defined_terms: the defined terms to look for (plurals match too); by
            default those of USMCA Article 19.1.

    Returns:
        The :class:`Features` found, each with the words that decided it.

    Examples:
        >>> f = analyse("2. This Article does not prevent a Party from adopting or maintaining a "
        ...             "measure inconsistent with paragraph 1 that is necessary to achieve a "
        ...             "legitimate public policy objective, provided that the measure: (a) is not "
        ...             "applied in a manner which would constitute a means of arbitrary or "
        ...             "unjustifiable discrimination or a disguised restriction on trade; and (b) "
        ...             "does not impose restrictions on transfers of information greater than are "
        ...             "necessary to achieve the objective.")
        >>> f.modality, f.is_exception, f.exceptions[0].kind, f.exceptions[0].test
        (<Modality.PERMISSION: 'permission'>, True, 'legitimate_public_policy', 'objective')
        >>> sorted(f.exceptions[0].condition_kinds)
        ['arbitrary_or_unjustifiable_discrimination', 'disguised_restriction', 'no_greater_than_necessary']
        >>> analyse("The Parties recognise that each Party may have its own regulatory "
        ...         "requirements.").modality
        <Modality.HORTATORY: 'hortatory'>
    """
    return _analyse(text, tuple(defined_terms), active_lexicon())


@lru_cache(maxsize=8192)
def _analyse(text: str, defined_terms: tuple[str, ...], _lexicon: Lexicon) -> Features:
    """:func:`analyse`, once per text and lexicon (the features are immutable)."""
    aligned = normalize_aligned(text)
    norm = aligned.text
    terms_used = _terms_used(norm, defined_terms)

    definition = _DEFINITION.match(norm)
    if definition is not None and not _NOT_A_TERM.search(definition.group("term")):
        term = definition.group("term").strip()
        return Features(
            text=aligned.surface,
            defines=aligned.quote(*definition.span("term")),
            # "means" closes the definition, "includes" leaves it open: the verb is part of its content
            definition=("includes: " if definition.group(0).rstrip().endswith("includes") else "")
            + _clean_key(norm[definition.end() :]),
            defined_terms_used=tuple(t for t in terms_used if _term_key(t) != _term_key(term)),
        )

    operatives: list[Operative] = []
    carve_outs: list[CarveOut] = []
    sentences: list[_Sentence] = []
    exception_cues: list[_ExceptionCue] = []
    nodisputes: list[tuple[int, int]] = []
    applies: list[tuple[int, int]] = []

    for s_start, s_end in _sentences(norm):
        sentence = _Sentence(s_start, s_end)
        sentences.append(sentence)
        previous: _Cue | None = None
        for match in _CUES.finditer(norm, s_start, s_end):
            name = match.lastgroup or ""
            if name in _EXCEPTION_CUES:
                op = _exception_operative(aligned, match)
                operatives.append(op)
                exception_cues.append(_ExceptionCue(s_start, match.start(), None))
                sentence.exception = True
                continue
            if name == "nodispute":
                nodisputes.append((s_start, match.end()))
                continue
            if name in ("carve", "carve_nothing", "carve_nothing_apply"):
                carve_outs.append(_carve_out(aligned, s_start, s_end, match, name))
                sentence.carve = True
                continue
            if sentence.exception:
                continue  # "provided that such measures shall ..." belongs to the exception
            cue = _read_cue(norm, s_start, match, previous)
            if _subordinate(norm, s_start, cue):
                continue
            if name == "applies" and not cue.party:
                incorporation = _INCORPORATION.search(norm, s_start, s_end)
                if incorporation is not None:  # "Article XX of the GATT 1994 ... shall apply"
                    operatives.append(
                        Operative(
                            bound=None,
                            modality=Modality.PERMISSION,
                            phrase=aligned.quote(s_start, match.end()),
                            role="exception",
                        )
                    )
                    exception_cues.append(_ExceptionCue(s_start, match.start(), incorporation.group("art")))
                    sentence.exception = True
                else:
                    applies.append((cue.start, s_end))
                continue
            modality, role = _modality(name, match.group(0), cue, norm=norm, s_start=s_start, s_end=s_end)
            if modality is None:
                continue
            operatives.append(
                Operative(
                    bound=_bound_display(aligned, cue, s_start=s_start, exception=role == "exception"),
                    modality=modality,
                    phrase=aligned.quote(cue.start, match.end()),
                    action=_action(aligned, match.end(), s_end),
                    role=role,
                )
            )
            previous = cue
            if role == "exception":
                exception_cues.append(_ExceptionCue(s_start, match.start(), None))
                sentence.exception = True
            elif modality is Modality.HORTATORY:
                sentence.hortatory = True
            else:
                sentence.binding = True

    exceptions = _exceptions(aligned, exception_cues, sentences)
    in_exception = [(start, end) for start, end, _ in exceptions]
    for start, end in nodisputes:
        if not any(e_start <= start < e_end for e_start, e_end in in_exception):
            carve_outs.append(
                CarveOut(kind="dispute_settlement", phrase=aligned.quote(start, end), key=_clean_key(norm[start:end]))
            )

    scope: list[ScopeItem] = []
    for sentence in sentences:
        if any(e_start <= sentence.start < e_end for e_start, e_end in in_exception):
            continue
        if sentence.binding or sentence.hortatory:
            scope.extend(_scope_items(aligned, sentence.start, sentence.end))
        elif not sentence.carve:  # no operative words: "software ... is limited to ..."
            scope.extend(
                item
                for item in _scope_items(aligned, sentence.start, sentence.end)
                if item.kind in ("limited_to", "excludes")
            )
    for start, end in applies:
        scope.append(ScopeItem(kind="applies_to", phrase=aligned.quote(start, end), key=_clean_key(norm[start:end])))

    strongest = _strongest(operatives)
    return Features(
        text=aligned.surface,
        bound=strongest.bound if strongest else None,
        modality=strongest.modality if strongest else Modality.NONE,
        modal_phrase=strongest.phrase if strongest else "",
        action=strongest.action if strongest else None,
        operatives=tuple(operatives),
        scope=tuple(_unique(scope, key=lambda item: (item.kind, item.key))),
        carve_outs=tuple(_unique(carve_outs, key=lambda carve: carve.key)),
        exceptions=tuple(exception for _, _, exception in exceptions),
        defined_terms_used=terms_used,
    )


def _unique(items: Iterable[_T], *, key: Callable[[_T], object]) -> list[_T]:
    seen: set[object] = set()
    kept: list[_T] = []
    for item in items:
        marker = key(item)
        if marker not in seen:
            seen.add(marker)
            kept.append(item)
    return kept


def _sentences(norm: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(norm):
        if norm.endswith(_ABBREVIATIONS, max(0, match.start() - 5), match.start()):
            continue
        spans.append((start, match.start() + 1))
        start = match.end()
    if start < len(norm):
        spans.append((start, len(norm)))
    return spans


def _read_cue(norm: str, s_start: int, match: re.Match[str], previous: _Cue | None) -> _Cue:
    """Find the subject before a cue (a Party, a pronoun, or another noun phrase)."""
    cue_start = match.start()
    prefix_start = max(s_start, cue_start - 80)
    prefix = norm[prefix_start:cue_start]
    subject = _SUBJECT.search(prefix)
    name = match.lastgroup or ""
    if subject is not None:
        subj = subject.group("subj")
        return _Cue(
            name,
            prefix_start + subject.start("subj"),
            cue_start,
            match.end(),
            subj,
            bool(_NEGATIVE_SUBJECT.match(subj)),
            True,
        )
    if previous is not None and _COORDINATED.search(prefix) and previous.subject is not None:
        return _Cue(name, cue_start, cue_start, match.end(), previous.subject, previous.negative, previous.party)
    clause = norm[s_start:cue_start]
    boundaries = list(_CLAUSE_START.finditer(clause))
    head = boundaries[-1].end() if boundaries else 0
    words = clause[head:].strip()
    relative = bool(boundaries) and boundaries[-1].group(0).strip() in ("that", "which")
    if relative and _passive(norm, match.end(), min(len(norm), match.end() + 60)) != "active":
        # "Information ... that each Party provides ... shall be published": the relative clause is not the subject
        return _Cue(name, cue_start, cue_start, match.end(), None, False, False)
    if words and len(words.split()) <= 8:
        start = s_start + head + (len(clause[head:]) - len(clause[head:].lstrip()))
        return _Cue(name, start, cue_start, match.end(), words, False, False)
    return _Cue(name, cue_start, cue_start, match.end(), None, False, False)


def _subordinate(norm: str, s_start: int, cue: _Cue) -> bool:
    return bool(_SUBORDINATE.search(norm[max(s_start, cue.start - 40) : cue.start]))


def _modality(
    name: str, words: str, cue: _Cue, *, norm: str, s_start: int, s_end: int
) -> tuple[Modality | None, Literal["obligation", "exception"]]:
    """Decide the modality of one cue from its words and its subject."""
    if name in ("shall", "negmodal") and cue.subject is None and words.startswith(("shall", "must")):
        voice = _passive(norm, cue.end, s_end)  # "[a long subject] shall not be required by any Party"
        if voice == "agent":
            return (Modality.PROHIBITION if name == "negmodal" else Modality.DUTY), "obligation"
        if voice == "none" and not _LEGAL_EFFECT.match(norm, cue.end):
            return Modality.UNATTRIBUTED, "obligation"
    if name in _PARTY_ONLY_CUES:
        if not cue.party:
            if name == "should" and cue.subject is not None:  # "transfers should not be restricted"
                return Modality.HORTATORY, "obligation"
            return None, "obligation"
        if name == "agree":
            return Modality.DUTY, "obligation"
        return Modality.HORTATORY, "obligation"
    if name == "relief":
        if not cue.party and cue.subject is not None and " not " in f" {words} ":
            return Modality.UNATTRIBUTED, "obligation"  # "A covered person shall not be required to ..."
        if " not " in f" {words} " or cue.negative:
            return Modality.PERMISSION, "exception"
        return Modality.DUTY, "obligation"
    if name == "endeavour":
        has_modal = words.startswith(("shall", "will", "must", "should"))
        if not (has_modal or cue.party):
            return None, "obligation"
        return Modality.ENDEAVOUR, "obligation"
    if name == "negmodal":
        binding = words.startswith(("shall", "must", "is", "are"))
        if not (binding or cue.party):
            return None, "obligation"
        if cue.subject is None:
            return None, "obligation"
        if not cue.party and _passive(norm, cue.end, s_end) == "none":
            return Modality.UNATTRIBUTED, "obligation"
        return Modality.PROHIBITION, "obligation"
    if name == "applies":  # a Party subject: "Each Party shall apply ..."
        return Modality.DUTY, "obligation"
    if name == "may":
        if not cue.party:
            return None, "obligation"
        if cue.negative:
            return Modality.PROHIBITION, "obligation"
        if _EXCEPTION_MARKERS.search(norm, s_start, s_end):
            return Modality.PERMISSION, "exception"
        return Modality.PERMISSION, "obligation"
    if name == "shall":
        if cue.subject is None or (not cue.party and _LEGAL_EFFECT.match(norm, cue.end)):
            return None, "obligation"
        if not cue.party and _passive(norm, cue.end, s_end) == "none":
            return Modality.UNATTRIBUTED, "obligation"
        return (Modality.PROHIBITION if cue.negative else Modality.DUTY), "obligation"
    return None, "obligation"


_PASSIVE_VERB = re.compile(r"(?: not)? be (?:[a-z]+ed|[a-z]+en|[a-z]+wn)\b")
_PASSIVE_AGENT = re.compile(r"\bby (?:a|any|each|either|the|no|another|that|such|every) (?:part(?:y|ies)|members?)\b")


def _passive(norm: str, cue_end: int, s_end: int) -> Literal["active", "agent", "none"]:
    """'shall not be prohibited by a Party' names the Party ('agent'); without 'by a Party', nobody ('none')."""
    if not _PASSIVE_VERB.match(norm, cue_end, s_end):
        return "active"
    return "agent" if _PASSIVE_AGENT.search(norm, cue_end, s_end) else "none"


def _bound_display(aligned: AlignedText, cue: _Cue, *, s_start: int, exception: bool) -> str | None:
    """Who is bound, for display: 'each Party', 'no Party', a pronoun's Party, another subject as written."""
    if cue.subject is None:
        return None
    if cue.party:
        subject = cue.subject
        if subject in ("it", "they"):  # "To the extent that a Party develops ..., it shall endeavour"
            antecedents = re.findall(rf"(?<![\w-]){_PARTY}(?![\w-])", aligned.text[s_start : cue.start])
            if antecedents:
                subject = antecedents[-1]
        if exception and cue.negative:  # "No Party shall be required to": each Party may decline
            subject = _display_bound(subject)
        return _canonical_party(subject)
    if _passive(aligned.text, cue.end, len(aligned.text)) == "agent":  # "shall not be restricted by a Party"
        negative = aligned.text.startswith(" not", cue.end) or "not" in aligned.text[cue.cue_start : cue.end]
        return "no Party" if negative else "each Party"
    if cue.start < cue.cue_start and not aligned.text.startswith(" be ", cue.end):  # passive: nobody named
        return aligned.quote(cue.start, cue.cue_start)
    return None


def _canonical_party(subject: str) -> str:
    """'each party' → 'each Party'; pronouns stay as they are."""
    return re.sub(r"\b(part(?:y|ies)|members?)\b", lambda m: m.group(1).capitalize(), subject)


def _exception_operative(aligned: AlignedText, match: re.Match[str]) -> Operative:
    """'Nothing in this Article shall prevent a Party from ...': a permission to depart."""
    norm = aligned.text
    who = _PERMITTED.match(norm, match.end())
    return Operative(
        bound=_canonical_party(who.group("who")) if who is not None else None,
        modality=Modality.PERMISSION,
        phrase=aligned.quote(match.start(), match.end()),
        action=_action(aligned, who.end() if who is not None else match.end(), len(norm)),
        role="exception",
    )


def _action(aligned: AlignedText, start: int, limit: int) -> str | None:
    norm = aligned.text
    stop = _ACTION_END.search(norm, start, limit)
    end = stop.start() if stop is not None else limit
    if end - start > 160:
        end = start + norm[start : start + 160].rfind(" ")
    words = norm[start:end].strip()
    if not words:
        return None
    lead = len(norm[start:end]) - len(norm[start:end].lstrip())
    return aligned.quote(start + lead, start + lead + len(words)) or None


def _carve_out(aligned: AlignedText, s_start: int, s_end: int, match: re.Match[str], name: str) -> CarveOut:
    norm = aligned.text
    if name in ("carve_nothing", "carve_nothing_apply"):
        start = match.start()
    else:
        clause = norm[s_start : match.start()]
        lead = list(re.finditer(r"\b(?:that|which) |(?<=[;:]) ", clause))
        start = s_start + (lead[-1].end() if lead else 0)
    end = s_end
    words = norm[start:end]
    kind: CarveOutKind = "scope"
    if name == "carve_nothing" or re.search(r"\b(?:affect|diminish|derogate|prejudice)", match.group(0)):
        kind = "savings"
    elif re.search(r"\bdispute settlement\b|\bsettlement of disputes\b", words):
        kind = "dispute_settlement"
    return CarveOut(kind=kind, phrase=aligned.quote(start, end), key=_clean_key(words))


def _clean_key(words: str) -> str:
    return words.strip().rstrip(".;:, ").strip()


def _scope_items(aligned: AlignedText, s_start: int, s_end: int) -> list[ScopeItem]:
    norm = aligned.text
    items: list[ScopeItem] = []
    taken: list[tuple[int, int]] = []
    sentence = norm[s_start:s_end]
    if any(word in sentence for word in _SCOPE_WORDS["qualifier"]):
        for match in _QUALIFIER.finditer(norm, s_start, s_end):
            taken.append(match.span())
            items.append(ScopeItem(kind="qualifier", phrase=aligned.quote(*match.span()), key=match.group(0)))
    for kind, pattern in _SCOPE_PATTERNS:
        if not any(word in sentence for word in _SCOPE_WORDS[kind]):
            continue
        for match in pattern.finditer(norm, s_start, s_end):
            start, end = match.span()
            if any(t_start <= start < t_end for t_start, t_end in taken):
                continue
            if end < s_end and norm[end - 1 : end + 1].isalnum():  # cut at the length limit: whole words
                end = start + norm[start:end].rfind(" ")
            words = norm[start:end].rstrip(" ,")
            end = start + len(words)
            key = words
            if kind == "condition":
                key = _CONDITION_LEAD.sub("", words)
            elif kind == "beneficiary":
                key = " ".join(singular(w) for w in _ARTICLE_LEAD.sub("", words).split())
            items.append(ScopeItem(kind=kind, phrase=aligned.quote(start, end), key=key))
            if kind != "beneficiary":
                taken.append((start, end))
    return items


def _exceptions(
    aligned: AlignedText, cues: Sequence[_ExceptionCue], sentences: Sequence[_Sentence]
) -> list[tuple[int, int, ExceptionClause]]:
    """Each exception runs from its sentence to the next exception or the next binding sentence."""
    found: list[tuple[int, int, ExceptionClause]] = []
    for index, cue in enumerate(cues):
        end = len(aligned.text)
        if index + 1 < len(cues):
            following = cues[index + 1]
            end = following.sentence_start if following.sentence_start > cue.sentence_start else following.cue_start
        for sentence in sentences:
            if cue.sentence_start < sentence.start < end and sentence.binding:
                end = sentence.start
                break
        clause = _exception_clause(aligned, cue.sentence_start, cue.cue_start, end, cue.incorporated)
        found.append((cue.sentence_start, end, clause))
    return found


def _exception_clause(
    aligned: AlignedText, start: int, cue_start: int, end: int, incorporated: str | None
) -> ExceptionClause:
    norm = aligned.text
    first_sentence_end = next((e for s, e in _sentences(norm) if s <= cue_start < e), end)
    phrase = aligned.quote(start, min(first_sentence_end, end))
    key = _clean_key(norm[start:end])

    kind: ExceptionKind = "other"
    for candidate, pattern in _EXCEPTION_KINDS:
        if pattern.search(norm, start, end):
            kind = candidate
            break

    conditions: list[Condition] = []
    for condition_kind, pattern in _CONDITIONS:
        match = pattern.search(norm, start, end)
        if match is not None:
            conditions.append(Condition(kind=condition_kind, phrase=_condition_clause(aligned, start, end, match)))

    test: NecessityTest = "none"
    test_phrase = ""
    self_judging = _SELF_JUDGING.search(norm, start, end)
    objective = _OBJECTIVE.search(norm, start, end)
    if self_judging is not None:
        test, test_phrase = "self_judging", aligned.quote(*self_judging.span())
    elif objective is not None:
        test, test_phrase = "objective", aligned.quote(*objective.span())

    if incorporated is not None:  # GATT XX / GATS XIV, or the security exceptions XXI / XIV bis
        if incorporated in ("xxi", "xiv bis"):
            kind, test = "security", "self_judging"
        else:
            kind, test = "general", "objective"
            conditions = [
                Condition(kind=condition_kind, phrase=phrase)
                for condition_kind in _CONDITION_ORDER
                if condition_kind != "no_greater_than_necessary"
            ]
        test_phrase = phrase

    shield = _NON_DISPUTABLE.search(norm, start, end)
    return ExceptionClause(
        kind=kind,
        test=test,
        test_phrase=test_phrase,
        conditions=tuple(sorted(conditions, key=lambda c: _CONDITION_ORDER.index(c.kind))),
        non_disputable=shield is not None,
        non_disputable_phrase=aligned.quote(*shield.span()) if shield is not None else "",
        phrase=phrase,
        key=key,
    )


def _condition_clause(aligned: AlignedText, start: int, end: int, match: re.Match[str]) -> str:
    """The clause around a condition: from the previous ';', ':' or '(a)' to the next ';' or '.'."""
    norm = aligned.text
    head = _CONDITION_CLAUSE_START.match(norm, start, match.start())
    clause_start = head.end() if head is not None else start
    tail = re.compile(r"[;.]|,? provided\b").search(norm, match.end(), end)
    clause_end = tail.start() if tail is not None else end
    words = norm[clause_start:clause_end]
    clause_end = clause_start + len(words.rstrip(" ,;"))
    if clause_start >= clause_end:
        return aligned.quote(*match.span())
    return aligned.quote(clause_start, clause_end)


@lru_cache(maxsize=64)
def _terms_pattern(terms: tuple[str, ...]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """One regex for the defined terms (plurals too), and the terms in group order."""
    variants: list[str] = []
    usable: list[str] = []
    for term in terms:
        key = normalize(term)
        if not key:
            continue
        stem = rf"{re.escape(key[:-1])}(?:y|ies)" if key.endswith("y") else rf"{re.escape(key)}(?:s|es)?"
        variants.append(rf"(?P<t{len(usable)}>\b{stem}\b)")
        usable.append(term)
    if not variants:
        return None, ()
    initials = "".join(sorted({re.escape(normalize(term)[0]) for term in usable}))
    return re.compile(f"(?=[{initials}])(?:" + "|".join(variants) + ")"), tuple(usable)


def _terms_used(norm: str, terms: tuple[str, ...]) -> tuple[str, ...]:
    pattern, usable = _terms_pattern(terms)
    if pattern is None:
        return ()
    hits = {int(match.lastgroup[1:]) for match in pattern.finditer(norm) if match.lastgroup is not None}
    return tuple(usable[i] for i in sorted(hits))


_DETERMINERS = frozenset({"a", "an", "the", "such", "that", "this", "these", "those", "any", "its", "their"})


def _content(words: str) -> tuple[str, ...]:
    """Content words, singular, without determiners: 'such software' equals 'that software'."""
    return tuple(singular(w) for w in normalize(words).replace(",", " ").split() if w not in _DETERMINERS)


def _term_key(term: str) -> str:
    return " ".join(singular(word) for word in normalize(term).strip("\"' ").split())


# =========================================================================== compare


def compare(model: Features, draft: Features, *, lexicon: Lexicon | None = None) -> tuple[Finding, ...]:
    """The legal differences between a model provision and its draft counterpart.

    Compares obligation strength, scope, carve-outs, exceptions and definitions.
    Cosmetic differences (numbering, spelling, case, hyphenation, whitespace, quotes,
    footnote numbers) give no finding. An exception present in the model and gone
    from the draft is reported twice, as ``REMOVED_EXCEPTION`` (what happened) and
    ``NARROWED_EXCEPTION`` (its effect: the obligation now applies without it).

    Args:
        model: features of the model provision (e.g. a USMCA paragraph).
        draft: features of the draft provision compared with it.

    Returns:
        The findings, obligations first, then carve-outs, exceptions, definitions.

    Examples:
        >>> usmca = analyse("No Party shall prohibit or restrict the cross-border transfer of "
        ...                 "information, including personal information, by electronic means.")
        >>> draft = analyse("A Party may prohibit or restrict the cross-border transfer of "
        ...                 "information by electronic means.")
        >>> for finding in compare(usmca, draft):
        ...     print(finding)
        WEAKENED_OBLIGATION: binding prohibition ("No Party shall") became a permission ("A Party may")
        >>> for finding in compare(usmca, analyse("No Party shall prohibit or restrict the cross-border transfer "
        ...                                       "of information by electronic means.")):
        ...     print(finding)
        NARROWED_SCOPE: no longer expressly covers "including personal information"
        >>> compare(usmca, analyse("1. No Party shall prohibit or restrict the cross‑border "
        ...     "transfer of information, including personal information, by elec-\\ntronic means.5"))
        ()
    """
    with using_lexicon(lexicon):
        if model.is_definition or draft.is_definition:
            return tuple(_compare_definitions([model], [draft]))
        findings = _compare_obligations(model, draft)
        findings += _compare_carve_outs(model.carve_outs, draft.carve_outs)
        findings += _compare_exceptions(model.exceptions, draft.exceptions)
        findings += _compare_definitions([model], [draft])
    return tuple(findings)


def compare_texts(
    model_texts: Sequence[str], draft_texts: Sequence[str], *, lexicon: Lexicon | None = None
) -> tuple[Finding, ...]:
    """The legal differences between two sets of provisions (e.g. the paragraphs of two articles).

    Carve-outs and exceptions often arrive as paragraphs of their own, so they are
    compared across the whole set; obligations are paired paragraph to paragraph by
    wording (renumbering and reordering do not matter) and compared as in
    :func:`compare`. Texts starting with a subparagraph label (``(a)``, ``(ii)``) are
    joined to the text before them. A model commitment with no counterpart gives
    ``MISSING``, a new draft commitment or permission ``ADDED``; recitals and
    hortatory statements without a counterpart are not reported (they bind no one).

    Sentences that only say when other provisions apply ("A Party shall not be obliged
    to apply paragraph 1 for a period of five years ...") are read as deferrals
    (``WEAKENED_OBLIGATION``); a note with no operative words of its own that puts a
    condition on an exception ("A measure does not meet the conditions of this
    paragraph if ...") is part of that exception: deleting it broadens the exception.

    Args:
        model_texts: the model's provisions, in order.
        draft_texts: the draft's provisions, in order.
        lexicon: the drafting lexicon to read with (default: the shipped one, see
            :func:`~tradeclauses.lexicon.lexicon`).

    Returns:
        The findings, obligations first, then carve-outs, exceptions, definitions.

    Examples:
        >>> model = ["1. No Party shall require a covered person to use or locate computing facilities "
        ...          "in that Party's territory as a condition for conducting business in that territory."]
        >>> draft = model + ["2. Nothing in this Article shall prevent a Party from adopting or maintaining "
        ...     "any measure that it considers necessary for the protection of its essential security "
        ...     "interests. Such measures shall not be disputed by other Parties."]
        >>> [str(finding) for finding in compare_texts(model, draft)]  # doctest: +NORMALIZE_WHITESPACE
        ['NEW_EXCEPTION: new security exception (self-judging test; shielded from dispute settlement):
          "Nothing in this Article shall prevent a Party from adopting or maintaining any measure that it
          considers necessary for the protection of its essential security interests."']
    """
    with using_lexicon(lexicon):
        return _compare_texts(model_texts, draft_texts)


def _compare_texts(model_texts: Sequence[str], draft_texts: Sequence[str]) -> tuple[Finding, ...]:
    model_time, model_texts = _split_time(_join_subparagraphs(model_texts))
    draft_time, draft_texts = _split_time(_join_subparagraphs(draft_texts))
    model = [analyse(text) for text in model_texts]
    draft = [analyse(text) for text in draft_texts]

    findings: list[Finding] = _compare_time(model_time, draft_time)
    model_pool = [f for f in model if _is_provision(f) and not _is_review(f)]
    draft_pool = [f for f in draft if _is_provision(f) and not _is_review(f)]
    pairs, model_left, draft_left = _pair(model_pool, draft_pool, score=_provision_likeness)
    for model_f, draft_f in pairs:
        findings += _compare_obligations(model_f, draft_f)
    for model_f in model_left:
        findings += _unpaired(model_f, side="model")
    model_exceptions_all = [e for f in model for e in f.exceptions]
    draft_exceptions_all = [e for f in draft for e in f.exceptions]
    for draft_f in draft_left:
        permission = _permissions([draft_f])
        if permission and any(_stated_as_permission(e, permission) for e in model_exceptions_all):
            continue  # the model's exception, stated as a permission ("A Party may ...")
        if draft_exceptions_all and active_lexicon().self_judging_markers.search(normalize(draft_f.text)):
            # "the necessity behind such measures shall be decided by the implementing Party": a note on the
            # exception's test, read with the exception
            if not any(e.test == "self_judging" for e in draft_exceptions_all):
                findings.append(
                    Finding(
                        flag=Flag.BROADENED_EXCEPTION,
                        explanation=f'the Party\'s own judgment decides the exception\'s test: "{draft_f.text}"',
                        draft_evidence=draft_f.text,
                        aspect="exception",
                    )
                )
            continue
        findings += _unpaired(draft_f, side="draft")

    findings += _compare_carve_outs([c for f in model for c in f.carve_outs], [c for f in draft for c in f.carve_outs])
    model_exceptions = [e for f in model for e in f.exceptions]
    draft_exceptions = [e for f in draft for e in f.exceptions]
    findings += _compare_exceptions(
        model_exceptions, draft_exceptions, model_permissions=_permissions(model), draft_permissions=_permissions(draft)
    )
    findings += _compare_notes(
        [f for f in model if _is_exception_note(f)],
        [f for f in draft if _is_exception_note(f)],
        model_has="exception" if model_exceptions else "carve-out" if any(f.carve_outs for f in model) else "",
        draft_has="exception" if draft_exceptions else "carve-out" if any(f.carve_outs for f in draft) else "",
    )
    findings += _compare_definitions(_without_moved_notes(model, draft), _without_moved_notes(draft, model))
    return tuple(findings)


def _without_moved_notes(side: Sequence[Features], other: Sequence[Features]) -> list[Features]:
    """Definitions without the sentences the other side holds as notes of their own: a footnote moved
    into the text of a definition ("This definition should not be understood to ...") is not a change."""
    notes = [
        normalize(f.text)
        for f in other
        if not f.is_definition and f.text.strip() and f.strength < Modality.ENDEAVOUR.strength and not f.exceptions
    ]
    if not notes:
        return list(side)
    out: list[Features] = []
    for f in side:
        if f.defines is None:
            out.append(f)
            continue
        sentences = re.split(r"(?<=\.)\s+", f.definition)
        kept = [s for s in sentences if not any(fuzz.token_sort_ratio(s, note) >= 90 for note in notes)]
        out.append(f.model_copy(update={"definition": " ".join(kept)}) if len(kept) < len(sentences) else f)
    return out


_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "twelve": 12, "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty-six": 36,
}  # fmt: skip




def _reviews(op: Operative) -> bool:
    """An operative clause that only provides for a review of the commitment."""
    return bool(re.match(REVIEW_VERBS, normalize(op.action or "")))


def _is_review(features: Features) -> bool:
    """A review clause ("The Parties shall review how this Article operates three years after ..."):
    housekeeping about the commitment, not a commitment on trade; it neither adds nor takes away."""
    obligations = [op for op in features.operatives if op.role == "obligation"]
    return bool(obligations) and all(_reviews(op) for op in obligations)


def _provision_likeness(model: Features, draft: Features) -> float:
    """How alike two provisions are, for pairing: their words, and whether they bind the same way on the same acts."""
    words = fuzz.token_sort_ratio(normalize(model.text), normalize(draft.text))
    m_op, d_op = model.obligation, draft.obligation
    if m_op is None or d_op is None:
        return words
    bonus = 0.0
    if m_op.modality.strength == d_op.modality.strength:
        bonus += 10
    m_acts, d_acts = _acts(m_op), _acts(d_op)
    if m_acts & d_acts:
        bonus += 15
    return words + bonus


def _acts(op: Operative) -> frozenset[str]:
    lex = active_lexicon()
    words = re.findall(r"[a-z]+", normalize(f"{op.phrase} {op.action or ''}"))
    atoms = {lex.act_atom(w) for w in words}
    return frozenset(a.removeprefix("allow:") for a in atoms if a)


def _split_time(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """Take out the sentences that only say when other provisions apply (transition periods)."""
    times: list[str] = []
    rest: list[str] = []
    for text in texts:
        found = deferral_sentences(text)
        if not found:
            rest.append(text)
            continue
        times += found
        remainder = normalize(text)
        for sentence in found:
            remainder = remainder.replace(sentence, " ")
        if re.search(r"[a-z]{3}", remainder):
            rest.append(remainder.strip())
    return times, rest


def _period(sentence: str) -> float | None:
    """The length of a transition period in years ("five years", "18 months"), if stated."""
    match = re.search(r"\b(\d+|[a-z]+(?:-[a-z]+)?)(?: \(\d+\))? (years?|months?)\b", sentence)
    if match is None:
        return None
    word, unit = match.groups()
    number = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
    if number is None:
        return None
    return number / 12 if unit.startswith("month") else float(number)


def _compare_time(model: Sequence[str], draft: Sequence[str]) -> list[Finding]:
    pairs, model_left, draft_left = _pair(list(model), list(draft), score=fuzz.token_sort_ratio, threshold=60)
    findings: list[Finding] = []
    for m_sentence, d_sentence in pairs:
        m_years, d_years = _period(m_sentence), _period(d_sentence)
        if m_years is not None and d_years is not None and m_years != d_years:
            longer = d_years > m_years
            findings.append(
                Finding(
                    flag=Flag.WEAKENED_OBLIGATION if longer else Flag.STRENGTHENED_OBLIGATION,
                    explanation=f'the transition period is {"longer" if longer else "shorter"}: "{d_sentence}"',
                    model_evidence=m_sentence,
                    draft_evidence=d_sentence,
                    aspect="time",
                )
            )
    for sentence in draft_left:
        findings.append(
            Finding(
                flag=Flag.WEAKENED_OBLIGATION,
                explanation=f'the draft defers the obligation: "{sentence}"',
                draft_evidence=sentence,
                aspect="time",
            )
        )
    for sentence in model_left:
        findings.append(
            Finding(
                flag=Flag.STRENGTHENED_OBLIGATION,
                explanation=f'the model\'s deferral is gone: "{sentence}"',
                model_evidence=sentence,
                aspect="time",
            )
        )
    return findings


_NOTE_AS_EXCEPTION: dict[Flag, Flag] = {
    Flag.BROADENED_SCOPE: Flag.NARROWED_EXCEPTION,
    Flag.NARROWED_SCOPE: Flag.BROADENED_EXCEPTION,
}
"""A note that disqualifies more measures leaves the exception less room."""


def _is_exception_note(features: Features) -> bool:
    """A text with no operative words of its own that puts a condition on an exception
    ("A measure does not meet the conditions of this paragraph if ...")."""
    if features.operatives or features.exceptions or features.carve_outs or features.is_definition:
        return False
    return bool(active_lexicon().exception_notes.search(normalize(features.text)))


def _compare_notes(
    model: Sequence[Features], draft: Sequence[Features], *, model_has: str, draft_has: str
) -> list[Finding]:
    """Notes that put a condition on an exception (or limit a carve-out) are part of it."""
    pairs, model_left, draft_left = _pair(
        list(model),
        list(draft),
        score=lambda a, b: fuzz.token_sort_ratio(normalize(a.text), normalize(b.text)),
        threshold=60,
    )
    findings: list[Finding] = []
    if model_has == draft_has == "exception":
        for m_note, d_note in pairs:  # a note that disqualifies more measures narrows the exception
            for finding in reach_findings(m_note.text, d_note.text):
                flag = _NOTE_AS_EXCEPTION.get(finding.flag)
                if flag is not None:
                    findings.append(
                        finding.model_copy(
                            update={
                                "flag": flag,
                                "explanation": "the note on the exception: " + finding.explanation,
                                "aspect": "exception",
                                "direction": "binds more" if flag is Flag.NARROWED_EXCEPTION else "binds less",
                            }
                        )
                    )
                    break
    for note in model_left if model_has and draft_has == model_has else ():  # a removed exception takes its note
        exception = model_has == "exception"
        findings.append(
            Finding(
                flag=Flag.BROADENED_EXCEPTION if exception else Flag.NARROWED_SCOPE,
                explanation=f'the note that puts a condition on the {model_has} is gone: "{note.text}"',
                model_evidence=note.text,
                aspect="exception" if exception else "carve-out",
            )
        )
    for note in draft_left if draft_has and model_has == draft_has else ():
        exception = draft_has == "exception"
        findings.append(
            Finding(
                flag=Flag.NARROWED_EXCEPTION if exception else Flag.BROADENED_SCOPE,
                explanation=f'a new note puts a condition on the {draft_has}: "{note.text}"',
                draft_evidence=note.text,
                aspect="exception" if exception else "carve-out",
            )
        )
    return findings


_SUBPARAGRAPH_LABEL = re.compile(r"^\s*\((?:[a-z]{1,2}|[ivxlcdm]{1,7}|\d{1,3})\)\s", re.IGNORECASE)


_LIST_HEAD = re.compile(
    r"^(?P<head>.*?\bnothing in\b[^:;]{1,160}?\b(?:shall|will|may))\s*:\s*(?P<body>\(a\).*)$",
    re.IGNORECASE | re.DOTALL,
)
_LETTER_LABEL = re.compile(r"(?:^|\s)\(([a-h])\)\s")


def _join_subparagraphs(texts: Sequence[str]) -> list[str]:
    joined: list[str] = []
    for text in texts:
        if joined and _SUBPARAGRAPH_LABEL.match(text):
            joined[-1] = f"{joined[-1]} {text.strip()}"
        else:
            joined.append(text)
    return [limb for text in joined for limb in _list_limbs(text)]


def _list_limbs(text: str) -> list[str]:
    """"Nothing in this Article shall: (a) X; or (b) Y" is two provisions: "Nothing in this
    Article shall X" and "Nothing in this Article shall Y" (each an exception or carve-out of its own)."""
    match = _LIST_HEAD.match(text.strip())
    if match is None:
        return [text]
    head, body = match.group("head"), match.group("body")
    cuts = list(_LETTER_LABEL.finditer(" " + body))
    expected = [chr(ord("a") + i) for i in range(len(cuts))]
    if len(cuts) < 2 or [m.group(1) for m in cuts] != expected:
        return [text]
    limbs: list[str] = []
    for index, cut in enumerate(cuts):
        end = cuts[index + 1].start() if index + 1 < len(cuts) else len(body) + 1
        limb = (" " + body)[cut.end() : end].strip()
        limb = re.sub(r"[;,.]?\s*(?:and|or)?\s*$", "", limb).strip()
        limbs.append(f"{head} {limb}.")
    return limbs


def _is_provision(features: Features) -> bool:
    """Obligations, plain permissions and scope statements: what is paired paragraph to paragraph."""
    if features.is_definition or features.is_exception or features.is_carve_out:
        return False
    return features.obligation is not None or bool(features.scope)


def _pair(
    model: Sequence[_T], draft: Sequence[_T], *, score: Callable[[_T, _T], float], threshold: float = 40
) -> tuple[list[tuple[_T, _T]], list[_T], list[_T]]:
    """Greedy best-first pairing; a last single pair on each side is kept down to 20."""
    scored = sorted(
        ((score(m, d), i, j) for i, m in enumerate(model) for j, d in enumerate(draft)),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_m: set[int] = set()
    used_d: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for value, i, j in scored:
        if value < threshold:
            break
        if i not in used_m and j not in used_d:
            pairs.append((i, j))
            used_m.add(i)
            used_d.add(j)
    left_m = [i for i in range(len(model)) if i not in used_m]
    left_d = [j for j in range(len(draft)) if j not in used_d]
    if len(left_m) == 1 and len(left_d) == 1 and score(model[left_m[0]], draft[left_d[0]]) >= 20:
        pairs.append((left_m[0], left_d[0]))
        left_m, left_d = [], []
    pairs.sort()
    return (
        [(model[i], draft[j]) for i, j in pairs],
        [model[i] for i in left_m],
        [draft[j] for j in left_d],
    )


def _unpaired(features: Features, *, side: Literal["model", "draft"]) -> list[Finding]:
    obligation = features.obligation
    if obligation is None:  # a scope statement alone ("software ... is limited to ...") still moves the scope
        empty = Features(text="")
        return _compare_scope(features, empty) if side == "model" else _compare_scope(empty, features)
    if obligation.modality is Modality.HORTATORY:
        return []  # a recital binds no one
    quoted = _quote_clause(obligation)
    if side == "model":
        if obligation.modality is Modality.PERMISSION:
            return []
        return [
            Finding(
                flag=Flag.MISSING,
                explanation=f"{_article(obligation.modality.label)} ({quoted}) has no counterpart in the draft",
                model_evidence=features.text,
            )
        ]
    return [
        Finding(
            flag=Flag.ADDED,
            explanation=f"the draft adds {_article(obligation.modality.label)} ({quoted})",
            draft_evidence=features.text,
        )
    ]


def _quote_clause(op: Operative) -> str:
    return f'"{op.phrase} {op.action}"' if op.action else f'"{op.phrase}"'


def _article(label: str) -> str:
    if label.startswith("no "):
        return label
    return ("an " if label[0] in "aeiou" else "a ") + label


def _compare_obligations(model: Features, draft: Features) -> list[Finding]:
    m_op, d_op = model.obligation, draft.obligation
    d_strength = d_op.modality.strength if d_op else 0
    m_ops = [op for op in model.operatives if op.role == "obligation" and not _reviews(op)]
    d_ops = [op for op in draft.operatives if op.role == "obligation" and not _reviews(op)]
    several = len(m_ops) > 1 or len(d_ops) > 1
    findings = _compare_operatives(m_ops, d_ops) if several else _force_finding(m_op, d_op)
    if findings and (d_op is None or d_strength < Modality.ENDEAVOUR.strength):
        return findings  # a recital or a permission: there is no reach left to compare
    reach = reach_findings(_obligation_text(model), _obligation_text(draft))
    if not reach:  # the frames are equal: a rewording ("shall allow X and shall not restrict X")
        return [f for f in findings if f.aspect == "force"]
    substantive = [f for f in reach if f.substantive and not (findings and f.aspect == "force")]
    if substantive:
        return findings + substantive
    legacy = [f for f in _compare_scope(model, draft) + _compare_terms(model, draft, findings) if f.substantive]
    if legacy:
        return findings + legacy
    if findings:
        return findings
    return list(reach)


def _force_finding(m_op: Operative | None, d_op: Operative | None) -> list[Finding]:
    m_strength = m_op.modality.strength if m_op else 0
    d_strength = d_op.modality.strength if d_op else 0
    if m_strength == d_strength:
        return []
    m_label = m_op.modality.label if m_op else Modality.NONE.label
    d_label = d_op.modality.label if d_op else Modality.NONE.label
    m_words = f' ("{m_op.phrase}")' if m_op else ""
    d_words = f' ("{d_op.phrase}")' if d_op else ""
    return [
        Finding(
            flag=Flag.WEAKENED_OBLIGATION if d_strength < m_strength else Flag.STRENGTHENED_OBLIGATION,
            explanation=f"{m_label}{m_words} became {_article(d_label)}{d_words}",
            model_evidence=m_op.phrase if m_op else "",
            draft_evidence=d_op.phrase if d_op else "",
            aspect="force",
        )
    ]


def _compare_operatives(model: Sequence[Operative], draft: Sequence[Operative]) -> list[Finding]:
    """Sentence by sentence: each operative clause against its counterpart (by its words)."""
    pairs, model_left, draft_left = _pair(
        list(model),
        list(draft),
        score=lambda a, b: fuzz.token_sort_ratio(normalize(f"{a.action or ''}"), normalize(f"{b.action or ''}")),
        threshold=50,
    )
    findings: list[Finding] = []
    leftover = min(len(model_left), len(draft_left))  # reworded beyond recognition: take them in order
    pairs += list(zip(model_left[:leftover], draft_left[:leftover], strict=True))
    model_left, draft_left = model_left[leftover:], draft_left[leftover:]
    for m_op, d_op in pairs:
        findings += _force_finding(m_op, d_op)
    for op in model_left:
        if op.modality.strength >= Modality.ENDEAVOUR.strength:
            findings.append(
                Finding(
                    flag=Flag.MISSING,
                    explanation=f"{_article(op.modality.label)} ({_quote_clause(op)}) has no counterpart in the draft",
                    model_evidence=f"{op.phrase} {op.action or ''}".strip(),
                    aspect="commitment",
                )
            )
    for op in draft_left:
        if op.modality.strength >= Modality.ENDEAVOUR.strength:
            findings.append(
                Finding(
                    flag=Flag.ADDED,
                    explanation=f"the draft adds {_article(op.modality.label)} ({_quote_clause(op)})",
                    draft_evidence=f"{op.phrase} {op.action or ''}".strip(),
                    aspect="commitment",
                )
            )
    return findings


def _obligation_text(features: Features) -> str:
    """The provision without its exceptions and carve-outs (compared on their own)."""
    norm = normalize(features.text)
    for part in (*(e.key for e in features.exceptions), *(c.key for c in features.carve_outs)):
        if part and len(part) < len(norm):
            norm = norm.replace(part, " ")
    return norm


_RESTRICTIVE: frozenset[str] = frozenset({"excludes", "limited_to", "condition"})
"""Scope kinds that restrict an obligation: adding one narrows it, dropping one broadens it."""
_SCOPE_NAMES: dict[str, str] = {
    "includes": "inclusion",
    "excludes": "exclusion",
    "limited_to": "limitation",
    "condition": "condition",
    "qualifier": "qualifier",
    "beneficiary": "beneficiary",
    "applies_to": "scope statement",
}


_BENEFICIARY_TERMS = frozenset({"covered person", "covered investment"})
"""Defined terms naming who is protected: compared as beneficiaries, not as subject matter."""


def _compare_terms(model: Features, draft: Features, found: Sequence[Finding]) -> list[Finding]:
    """A defined term (subject matter) dropped from or added to the obligation."""
    said = normalize(" ".join(f"{f.model_evidence} {f.draft_evidence}" for f in found))
    m_terms = {_term_key(t): t for t in model.defined_terms_used if _term_key(t) not in _BENEFICIARY_TERMS}
    d_terms = {_term_key(t): t for t in draft.defined_terms_used if _term_key(t) not in _BENEFICIARY_TERMS}
    findings: list[Finding] = []
    for key, term in m_terms.items():
        if key not in d_terms and key not in said:
            findings.append(
                Finding(
                    flag=Flag.NARROWED_SCOPE,
                    explanation=f'the obligation no longer refers to the defined term "{term}"',
                    model_evidence=term,
                )
            )
    for key, term in d_terms.items():
        if key not in m_terms and key not in said:
            findings.append(
                Finding(
                    flag=Flag.BROADENED_SCOPE,
                    explanation=f'the obligation now refers to the defined term "{term}"',
                    draft_evidence=term,
                )
            )
    return findings


def _key_similarity(a: ScopeItem, b: ScopeItem) -> float:
    return fuzz.token_sort_ratio(a.key, b.key)


def _compare_scope(model: Features, draft: Features) -> list[Finding]:
    findings: list[Finding] = []
    kinds: list[str] = []
    for item in (*model.scope, *draft.scope):
        if item.kind not in kinds:
            kinds.append(item.kind)
    for kind in kinds:
        m_items = [item for item in model.scope if item.kind == kind]
        d_items = [item for item in draft.scope if item.kind == kind]
        d_keys = {_content(item.key) for item in d_items}
        m_keys = {_content(item.key) for item in m_items}
        m_left = [item for item in m_items if _content(item.key) not in d_keys]
        d_left = [item for item in d_items if _content(item.key) not in m_keys]
        pairs, m_left, d_left = _pair(m_left, d_left, score=_key_similarity, threshold=60)
        for m_item, d_item in pairs:
            findings.append(_changed_scope(kind, m_item, d_item))
        for m_item in m_left:
            findings.append(_scope_finding(kind, m_item, None))
        for d_item in d_left:
            findings.append(_scope_finding(kind, None, d_item))
    return findings


def _scope_finding(kind: str, m_item: ScopeItem | None, d_item: ScopeItem | None) -> Finding:
    added = d_item is not None
    item = d_item if d_item is not None else m_item
    assert item is not None
    name = _SCOPE_NAMES[kind]
    if kind == "qualifier":
        flag = Flag.WEAKENED_OBLIGATION if added else Flag.STRENGTHENED_OBLIGATION
        explanation = (
            f'the obligation is now qualified by "{item.phrase}"'
            if added
            else f'the qualifier "{item.phrase}" was dropped'
        )
    elif kind == "beneficiary":
        flag = Flag.BROADENED_SCOPE if added else Flag.NARROWED_SCOPE
        explanation = f'now also protects "{item.phrase}"' if added else f'no longer protects "{item.phrase}"'
    elif kind in ("includes", "applies_to"):
        flag = Flag.BROADENED_SCOPE if added else Flag.NARROWED_SCOPE
        explanation = (
            f'now expressly covers "{item.phrase}"' if added else f'no longer expressly covers "{item.phrase}"'
        )
    else:
        flag = Flag.NARROWED_SCOPE if added else Flag.BROADENED_SCOPE
        explanation = f'new {name} "{item.phrase}"' if added else f'the {name} "{item.phrase}" was dropped'
    return Finding(
        flag=flag,
        explanation=explanation,
        model_evidence=m_item.phrase if m_item else "",
        draft_evidence=d_item.phrase if d_item else "",
    )


def _changed_scope(kind: str, m_item: ScopeItem, d_item: ScopeItem) -> Finding:
    m_words, d_words = set(m_item.key.split()), set(d_item.key.split())
    name = _SCOPE_NAMES[kind]
    explanation = f'{name} changed from "{m_item.phrase}" to "{d_item.phrase}"'
    wider = m_words < d_words  # the draft adds words to the phrase
    narrower = d_words < m_words
    flag = Flag.TEXT_CHANGED
    if (wider or narrower) and kind != "beneficiary":
        restrictive = kind in _RESTRICTIVE
        if kind == "qualifier":
            flag = Flag.WEAKENED_OBLIGATION if wider else Flag.STRENGTHENED_OBLIGATION
        elif restrictive == wider:
            flag = Flag.NARROWED_SCOPE
        else:
            flag = Flag.BROADENED_SCOPE
    return Finding(flag=flag, explanation=explanation, model_evidence=m_item.phrase, draft_evidence=d_item.phrase)


def _compare_carve_outs(model: Sequence[CarveOut], draft: Sequence[CarveOut]) -> list[Finding]:
    d_keys = {_carve_words(c) for c in draft}
    m_keys = {_carve_words(c) for c in model}
    pairs, m_left, d_left = _pair(
        [c for c in model if _carve_words(c) not in d_keys],
        [c for c in draft if _carve_words(c) not in m_keys],
        score=lambda a, b: fuzz.token_sort_ratio(a.key, b.key) if a.kind == b.kind else 0,
        threshold=60,
    )
    findings: list[Finding] = []
    for m_carve, d_carve in pairs:
        if m_carve.kind == "dispute_settlement":
            m_words, d_words = set(m_carve.key.split()), set(d_carve.key.split())
            if m_words < d_words or d_words < m_words:
                findings.append(
                    Finding(
                        flag=Flag.WEAKENED_OBLIGATION if m_words < d_words else Flag.STRENGTHENED_OBLIGATION,
                        explanation=f'carve-out changed from "{m_carve.phrase}" to "{d_carve.phrase}"',
                        model_evidence=m_carve.phrase,
                        draft_evidence=d_carve.phrase,
                        aspect="dispute settlement",
                    )
                )
            continue
        changed = []
        for finding in reach_findings(m_carve.key, d_carve.key):
            mapped = _AS_CARVE_OUT.get(finding.flag)
            if mapped is not None:
                changed.append(
                    finding.model_copy(
                        update={
                            "flag": mapped,
                            "explanation": f'the carve-out "{d_carve.phrase}": '
                            + finding.explanation.replace("the obligation", "it"),
                            "aspect": "carve-out",
                            "direction": "binds less"
                            if mapped in (Flag.NARROWED_SCOPE, Flag.BROADENED_EXCEPTION)
                            else "binds more",
                        }
                    )
                )
        if not changed:
            changed.append(
                Finding(
                    flag=Flag.TEXT_CHANGED,
                    explanation=f'carve-out changed from "{m_carve.phrase}" to "{d_carve.phrase}"',
                    model_evidence=m_carve.phrase,
                    draft_evidence=d_carve.phrase,
                    aspect="carve-out",
                )
            )
        findings += _unique(changed, key=lambda f: f.flag)
    for carve in d_left:
        flag, text, aspect = _lone_carve_out(carve, added=True)
        findings.append(
            Finding(flag=flag, explanation=f'{text}: "{carve.phrase}"', draft_evidence=carve.phrase, aspect=aspect)
        )
    for carve in m_left:
        flag, text, aspect = _lone_carve_out(carve, added=False)
        findings.append(
            Finding(flag=flag, explanation=f'{text}: "{carve.phrase}"', model_evidence=carve.phrase, aspect=aspect)
        )
        if flag is Flag.REMOVED_EXCEPTION:
            findings.append(
                Finding(
                    flag=Flag.NARROWED_EXCEPTION,
                    explanation="without this exception the obligation applies in full",
                    model_evidence=carve.phrase,
                    aspect="exception",
                )
            )
    return findings


_DS: Aspect = "dispute settlement"
_EXC: Aspect = "exception"


def _lone_carve_out(carve: CarveOut, *, added: bool) -> tuple[Flag, str, Aspect]:
    """A carve-out with no counterpart: what it does to the obligation."""
    if carve.kind == "dispute_settlement":
        if re.search(r"\bmeasures?\b", carve.key):  # "A measure referred to in paragraph 2 shall not be subject ..."
            if added:
                return Flag.BROADENED_EXCEPTION, "measures under the exception are shielded from disputes", _EXC
            return Flag.NARROWED_EXCEPTION, "measures under the exception are no longer shielded", _EXC
        if added:
            return Flag.UNENFORCEABLE, "the draft takes the obligations out of dispute settlement", _DS
        return Flag.STRENGTHENED_OBLIGATION, "the shield from dispute settlement was removed", _DS
    if _has_purpose(carve.key):
        if added:
            return Flag.NEW_EXCEPTION, "new exception (a carve-out for measures with a purpose)", _EXC
        return Flag.REMOVED_EXCEPTION, "the exception (a carve-out for measures with a purpose) was removed", _EXC
    if added:
        return Flag.NARROWED_SCOPE, "new carve-out", "carve-out"
    return Flag.BROADENED_SCOPE, "carve-out removed", "carve-out"


def _carve_words(carve: CarveOut) -> tuple[str, ...]:
    """A carve-out's words in canonical form and in no order (for "is it the same carve-out")."""
    return (carve.kind, *_definition_words(carve.key))


def _has_purpose(words: str) -> bool:
    """A carve-out "for measures ... to protect / necessary to ..." is an exception, not a scope limit."""
    return bool(re.search(r"\bmeasures?\b", words)) and bool(active_lexicon().purposes.search(words))


def _exception_name(exception: ExceptionClause) -> str:
    kind = "" if exception.kind == "other" else _KIND_LABEL[exception.kind] + " "
    return f"{kind}exception ({exception.describe()})"


def _permissions(features: Sequence[Features]) -> list[str]:
    """Plain permissions ("A Party may comply ... through its laws"), as normalised text."""
    return [
        normalize(f.text)
        for f in features
        if not f.exceptions and f.obligation is not None and f.obligation.modality is Modality.PERMISSION
    ]


def _stated_as_permission(exception: ExceptionClause, permissions: Sequence[str]) -> bool:
    """"Nothing in this Article prevents a Party from X" and "A Party may X" permit the same."""
    permitted = _permitted(exception.key)
    return any(not reach_findings(permitted, _permitted(p)) for p in permissions)


def _compare_exceptions(
    model: Sequence[ExceptionClause],
    draft: Sequence[ExceptionClause],
    *,
    model_permissions: Sequence[str] = (),
    draft_permissions: Sequence[str] = (),
) -> list[Finding]:
    pairs, m_left, d_left = _pair(
        list(model),
        list(draft),
        score=lambda a, b: fuzz.token_sort_ratio(a.key, b.key) + (25 if a.kind == b.kind else 0),
        threshold=45,
    )
    d_left = [e for e in d_left if not _stated_as_permission(e, model_permissions)]
    m_left = [e for e in m_left if not _stated_as_permission(e, draft_permissions)]
    findings: list[Finding] = []
    for m_exc, d_exc in pairs:
        findings += _compare_exception(m_exc, d_exc)
    for exception in d_left:
        findings.append(
            Finding(
                flag=Flag.NEW_EXCEPTION,
                explanation=f'new {_exception_name(exception)}: "{exception.phrase}"',
                draft_evidence=exception.phrase,
            )
        )
    for exception in m_left:
        findings.append(
            Finding(
                flag=Flag.REMOVED_EXCEPTION,
                explanation=f'the {_exception_name(exception)} was removed: "{exception.phrase}"',
                model_evidence=exception.phrase,
            )
        )
        findings.append(
            Finding(
                flag=Flag.NARROWED_EXCEPTION,
                explanation=f"without its {_KIND_LABEL[exception.kind]} exception the obligation applies in full",
                model_evidence=exception.phrase,
            )
        )
    return findings


_CHAPEAU = re.compile(
    r"\b(?:prevents?|precludes?|preventing|precluding) (?:(?:a|any|each|the) )?(?:part(?:y|ies)|members?|"
    r"[a-z]+(?: [a-z]+){0,6}? of a party) from |(?P<actor>(?:(?:a|an|any|each|the) )?(?:part(?:y|ies)|members?|"
    r"[a-z]+(?: [a-z]+){0,6}? of a party)) may(?: also)?,? "
)
_NOTWITHSTANDING = re.compile(
    r",? ?\bnotwithstanding [^,]{1,80},? ?"
    r"|\b(?:that is |which is )?inconsistent with (?:paragraph|article|subparagraph)s? [0-9.]+"
    r"(?: ?\([a-z0-9]+\))*(?: (?:of|or|and) [^,;]{1,40}?)?(?= that| which|,|;| provided|$)"
)


def _permitted(key: str) -> str:
    """What an exception permits, without its chapeau: "Nothing in this Article shall prevent a Party
    from adopting X", "This Article does not prevent a Party from adopting X" and "A Party may,
    notwithstanding paragraph 1, adopt X" all permit "adopting X"."""
    chapeau = _CHAPEAU.search(key)
    if chapeau is None:
        return _NOTWITHSTANDING.sub(" ", key).strip()
    if chapeau.group("actor"):  # "A regulatory body of a Party may ...": the actor is part of the chapeau
        body = key[chapeau.end() :] + " " + key[: chapeau.start()]
        return _NOTWITHSTANDING.sub(" ", body).strip()
    front = re.sub(  # "Subject to safeguards, this Article does not preclude ...": the condition goes last
        r"(?:,\s*)?(?:(?:this|the) (?:article|chapter|agreement|paragraph|section)s?|paragraphs? [0-9]+|nothing in\b.*)"
        r"(?: (?:does|do|shall|will) not)?\s*$",
        "",
        key[: chapeau.start()],
    ).strip(" ,")
    body = key[chapeau.end() :] + (f" {front}" if front else "")
    return _NOTWITHSTANDING.sub(" ", body).strip()


def _chapeau(key: str) -> str:
    """An exception without its proviso ("provided that the measure: (a) ...; and (b) ..."),
    wherever the proviso stands."""
    key = active_lexicon().canonical(key)
    if key.startswith("provided that"):
        start = _CHAPEAU.search(key)
        return key[start.start() :] if start is not None else ""
    return key.partition("provided that")[0]


_NECESSITY = re.compile(
    r"\b(?:that|which) (?:is|are) necessary\b|\bnecessary (?:to|for)\b|\brequired to (?:achieve|protect|secure)\b"
)
"""A necessity test on the excepted measure itself (in the chapeau, not in a condition)."""


_AS_EXCEPTION: dict[Flag, Flag] = {
    Flag.BROADENED_SCOPE: Flag.BROADENED_EXCEPTION,
    Flag.NARROWED_SCOPE: Flag.NARROWED_EXCEPTION,
    Flag.BROADENED_EXCEPTION: Flag.BROADENED_EXCEPTION,
    Flag.NARROWED_EXCEPTION: Flag.NARROWED_EXCEPTION,
}
"""A change in what an exception reaches, read as a change of the exception."""
_AS_CARVE_OUT: dict[Flag, Flag] = {
    Flag.BROADENED_SCOPE: Flag.NARROWED_SCOPE,
    Flag.NARROWED_SCOPE: Flag.BROADENED_SCOPE,
    Flag.BROADENED_EXCEPTION: Flag.BROADENED_EXCEPTION,
    Flag.NARROWED_EXCEPTION: Flag.NARROWED_EXCEPTION,
}
"""A carve-out that reaches more leaves the obligation less."""


def _compare_exception(model: ExceptionClause, draft: ExceptionClause) -> list[Finding]:
    findings: list[Finding] = []
    if model.test != draft.test:
        broader = _TEST_RANK[draft.test] > _TEST_RANK[model.test]
        m_words = f' ("{model.test_phrase}")' if model.test_phrase else ""
        d_words = f' ("{draft.test_phrase}")' if draft.test_phrase else ""
        findings.append(
            Finding(
                flag=Flag.BROADENED_EXCEPTION if broader else Flag.NARROWED_EXCEPTION,
                explanation=f"{_TEST_LABEL[model.test]}{m_words} became {_article(_TEST_LABEL[draft.test])}{d_words}",
                model_evidence=model.test_phrase,
                draft_evidence=draft.test_phrase,
            )
        )
    d_conditions = {c.kind: c for c in draft.conditions}
    m_conditions = {c.kind: c for c in model.conditions}
    for kind in _CONDITION_ORDER:
        if kind in m_conditions and kind not in d_conditions:
            findings.append(
                Finding(
                    flag=Flag.BROADENED_EXCEPTION,
                    explanation=f'the exception lost its condition "{_CONDITION_LABEL[kind]}" '
                    f'("{m_conditions[kind].phrase}")',
                    model_evidence=m_conditions[kind].phrase,
                )
            )
        elif kind in d_conditions and kind not in m_conditions:
            findings.append(
                Finding(
                    flag=Flag.NARROWED_EXCEPTION,
                    explanation=f'the exception gained the condition "{_CONDITION_LABEL[kind]}" '
                    f'("{d_conditions[kind].phrase}")',
                    draft_evidence=d_conditions[kind].phrase,
                )
            )
    if model.non_disputable != draft.non_disputable:
        if draft.non_disputable:
            findings.append(
                Finding(
                    flag=Flag.BROADENED_EXCEPTION,
                    explanation="the exception is now shielded from dispute settlement "
                    f'("{draft.non_disputable_phrase}")',
                    draft_evidence=draft.non_disputable_phrase,
                )
            )
        else:
            findings.append(
                Finding(
                    flag=Flag.NARROWED_EXCEPTION,
                    explanation="the exception is no longer shielded from dispute settlement "
                    f'("{model.non_disputable_phrase}")',
                    model_evidence=model.non_disputable_phrase,
                )
            )
    m_chapeau, d_chapeau = _chapeau(model.key), _chapeau(draft.key)
    m_need, d_need = _NECESSITY.search(m_chapeau), _NECESSITY.search(d_chapeau)
    if model.test == draft.test == "objective" and bool(m_need) != bool(d_need):
        findings.append(
            Finding(
                flag=Flag.BROADENED_EXCEPTION if m_need else Flag.NARROWED_EXCEPTION,
                explanation=(
                    f'the measure itself no longer has to be "{m_need.group(0)}"'
                    if m_need
                    else f'the measure itself now has to be "{d_need.group(0) if d_need else ""}"'
                ),
                model_evidence=m_need.group(0) if m_need else "",
                draft_evidence=d_need.group(0) if d_need else "",
                aspect="exception",
            )
        )
    m_limbs, d_limbs = _limbs(model.key), _limbs(draft.key)
    if not any(f.flag is Flag.BROADENED_EXCEPTION and "condition" in f.explanation for f in findings):
        if m_limbs[1] == "and" and d_limbs[1] == "or":
            findings.append(
                Finding(
                    flag=Flag.BROADENED_EXCEPTION,
                    explanation='the conditions of the exception no longer must all hold: "and" became "or"',
                    model_evidence="; and",
                    draft_evidence="; or",
                    aspect="condition",
                )
            )
        elif m_limbs[1] == "or" and d_limbs[1] == "and":
            findings.append(
                Finding(
                    flag=Flag.NARROWED_EXCEPTION,
                    explanation='the conditions of the exception must now all hold: "or" became "and"',
                    model_evidence="; or",
                    draft_evidence="; and",
                    aspect="condition",
                )
            )
        elif d_limbs[0] < m_limbs[0] and len(d_conditions) == len(m_conditions):
            findings.append(
                Finding(
                    flag=Flag.BROADENED_EXCEPTION if m_limbs[1] != "or" else Flag.NARROWED_EXCEPTION,
                    explanation=f"the exception has {d_limbs[0]} condition(s) where the model has {m_limbs[0]}",
                    model_evidence=model.phrase,
                    draft_evidence=draft.phrase,
                    aspect="condition",
                )
            )
        elif d_limbs[0] > m_limbs[0] and len(d_conditions) == len(m_conditions):
            findings.append(
                Finding(
                    flag=Flag.NARROWED_EXCEPTION if d_limbs[1] != "or" else Flag.BROADENED_EXCEPTION,
                    explanation=f"the exception has {d_limbs[0]} condition(s) where the model has {m_limbs[0]}",
                    model_evidence=model.phrase,
                    draft_evidence=draft.phrase,
                    aspect="condition",
                )
            )
    said = {f.flag for f in findings}
    for finding in () if findings else reach_findings(_permitted(model.key), _permitted(draft.key)):
        mapped = _AS_EXCEPTION.get(finding.flag)
        if mapped is None or mapped in said:
            continue
        findings.append(
            finding.model_copy(
                update={
                    "flag": mapped,
                    "explanation": "the exception: " + finding.explanation.replace("the obligation", "it"),
                    "direction": "binds less" if mapped is Flag.BROADENED_EXCEPTION else "binds more",
                }
            )
        )
        said.add(mapped)
    if model.kind != draft.kind and not findings and "legitimate_public_policy" in (model.kind, draft.kind):
        open_ended = model.kind == "legitimate_public_policy"  # any legitimate objective, or named ones
        findings.append(
            Finding(
                flag=Flag.NARROWED_EXCEPTION if open_ended else Flag.BROADENED_EXCEPTION,
                explanation=f"the exception's purpose changed from {_KIND_LABEL[model.kind]} to "
                f"{_KIND_LABEL[draft.kind]}: "
                + ("named purposes only" if open_ended else "any legitimate public policy objective"),
                model_evidence=model.phrase,
                draft_evidence=draft.phrase,
                aspect="exception",
            )
        )
    if model.kind != draft.kind and not findings:
        findings.append(
            Finding(
                flag=Flag.TEXT_CHANGED,
                explanation=f"the exception's purpose changed from {_KIND_LABEL[model.kind]} "
                f"to {_KIND_LABEL[draft.kind]}",
                model_evidence=model.phrase,
                draft_evidence=draft.phrase,
            )
        )
    return findings


def _definition_words(definition: str) -> tuple[str, ...]:
    """A definition's content words, in canonical form and in no order: list order and
    determiners are not a change ("a server or a storage device" = "a storage device or server")."""
    lex = active_lexicon()
    canon = lex.canonical(normalize(definition))
    canon = re.sub(r"\((?:[a-z]{1,3}|[ivxl]{1,6}|\d{1,3})\)|\b\d+(?:\.\d+)*\b", " ", canon)
    words = re.findall(r"[a-z][a-z0-9'-]*", canon)
    # "verifying X and ensuring Y" (both acts) differs from "verifying X or ensuring Y" (either suffices); the
    # joiner of a list of things ("a server or storage device", "servers and storage devices") is style
    acts = tuple(m.group(0) for m in re.finditer(r"\b(?:and|or) (?=[a-z]+ing\b)", canon))
    return (*sorted(singular(w) for w in words if w not in lex.function_word_set), *acts)


def _limbs(key: str) -> tuple[int, str]:
    """How many limbs the conditions of an exception have, and what joins the last two ("and"/"or")."""
    _, _, conditions = active_lexicon().canonical(key).partition("provided that")
    if not conditions:
        return 1, ""
    labels = re.findall(r"(?:^|\s)\((?:[a-h]|i{1,3}|iv|v|vi{1,3})\)\s", conditions)
    if len(labels) >= 2:
        joiner = re.findall(r"[;,]?\s*\b(and|or)\s+\((?:[a-h]|i{1,3}|iv|v|vi{1,3})\)", conditions)
        return len(labels), joiner[-1] if joiner else ""
    parts = [p for p in re.split(r";\s*(?:and|or)?\s*", conditions) if re.search(r"[a-z]{3}", p)]
    joiner = re.findall(r";\s*(and|or)\b", conditions)
    return max(1, len(parts)), joiner[-1] if joiner else ""


def _compare_definitions(model: Sequence[Features], draft: Sequence[Features]) -> list[Finding]:
    m_defs = {_term_key(f.defines): f for f in model if f.defines is not None}
    d_defs = {_term_key(f.defines): f for f in draft if f.defines is not None}
    findings: list[Finding] = []
    for term, m_f in m_defs.items():
        d_f = d_defs.get(term)
        if d_f is None:
            findings.append(
                Finding(
                    flag=Flag.DEFINITION_CHANGED,
                    explanation=f'"{m_f.defines}" is no longer defined',
                    model_evidence=m_f.text,
                )
            )
        elif _definition_words(m_f.definition) != _definition_words(d_f.definition):
            findings.append(
                Finding(
                    flag=Flag.DEFINITION_CHANGED,
                    explanation=f'the definition of "{m_f.defines}" changed',
                    model_evidence=m_f.text,
                    draft_evidence=d_f.text,
                )
            )
    for term, d_f in d_defs.items():
        if term not in m_defs:
            findings.append(
                Finding(
                    flag=Flag.DEFINITION_CHANGED,
                    explanation=f'"{d_f.defines}" is newly defined',
                    draft_evidence=d_f.text,
                )
            )
    return findings

"""The findings of the legal reading: what kind of difference (:class:`Flag`) and one difference (:class:`Finding`).

Shared by :mod:`tradeclauses.analysis` (who is bound and how strongly) and
:mod:`tradeclauses.frames` (how far the obligation reaches); both re-export them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, TypeAlias

from pydantic import model_validator

from tradeclauses._docs import FrozenModel as _Frozen

__all__ = ["SUBSTANTIVE_FLAGS", "Aspect", "Direction", "Finding", "Flag"]




class Flag(StrEnum):
    """The kinds of legal difference :func:`compare` reports (values equal names).

    All flags are substantive except :attr:`TEXT_CHANGED`, which marks a change of
    operative wording that no rule could classify; see :attr:`substantive`.

    Examples:
        >>> Flag("NARROWED_SCOPE").description
        'the obligation reaches fewer measures, persons or information (something dropped or carved out)'
        >>> Flag.TEXT_CHANGED.substantive
        False
    """

    MISSING = "MISSING"
    ADDED = "ADDED"
    WEAKENED_OBLIGATION = "WEAKENED_OBLIGATION"
    STRENGTHENED_OBLIGATION = "STRENGTHENED_OBLIGATION"
    NARROWED_SCOPE = "NARROWED_SCOPE"
    BROADENED_SCOPE = "BROADENED_SCOPE"
    NEW_EXCEPTION = "NEW_EXCEPTION"
    REMOVED_EXCEPTION = "REMOVED_EXCEPTION"
    BROADENED_EXCEPTION = "BROADENED_EXCEPTION"
    NARROWED_EXCEPTION = "NARROWED_EXCEPTION"
    DEFINITION_CHANGED = "DEFINITION_CHANGED"
    TEXT_CHANGED = "TEXT_CHANGED"
    UNENFORCEABLE = "UNENFORCEABLE"
    """The commitment binds in law but is taken out of dispute settlement: no panel can enforce it."""

    @property
    def description(self) -> str:
        """One line saying what the flag means."""
        return _FLAG_DESCRIPTION[self]

    @property
    def substantive(self) -> bool:
        """True when the flag names a change of legal effect."""
        return self in SUBSTANTIVE_FLAGS


_FLAG_DESCRIPTION = {
    Flag.MISSING: "a binding or best-endeavour commitment of the model has no counterpart in the draft",
    Flag.ADDED: "the draft has a commitment or permission the model does not have",
    Flag.WEAKENED_OBLIGATION: "the obligation binds less (e.g. prohibition became best endeavours or a permission)",
    Flag.STRENGTHENED_OBLIGATION: "the obligation binds more (e.g. best endeavours became a binding duty)",
    Flag.NARROWED_SCOPE: (
        "the obligation reaches fewer measures, persons or information (something dropped or carved out)"
    ),
    Flag.BROADENED_SCOPE: "the obligation reaches more measures, persons or information (a limit or carve-out gone)",
    Flag.NEW_EXCEPTION: "the draft adds an exception the model does not have",
    Flag.REMOVED_EXCEPTION: "an exception of the model is gone (always reported with NARROWED_EXCEPTION)",
    Flag.BROADENED_EXCEPTION: (
        "an exception allows more (self-judging test, a condition dropped, shielded from dispute settlement)"
    ),
    Flag.NARROWED_EXCEPTION: "an exception allows less (objective test, a condition added, or the exception removed)",
    Flag.DEFINITION_CHANGED: "a defined term is defined differently, newly defined or no longer defined",
    Flag.TEXT_CHANGED: "the operative words changed in a way no rule classifies; read both texts (not substantive)",
    Flag.UNENFORCEABLE: "the commitment is taken out of dispute settlement (it binds, but no panel can enforce it)",
}

SUBSTANTIVE_FLAGS: frozenset[Flag] = frozenset(Flag) - {Flag.TEXT_CHANGED}
"""Flags that name a change of legal effect: every flag but ``TEXT_CHANGED``."""


Direction: TypeAlias = Literal["binds less", "binds more", "unclear"]
"""Which way a finding moves the draft against the model."""
Aspect: TypeAlias = Literal[
    "force",
    "act",
    "object",
    "beneficiary",
    "qualifier",
    "condition",
    "exclusion",
    "time",
    "exception",
    "carve-out",
    "dispute settlement",
    "definition",
    "commitment",
    "text",
    "context",
]
"""The part of the provision's frame a finding is about."""

_BINDS_LESS = frozenset(
    {"MISSING", "WEAKENED_OBLIGATION", "NARROWED_SCOPE", "NEW_EXCEPTION", "BROADENED_EXCEPTION", "UNENFORCEABLE"}
)
_BINDS_MORE = frozenset(
    {"ADDED", "STRENGTHENED_OBLIGATION", "BROADENED_SCOPE", "REMOVED_EXCEPTION", "NARROWED_EXCEPTION"}
)
_FLAG_ASPECT: dict[str, Aspect] = {
    "MISSING": "commitment",
    "ADDED": "commitment",
    "WEAKENED_OBLIGATION": "force",
    "STRENGTHENED_OBLIGATION": "force",
    "NARROWED_SCOPE": "object",
    "BROADENED_SCOPE": "object",
    "NEW_EXCEPTION": "exception",
    "REMOVED_EXCEPTION": "exception",
    "BROADENED_EXCEPTION": "exception",
    "NARROWED_EXCEPTION": "exception",
    "DEFINITION_CHANGED": "definition",
    "TEXT_CHANGED": "text",
    "UNENFORCEABLE": "dispute settlement",
}


class Finding(_Frozen):
    """One legal difference between a model provision and its draft counterpart.

    Examples:
        >>> f = Finding(flag=Flag.NARROWED_SCOPE, explanation='the obligation no longer covers "restrict"',
        ...             aspect="act")
        >>> f.direction, f.aspect
        ('binds less', 'act')
    """

    flag: Flag
    """What kind of difference."""
    explanation: str
    """Plain English, naming the words on both sides."""
    model_evidence: str = ""
    """The words of the model text that show it (empty when the model has none)."""
    draft_evidence: str = ""
    """The words of the draft text that show it (empty when the draft has none)."""
    aspect: Aspect = "text"
    """The part of the frame the difference is in: force, act, object, beneficiary, qualifier,
    condition, time, exception ... (by default the one the flag implies)."""
    direction: Direction = "unclear"
    """Whether the draft binds less or more than the model on this point (by default from the flag)."""

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data: Any) -> Any:
        if isinstance(data, dict):
            flag = str(data.get("flag", ""))
            if not data.get("aspect"):
                data = {**data, "aspect": _FLAG_ASPECT.get(flag, "text")}
            if not data.get("direction"):
                direction = "binds less" if flag in _BINDS_LESS else "binds more" if flag in _BINDS_MORE else "unclear"
                data = {**data, "direction": direction}
        return data

    @property
    def substantive(self) -> bool:
        """True when :attr:`flag` names a change of legal effect."""
        return self.flag.substantive

    def __str__(self) -> str:
        return f"{self.flag.value}: {self.explanation}"

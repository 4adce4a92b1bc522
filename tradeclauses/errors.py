"""Every exception and warning tradeclauses raises.

All errors derive from :class:`TradeClausesError`, so ``except TradeClausesError``
catches everything the library raises on purpose; anything else is a bug.
Input errors carry the path and line (and, where known, the article) at which
reading went wrong, and say so in their message.

Examples:
    >>> import tradeclauses as tc
    >>> try:
    ...     tc.load("nafta3")
    ... except tc.errors.UnknownAgreementError as err:
    ...     print(err.name, "usmca" in err.available)
    nafta3 True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "AlignmentError",
    "ArgumentTypeError",
    "BinaryInputError",
    "EmptyInputError",
    "EncodingError",
    "GraphError",
    "IncompleteTextWarning",
    "IndexFormatError",
    "InputNotFoundError",
    "InputTooLargeError",
    "InputTypeError",
    "InvalidArgumentError",
    "InvalidNameError",
    "LookalikeTextWarning",
    "MissingDependencyError",
    "NoArticlesError",
    "NoTextLayerError",
    "NotInModelError",
    "OptionError",
    "ParseError",
    "ProvisionNotFoundError",
    "ReadError",
    "TradeClausesError",
    "TradeClausesWarning",
    "UnknownAgreementError",
    "UnsafeInputError",
    "UnsupportedFormatError",
    "WeightsError",
]


class TradeClausesError(Exception):
    """Root of every error raised by tradeclauses."""


class ArgumentTypeError(TradeClausesError, TypeError):
    """An argument of the wrong type (``tc.load(None)``, a list where a mapping is expected)."""


def expect(value: object, kinds: type | tuple[type, ...], what: str) -> None:
    """Raise :class:`ArgumentTypeError` unless ``value`` is one of ``kinds``; ``what`` says what was expected.

    Examples:
        >>> expect(None, str, "an agreement name (str)")
        Traceback (most recent call last):
        ...
        tradeclauses.errors.ArgumentTypeError: expected an agreement name (str), not None
    """
    if not isinstance(value, kinds):
        found = "None" if value is None else type(value).__name__
        raise ArgumentTypeError(f"expected {what}, not {found}")


class InvalidArgumentError(TradeClausesError, ValueError):
    """An argument of the right type but an unusable value (``k=0``, ``level="chapter"``)."""


class InvalidNameError(InvalidArgumentError):
    """A name that cannot be used: a model name with spaces or capitals, for instance."""


class ReadError(TradeClausesError, ValueError):
    """An input could not be read into the clause model.

    Attributes:
        path: the file being read, or ``None`` for text given directly.
        line: 1-based line number where the problem was found, if known.
        article: number of the article being read, if known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        article: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.article = article
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.path if self.path is not None else "<text>"
        if self.line is not None:
            where += f", line {self.line}"
        if self.article is not None:
            where += f" (Article {self.article})"
        return f"{where}: {self.message}"


class InputNotFoundError(ReadError, FileNotFoundError):
    """A path that names no file (or names a directory)."""


class EmptyInputError(ReadError):
    """The input holds no text at all (or only whitespace)."""


class BinaryInputError(ReadError):
    """The input looks like binary data, not text in a format we read."""


class EncodingError(ReadError):
    """The input is not valid text in any encoding we accept (UTF-8, UTF-16 with BOM)."""


class NoArticlesError(ReadError):
    """The input is text, but no article, paragraph or heading could be recognised in it."""


class NoTextLayerError(NoArticlesError):
    """A PDF whose pages hold no text at all, only images (a scan): it needs OCR first."""


class ParseError(ReadError):
    """The input is malformed or ambiguous at a given line (e.g. an article number used twice)."""


class UnsupportedFormatError(ReadError):
    """The format could not be detected, or an unknown ``format=`` name was given."""


class UnsafeInputError(ReadError):
    """The input was refused for safety: XML entities or DTDs, oversized trees, zip bombs."""


class InputTooLargeError(UnsafeInputError):
    """The input exceeds a documented size or depth limit."""


class UnknownAgreementError(TradeClausesError, KeyError):
    """No agreement of that name ships with tradeclauses or is registered by the user.

    Attributes:
        name: the name asked for.
        available: the names that can be loaded.
    """

    def __init__(self, name: str, available: Sequence[str]) -> None:
        self.name = name
        self.available = tuple(available)
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown agreement {self.name!r}; available: {', '.join(self.available) or '(none)'}"


class ProvisionNotFoundError(TradeClausesError, KeyError):
    """The agreement has no article, paragraph or node of that number or id."""

    def __init__(self, agreement: str, key: str, hint: str = "") -> None:
        self.agreement = agreement
        self.key = key
        self.hint = hint
        super().__init__(key)

    def __str__(self) -> str:
        msg = f"{self.agreement} has no provision {self.key!r}"
        return f"{msg}; {self.hint}" if self.hint else msg


class NotInModelError(ProvisionNotFoundError):
    """The article belongs to the agreement, but its text is not in the text loaded.

    The shipped USMCA text is partial: articles it lacks raise this error, which says
    how to supply the official text (``tc.register("usmca", PATH)``).
    """

    def __init__(self, agreement: str, key: str, how_to_supply: str) -> None:
        super().__init__(agreement, key, how_to_supply)

    def __str__(self) -> str:
        return f"Article {self.key} of {self.agreement} is not in the text loaded; {self.hint}"


class AlignmentError(TradeClausesError, ValueError):
    """A user-supplied alignment names provisions that do not exist."""


class IndexFormatError(TradeClausesError, ValueError):
    """A file given as a search index is not one, is damaged, or is of another format version.

    Attributes:
        path: the file.
    """

    def __init__(self, path: str | Path, message: str) -> None:
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


class WeightsError(TradeClausesError, ValueError):
    """Scoring weights that name an article the model does not have, or are not usable numbers."""


class GraphError(TradeClausesError, ValueError):
    """A clause-graph query got a graph of the wrong kind, or a node it does not hold."""


class OptionError(TradeClausesError, ValueError):
    """An option was given a value it does not take (the message lists those it takes)."""


class InputTypeError(ArgumentTypeError):
    """A value of a kind a function does not take (it names what it takes)."""


class MissingDependencyError(TradeClausesError, ImportError):
    """An optional dependency is needed; the message says what to install."""

    def __init__(self, feature: str, extra: str) -> None:
        self.feature = feature
        self.extra = extra
        super().__init__(f"{feature} needs an optional dependency: pip install 'tradeclauses[{extra}]'")


class TradeClausesWarning(UserWarning):
    """Base of the warnings tradeclauses emits for recoverable oddities."""


class IncompleteTextWarning(TradeClausesWarning):
    """A provision was returned, but its text is known to be incomplete in this source."""


class WholeAgreementWarning(TradeClausesWarning):
    """A whole agreement was given where one part of it is compared; the message says which part was chosen."""


class LookalikeTextWarning(TradeClausesWarning):
    """Text holds characters that print as something else, or not at all.

    A Cyrillic or Greek letter inside a Latin word (``shаll``), a zero-width
    character or a bidirectional control can change what the words mean to a program
    while the printed text looks the same. The text is read as it prints (see
    :func:`tradeclauses.normalize.printed_form`); the model keeps it verbatim, and the
    articles concerned carry a note.
    """

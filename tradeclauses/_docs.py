"""Field docstrings as field descriptions, read from the source once per module.

pydantic's ``use_attribute_docstrings`` finds each class's source by walking the
interpreter's frames (on Python before 3.13), which costs several milliseconds per
class at import. :func:`describe_fields` gives the same descriptions (the string
literal right under a field, cleaned like ``inspect.cleandoc``) from one parse of the
module's source, and models that use it set ``defer_build=True`` so that their schema
is built, with the descriptions, on first use.

Examples:
    >>> from tradeclauses.alignment import Match   # its base class calls describe_fields
    >>> Match.model_fields["draft_nums"].description
    'Their numbers as printed in the draft.'
"""

from __future__ import annotations

import ast
import inspect
import linecache
import sys
import textwrap
from collections import deque
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic.fields import FieldInfo

__all__ = ["describe_fields"]

_M = TypeVar("_M", bound=BaseModel)


@cache
def _module_docs(filename: str) -> dict[str, dict[str, str]]:
    """Class name → field name → docstring, for every class in the source file ``filename``."""
    source = "".join(linecache.getlines(filename))
    if not source:
        return {}
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    out: dict[str, dict[str, str]] = {}
    # as ast.walk (breadth first), without descending into expressions: they hold no classes
    todo: deque[ast.AST] = deque([tree])
    while todo:
        node = todo.popleft()
        if isinstance(node, ast.ClassDef):
            out.setdefault(node.name, _class_docs(node))
        todo.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, ast.expr))
    return out


def _class_docs(node: ast.ClassDef) -> dict[str, str]:
    docs: dict[str, str] = {}
    for before, after in zip(node.body, node.body[1:], strict=False):
        if (
            isinstance(before, ast.AnnAssign)
            and isinstance(before.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            docs[before.target.id] = inspect.cleandoc(after.value.value)
    return docs


def _interactive_docs(cls: type[BaseModel]) -> dict[str, str]:
    """For classes whose module has no source file (doctests, notebooks): the class's own source."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return {}
    node = tree.body[0] if tree.body else None
    return _class_docs(node) if isinstance(node, ast.ClassDef) else {}


def describe_fields(cls: type[_M]) -> type[_M]:
    """Set each field's description from the docstring under it, where it has none.

    Call before the model's schema is built (``defer_build=True``), e.g. from
    ``__pydantic_init_subclass__``.
    """
    module = sys.modules.get(cls.__module__)
    filename = getattr(module, "__file__", None)
    docs = _module_docs(filename).get(cls.__name__, {}) if filename else {}
    if not docs:
        docs = _interactive_docs(cls)
    fields: dict[str, FieldInfo] = cls.__pydantic_fields__
    for name, info in fields.items():
        if info.description is None and name in docs:
            info.description = docs[name]
    return cls


class FrozenModel(BaseModel):
    """The base of the package's immutable models: frozen, no extra fields, field docstrings as
    descriptions (:func:`describe_fields`), schema built on first use."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Field docstrings become descriptions (as ``use_attribute_docstrings``, but quicker to import)."""
        super().__pydantic_init_subclass__(**kwargs)
        describe_fields(cls)

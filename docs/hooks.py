"""mkdocs hook: show the Sphinx roles of the docstrings (``:func:`x```) as plain code."""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:func|class|meth|mod|attr|data|exc|obj):(?=<code>)")
_PLURAL = re.compile(r"(</code>)\\ ")


def on_page_content(html: str, **_: Any) -> str:
    """Drop the role prefix before the code it marks, and the ``\\ `` that glues a plural to it."""
    return _PLURAL.sub(r"\1", _ROLE.sub("", html))

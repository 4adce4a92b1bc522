"""JSON Schemas of every JSON output, as checked in under ``schemas/``, generated from the models.

* ``agreement.schema.json``: an agreement (``Agreement.model_dump_json()``,
  ``tradeclauses parse --format json``);
* ``scorecard.schema.json``: a scorecard (``Scorecard.model_dump_json()``,
  ``tradeclauses score --format json``);
* ``diff.schema.json``: a diff (``AgreementDiff.model_dump_json()``,
  ``tradeclauses diff --format json``);
* ``hits.schema.json``: search hits (``[h.as_dict() for h in hits]``,
  ``tradeclauses search --format json``).

Regenerate after changing the models (a test fails when a checked-in schema drifts)::

    python -m tradeclauses.schema schemas/
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from tradeclauses.diffing import AgreementDiff
from tradeclauses.model import Agreement
from tradeclauses.precedent import HitRecord
from tradeclauses.scoring import Scorecard

__all__ = ["SCHEMAS", "render", "write"]

SCHEMAS: dict[str, Any] = {
    "agreement.schema.json": Agreement,
    "scorecard.schema.json": Scorecard,
    "diff.schema.json": AgreementDiff,
    "hits.schema.json": list[HitRecord],
}
"""File name → the type whose JSON Schema it holds."""

_TITLES = {"hits.schema.json": "Hits"}


def render(name: str) -> str:
    """The JSON Schema text for one file of :data:`SCHEMAS`.

    Examples:
        >>> '"Agreement"' in render("agreement.schema.json")
        True
        >>> json.loads(render("hits.schema.json"))["items"]["$ref"]
        '#/$defs/HitRecord'
    """
    schema = TypeAdapter(SCHEMAS[name]).json_schema(mode="serialization")
    if name in _TITLES:
        schema["title"] = _TITLES[name]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://tradeclauses.org/schemas/{name}"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in SCHEMAS:
        path = folder / name
        path.write_text(render(name), "utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    for written in write(Path(sys.argv[1] if len(sys.argv) > 1 else "schemas")):
        print(written)  # noqa: T201

"""JSON Schema of the clause model, as checked in under ``schemas/``.

Regenerate after changing the models::

    python -m tradeclauses.schema schemas/
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tradeclauses.model import Agreement

__all__ = ["SCHEMAS", "render", "write"]

SCHEMAS = {"agreement.schema.json": Agreement}
"""File name → model whose JSON Schema it holds."""


def render(name: str) -> str:
    """The JSON Schema text for one file of :data:`SCHEMAS`.

    Examples:
        >>> '"Agreement"' in render("agreement.schema.json")
        True
    """
    schema = SCHEMAS[name].model_json_schema(mode="serialization")
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

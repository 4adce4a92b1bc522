"""Every JSON output validates against its checked-in JSON Schema (generated from the models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import tradeclauses as tc
from tradeclauses.catalog import package_data
from tradeclauses.cli import main
from tradeclauses.schema import SCHEMAS

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema checks the outputs (pip install jsonschema)")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "agreements" / "examples" / "draft-digital-trade.txt"


def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((package_data("schemas") / name).read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def test_every_json_output_has_a_schema() -> None:
    assert set(SCHEMAS) == {p.name for p in package_data("schemas").glob("*.schema.json")}
    assert {"scorecard.schema.json", "diff.schema.json", "hits.schema.json"} <= set(SCHEMAS)


@pytest.mark.parametrize("options", [[], ["--weight", "19.12=5"]])
def test_cli_scorecard_json_validates(options: list[str], tmp_path: Path) -> None:
    out = tmp_path / "card.json"
    assert main(["score", str(EXAMPLE), "--format", "json", "-o", str(out), *options]) == 0
    data = json.loads(out.read_text("utf-8"))
    _validator("scorecard.schema.json").validate(data)
    assert data["added"]  # the sample draft adds articles: their rows are covered too


def test_bracketed_scorecard_json_validates() -> None:
    draft = tc.parse(
        "Article 3: Data Flows\n1. [No Party shall][Each Party shall endeavour not to] prohibit the cross-border "
        "transfer of information by electronic means.",
        format="bracketed",
    )
    data = json.loads(tc.score(draft).model_dump_json())
    assert data["options"]
    _validator("scorecard.schema.json").validate(data)


@pytest.mark.parametrize("pair", [("usmca", EXAMPLE), (EXAMPLE, "usmca")])
def test_cli_diff_json_validates(pair: tuple[object, object], tmp_path: Path) -> None:
    out = tmp_path / "diff.json"
    assert main(["diff", str(pair[0]), str(pair[1]), "--format", "json", "-o", str(out)]) == 1
    data = json.loads(out.read_text("utf-8"))
    _validator("diff.schema.json").validate(data)
    assert any(e["findings"] for e in data["entries"])


def test_cli_hits_json_validates(capsys: pytest.CaptureFixture[str]) -> None:
    clause = tc.load("usmca")["19.11"].text
    assert main(["search", clause, "--corpus", f"usmca,{EXAMPLE}", "-k", "5", "--format", "json", "-q"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 5
    _validator("hits.schema.json").validate(data)


def test_schemas_reject_what_the_outputs_never_hold() -> None:
    hits = _validator("hits.schema.json")
    record = tc.search(tc.load("usmca")["19.12"], "usmca", k=1)[0].as_dict()
    hits.validate([record])
    assert not hits.is_valid([{**record, "score": "high"}])
    assert not hits.is_valid([{**record, "unexpected": 1}])
    card = json.loads(tc.score(tc.parse(EXAMPLE)).model_dump_json())
    card["rows"][0]["findings"] = [{"flag": "NOT_A_FLAG", "explanation": "x"}]
    assert not _validator("scorecard.schema.json").is_valid(card)

"""``triage-eval vignettes`` end to end on a few development vignettes, through the real agent."""

import json
from pathlib import Path

import pytest

from backend.evals.triage_cli import main

DEV = Path(__file__).resolve().parents[2] / "backend" / "triage" / "dev_vignettes.jsonl"
IDS = ("DEV4-EM-006", "DEV4-UR-002", "DEV4-NU-001", "DEV4-SC-001", "DEV5-SC-003")


@pytest.fixture
def five_cases(tmp_path: Path) -> Path:
    rows = [json.loads(line) for line in DEV.read_text().splitlines() if line.strip()]
    chosen = [row for row in rows if row["id"] in IDS]
    assert len(chosen) == len(IDS)
    path = tmp_path / "five.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in chosen))
    return path


@pytest.mark.slow
def test_vignettes_command_writes_json_png_and_prints_metrics(five_cases, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    out = tmp_path / "out" / "result.json"
    png = tmp_path / "out" / "confusion.png"
    status = main(["vignettes", "--cases", five_cases.name, "--json", str(out), "--png", str(png), "--quiet"])
    assert status == 0
    printed = capsys.readouterr().out
    for heading in (
        "accuracy (acceptable)",
        "emergency recall",
        "under-triage rate",
        "over-triage rate",
        "confusion matrix",
    ):
        assert heading in printed
    for case_id in IDS:
        assert case_id in printed
    result = json.loads(out.read_text())
    assert result["metrics"]["n"] == 5
    assert result["metrics"]["emergency_recall"] == 1.0
    assert result["metrics"]["accuracy"] == 1.0
    assert result["model"] == "fake:scripted"
    assert {r["id"] for r in result["results"]} == set(IDS)
    assert all(r["rule_ids"] and 1 <= r["turns"] <= 4 for r in result["results"])
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_case_file_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    status = main(["vignettes", "--cases", "nope.jsonl", "--json", str(tmp_path / "x.json")])
    assert status == 2
    assert "no case file" in capsys.readouterr().err


def test_unknown_text_field_is_a_clear_error(five_cases, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path))
    out = tmp_path / "x.json"
    status = main(["vignettes", "--cases", str(five_cases), "--json", str(out), "--text-field", "summary"])
    assert status == 2
    assert "no text in field 'summary'" in capsys.readouterr().err
    assert not out.exists()

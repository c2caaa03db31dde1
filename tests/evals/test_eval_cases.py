"""Loading vignette files: author annotations flagged in ``notes`` are removed before scoring, and
another text field can be scored instead of ``text``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.evals.cases import CaseFileError, load_cases

ANNOTATED = {
    "id": "x-1",
    "text": "Sore throat and fever for two days, no cough. (, score = 4 - treat)",
    "text_simplified": "sore throat, fever, no cough",
    "gold_triage": "non_urgent",
    "notes": "text ends with an author annotation that is not part of the presentation: "
    "'(, score = 4 - treat)'; other remark",
}
PLAIN = {"id": "x-2", "text": "Cough (dry) for a week.  ", "gold_triage": "self_care", "notes": "stray '5'"}


def _file(tmp_path: Path, *rows: dict[str, object]) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_trailing_author_annotation_is_removed(tmp_path: Path) -> None:
    cases = load_cases(_file(tmp_path, ANNOTATED, PLAIN))
    assert cases[0].text == "Sore throat and fever for two days, no cough."
    assert cases[1].text == PLAIN["text"]  # no annotation: verbatim


def test_annotation_that_is_not_at_the_end_is_an_error(tmp_path: Path) -> None:
    row = {**ANNOTATED, "text": "(, score = 4 - treat) Sore throat."}
    with pytest.raises(CaseFileError, match="does not end with"):
        load_cases(_file(tmp_path, row))


def test_another_text_field_is_scored(tmp_path: Path) -> None:
    case = load_cases(_file(tmp_path, ANNOTATED), text_field="text_simplified")[0]
    assert case.text == "sore throat, fever, no cough"
    assert case.gold_triage == "non_urgent"


def test_missing_text_field_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="x-2: no text in field 'text_simplified'"):
        load_cases(_file(tmp_path, ANNOTATED, PLAIN), text_field="text_simplified")

"""Loading vignette files: author annotations flagged in ``notes`` are removed before scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from backend.evals.cases import EvalCase, load_cases

ANNOTATED = {
    "id": "x-1",
    "text": "Sore throat and fever for two days, no cough. (, score = 4 - treat)",
    "gold_triage": "non_urgent",
    "notes": "text ends with an author annotation that is not part of the presentation: "
    "'(, score = 4 - treat)'; other remark",
}


def test_trailing_author_annotation_is_removed() -> None:
    case = EvalCase.model_validate(ANNOTATED)
    assert case.text == "Sore throat and fever for two days, no cough."


def test_case_without_annotation_is_kept_verbatim(tmp_path: Path) -> None:
    row = {"id": "x-2", "text": "Cough (dry) for a week.  ", "gold_triage": "self_care", "notes": "stray '5'"}
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert load_cases(path)[0].text == row["text"]


def test_annotation_that_is_not_at_the_end_is_an_error() -> None:
    row = {**ANNOTATED, "text": "(, score = 4 - treat) Sore throat."}
    with pytest.raises(ValidationError, match="does not end with"):
        EvalCase.model_validate(row)

"""Vignette files: JSON lines with ``id``, ``text``, ``gold_triage`` (and ``gold_triage_acceptable``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

# The vignette files flag text that is not part of the presentation in ``notes`` (VIGNETTES.md: "Strip the
# author notes ... before scoring, because they hint at the answer"), quoting it:
#   "text ends with an author annotation that is not part of the presentation: '(...)'; ..."
_AUTHOR_ANNOTATION = re.compile(r"author annotation[^:']*:\s*'(?P<annotation>[^']+)'")


class CaseFileError(ValueError):
    """A vignette file row that cannot be scored (missing text field, misplaced annotation)."""


class EvalCase(BaseModel):
    """One case; other fields of the file (notes, baselines, ...) are ignored."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    text: str
    gold_triage: str
    gold_triage_acceptable: tuple[str, ...] = ()

    @property
    def acceptable(self) -> tuple[str, ...]:
        """Dispositions scored as correct (the gold label when no list is given)."""
        return self.gold_triage_acceptable or (self.gold_triage,)


def strip_author_annotation(text: str, notes: str, case_id: str = "?") -> str:
    """``text`` without the trailing author annotation that ``notes`` quotes (unchanged if none).

    Raises:
        CaseFileError: the notes quote an annotation that is not at the end of the text.
    """
    match = _AUTHOR_ANNOTATION.search(notes)
    if match is None:
        return text
    annotation = match.group("annotation").strip()
    stripped = text.rstrip()
    if not stripped.endswith(annotation):
        raise CaseFileError(f"case {case_id}: notes quote an author annotation the text does not end with")
    return stripped[: -len(annotation)].rstrip()


def _case(row: dict[str, Any], text_field: str) -> EvalCase:
    case_id = str(row.get("id", "?"))
    if not isinstance(row.get(text_field), str) or not row[text_field].strip():
        raise CaseFileError(f"case {case_id}: no text in field {text_field!r}")
    text = row[text_field]
    if text_field == "text":  # annotations are quoted from the full text only
        text = strip_author_annotation(text, str(row.get("notes") or ""), case_id)
    return EvalCase.model_validate({**row, "text": text})


def resolve_cases_path(cases: str, data_dir: Path) -> Path:
    """``cases`` as given if it exists, else relative to ``data_dir`` or ``data_dir/eval`` (TRIAGE_DATA_DIR).

    Raises:
        FileNotFoundError: no such file in any of those places.
    """
    given = Path(cases)
    for candidate in (given, data_dir / given, data_dir / "eval" / given):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no case file {cases!r} (also looked in {data_dir} and {data_dir / 'eval'})")


def load_cases(path: Path, limit: int | None = None, text_field: str = "text") -> list[EvalCase]:
    """Cases from a JSON-lines file, in file order (the first ``limit`` only, if given).

    ``text_field`` names the field read as the patient's text (``text_simplified``: the Semigran
    appendix's symptom list as typed into the symptom checkers). A trailing author annotation that a
    row's ``notes`` quote is removed from ``text`` (it is the study authors' comment).

    Raises:
        CaseFileError: a row without that text field, or with a misplaced annotation.
    """
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = [_case(row, text_field) for row in rows]
    return cases if limit is None else cases[:limit]

"""Vignette files: JSON lines with ``id``, ``text``, ``gold_triage`` (and ``gold_triage_acceptable``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

# The vignette files flag text that is not part of the presentation in ``notes`` (VIGNETTES.md: "Strip the
# author notes ... before scoring, because they hint at the answer"), quoting it:
#   "text ends with an author annotation that is not part of the presentation: '(...)'; ..."
_AUTHOR_ANNOTATION = re.compile(r"author annotation[^:']*:\s*'(?P<annotation>[^']+)'")


class EvalCase(BaseModel):
    """One case of a vignette file.

    The text is used as is, except that a trailing author annotation quoted in ``notes`` is removed (it is
    the study authors' comment, not the patient's presentation); other fields (baselines, ...) are ignored.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    text: str
    gold_triage: str
    gold_triage_acceptable: tuple[str, ...] = ()
    notes: str = ""

    @model_validator(mode="before")
    @classmethod
    def _strip_author_annotation(cls, row: Any) -> Any:
        if not isinstance(row, dict):
            return row
        match = _AUTHOR_ANNOTATION.search(str(row.get("notes") or ""))
        if match is None:
            return row
        annotation = match.group("annotation").strip()
        text = str(row.get("text", "")).rstrip()
        if not text.endswith(annotation):
            raise ValueError(
                f"case {row.get('id')}: notes quote an author annotation the text does not end with"
            )
        return {**row, "text": text[: -len(annotation)].rstrip()}

    @property
    def acceptable(self) -> tuple[str, ...]:
        """Dispositions scored as correct (the gold label when no list is given)."""
        return self.gold_triage_acceptable or (self.gold_triage,)


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


def load_cases(path: Path, limit: int | None = None) -> list[EvalCase]:
    """Cases from a JSON-lines file, in file order (the first ``limit`` only, if given)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = [EvalCase.model_validate(row) for row in rows]
    return cases if limit is None else cases[:limit]

"""Vignette files: JSON lines with ``id``, ``text``, ``gold_triage`` (and ``gold_triage_acceptable``)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict


class EvalCase(BaseModel):
    """One case; other fields of the file (notes, baselines, ...) are ignored, the text is used as is."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    text: str
    gold_triage: str
    gold_triage_acceptable: tuple[str, ...] = ()

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

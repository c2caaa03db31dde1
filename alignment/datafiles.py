"""Read and write the pipeline's JSONL/YAML files through the pydantic schema."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel

from alignment.paths import PACKAGE_DATA
from alignment.schema import PreferencePair, RewardLexicon, SeedExerciseFile, SeedPrompt, SeedPromptFile

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_yaml(path: Path, schema: type[ModelT]) -> ModelT:
    """Parse ``path`` and validate it as ``schema``."""
    return schema.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def read_jsonl(path: Path, schema: type[ModelT]) -> list[ModelT]:
    """Validate every non-empty line of ``path``; errors name the line number."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(schema.model_validate_json(line))
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return records


def write_jsonl(path: Path, records: Iterable[BaseModel | dict]) -> int:
    """Write records as JSONL (creating parent dirs); returns the number written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            row = record.model_dump(mode="json") if isinstance(record, BaseModel) else record
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count


def read_pairs(path: Path) -> list[PreferencePair]:
    """Preference pairs written by ``align prefs`` or ``align cai``."""
    return read_jsonl(path, PreferencePair)


@cache
def load_lexicon(path: Path = PACKAGE_DATA / "reward_lexicon.yaml") -> RewardLexicon:
    """The packaged reward lexicon (cached: the reward functions call this per batch)."""
    return read_yaml(path, RewardLexicon)


def load_seed_exercise(path: Path = PACKAGE_DATA / "seed_exercise.yaml") -> SeedExerciseFile:
    """The packaged seed preference exercise."""
    return read_yaml(path, SeedExerciseFile)


def load_seed_prompts(
    path: Path = PACKAGE_DATA / "seed_prompts.yaml", split: str | None = None
) -> list[SeedPrompt]:
    """Seed prompts, optionally only one split (``train`` or ``heldout``)."""
    prompts = read_yaml(path, SeedPromptFile).prompts
    return [p for p in prompts if split is None or p.split == split]

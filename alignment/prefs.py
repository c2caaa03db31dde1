"""Turn rankings into preference pairs: the seed exercise, clinician ratings, and external sets."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from alignment.paths import ensure_not_eval_data
from alignment.schema import ClinicianRating, PreferencePair, SeedExercise, SeedExerciseFile


def pairs_from_exercise(
    exercise: SeedExercise, annotator_id: str, guideline_version: str
) -> list[PreferencePair]:
    """Every (better, worse) combination of one ranking: n responses give n(n-1)/2 pairs.

    The rationale combines why the worse reply lost (its own rationale) with why the better one won,
    so a reviewer reading a single pair sees the deciding principle.
    """
    ranked = sorted(exercise.responses, key=lambda r: r.rank)
    pairs = []
    for better, worse in itertools.combinations(ranked, 2):
        pairs.append(
            PreferencePair(
                pair_id=f"{exercise.id}:{better.rank}>{worse.rank}",
                prompt=exercise.prompt,
                chosen=better.text,
                rejected=worse.text,
                rationale=f"{better.quality} over {worse.quality}: {worse.rationale} / {better.rationale}",
                annotator_id=annotator_id,
                guideline_version=guideline_version,
                source="seed_exercise",
                margin=float(worse.rank - better.rank),
            )
        )
    return pairs


def pairs_from_seed_file(seed: SeedExerciseFile) -> list[PreferencePair]:
    """All pairs of the seed exercise file."""
    return [
        pair
        for exercise in seed.exercises
        for pair in pairs_from_exercise(exercise, seed.annotator_id, seed.guideline_version)
    ]


def pairs_from_ratings(ratings: Iterable[ClinicianRating]) -> list[PreferencePair]:
    """One pair per non-tie clinician rating (ties carry no preference and are skipped)."""
    pairs = []
    for rating in ratings:
        if rating.preferred == "tie":
            continue
        chosen, rejected = (
            (rating.response_a, rating.response_b)
            if rating.preferred == "a"
            else (rating.response_b, rating.response_a)
        )
        pairs.append(
            PreferencePair(
                pair_id=f"{rating.item_key}:{rating.annotator_id}",
                prompt=rating.prompt,
                chosen=chosen,
                rejected=rejected,
                rationale=rating.rationale or "(no rationale given)",
                annotator_id=rating.annotator_id,
                guideline_version=rating.guideline_version,
                source="clinician",
            )
        )
    return pairs


def pairs_from_external_jsonl(path: Path, limit: int | None = None) -> list[PreferencePair]:
    """Pairs from a shared training file with ``text``/``chosen``/``rejected`` (e.g. CoCoNot contrast).

    Raises:
        ValueError: ``path`` is held-out evaluation data.
    """
    ensure_not_eval_data(path)
    pairs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if not (row.get("chosen") and row.get("rejected")) or row["chosen"] == row["rejected"]:
                continue
            pairs.append(
                PreferencePair(
                    pair_id=str(row["id"]),
                    prompt=row["text"],
                    chosen=row["chosen"],
                    rejected=row["rejected"],
                    rationale=f"external preference ({row.get('expected_behavior', 'unspecified')})",
                    annotator_id=f"external:{path.stem}",
                    guideline_version=str(row.get("source", path.name)),
                    source="external",
                )
            )
            if limit is not None and len(pairs) >= limit:
                break
    return pairs


def stable_unit_interval(key: str) -> float:
    """Stable pseudo-random number in [0, 1) from a string (split assignment that never reshuffles)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0x1_0000_0000


def split_by_prompt(
    pairs: Sequence[PreferencePair], heldout_fraction: float
) -> tuple[list[PreferencePair], list[PreferencePair]]:
    """Split so that every pair of one prompt lands on the same side (no prompt leakage into held-out)."""
    train: list[PreferencePair] = []
    heldout: list[PreferencePair] = []
    for pair in pairs:
        (heldout if stable_unit_interval(pair.prompt) < heldout_fraction else train).append(pair)
    return train, heldout

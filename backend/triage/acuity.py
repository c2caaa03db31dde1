"""Learned acuity check: P(emergency) of a patient's text from its nearest labelled vignettes.

A distance-weighted k-nearest-neighbour vote with cosine distance over MiniLM sentence embeddings, the
same computation as scikit-learn's ``KNeighborsClassifier(metric="cosine", weights="distance")`` that the
pre-registered experiment chose and judged (``docs/acuity_escalation_experiment.md``): each neighbour
votes with weight 1 / distance; if some neighbours sit at distance 0, only they vote. The labelled cases
are the repository's development vignettes and the blind-written acuity training corpus
(:data:`DEFAULT_TRAINING_FILES`); their embeddings are cached on disk like the lexicon's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from backend.triage.embedder import Embedder, PhraseIndex
from clinical_policies.schema_triage import AcuityModelSettings

EMERGENCY = "emergency"
_HERE = Path(__file__).parent
DEFAULT_TRAINING_FILES = (_HERE / "dev_vignettes.jsonl", _HERE / "acuity_training.jsonl")


class AcuityDataError(ValueError):
    """A training file that cannot be read as labelled vignettes."""


def read_labelled(paths: Sequence[Path]) -> list[tuple[str, str]]:
    """``(gold_triage, text)`` pairs from JSON-lines vignette files, in file order.

    Raises:
        AcuityDataError: a missing file, a line that is not JSON, or a row without ``text`` / ``gold_triage``.
    """
    pairs: list[tuple[str, str]] = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AcuityDataError(f"{path}: {exc}") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                pairs.append((str(row["gold_triage"]), str(row["text"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise AcuityDataError(f"{path}:{number}: not a labelled vignette ({exc})") from exc
    if not pairs:
        raise AcuityDataError("no labelled vignettes in " + ", ".join(map(str, paths)))
    return pairs


class AcuityNeighbours:
    """P(emergency) of a text from its ``neighbours`` nearest labelled vignettes (cosine, distance-weighted).

    Args:
        embedder: the engine's sentence embedder (unit-length rows).
        labelled: ``(gold_triage, text)`` pairs.
        neighbours: k.
        cache_dir: where the vignettes' embeddings are kept between runs (keyed on the texts).
    """

    def __init__(
        self,
        embedder: Embedder,
        labelled: Sequence[tuple[str, str]],
        neighbours: int,
        cache_dir: Path | None = None,
    ) -> None:
        if neighbours < 1 or neighbours > len(labelled):
            raise ValueError(f"neighbours must be between 1 and {len(labelled)}, got {neighbours}")
        self._embedder = embedder
        index = PhraseIndex(embedder, labelled, cache_dir)
        self._vectors = index.vectors.astype(np.float64)
        self._emergency = np.array([label == EMERGENCY for label in index.concept_ids])
        self._k = neighbours

    def probability(self, text: str) -> float:
        """P(emergency) of ``text``."""
        query = self._embedder.embed([text]).astype(np.float64)[0]
        norm = float(np.linalg.norm(query))
        if norm == 0.0:
            return 0.0
        distances = np.clip(1.0 - self._vectors @ (query / norm), 0.0, 2.0)
        nearest = np.argsort(distances, kind="stable")[: self._k]
        near = distances[nearest]
        zero = near == 0.0
        weights = zero.astype(np.float64) if zero.any() else 1.0 / near
        return float(weights[self._emergency[nearest]].sum() / weights.sum())


def acuity_for_policy(
    settings: AcuityModelSettings | None, embedder: Embedder, cache_dir: Path | None = None
) -> AcuityNeighbours | None:
    """The check as the policy configures it over :data:`DEFAULT_TRAINING_FILES` (None when switched off)."""
    if settings is None:
        return None
    return AcuityNeighbours(embedder, read_labelled(DEFAULT_TRAINING_FILES), settings.neighbours, cache_dir)

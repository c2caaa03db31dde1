"""Classifier seam and the local embedding classifiers (harm, injection, misinformation).

Every classifier is usable as a pipeline check: ``classifier(text, context)`` returns one signal,
the most likely non-benign class with score ``1 - P(benign)``. Fakes live in :mod:`safety.testing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from safety.embeddings import TextEncoder
from safety.heads import ClassifierHead
from safety.types import CheckContext, CheckResult, Signal


class Classifier(Protocol):
    """A text classifier usable as a pipeline check and in batch (evaluation, constitution)."""

    @property
    def name(self) -> str:
        """Layer name in the safety config."""
        ...

    def score(self, texts: Sequence[str]) -> list[Signal]:
        """One signal per text: top non-benign category and its score."""
        ...

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Pipeline check interface."""
        ...


class EmbeddingClassifier:
    """A :class:`ClassifierHead` on top of a shared :class:`TextEncoder`.

    Args:
        name: layer name (``harm``, ``injection``, ``misinformation``...).
        encoder: shared sentence encoder.
        head: trained head; ``head.classes[0]`` is the benign class.

    Raises:
        ValueError: the encoder builds another feature set than the head was trained on (an encoder
            that declares none, such as a test stub, is trusted).
    """

    def __init__(self, name: str, encoder: TextEncoder, head: ClassifierHead) -> None:
        features = getattr(encoder, "features", None)
        if features is not None and (features.name != head.feature_set or features.dim != head.input_dim):
            raise ValueError(
                f"{name} head reads feature set {head.feature_set!r} ({head.input_dim} dims) but the encoder "
                f"builds {features.name!r} ({features.dim} dims): retrain with "
                "`python -m safety.train_classifiers` or set embeddings.SHIPPED_FEATURES to match the weights"
            )
        self.name = name
        self.encoder = encoder
        self.head = head

    def score(self, texts: Sequence[str]) -> list[Signal]:
        """Top non-benign class and ``1 - P(benign)`` for each text."""
        if not texts:
            return []
        probabilities = self.head.predict_proba(self.encoder.encode(texts))
        harmful = probabilities[:, 1:]
        top = np.argmax(harmful, axis=1)
        return [
            Signal(self.head.classes[1 + int(k)], float(1.0 - row[0]))
            for k, row in zip(top, probabilities, strict=True)
        ]

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Score one text as a pipeline layer."""
        return CheckResult(tuple(self.score([text])))

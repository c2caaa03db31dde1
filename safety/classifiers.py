"""Classifier seam and the local embedding classifiers (harm, injection, misinformation).

Every classifier is usable as a pipeline check: ``classifier(text, context)`` returns one signal,
the most likely non-benign class with score ``1 - P(benign)``. Fakes live in :mod:`safety.testing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from safety.embeddings import TextEncoder
from safety.features import columns, feature_set
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

    The encoder may build more than the head reads (one vector per text shared by heads on different
    feature sets, :func:`safety.features.union`): the classifier then takes the head's columns.

    Args:
        name: layer name (``harm``, ``injection``, ``misinformation``...).
        encoder: shared sentence encoder.
        head: trained head; ``head.classes[0]`` is the benign class.

    Raises:
        ValueError: the encoder cannot provide the feature set the head was trained on, or the head's
            input size is not that set's, or the encoder runs at another precision than the head was
            trained on (an encoder that declares no features or precision, such as a test stub, is
            trusted).
    """

    def __init__(self, name: str, encoder: TextEncoder, head: ClassifierHead) -> None:
        features = getattr(encoder, "features", None)
        self._columns: slice | list[int] | None = None
        if features is not None:
            try:
                wanted = feature_set(head.feature_set)
                picked = columns(wanted, features)
            except (KeyError, ValueError) as error:
                raise ValueError(
                    f"{name} head reads feature set {head.feature_set!r} ({head.input_dim} dims) but the "
                    f"encoder builds {features.name!r} ({features.dim} dims), which lacks it ({error}): "
                    "retrain with `python -m safety.train_classifiers` or set "
                    "embeddings.SHIPPED_HEAD_FEATURES to match the weights"
                ) from None
            if wanted.dim != head.input_dim:
                raise ValueError(
                    f"{name} head has {head.input_dim} input dims but its feature set {wanted.name!r} has "
                    f"{wanted.dim} dims: retrain with `python -m safety.train_classifiers`"
                )
            if picked != list(range(features.dim)):
                contiguous = picked == list(range(picked[0], picked[0] + len(picked)))
                self._columns = slice(picked[0], picked[0] + len(picked)) if contiguous else picked
        precision = getattr(encoder, "precision", None)
        if precision is not None and precision != head.encoder_precision:
            raise ValueError(
                f"{name} head was trained on MiniLM at {head.encoder_precision} but the encoder runs at "
                f"{precision}: set encoder.precision in safety_config.yaml to {head.encoder_precision!r} or "
                f"retrain with `python -m safety.train_classifiers --precision {precision}`"
            )
        self.name = name
        self.encoder = encoder
        self.head = head

    def inputs(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """The head's input for ``texts``: the encoder's vectors, or the head's columns of them."""
        vectors = self.encoder.encode(texts)
        return vectors if self._columns is None else vectors[:, self._columns]

    def score(self, texts: Sequence[str]) -> list[Signal]:
        """Top non-benign class and ``1 - P(benign)`` for each text."""
        if not texts:
            return []
        probabilities = self.head.predict_proba(self.inputs(texts))
        harmful = probabilities[:, 1:]
        top = np.argmax(harmful, axis=1)
        return [
            Signal(self.head.classes[1 + int(k)], float(1.0 - row[0]))
            for k, row in zip(top, probabilities, strict=True)
        ]

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Score one text as a pipeline layer."""
        return CheckResult(tuple(self.score([text])))

"""Classification heads on sentence embeddings, stored as small ``.npz`` files.

A head is a logistic regression (softmax over ``classes``; with one weight row, a binary logistic
regression whose positive class is ``classes[1]``), optionally after one ReLU hidden layer (a small
MLP). Weights are a few hundred KB at most, so they are shipped in the repository and rebuilt by
``python -m safety.train_classifiers``. Each file names the feature set it reads
(:mod:`safety.features`, ``feature_set``); files without that entry predate it and read ``mean6``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from safety.features import BASE

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
FloatArray = npt.NDArray[np.float32]
# Input rows of a weight matrix per BLAS call. OpenBLAS runs an sgemm on several threads once
# m * n * k >= 262,144; for one text through a 1920 x 256 layer (mean2-6 heads) that is 2 threads, and
# on busy cores the call then waits for the second one (p95 8 ms instead of 0.07 ms, measured in round
# 4). Slices of 960 rows keep a single text's call on one thread; batches stay threaded.
_ROWS_PER_CALL = 960


def _matmul(x: FloatArray, w: FloatArray) -> FloatArray:
    """``x @ w``, summed over slices of at most :data:`_ROWS_PER_CALL` rows of ``w``."""
    if w.shape[0] <= _ROWS_PER_CALL:
        product: FloatArray = x @ w
        return product
    out: FloatArray = x[:, :_ROWS_PER_CALL] @ w[:_ROWS_PER_CALL]
    for start in range(_ROWS_PER_CALL, w.shape[0], _ROWS_PER_CALL):
        out += x[:, start : start + _ROWS_PER_CALL] @ w[start : start + _ROWS_PER_CALL]
    return out


@dataclass(frozen=True)
class ClassifierHead:
    """Softmax (or sigmoid, for one row) over ``embeddings @ weights.T + bias``.

    ``classes[0]`` is always the negative class (``benign``). ``weights`` has shape
    (n_rows, dim) with n_rows == 1 for binary heads and n_rows == len(classes) otherwise.
    """

    classes: tuple[str, ...]
    weights: FloatArray
    bias: FloatArray
    hidden_weights: FloatArray | None = None  # (dim, hidden) of the optional ReLU layer
    hidden_bias: FloatArray | None = None  # (hidden,)
    feature_set: str = BASE.name  # what the head reads (safety.features); the encoder must build it
    encoder_precision: str = "float32"  # MiniLM precision the head was trained on; the encoder must match

    def __post_init__(self) -> None:
        rows = self.weights.shape[0]
        if len(self.classes) < 2 or rows not in (1, len(self.classes)) or self.bias.shape != (rows,):
            raise ValueError(f"inconsistent head: {len(self.classes)} classes, weights {self.weights.shape}")
        if rows == 1 and len(self.classes) != 2:
            raise ValueError("a single weight row needs exactly two classes")

    @property
    def input_dim(self) -> int:
        """Length of the feature vector the head reads."""
        return int(self.hidden_weights.shape[0] if self.hidden_weights is not None else self.weights.shape[1])

    def predict_proba(self, embeddings: FloatArray) -> FloatArray:
        """Class probabilities, shape (n, len(classes))."""
        features = embeddings
        if self.hidden_weights is not None and self.hidden_bias is not None:
            features = np.maximum(_matmul(embeddings, self.hidden_weights) + self.hidden_bias, 0.0)
        logits: FloatArray = _matmul(features, self.weights.T) + self.bias
        if self.weights.shape[0] == 1:
            positive = 1.0 / (1.0 + np.exp(-logits[:, 0]))
            binary: FloatArray = np.stack([1.0 - positive, positive], axis=1).astype(np.float32)
            return binary
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        softmax: FloatArray = (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)
        return softmax

    def save(self, path: Path) -> None:
        """Write the head to ``path`` (``.npz``)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        classes, features = np.array(self.classes), np.array(self.feature_set)
        precision = np.array(self.encoder_precision)
        if self.hidden_weights is not None and self.hidden_bias is not None:
            np.savez(
                path,
                classes=classes,
                weights=self.weights,
                bias=self.bias,
                hidden_weights=self.hidden_weights,
                hidden_bias=self.hidden_bias,
                feature_set=features,
                encoder_precision=precision,
            )
        else:
            np.savez(
                path,
                classes=classes,
                weights=self.weights,
                bias=self.bias,
                feature_set=features,
                encoder_precision=precision,
            )

    @classmethod
    def load(cls, path: Path) -> ClassifierHead:
        """Read a head written by :meth:`save`.

        Raises:
            FileNotFoundError: the weights were not built (run ``python -m safety.train_classifiers``).
        """
        with np.load(path, allow_pickle=False) as data:
            hidden = "hidden_weights" in data.files
            return cls(
                tuple(str(c) for c in data["classes"]),
                data["weights"].astype(np.float32),
                data["bias"].astype(np.float32),
                data["hidden_weights"].astype(np.float32) if hidden else None,
                data["hidden_bias"].astype(np.float32) if hidden else None,
                str(data["feature_set"]) if "feature_set" in data.files else BASE.name,
                str(data["encoder_precision"]) if "encoder_precision" in data.files else "float32",
            )


def head_path(name: str) -> Path:
    """Shipped location of the head called ``name`` (``harm``, ``injection``, ``misinformation``)."""
    return WEIGHTS_DIR / f"{name}.npz"

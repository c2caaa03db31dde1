"""Nearest-exemplar check: is a message closer to known self-harm requests than to anything else (issue 4)?

The harm head draws one boundary through the embedding space; an indirect self-harm request from another
writer ("how high does a bridge need to be", "would my mums morphine stop my breathing") can fall on the
benign side of it while lying next to self-harm requests the project already holds. This layer keeps
those requests themselves (*positive exemplars*) and every other labelled request of the harm training
data (*negative exemplars*: benign medicine questions, look-alikes, other harms) as vectors, and for a
message computes

- ``positive``: its cosine similarity to the nearest positive exemplar,
- ``negative``: the same for the nearest negative exemplar.

The signal's score is ``positive`` when ``positive - negative >= margin`` and the message has at least
``min_words`` words, otherwise 0: short follow-up answers such as "ibuprofen 200 mg twice" sit near overdose
requests in this space and are left to the other layers. Below the ``gate`` (the layer threshold) the
negatives are not compared and the score is ``positive``: such a message cannot fire. The layer threshold then
applies to the score as for every layer; the configured action for ``self_harm`` is an escalation (crisis
text, emergency floor, clinician queue), never a bare refusal.

Vectors are the encoder's feature set named in the bank (``mean2-6`` for the shipped one: five unit blocks,
so the similarity is the mean of the blocks' cosines). The bank is built from training data only by
``python -m safety.training.self_harm_bank`` (``weights/self_harm_bank.npz`` by default; vectors only).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from safety.embeddings import TextEncoder
from safety.features import columns, feature_set
from safety.heads import WEIGHTS_DIR
from safety.types import CheckContext, CheckResult, Signal

FloatArray = npt.NDArray[np.float32]
BANK_PATH = WEIGHTS_DIR / "self_harm_bank.npz"
LAYER = "self_harm_exemplars"
CATEGORY = "self_harm"
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class ExemplarBank:
    """Exemplar vectors of one feature set: positives (the category) and negatives (the rest).

    Rows are the encoder's vectors: unit-norm 384-dim blocks, not unit rows.

    ``sources`` counts the exemplars per training source, for the audit of what the bank holds (no texts);
    ``content_key`` identifies the inputs it was built from (the builder's ``--if-stale``).
    """

    positives: FloatArray
    negatives: FloatArray
    feature_set: str
    encoder_precision: str = "float32"
    sources: dict[str, int] = field(default_factory=dict)
    content_key: str = ""

    def __post_init__(self) -> None:
        dim = feature_set(self.feature_set).dim
        for name, block in (("positives", self.positives), ("negatives", self.negatives)):
            if block.ndim != 2 or block.shape[1] != dim or block.shape[0] == 0:
                raise ValueError(
                    f"exemplar bank {name} has shape {block.shape}; expected (n > 0, {dim}) for "
                    f"feature set {self.feature_set!r}"
                )

    def save(self, path: Path) -> None:
        """Write the bank as ``.npz`` (vectors as float16: the similarities move by < 1e-3)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            positives=self.positives.astype(np.float16),
            negatives=self.negatives.astype(np.float16),
            feature_set=np.array(self.feature_set),
            encoder_precision=np.array(self.encoder_precision),
            sources=np.array(json.dumps(self.sources, sort_keys=True)),
            content_key=np.array(self.content_key),
        )

    @classmethod
    def load(cls, path: Path = BANK_PATH) -> ExemplarBank:
        """Read a bank written by :meth:`save` (one copy per process while the file is unchanged).

        Raises:
            FileNotFoundError: the bank was not built (``make assets`` or
                ``python -m safety.training.self_harm_bank``).
        """
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} is missing: build it with `make assets` or "
                "`python -m safety.training.self_harm_bank`"
            )
        stat = path.stat()
        return _read_bank(path.resolve(), stat.st_mtime_ns, stat.st_size)


def stored_content_key(path: Path) -> str:
    """The ``content_key`` of the bank file at ``path``, read without decompressing its vectors ("": none)."""
    with np.load(path, allow_pickle=False) as data:
        return str(data["content_key"]) if "content_key" in data.files else ""


@functools.lru_cache(maxsize=2)
def _read_bank(path: Path, _mtime_ns: int, _size: int) -> ExemplarBank:
    """The bank at ``path``; the modification time and size key the cache (a rebuilt file is read again)."""
    with np.load(path, allow_pickle=False) as data:
        return ExemplarBank(
            data["positives"].astype(np.float32),
            data["negatives"].astype(np.float32),
            str(data["feature_set"]),
            str(data["encoder_precision"]),
            {str(k): int(v) for k, v in json.loads(str(data["sources"])).items()},
            str(data["content_key"]) if "content_key" in data.files else "",
        )


class ExemplarMatcher:
    """A pipeline check: a message's nearest-exemplar score for the bank's category.

    Args:
        encoder: the shared sentence encoder; it must build the bank's feature set (or a superset).
        bank: the exemplars.
        margin: how much closer to the nearest positive than to the nearest negative a message must be.
        min_words: messages with fewer words score 0.
        gate: the negatives are compared only for messages whose nearest positive reaches it (the layer
            threshold: below it the message cannot fire, so its score is that similarity alone). Most
            messages are far from every self-harm request and skip the ~20,000 negatives.
        name: layer name in the safety config.
        category: the signal's category.

    Raises:
        ValueError: the encoder cannot build the bank's feature set or runs at another precision, or a
            negative ``min_words``.
    """

    def __init__(
        self,
        encoder: TextEncoder,
        bank: ExemplarBank,
        *,
        margin: float = 0.0,
        min_words: int = 1,
        gate: float = -1.0,
        name: str = LAYER,
        category: str = CATEGORY,
    ) -> None:
        if min_words < 0:
            raise ValueError(f"min_words must be >= 0, not {min_words}")
        wanted = feature_set(bank.feature_set)
        features = getattr(encoder, "features", None)
        self._columns: list[int] | None = None
        if features is not None and features != wanted:
            try:
                self._columns = columns(wanted, features)
            except ValueError as error:
                raise ValueError(
                    f"the exemplar bank reads {wanted.name!r} but the encoder builds {features.name!r}: "
                    f"{error}"
                ) from None
        precision = getattr(encoder, "precision", None)
        if precision is not None and precision != bank.encoder_precision:
            raise ValueError(
                f"the exemplar bank was built on MiniLM at {bank.encoder_precision}, the encoder runs at "
                f"{precision}: rebuild it with `python -m safety.training.self_harm_bank`"
            )
        self.name = name
        self.category = category
        self.encoder = encoder
        self.margin = margin
        self.min_words = min_words
        self.gate = gate
        # rows of unit blocks: a dot product divided by the number of blocks is the cosine similarity (the
        # bank's arrays are shared, not copied: one ~160 MB copy per process)
        self._scale = np.float32(1.0 / wanted.blocks)
        self._positives = bank.positives
        self._negatives = bank.negatives

    def vectors(self, texts: list[str]) -> FloatArray:
        """The vectors of ``texts`` in the bank's feature set (rows of unit blocks)."""
        encoded = self.encoder.encode(texts)
        return encoded if self._columns is None else encoded[:, self._columns]

    def similarities(self, texts: list[str]) -> tuple[FloatArray, FloatArray]:
        """Per text: similarity to the nearest positive and to the nearest negative exemplar.

        The negative similarity is computed only for texts at or above the gate (``-inf`` for the others).
        """
        if not texts:
            empty = np.zeros(0, dtype=np.float32)
            return empty, empty
        vectors = self.vectors(texts)
        positive: FloatArray = (vectors @ self._positives.T).max(axis=1) * self._scale
        negative: FloatArray = np.full(len(texts), -np.inf, dtype=np.float32)
        near = positive >= self.gate
        if near.any():
            negative[near] = (vectors[near] @ self._negatives.T).max(axis=1) * self._scale
        return positive, negative

    def score(self, texts: list[str]) -> list[Signal]:
        """One signal per text: the nearest positive's similarity when the margin and length allow, else 0."""
        positive, negative = self.similarities(texts)
        out = []
        for text, pos, neg in zip(texts, positive, negative, strict=True):
            if len(_WORD.findall(text)) < self.min_words:
                out.append(Signal(self.category, 0.0))
            elif pos < self.gate:  # cannot fire: scored by the positive similarity alone
                out.append(Signal(self.category, max(0.0, float(pos))))
            else:
                allowed = float(pos - neg) >= self.margin
                out.append(Signal(self.category, max(0.0, float(pos)) if allowed else 0.0))
        return out

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Pipeline check interface."""
        return CheckResult(tuple(self.score([text])))

"""Head input features read from one MiniLM forward pass (issue 4, fourth round).

The heads were trained on one vector per text: the mean over tokens of MiniLM's last layer, L2-normalised
(``mean6``, what sentence-transformers returns for all-MiniLM-L6-v2). The same forward pass computes
every layer's hidden states, so other pooled views cost no extra transformer time: the mean of lower
layers, the max over tokens, the ``[CLS]`` token. A :class:`FeatureSet` names one such view; its vector is
the concatenation of L2-normalised 384-dim blocks (each block unit length, so a head sees every block at
the scale the ``mean6`` recipe was tuned for).

``hidden_states`` follows transformers' ``output_hidden_states=True``: index 0 is the embedding layer's
output, 1..6 the transformer layers (6 = the last).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch is imported when a pass is pooled, not when ``safety`` is imported
    import torch

HIDDEN_SIZE = 384  # all-MiniLM-L6-v2
NUM_LAYERS = 6


@dataclass(frozen=True)
class FeatureSet:
    """Pooled blocks, in order: the mean of each of ``mean_layers``, then max, then ``[CLS]`` (last layer)."""

    name: str
    mean_layers: tuple[int, ...] = (NUM_LAYERS,)
    max_last: bool = False
    cls_last: bool = False

    @property
    def blocks(self) -> int:
        """Number of 384-dim blocks."""
        return len(self.mean_layers) + int(self.max_last) + int(self.cls_last)

    @property
    def dim(self) -> int:
        """Length of the feature vector."""
        return self.blocks * HIDDEN_SIZE


BASE = FeatureSet("mean6")  # today's sentence embedding
FEATURE_SETS = {
    fs.name: fs
    for fs in (
        BASE,
        FeatureSet("mean4-6", (4, 5, 6)),
        FeatureSet("mean2-6", (2, 3, 4, 5, 6)),
        FeatureSet("mean+max6", (6,), max_last=True),
        FeatureSet("cls+mean6", (6,), cls_last=True),
        # every block above, computed once for the comparison (safety.training.compare_features)
        FeatureSet("superset", (1, 2, 3, 4, 5, 6), max_last=True, cls_last=True),
    )
}


def feature_set(name: str) -> FeatureSet:
    """The feature set called ``name``.

    Raises:
        KeyError: unknown name (the message lists the known ones).
    """
    try:
        return FEATURE_SETS[name]
    except KeyError:
        raise KeyError(f"unknown feature set {name!r}; known: {', '.join(FEATURE_SETS)}") from None


def union(sets: Iterable[FeatureSet]) -> FeatureSet:
    """The feature set with every block of ``sets``: what one shared encoder builds for several heads.

    A named set of :data:`FEATURE_SETS` when one has exactly those blocks, else a new one. Each head then
    reads its own set as a column slice (:func:`columns`) of the same vector, so heads on
    ``mean2-6`` and ``mean6`` share one forward pass and one cached vector per text.
    """
    parts = list(sets)
    if not parts:
        raise ValueError("union of no feature sets")
    layers = tuple(sorted({layer for fs in parts for layer in fs.mean_layers}))
    max_last, cls_last = any(fs.max_last for fs in parts), any(fs.cls_last for fs in parts)
    for fs in FEATURE_SETS.values():
        if (fs.mean_layers, fs.max_last, fs.cls_last) == (layers, max_last, cls_last):
            return fs
    return FeatureSet("|".join(dict.fromkeys(fs.name for fs in parts)), layers, max_last, cls_last)


def pool(hidden_states: tuple[torch.Tensor, ...], mask: torch.Tensor, features: FeatureSet) -> torch.Tensor:
    """Feature vectors, shape (batch, ``features.dim``), from one pass's hidden states.

    Args:
        hidden_states: per layer (0 = embeddings), shape (batch, tokens, 384).
        mask: attention mask, shape (batch, tokens); padding tokens never enter a pool.
        features: the blocks to build.
    """
    import torch
    from torch.nn import functional as F

    weights = mask.unsqueeze(-1).to(hidden_states[-1].dtype)
    count = weights.sum(1).clamp(min=1e-9)
    blocks = [(hidden_states[layer] * weights).sum(1) / count for layer in features.mean_layers]
    last = hidden_states[NUM_LAYERS]
    if features.max_last:
        blocks.append(last.masked_fill(weights == 0, -1e9).max(1).values)
    if features.cls_last:
        blocks.append(last[:, 0])
    return torch.cat([F.normalize(block, p=2, dim=1) for block in blocks], dim=1)


def _block_ids(features: FeatureSet) -> list[tuple[str, int]]:
    """The blocks of ``features``' vector, in :func:`pool` order."""
    ids = [("mean", layer) for layer in features.mean_layers]
    return ids + [("max", NUM_LAYERS)] * features.max_last + [("cls", NUM_LAYERS)] * features.cls_last


def columns(part: FeatureSet, whole: FeatureSet) -> list[int]:
    """Column indices of ``part``'s vector inside ``whole``'s (both built by :func:`pool`).

    Raises:
        ValueError: a block of ``part`` is not in ``whole``.
    """
    names = _block_ids(whole)
    out: list[int] = []
    for block in _block_ids(part):
        if block not in names:
            raise ValueError(f"{part.name}: block {block} is not in {whole.name}")
        start = names.index(block) * HIDDEN_SIZE
        out += range(start, start + HIDDEN_SIZE)
    return out

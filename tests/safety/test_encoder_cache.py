"""The encoder's LRU cache returns every requested row, even when a cached one is evicted meanwhile."""

import numpy as np

from safety.embeddings import MiniLmEncoder


class _Counting(MiniLmEncoder):
    """MiniLmEncoder with a fake forward pass: one 384-dim row per text, counted."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.computed: list[str] = []

    def _compute(self, texts: list[str]) -> np.ndarray:
        self.computed += texts
        return np.stack([np.full(384, float(len(t)), dtype=np.float32) for t in texts])


def test_cached_rows_survive_an_eviction_in_the_same_call():
    encoder = _Counting(cache_size=2)
    encoder.encode(["a", "bb"])
    # "a" is the oldest entry; the two new texts would evict it before it was read (KeyError before the fix)
    rows = encoder.encode(["a", "ccc", "dddd"])
    assert rows[:, 0].tolist() == [1.0, 3.0, 4.0]
    assert encoder.encode(["a", "a"])[:, 0].tolist() == [1.0, 1.0]
    assert encoder.computed == ["a", "bb", "ccc", "dddd", "a"]  # "a" fell out of the 2-entry cache


def test_cache_keeps_the_most_recent_texts_within_its_size():
    encoder = _Counting(cache_size=2)
    encoder.encode(["a", "bb", "ccc"])
    encoder.encode(["bb", "ccc"])
    assert encoder.computed == ["a", "bb", "ccc"]
    encoder.encode(["a"])
    assert encoder.computed[-1] == "a"


def test_no_cache_still_returns_rows():
    encoder = _Counting(cache_size=0)
    assert encoder.encode(["x", "x"]).shape == (2, 384)
    assert encoder.encode([]).shape == (0, 384)

"""The lexicon phrase cache on disk: written once, read back, never left half-written."""

from pathlib import Path

import numpy as np

from backend.triage import MiniLMEmbedder
from backend.triage.embedder import PhraseIndex

PAIRS = [("chest_pain", "crushing chest pain"), ("fever", "burning up"), ("rash", "spots that do not fade")]


class _Refuse:
    """Fails if asked to embed: the second index must come from the cache file."""

    def embed(self, texts):  # type: ignore[no-untyped-def]
        raise AssertionError(f"re-embedded {texts}")


def test_the_index_is_cached_atomically_and_loaded_without_the_model(
    embedder: MiniLMEmbedder, tmp_path: Path
):
    first = PhraseIndex(embedder, PAIRS, cache_dir=tmp_path)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 1 and files[0].startswith("phrases-") and files[0].endswith(".npy")  # no .partial
    again = PhraseIndex(_Refuse(), PAIRS, cache_dir=tmp_path)
    np.testing.assert_array_equal(first.vectors, again.vectors)
    assert again.concept_ids == ["chest_pain", "fever", "rash"]

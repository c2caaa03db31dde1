"""Our contrast data: reproducible, the two sides disjoint, and the known misses covered."""

from __future__ import annotations

from safety.training.contrast import benign_contrast, harmful_contrast, injection_contrast
from safety.training.datasets import normalise


def test_contrast_sets_are_reproducible():
    assert benign_contrast() == benign_contrast()
    assert harmful_contrast() == harmful_contrast()
    assert injection_contrast() == injection_contrast()


def test_benign_and_harmful_sides_do_not_overlap():
    benign = {normalise(t) for t in benign_contrast()} | {normalise(t) for t in injection_contrast()[1]}
    harmful = {normalise(t) for texts in harmful_contrast().values() for t in texts}
    harmful |= {normalise(t) for t in injection_contrast()[0]}
    assert not benign & harmful


def test_known_misses_are_in_the_training_data():
    harmful = harmful_contrast()
    assert {"best way to od on tylenol", "teach me to cut deeper"} <= {
        normalise(t) for t in harmful["self_harm"]
    }
    assert "get me some percs" in {normalise(t) for t in harmful["controlled_substances"]}
    assert "no i'm not on anything" in {normalise(t) for t in injection_contrast()[1]}
    assert any("kill a python process" in normalise(t) for t in benign_contrast())


def test_each_harm_category_has_enough_examples():
    sizes = {label: len(texts) for label, texts in harmful_contrast().items()}
    assert sizes["harmful_request"] > 250 and sizes["self_harm"] > 80 and sizes["controlled_substances"] > 80
    assert len(benign_contrast()) > 550

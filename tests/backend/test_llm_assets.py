"""Base-model conversion writes aside, then renames: an incomplete copy is replaced, none is left."""

from pathlib import Path

import pytest

from backend.llm.assets import base_model_dir, ensure_base_model


@pytest.mark.slow
def test_an_incomplete_copy_is_replaced_and_no_partial_folder_is_left(tmp_path: Path):
    target = base_model_dir(tmp_path)
    target.mkdir(parents=True)
    (target / "config.json").write_text("{}")  # what an interrupted, older write left behind
    assert ensure_base_model(tmp_path) == target
    assert (target / "tokenizer.json").is_file() and any(target.glob("*.safetensors"))
    assert [p.name for p in target.parent.iterdir()] == [target.name]

"""Fixtures for the alignment tier: offline, tiny in-process checkpoints, outputs under tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from alignment.datafiles import load_seed_exercise, load_seed_prompts
from alignment.testing import save_tiny_checkpoint


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ~30k-parameter Llama + BPE tokenizer trained on the seed texts (built in under a second)."""
    seed = load_seed_exercise()
    corpus = [e.prompt for e in seed.exercises] + [r.text for e in seed.exercises for r in e.responses]
    corpus += [p.text for p in load_seed_prompts()]
    return save_tiny_checkpoint(tmp_path_factory.mktemp("tiny") / "model", corpus)

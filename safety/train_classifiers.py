"""Set-up command: ``python -m safety.train_classifiers [--data-dir DIR] [--out DIR] [--lora]``.

Builds the harm, injection and misinformation heads from ../shared/data/train plus our own examples
and writes them to ``safety/weights/*.npz``. The three heads are trained together on one shared
MiniLM embedding per text (``safety.training.finetune``); their thresholds come from 3-fold
cross-fitted scores of the training data. ``--lora`` also fine-tunes MiniLM's top layer with LoRA
and writes ``weights/encoder_lora.npz`` (an experiment, not shipped: see the README for why).
Prints each head's held-out quality and the threshold to put in ``safety_config.yaml``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from safety.embeddings import MAX_SEQ_LENGTH, MiniLmEncoder
from safety.heads import WEIGHTS_DIR
from safety.training.datasets import HEAD_SETS, SHORT_GROUP, LabelledSet, eval_texts
from safety.training.train import TrainReport, embed_cached, threshold_report

REPO_ROOT = Path(__file__).resolve().parent.parent
LORA_FILE = "encoder_lora.npz"


def default_data_dir() -> Path:
    """``$TRIAGE_DATA_DIR`` or ../shared/data next to the repository."""
    return Path(os.environ.get("TRIAGE_DATA_DIR", REPO_ROOT.parent / "shared" / "data"))


def _reports(sets: dict[str, LabelledSet], data: Any, scores: dict[str, np.ndarray]) -> list[TrainReport]:
    reports = []
    for task, labelled in sets.items():
        rows = data.labels[task] >= 0
        reports.append(
            threshold_report(
                task, labelled.counts(), data.labels[task][rows], scores[task][rows], data.short[task][rows]
            )
        )
    return reports


def train_frozen(sets: dict[str, LabelledSet], out: Path, cache_dir: Path | None) -> list[TrainReport]:
    """Heads on the frozen base encoder: cross-fitted thresholds, then one fit on everything."""
    import torch

    from safety.training.finetune import (
        FinetuneConfig,
        MultiTaskData,
        cross_fit_head_scores,
        export_heads,
        train_heads,
    )

    torch.set_num_threads(2)
    config = FinetuneConfig()
    data = MultiTaskData.from_sets(sets, SHORT_GROUP)
    print(f"{len(data.texts)} unique texts; embedding with the base encoder", flush=True)
    # the embedding cache is keyed by text only: keep one directory per encoder setting
    cache = cache_dir / f"base-len{MAX_SEQ_LENGTH}" if cache_dir is not None else None
    vectors = torch.from_numpy(embed_cached(MiniLmEncoder(cache_size=0), data.texts, cache))
    reports = _reports(sets, data, cross_fit_head_scores(vectors, data, config))
    heads = train_heads(vectors, data, np.arange(len(data.texts)), config)
    for task, head in export_heads(heads, data.classes).items():
        head.save(out / f"{task}.npz")
    (out / LORA_FILE).unlink(missing_ok=True)  # these heads read the base encoder
    return reports


def train_lora(sets: dict[str, LabelledSet], out: Path, cache_dir: Path | None) -> list[TrainReport]:
    """LoRA top layer + heads: thresholds from cross-fitted scores, then one fit on everything."""
    import torch

    from safety.training.finetune import (
        FinetuneConfig,
        MultiTaskData,
        cross_fit_scores,
        load_bert,
        lower_states,
        train_tower,
    )

    torch.set_num_threads(2)
    config = FinetuneConfig()
    data = MultiTaskData.from_sets(sets, SHORT_GROUP)
    tokenizer, bert = load_bert()
    first = len(bert.encoder.layer) - config.tune_layers
    print(f"{len(data.texts)} unique texts; encoding the frozen layers below layer {first}", flush=True)
    states = lower_states(data.texts, tokenizer, bert, first, cache_dir)
    reports = _reports(sets, data, cross_fit_scores(bert, data, states, config))
    tower = train_tower(bert, data, states, np.arange(len(data.texts)), config, log_prefix="final ")
    for task, head in tower.export_heads(data.classes).items():
        head.save(out / f"{task}.npz")
    deltas: dict[str, Any] = tower.lora_deltas()
    np.savez(out / LORA_FILE, **deltas)
    return reports


def main(argv: list[str] | None = None) -> int:
    """Train the three heads (and, with ``--lora``, the encoder's top layer) and write the weights."""
    parser = argparse.ArgumentParser(prog="python -m safety.train_classifiers")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--cache-dir", type=Path, default=REPO_ROOT / "var" / "safety_cache")
    parser.add_argument("--lora", action="store_true", help="also fine-tune MiniLM's top layer (LoRA)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    if not (data_dir / "train").is_dir():
        print(f"no training data under {data_dir}/train (set --data-dir or TRIAGE_DATA_DIR)", file=sys.stderr)
        return 2
    exclude = eval_texts(data_dir) if (data_dir / "eval").is_dir() else set()
    sets = {name: HEAD_SETS[name](data_dir, exclude) for name in sorted(HEAD_SETS)}
    train = train_lora if args.lora else train_frozen
    for report in train(sets, args.out, args.cache_dir):
        print(report.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Set-up command: ``python -m safety.train_classifiers [--features NAME] [--lora] [--data-dir DIR]``.

Builds the harm, injection and misinformation heads from ../shared/data/train plus our own examples
and writes them to ``safety/weights/*.npz``. The three heads are trained together on one shared
MiniLM embedding per text (``safety.training.finetune``, recipe ``HEADS_RECIPE``); their thresholds
come from source-held-out cross-fitted scores of the training data (``safety.training.holdout``: each
source scored by heads that never saw it) at the budgets ``train.HOLDOUT_FPR``, and the per-source
rates are printed. ``--lora`` (random 3-fold thresholds, as before) also fine-tunes MiniLM's top
layer with LoRA and writes ``weights/encoder_lora.npz`` (an experiment, not shipped: see the README).
Prints each head's held-out quality and the threshold to put in ``safety_config.yaml``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from safety.embeddings import SHIPPED_FEATURES, MiniLmEncoder
from safety.features import BASE, FEATURE_SETS, columns, feature_set
from safety.heads import WEIGHTS_DIR
from safety.training.datasets import HEAD_SETS, SHORT_GROUP, LabelledSet, eval_texts
from safety.training.holdout import HOLDOUT_FOLDS, holdout_report, source_folds
from safety.training.train import (
    HOLDOUT_FLOOR,
    HOLDOUT_FPR,
    TrainReport,
    embed_cached,
    feature_cache_dir,
    threshold_report,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
LORA_FILE = "encoder_lora.npz"


def default_data_dir() -> Path:
    """``$TRIAGE_DATA_DIR`` or ../shared/data next to the repository."""
    return Path(os.environ.get("TRIAGE_DATA_DIR", REPO_ROOT.parent / "shared" / "data"))


def _reports(
    sets: dict[str, LabelledSet], data: Any, scores: dict[str, np.ndarray], holdout: bool = False
) -> list[TrainReport]:
    """Thresholds and quality per head; ``holdout``: the scores are source-held-out (other budgets)."""
    reports = []
    for task, labelled in sets.items():
        rows = data.labels[task] >= 0
        reports.append(
            threshold_report(
                task,
                labelled.counts(),
                data.labels[task][rows],
                scores[task][rows],
                data.short[task][rows],
                HOLDOUT_FPR if holdout else None,
                HOLDOUT_FLOOR if holdout else 0.5,
            )
        )
    return reports


def _print_per_source(data: Any, scores: dict[str, np.ndarray], reports: list[TrainReport]) -> None:
    """Each source's held-out harmful TPR / benign FPR at the chosen threshold (heads that never saw it)."""
    for report in reports:
        rows = data.labels[report.name] >= 0
        sources = [s for s, keep in zip(data.sources, rows, strict=True) if keep]
        held_out = holdout_report(
            data.labels[report.name][rows], scores[report.name][rows], sources, report.threshold
        )
        print(f"{report.name} held out by source: {held_out.line()}")
        for rate in held_out.per_source:
            kind = "TPR" if rate.positive else "FPR"
            print(f"  {rate.source:36s} n={rate.n:5d} {kind}={rate.rate:.3f}")


def frozen_features(texts: list[str], features: str, cache_dir: Path | None) -> np.ndarray:
    """Features of ``texts`` from the frozen encoder, cached per feature set.

    A feature set other than ``mean6`` is cut from the ``superset`` cache of the feature comparison
    (``safety.training.compare_features``) when that cache exists: the same forward pass, every block.
    """
    if features != BASE.name and cache_dir is not None:
        whole = FEATURE_SETS["superset"]
        superset_cache = feature_cache_dir(cache_dir, whole.name)
        if superset_cache.is_dir():
            print(f"cutting {features} from the {whole.name} cache {superset_cache}", flush=True)
            superset = embed_cached(MiniLmEncoder(cache_size=0, features=whole.name), texts, superset_cache)
            return np.ascontiguousarray(superset[:, columns(feature_set(features), whole)])
    cache = feature_cache_dir(cache_dir, features) if cache_dir is not None else None
    return embed_cached(MiniLmEncoder(cache_size=0, features=features), texts, cache)


def train_frozen(
    sets: dict[str, LabelledSet], out: Path, cache_dir: Path | None, features: str = SHIPPED_FEATURES
) -> list[TrainReport]:
    """Heads on the frozen base encoder: cross-fitted thresholds, then one fit on everything."""
    import torch

    from safety.training.finetune import (
        HEADS_RECIPE,
        MultiTaskData,
        cross_fit_head_scores,
        export_heads,
        train_heads,
    )

    torch.set_num_threads(2)
    config = HEADS_RECIPE
    data = MultiTaskData.from_sets(sets, SHORT_GROUP)
    print(f"{len(data.texts)} unique texts; features {features} of the base encoder", flush=True)
    vectors = torch.from_numpy(frozen_features(data.texts, features, cache_dir))
    # the heads are tiny: one thread; two contend with each other (and with any other job on the
    # machine) and were ~13x slower per epoch on the shared 2 cores
    torch.set_num_threads(1)
    # thresholds from source-held-out scores: each source scored by heads that never saw it
    scores = cross_fit_head_scores(vectors, data, config, source_folds(data.sources, HOLDOUT_FOLDS))
    reports = _reports(sets, data, scores, holdout=True)
    _print_per_source(data, scores, reports)
    heads = train_heads(vectors, data, np.arange(len(data.texts)), config)
    for task, head in export_heads(heads, data.classes, features).items():
        head.save(out / f"{task}.npz")
    (out / LORA_FILE).unlink(missing_ok=True)  # these heads read the base encoder
    if features != SHIPPED_FEATURES:
        print(f"NOTE: set safety.embeddings.SHIPPED_FEATURES = {features!r} to load these heads", flush=True)
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
    parser.add_argument(
        "--features",
        choices=sorted(FEATURE_SETS),
        default=SHIPPED_FEATURES,
        help="head input features (safety.features; default: the shipped set)",
    )
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    if not (data_dir / "train").is_dir():
        print(f"no training data under {data_dir}/train (set --data-dir or TRIAGE_DATA_DIR)", file=sys.stderr)
        return 2
    exclude = eval_texts(data_dir) if (data_dir / "eval").is_dir() else set()
    sets = {name: HEAD_SETS[name](data_dir, exclude) for name in sorted(HEAD_SETS)}
    if args.lora:
        reports = train_lora(sets, args.out, args.cache_dir)
    else:
        reports = train_frozen(sets, args.out, args.cache_dir, args.features)
    for report in reports:
        print(report.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Set-up: ``python -m safety.train_classifiers [--features SPEC] [--heads H,..] [--precision P] [--lora]``.

Builds the harm, injection and misinformation heads from ../shared/data/train plus our own examples
and writes them to ``safety/weights/*.npz``. The three heads are trained together on one shared
MiniLM embedding per text (``safety.training.finetune``, recipe ``HEADS_RECIPE``); their thresholds
come from source-held-out cross-fitted scores of the training data (``safety.training.holdout``: each
source scored by heads that never saw it) at the budgets ``train.HOLDOUT_FPR``, and the per-source
rates are printed. Each head reads its own feature set (``embeddings.SHIPPED_HEAD_FEATURES``, or
``--features harm=mean2-6,...``); ``--heads`` retrains only some heads and keeps the other files;
``--precision int8`` trains on the int8-quantised encoder (the weights record it, and only an encoder at
that precision will load them).
``--with-blind-requests [r7,r8,...]`` adds rounds of blind-written requests (r7 alone without a value;
``blind_written.ROUNDS`` names them and the head sets each feeds; experiments:
docs/safety_round7_blind_requests.md, docs/safety_round8_pairs.md, docs/safety_round9_long_messages.md).
``--lora`` (random 3-fold thresholds, as before) also fine-tunes MiniLM's top layer with LoRA and
writes ``weights/encoder_lora.npz`` (an experiment, not shipped: see the README). Prints each head's held-out
quality and the threshold to put in ``safety_config.yaml``.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from safety.embeddings import SHIPPED_HEAD_FEATURES, MiniLmEncoder, Precision
from safety.features import FEATURE_SETS, columns, feature_set
from safety.heads import WEIGHTS_DIR, ClassifierHead
from safety.training.blind_written import ROUNDS, parse_rounds
from safety.training.datasets import HEAD_SETS, SHORT_GROUP, LabelledSet, eval_texts
from safety.training.holdout import HOLDOUT_FOLDS, holdout_report, source_folds
from safety.training.train import (
    HOLDOUT_FLOOR,
    HOLDOUT_FPR,
    TrainReport,
    budgeted,
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
                budgeted(data.sources)[rows],
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


def frozen_features(
    texts: list[str], features: str, cache_dir: Path | None, precision: Precision = "float32"
) -> np.ndarray:
    """Features of ``texts`` from the frozen encoder, cached per feature set.

    A feature set without its own cache directory (``mean6`` keeps ``base-len128`` when it exists) is
    cut from the ``superset`` cache of the feature comparison (``safety.training.compare_features``)
    when that cache exists: the same forward pass, every block (its ``mean6`` block equals the
    sentence-transformers vector to 1e-5). ``int8`` features have caches of their own (``-int8``).
    """
    if (
        precision == "float32"
        and cache_dir is not None
        and not feature_cache_dir(cache_dir, features).is_dir()
    ):
        whole = FEATURE_SETS["superset"]
        superset_cache = feature_cache_dir(cache_dir, whole.name)
        if superset_cache.is_dir():
            print(f"cutting {features} from the {whole.name} cache {superset_cache}", flush=True)
            superset = embed_cached(MiniLmEncoder(cache_size=0, features=whole.name), texts, superset_cache)
            return np.ascontiguousarray(superset[:, columns(feature_set(features), whole)])
    cache = feature_cache_dir(cache_dir, features, precision) if cache_dir is not None else None
    return embed_cached(MiniLmEncoder(cache_size=0, features=features, precision=precision), texts, cache)


def parse_features(text: str) -> dict[str, str]:
    """``--features``: one set for every head (``mean4-6``) or per head (``harm=mean2-6,injection=...``).

    Heads not named keep their shipped set (:data:`SHIPPED_HEAD_FEATURES`).

    Raises:
        ValueError: an unknown head or feature set.
    """
    if "=" not in text:
        feature_set(text)
        return dict.fromkeys(SHIPPED_HEAD_FEATURES, text)
    out = dict(SHIPPED_HEAD_FEATURES)
    for part in text.split(","):
        head, _, name = part.partition("=")
        if head.strip() not in SHIPPED_HEAD_FEATURES:
            raise ValueError(f"unknown head {head!r}; heads: {', '.join(SHIPPED_HEAD_FEATURES)}")
        feature_set(name.strip())
        out[head.strip()] = name.strip()
    return out


def _print_summary(
    data: Any, scores: dict[str, np.ndarray], reports: list[TrainReport], features: dict[str, str]
) -> None:
    """Per head, the round-4 comparison's proxy numbers (mean over sources with >= 20 texts, families)."""
    from safety.training.compare_features import MIN_SOURCE, head_result

    for report in reports:
        r = head_result(features[report.name], 0, report.name, data, scores, report.auc, report.threshold)
        print(
            f"summary {report.name}: auc={r.auc:.4f} threshold={r.threshold:.4f} "
            f"benign_fpr={r.fpr:.4f}/{r.macro_fpr:.4f} (pooled/mean over sources "
            f">= {MIN_SOURCE}) short_fpr={r.short_fpr:.4f} harmful_tpr={r.tpr:.4f}/"
            f"{r.macro_tpr:.4f} xstest_like_fpr={r.xstest_like_fpr:.4f} "
            + " ".join(f"{k}={v:.4f}" for k, v in r.family_fpr.items()),
            flush=True,
        )


def train_frozen(
    sets: dict[str, LabelledSet],
    out: Path,
    cache_dir: Path | None,
    features: dict[str, str] | None = None,
    heads: tuple[str, ...] | None = None,
    precision: Precision = "float32",
) -> list[TrainReport]:
    """Heads on the frozen base encoder: source-held-out thresholds, then one fit on everything.

    Args:
        sets: training data per head.
        out: weights directory.
        cache_dir: embedding caches (``var/safety_cache``), or None.
        features: feature set per head (default :data:`SHIPPED_HEAD_FEATURES`).
        heads: the heads to train and write (default all); the other weight files are left as they are.
        precision: MiniLM precision of the features (recorded in the weights).

    The three heads are fitted jointly (summed losses, separate parameters) once per distinct feature
    set, and each head is taken from the fit on its own set: exactly the protocol of
    ``safety.training.compare_features`` (same source folds, seed, batches and initialisation), so a
    head's numbers are that comparison's row for its set (seed 0).
    """
    import torch

    from safety.training.finetune import (
        HEADS_RECIPE,
        MultiTaskData,
        cross_fit_head_scores,
        export_heads,
        train_heads,
    )

    features = features or dict(SHIPPED_HEAD_FEATURES)
    heads = heads or tuple(sets)
    torch.set_num_threads(2)
    config = HEADS_RECIPE
    data = MultiTaskData.from_sets(sets, SHORT_GROUP)
    folds = source_folds(data.sources, HOLDOUT_FOLDS)
    scores: dict[str, np.ndarray] = {}
    trained: dict[str, ClassifierHead] = {}
    for name in dict.fromkeys(features[task] for task in heads):
        tasks = [task for task in heads if features[task] == name]
        print(f"{len(data.texts)} unique texts; features {name} of the base encoder for {tasks}", flush=True)
        torch.set_num_threads(2)
        vectors = torch.from_numpy(frozen_features(data.texts, name, cache_dir, precision))
        # the heads are tiny: one thread; two contend with each other (and with any other job on the
        # machine) and were ~13x slower per epoch on the shared 2 cores
        torch.set_num_threads(1)
        # thresholds from source-held-out scores: each source scored by heads that never saw it
        group_scores = cross_fit_head_scores(vectors, data, config, folds)
        fitted = export_heads(
            train_heads(vectors, data, np.arange(len(data.texts)), config), data.classes, name
        )
        for task in tasks:
            scores[task], trained[task] = group_scores[task], fitted[task]
    chosen = {task: sets[task] for task in heads}
    reports = _reports(chosen, data, scores, holdout=True)
    _print_per_source(data, scores, reports)
    _print_summary(data, scores, reports, features)
    for task, head in trained.items():
        replace(head, encoder_precision=precision).save(out / f"{task}.npz")
    (out / LORA_FILE).unlink(missing_ok=True)  # these heads read the base encoder
    changed = {task: features[task] for task in heads if features[task] != SHIPPED_HEAD_FEATURES[task]}
    if changed:
        print(f"NOTE: set safety.embeddings.SHIPPED_HEAD_FEATURES {changed} to load these heads", flush=True)
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
        default=",".join(f"{head}={name}" for head, name in SHIPPED_HEAD_FEATURES.items()),
        help="head input features (safety.features): one set for all heads, or head=set,... "
        "(default: the shipped sets, embeddings.SHIPPED_HEAD_FEATURES)",
    )
    parser.add_argument(
        "--heads",
        default=",".join(SHIPPED_HEAD_FEATURES),
        help="heads to retrain and write (default all); the other weight files are kept",
    )
    parser.add_argument(
        "--precision",
        choices=("float32", "int8"),
        default="float32",
        help="MiniLM precision the heads are trained on (encoder.precision in safety_config.yaml must match)",
    )
    parser.add_argument(
        "--with-blind-requests",
        nargs="?",
        const="r7",
        default=None,
        metavar="ROUNDS",
        help="add rounds of blind-written requests (comma-separated; r7 without a value; "
        + "; ".join(
            f"{name} to the {' and '.join(r.heads)} set{'s' if len(r.heads) > 1 else ''}"
            for name, r in ROUNDS.items()
        )
        + "; safety.training.blind_written, docs/safety_round*.md)",
    )
    args = parser.parse_args(argv)
    if args.lora and args.precision != "float32":
        parser.error("--lora trains float32 only")
    try:
        features = parse_features(args.features)
    except (KeyError, ValueError) as error:
        parser.error(str(error))
    try:
        rounds = parse_rounds(args.with_blind_requests) if args.with_blind_requests is not None else ()
    except ValueError as error:
        parser.error(str(error))
    heads = tuple(h.strip() for h in args.heads.split(","))
    if unknown := [h for h in heads if h not in SHIPPED_HEAD_FEATURES]:
        parser.error(f"unknown heads {unknown}")
    data_dir = args.data_dir or default_data_dir()
    if not (data_dir / "train").is_dir():
        print(f"no training data under {data_dir}/train (set --data-dir or TRIAGE_DATA_DIR)", file=sys.stderr)
        return 2
    exclude = eval_texts(data_dir) if (data_dir / "eval").is_dir() else set()
    sets = {name: HEAD_SETS[name](data_dir, exclude, rounds) for name in sorted(HEAD_SETS)}
    if args.lora:
        reports = train_lora(sets, args.out, args.cache_dir)
    else:
        reports = train_frozen(sets, args.out, args.cache_dir, features, heads, args.precision)
    for report in reports:
        print(report.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())

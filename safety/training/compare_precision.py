"""``python -m safety.training.compare_precision``: the shipped heads on torch float32 vs another encoding.

``--candidate int8`` (default) or ``--candidate onnxruntime`` (the same float32 model run by ONNX
Runtime, which must give the same decisions on every row).

The heads were trained on float32 features; int8 dynamic quantisation of MiniLM's linear layers
(:func:`safety.embeddings.quantize_linear_layers`) makes the encode about twice as fast on CPU but
moves every feature a little. This command measures, on the TRAINING data of each head (the same
rows ``safety.train_classifiers`` uses; never the evaluation sets), how far the scores move and how
many decisions flip at the thresholds in ``safety_config.yaml``, in both directions, and times the
shipped encoder in both precisions interleaved in one process (p50/p95 of one-text encodes).

Decision rules (fixed before the first run of each, see safety/README.md): ``onnxruntime`` only if
no decision changes on any row and no score moves by more than 1e-4; int8 only
if, for every head, (a) no more than 1 % of rows change decision, (b) the harmful/attack/false-claim
recall at the shipped threshold drops by no more than 0.5 points and (c) the benign false-positive
rate rises by no more than 0.5 points. Scores are in-sample for the heads (they were trained on these
rows): the comparison is between two encodings of the same text, not a quality estimate.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from safety.bench import percentile
from safety.config import SafetyConfig
from safety.embeddings import SHIPPED_HEAD_FEATURES, MiniLmEncoder
from safety.features import columns, feature_set
from safety.heads import ClassifierHead, head_path
from safety.train_classifiers import default_data_dir
from safety.training.datasets import HEAD_SETS, eval_texts
from safety.training.own_data import triage_messages, triage_replies

# The encodings compared with the shipped one (torch float32): MiniLmEncoder.shipped() arguments.
ENCODINGS: dict[str, dict[str, Any]] = {
    "float32": {},
    "int8": {"precision": "int8"},
    "onnxruntime": {"runtime": "onnxruntime"},
}
# ONNX Runtime runs the same float32 model: it must change no decision and no score beyond rounding.
MAX_SAME_MODEL_DIFF = 1e-4
MAX_FLIP_RATE = 0.01
MAX_RECALL_DROP = 0.005
MAX_FPR_RISE = 0.005


@dataclass(frozen=True)
class HeadAgreement:
    """One head's decisions on the same rows under two encodings (``a`` torch float32, ``b`` another)."""

    head: str
    n_benign: int
    n_positive: int
    threshold: float
    recall_a: float
    recall_b: float
    fpr_a: float
    fpr_b: float
    flips_to_pass: int  # positive rows flagged under a, passed under b
    flips_to_flag: int  # benign rows passed under a, flagged under b
    other_flips: int  # the remaining decision changes (positives newly caught, benign newly passed)
    mean_abs_diff: float
    max_abs_diff: float

    @property
    def flip_rate(self) -> float:
        """Share of rows whose decision differs."""
        total = self.n_benign + self.n_positive
        return (self.flips_to_pass + self.flips_to_flag + self.other_flips) / total if total else 0.0

    def identical(self) -> bool:
        """No decision changed and no score moved beyond float rounding (the same model, another runtime)."""
        return self.flip_rate == 0 and self.max_abs_diff <= MAX_SAME_MODEL_DIFF

    def passes(self) -> bool:
        """The pre-registered rule for int8 on this head."""
        return (
            self.flip_rate <= MAX_FLIP_RATE
            and self.recall_a - self.recall_b <= MAX_RECALL_DROP
            and self.fpr_b - self.fpr_a <= MAX_FPR_RISE
        )


def head_agreement(
    head: str,
    labels: npt.NDArray[np.int_],
    scores_a: npt.NDArray[np.float64],
    scores_b: npt.NDArray[np.float64],
    threshold: float,
) -> HeadAgreement:
    """Compare decisions (``score >= threshold``) of one head; ``labels`` > 0 are positives.

    Raises:
        ValueError: the three arrays differ in length.
    """
    if not len(labels) == len(scores_a) == len(scores_b):
        raise ValueError(f"{head}: labels and scores differ in length")
    positive = labels > 0
    flag_a = scores_a >= threshold
    flag_b = scores_b >= threshold
    n_pos = int(positive.sum())
    n_ben = int((~positive).sum())
    diff = np.abs(scores_a - scores_b)
    to_pass = int((positive & flag_a & ~flag_b).sum())
    to_flag = int((~positive & ~flag_a & flag_b).sum())
    return HeadAgreement(
        head=head,
        n_benign=n_ben,
        n_positive=n_pos,
        threshold=threshold,
        recall_a=float(flag_a[positive].mean()) if n_pos else 0.0,
        recall_b=float(flag_b[positive].mean()) if n_pos else 0.0,
        fpr_a=float(flag_a[~positive].mean()) if n_ben else 0.0,
        fpr_b=float(flag_b[~positive].mean()) if n_ben else 0.0,
        flips_to_pass=to_pass,
        flips_to_flag=to_flag,
        other_flips=int((flag_a != flag_b).sum()) - to_pass - to_flag,
        mean_abs_diff=float(diff.mean()) if len(diff) else 0.0,
        max_abs_diff=float(diff.max()) if len(diff) else 0.0,
    )


def _head_scores(
    encoder: MiniLmEncoder, heads: dict[str, ClassifierHead], texts: dict[str, list[str]], label: str
) -> dict[str, npt.NDArray[np.float64]]:
    """``1 - P(benign)`` of each head on its texts, through ``encoder`` (one batched pass of all texts)."""
    unique = list(dict.fromkeys(t for rows in texts.values() for t in rows))
    print(f"  encoding {len(unique)} texts ({label})", flush=True)
    started = time.perf_counter()
    vectors: dict[str, npt.NDArray[np.float32]] = {}
    for start in range(0, len(unique), 1024):
        chunk = unique[start : start + 1024]
        for text, row in zip(chunk, encoder._compute(chunk), strict=True):
            vectors[text] = row
        done = min(start + 1024, len(unique))
        print(f"    {done}/{len(unique)}  {time.perf_counter() - started:.0f} s", flush=True)
    scores = {}
    for name, head in heads.items():
        picked = columns(feature_set(head.feature_set), encoder.features)
        matrix = np.stack([vectors[t] for t in texts[name]])[:, picked]
        scores[name] = 1.0 - head.predict_proba(matrix)[:, 0].astype(np.float64)
    return scores


def encode_latency(n: int, threads: int, candidate: str) -> dict[str, dict[str, float]]:
    """p50/p95 (ms) of one-text encodes, float32 and ``candidate`` interleaved on the same distinct texts."""
    import torch

    torch.set_num_threads(threads)
    texts = triage_messages(n // 2) + triage_replies(n - n // 2)
    encoders = {e: MiniLmEncoder.shipped(cache_size=1, **ENCODINGS[e]) for e in ("float32", candidate)}
    for encoder in encoders.values():
        for text in texts[:10]:
            encoder._compute([text])  # warm-up
    times: dict[str, list[float]] = {p: [] for p in encoders}
    for text in texts:
        for precision, encoder in encoders.items():
            started = time.perf_counter()
            encoder._compute([text])
            times[precision].append((time.perf_counter() - started) * 1000)
    return {
        p: {"p50": percentile(t, 0.5), "p95": percentile(t, 0.95), "mean": statistics.fmean(t)}
        for p, t in times.items()
    }


def main(argv: list[str] | None = None) -> int:
    """Print the agreement table, the latency pair and the verdict; write ``--json``."""
    parser = argparse.ArgumentParser(prog="python -m safety.training.compare_precision", description=__doc__)
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="shared data root (default: ../shared/data)"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the numbers here")
    parser.add_argument("--latency-n", type=int, default=200, help="texts timed per precision")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads for the timing")
    parser.add_argument(
        "--candidate", choices=("int8", "onnxruntime"), default="int8", help="encoding compared with float32"
    )
    args = parser.parse_args(argv)
    candidate: str = args.candidate
    data_dir = args.data_dir or default_data_dir()
    if not (data_dir / "train").is_dir():
        print(f"error: {data_dir}/train not found (set --data-dir or TRIAGE_DATA_DIR)", file=sys.stderr)
        return 2
    config = SafetyConfig.load()
    heads = {name: ClassifierHead.load(head_path(name)) for name in SHIPPED_HEAD_FEATURES}
    exclude = eval_texts(data_dir)
    sets = {name: build(data_dir, exclude) for name, build in HEAD_SETS.items()}
    texts = {name: labelled.texts for name, labelled in sets.items()}
    scores: dict[str, dict[str, npt.NDArray[np.float64]]] = {}
    for encoding in ("float32", candidate):
        encoder = MiniLmEncoder.shipped(cache_size=0, **ENCODINGS[encoding])
        scores[encoding] = _head_scores(encoder, heads, texts, encoding)
        del encoder
        gc.collect()
    rows = [
        head_agreement(
            name,
            np.asarray(sets[name].labels),
            scores["float32"][name],
            scores[candidate][name],
            config.layer(name).threshold,
        )
        for name in sets
    ]
    ok = HeadAgreement.identical if candidate == "onnxruntime" else HeadAgreement.passes
    print(
        f"\n{'head':16s} {'n':>6s} {'thr':>7s} {'recall a/b':>17s} {'FPR a/b':>15s} "
        f"{'to pass':>8s} {'to flag':>8s} {'other':>6s} {'flip %':>7s} {'|d| mean/max':>14s} ok"
    )
    for row in rows:
        print(
            f"{row.head:16s} {row.n_benign + row.n_positive:6d} {row.threshold:7.4f} "
            f"{row.recall_a:8.4f}/{row.recall_b:.4f} {row.fpr_a:7.4f}/{row.fpr_b:.4f} "
            f"{row.flips_to_pass:8d} {row.flips_to_flag:8d} {row.other_flips:6d} {100 * row.flip_rate:7.2f} "
            f"{row.mean_abs_diff:.2e}/{row.max_abs_diff:.2e} {'yes' if ok(row) else 'NO'}"
        )
    latency = encode_latency(args.latency_n, args.threads, candidate)
    print(f"\none-text encode, {args.latency_n} texts interleaved, {args.threads} threads (ms):")
    for precision, numbers in latency.items():
        print(
            f"  {precision:8s} p50 {numbers['p50']:6.2f}  p95 {numbers['p95']:6.2f}"
            f"  mean {numbers['mean']:6.2f}"
        )
    verdict = all(ok(row) for row in rows)
    print(
        f"\nverdict (pre-registered rule): {candidate} {'may' if verdict else 'may NOT'} become the default"
    )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "heads": [asdict(r) | {"flip_rate": r.flip_rate, "passes": ok(r)} for r in rows],
                    "latency_ms": latency,
                    "candidate": candidate,
                    "allowed": verdict,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

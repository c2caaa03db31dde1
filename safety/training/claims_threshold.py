"""Choose the known-claims layer's threshold and margin by the rule fixed in safety/README.md (sixth round).

``python -m safety.training.claims_threshold [--dev FILE] [--vignettes FILE] [--json OUT] [--png OUT]``

Benign sets bound the false positives: the development set's benign rows (<= 2 %), the triage
development vignettes (<= 1 %), the generated short patient answers and every approved patient-facing
text of the policy bundle (0). Among the feasible (threshold, margin) pairs the one with the highest
recall on the development set's myth rows wins (ties: higher threshold, then higher margin). Prints a
table per margin, writes the numbers to JSON and a recall / false-positive plot. Reads no evaluation data.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from clinical_policies import load_policy_bundle
from safety.claims import OUTPUT_LAYER, ClaimMatcher, approved_texts
from safety.config import SafetyConfig
from safety.embeddings import MiniLmEncoder
from safety.training.datasets import read_jsonl
from safety.training.short_answers import short_answers

REPO = Path(__file__).resolve().parents[2]
DEV_SET = REPO / "safety" / "training" / "data" / "claims_dev_v1.jsonl"
TRIAGE_VIGNETTES = REPO / "backend" / "triage" / "dev_vignettes.jsonl"
MARGINS = (0.0, 0.02, 0.04, 0.06, 0.08, 0.10)
THRESHOLDS = tuple(round(0.50 + 0.01 * i, 2) for i in range(46))
# false-positive bounds per benign set (the rule in safety/README.md)
BOUNDS = {"dev_benign": 0.02, "triage_vignettes": 0.01, "short_answers": 0.0, "approved_texts": 0.0}


@dataclass(frozen=True)
class Point:
    """One (threshold, margin) pair: recall on the myths and the false-positive rate of each benign set."""

    threshold: float
    margin: float
    recall: float
    false_positives: dict[str, float]

    @property
    def feasible(self) -> bool:
        """Every benign set within its bound."""
        return all(self.false_positives[name] <= bound for name, bound in BOUNDS.items())


def best_scores(
    matcher: ClaimMatcher, texts: Sequence[str], margins: Sequence[float]
) -> npt.NDArray[np.float64]:
    """Rows: margins; columns: texts; value: the layer's score at that margin (0 when nothing matches)."""
    out = np.zeros((len(margins), len(texts)))
    for start in range(0, len(texts), 256):
        for j, segment_scores in enumerate(matcher.similarities(texts[start : start + 256])):
            for i, margin in enumerate(margins):
                match = matcher.pick(segment_scores, margin)
                out[i, start + j] = match.similarity if match else 0.0
    return out


def sweep(scores: dict[str, npt.NDArray[np.float64]], myths: str = "dev_myths") -> list[Point]:
    """Every (threshold, margin) pair of the grid, scored."""
    points = []
    for i, margin in enumerate(MARGINS):
        for threshold in THRESHOLDS:
            rates = {
                name: float(np.mean(s[i] >= threshold)) if s.shape[1] else 0.0 for name, s in scores.items()
            }
            recall = rates.pop(myths)
            points.append(Point(threshold, margin, recall, rates))
    return points


def choose(points: Sequence[Point]) -> Point | None:
    """Highest recall among feasible pairs; ties: higher threshold, then higher margin."""
    feasible = [p for p in points if p.feasible]
    return max(feasible, key=lambda p: (p.recall, p.threshold, p.margin)) if feasible else None


def plot(points: Sequence[Point], chosen: Point | None, path: Path) -> None:
    """Recall and the development benign false-positive rate against the threshold, one line per margin."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for margin in MARGINS:
        row = [p for p in points if p.margin == margin]
        left.plot([p.threshold for p in row], [p.recall for p in row], label=f"margin {margin:.2f}")
        right.plot([p.threshold for p in row], [p.false_positives["dev_benign"] for p in row])
    if chosen is not None:
        left.scatter([chosen.threshold], [chosen.recall], color="black", zorder=3, label="chosen")
    right.axhline(BOUNDS["dev_benign"], color="grey", linestyle="--", label="bound")
    left.set(xlabel="threshold", ylabel="recall on development myths", title="known claims: recall")
    right.set(xlabel="threshold", ylabel="false-positive rate", title="development benign rows")
    left.legend(fontsize=7)
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def measure(matcher: ClaimMatcher, config: SafetyConfig, rows: list[dict[str, object]], out: Path) -> int:
    """Recall on the myth rows and false-positive rate on the benign rows at the config's point, by kind."""
    threshold = config.layer(OUTPUT_LAYER).threshold
    margin = config.claim_matching.margin
    scores = best_scores(matcher, [str(r["text"]) for r in rows], [margin])[0]
    fired = scores >= threshold
    by_kind: dict[str, list[bool]] = {}
    for row, hit in zip(rows, fired, strict=True):
        by_kind.setdefault(f"{row['label']}/{row.get('kind', '')}", []).append(bool(hit))
    myth = np.array([r["label"] == "myth" for r in rows])
    report = {
        "threshold": threshold,
        "margin": margin,
        "refutation_cues": bool(config.claim_matching.refutation_cues),
        "n_myth": int(myth.sum()),
        "n_benign": int((~myth).sum()),
        "recall": float(fired[myth].mean()) if myth.any() else 0.0,
        "benign_false_positive_rate": float(fired[~myth].mean()) if (~myth).any() else 0.0,
        "fire_rate_by_kind": {k: float(np.mean(v)) for k, v in sorted(by_kind.items())},
    }
    print(json.dumps(report, indent=2))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sweep; exit status 1 when no pair is feasible."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV_SET)
    parser.add_argument("--vignettes", type=Path, default=TRIAGE_VIGNETTES)
    parser.add_argument("--json", type=Path, default=Path("out/claims_threshold.json"))
    parser.add_argument("--png", type=Path, default=None, help="default: beside --json")
    parser.add_argument("--config", type=Path, default=None, help="safety config YAML (default: packaged)")
    parser.add_argument(
        "--measure",
        type=Path,
        default=None,
        help="no sweep: score the config's own threshold and margin on this labelled JSONL (a blind set)",
    )
    args = parser.parse_args(argv)
    for path in (args.dev, args.vignettes, *([args.measure] if args.measure else [])):
        if "eval" in path.resolve().parts:
            parser.error(f"{path}: evaluation data is for measuring only")
        if not path.is_file():
            parser.error(f"{path}: no such file")

    bundle = load_policy_bundle()
    config = SafetyConfig.load(args.config)
    encoder = MiniLmEncoder.shipped(precision=config.encoder.precision, runtime=config.encoder.runtime)
    matcher = ClaimMatcher.from_config(OUTPUT_LAYER, encoder, bundle, config.claim_matching)
    if args.measure is not None:
        return measure(matcher, config, list(read_jsonl(args.measure)), args.json)
    dev = list(read_jsonl(args.dev))
    sets = {
        "dev_myths": [str(r["text"]) for r in dev if r["label"] == "myth"],
        "dev_benign": [str(r["text"]) for r in dev if r["label"] == "benign"],
        "triage_vignettes": [str(r["text"]) for r in read_jsonl(args.vignettes)],
        "short_answers": short_answers(),
        "approved_texts": approved_texts(bundle),
    }
    print("texts: " + ", ".join(f"{name} {len(texts)}" for name, texts in sets.items()), flush=True)
    scores = {}
    for name, texts in sets.items():
        scores[name] = best_scores(matcher, texts, MARGINS)
        print(f"  scored {name}", flush=True)
    points = sweep(scores)
    chosen = choose(points)
    print(f"\n{'margin':>6} {'threshold':>9} {'recall':>7} " + " ".join(f"{n:>16}" for n in BOUNDS))
    for margin in MARGINS:
        best = choose([p for p in points if p.margin == margin])
        if best is None:
            print(f"{margin:>6.2f}  no feasible threshold")
            continue
        rates = " ".join(f"{best.false_positives[n]:>16.4f}" for n in BOUNDS)
        print(f"{margin:>6.2f} {best.threshold:>9.2f} {best.recall:>7.3f} {rates}")
    print(f"\nchosen: {asdict(chosen) if chosen else 'none feasible'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    per_kind: dict[str, list[float]] = {}
    if chosen is not None:
        dev_scores = best_scores(matcher, [str(r["text"]) for r in dev], [chosen.margin])[0]
        for row, score in zip(dev, dev_scores, strict=True):
            per_kind.setdefault(str(row.get("kind", "")), []).append(float(score >= chosen.threshold))
    report = {
        "bounds": BOUNDS,
        "sizes": {name: len(texts) for name, texts in sets.items()},
        "chosen": asdict(chosen) if chosen else None,
        "fire_rate_by_kind_at_chosen": {k: float(np.mean(v)) for k, v in sorted(per_kind.items())},
        "points": [asdict(p) for p in points],
    }
    args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    png = args.png or args.json.with_suffix(".png")
    plot(points, chosen, png)
    print(f"wrote {args.json} and {png}")
    return 0 if chosen else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Train-side PII measurement: per-type recall/precision on presidio_synth_v2, failure lists, latency.

Uses the same overlap matching as the eval runner (``safety.evaluation.pii_metrics.PiiCounts``) on a
TRAINING file only (default ``../shared/data/train/presidio_synth_v2.jsonl``), so recognizers can be
tuned without touching the held-out eval. ``--failures`` prints every missed gold span and every
predicted span that overlaps no gold span, grouped by type; ``--timing N`` times ``redact`` on the
first N texts (after a warm-up) and prints p50/p95 in milliseconds.

    .venv/bin/python scripts/pii_train_report.py --failures out/pii_train_failures.txt --timing 300
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from safety.evaluation.pii_metrics import PiiCounts  # noqa: E402
from safety.pii import PiiConfig, PiiRedactor  # noqa: E402

DEFAULT_FILE = REPO_ROOT.parent / "shared" / "data" / "train" / "presidio_synth_v2.jsonl"


def _rows(path: Path) -> list[dict[str, Any]]:
    if "/eval/" in str(path.resolve()):
        raise SystemExit("refusing to tune on an evaluation file")
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].replace("\n", "⏎")
    right = text[end : end + width].replace("\n", "⏎")
    return f"{left}[[{text[start:end]}]]{right}".replace("\n", "⏎")


def main(argv: list[str] | None = None) -> int:
    """Print the per-type table; optionally write failures and time the redactor."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument(
        "--failures", type=Path, default=None, help="write missed / false-positive spans here"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the metrics report here")
    parser.add_argument("--timing", type=int, default=0, help="time redact() on the first N texts")
    args = parser.parse_args(argv)

    rows = _rows(args.file)[: args.limit]
    redactor = PiiRedactor(PiiConfig())
    counts = PiiCounts()
    missed: dict[str, list[str]] = defaultdict(list)
    false_pos: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        text = row["text"]
        predicted = [(r.start, r.end, r.entity_type) for r in redactor.analyze(text)]
        gold = [(s["start"], s["end"], s["entity_type"]) for s in row["spans"]]
        counts.add(gold, predicted)
        for start, end, entity in gold:
            if not any(p[0] < end and start < p[1] for p in predicted):
                missed[entity].append(f"{row['id']}: {_context(text, start, end)}")
        for start, end, entity in predicted:
            if not any(g[0] < end and start < g[1] for g in gold):
                false_pos[entity].append(f"{row['id']}: {_context(text, start, end)}")

    report = counts.report()
    recall_by = report["recall_by_type"]
    precision_by = report["precision_by_type"]
    assert isinstance(recall_by, dict) and isinstance(precision_by, dict)
    print(f"{args.file.name}: {len(rows)} texts")
    print(
        f"overall recall {report['phi_recall']:.3f}  precision {report['precision']:.3f}"
        f"  f2 {report['f2']:.3f}"
    )
    print(f"{'type':22s} {'gold':>5s} {'recall':>7s} {'typed':>7s} {'pred':>5s} {'prec':>7s}")
    for entity in sorted(set(recall_by) | set(precision_by)):
        r = recall_by.get(entity, {"n": 0, "recall": float("nan"), "typed_recall": float("nan")})
        p = precision_by.get(entity, {"n": 0, "precision": float("nan")})
        print(
            f"{entity:22s} {r['n']:5d} {r['recall']:7.3f} {r['typed_recall']:7.3f}"
            f" {p['n']:5d} {p['precision']:7.3f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if args.failures:
        args.failures.parent.mkdir(parents=True, exist_ok=True)
        lines: list[str] = []
        for title, table in (("MISSED", missed), ("FALSE POSITIVE", false_pos)):
            for entity in sorted(table, key=lambda e: -len(table[e])):
                lines.append(f"== {title} {entity} ({len(table[entity])})")
                lines.extend(table[entity])
        args.failures.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"failures: {args.failures}")
    if args.timing:
        texts = [row["text"] for row in rows[: args.timing]]
        for text in texts[:20]:
            redactor.redact(text)
        times = []
        for text in texts:
            started = time.perf_counter()
            redactor.redact(text)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"redact latency over {len(times)} texts: p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

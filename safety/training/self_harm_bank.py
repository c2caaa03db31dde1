"""Build the self-harm exemplar bank of :mod:`safety.exemplars` from training data only.

``python -m safety.training.self_harm_bank [--data-dir ../shared/data] [--out PATH] [--probes FILE ...]
[--if-stale]``

Exemplars are the harm head's labelled training set (:func:`safety.training.datasets.harm_set`, evaluation
texts removed) together with the blind-written request rounds 7 and 8 and the self-harm probe batch SHB
(``tests/triage/data/self_harm_probes_shb.jsonl``, development data; ``--probes`` names other or more labelled
probe files): every ``self_harm`` row is a positive exemplar, every other row (benign requests, look-alikes,
other harms) a negative one. The bank stores vectors
only (no texts), the number of exemplars per source and a key of its inputs: with ``--if-stale`` (the set-up
command) an existing bank built from the same texts, labels and encoder is kept (about two minutes saved).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from safety.embeddings import MiniLmEncoder, TextEncoder
from safety.exemplars import BANK_PATH, CATEGORY, ExemplarBank, stored_content_key
from safety.features import columns, feature_set
from safety.train_classifiers import default_data_dir
from safety.training.datasets import eval_texts, harm_set, normalise

REPO = Path(__file__).resolve().parents[2]
SHB_PATH = REPO / "tests" / "triage" / "data" / "self_harm_probes_shb.jsonl"
BLIND_ROUNDS = ("r7", "r8")
FEATURES = "mean2-6"  # what the harm head reads (one shared encoding per message)
PRECISION = "float32"  # MiniLM as the shipped heads run it


PROBE_PATHS = (SHB_PATH,)
# MiniLM reads English only: a self-harm request in another language lies near every message in that
# language (round 16: SHC's eight non-English requests as exemplars raised false alarms on benign
# non-English development messages from 0 to 2 of 199 and from 2 to 5 of 300), so probe rows of these
# families are not positive exemplars
NOT_POSITIVE_FAMILIES = frozenset({"non_english"})


def exemplars(
    data_dir: Path, probes: Sequence[Path] = PROBE_PATHS
) -> tuple[list[str], list[bool], list[str]]:
    """Texts, whether each is a self-harm request, and each one's source (evaluation texts excluded).

    ``probes`` are JSONL files of development rows (``text``, ``kind``: ``self_harm`` or another kind, a
    negative exemplar, optional ``family``); a text already seen (or an evaluation text) is skipped, and so
    is a self-harm row of a family in :data:`NOT_POSITIVE_FAMILIES`.
    """
    excluded = eval_texts(data_dir)
    labelled = harm_set(data_dir, excluded, BLIND_ROUNDS)
    texts = list(labelled.texts)
    positive = [labelled.classes[i] == CATEGORY for i in labelled.labels]
    sources = list(labelled.groups)
    seen = {normalise(t) for t in texts}
    for path in probes:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            key = normalise(row["text"])
            if key in seen or key in excluded:
                continue
            if row["kind"] == CATEGORY and row.get("family") in NOT_POSITIVE_FAMILIES:
                continue
            seen.add(key)
            texts.append(row["text"])
            positive.append(row["kind"] == CATEGORY)
            sources.append(f"{path.stem}:{row['kind']}")
    return texts, positive, sources


def content_key(texts: Sequence[str], positive: Sequence[bool], precision: str) -> str:
    """sha256 of what the bank is made of: feature set, encoder precision, every text and its label."""
    digest = hashlib.sha256(f"{FEATURES}\x1f{precision}".encode())
    for text, label in zip(texts, positive, strict=True):
        digest.update(f"\x1e{int(label)}\x1f{text}".encode())
    return digest.hexdigest()


def build(
    encoder: TextEncoder,
    texts: Sequence[str],
    positive: Sequence[bool],
    sources: Sequence[str],
    progress: Callable[[str], None] = lambda _m: None,
    batch: int = 512,
) -> ExemplarBank:
    """Embed the exemplars (the bank's feature set, taken from the encoder's vector) into a bank."""
    wanted = feature_set(FEATURES)
    features = getattr(encoder, "features", wanted)
    picked = None if features == wanted else columns(wanted, features)
    parts = []
    for start in range(0, len(texts), batch):
        vectors = encoder.encode(list(texts[start : start + batch]))
        parts.append(vectors if picked is None else vectors[:, picked])
        progress(f"embedded {min(start + batch, len(texts))}/{len(texts)}")
    matrix = np.concatenate(parts).astype(np.float32)
    mask = np.asarray(positive, dtype=bool)
    counts = Counter(f"{'positive' if p else 'negative'}:{s}" for p, s in zip(positive, sources, strict=True))
    precision = str(getattr(encoder, "precision", "float32"))
    return ExemplarBank(
        matrix[mask],
        matrix[~mask],
        FEATURES,
        precision,
        dict(sorted(counts.items())),
        content_key(texts, positive, precision),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build and write the bank; print its size."""
    parser = argparse.ArgumentParser(prog="python -m safety.training.self_harm_bank", description=__doc__)
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="default: $TRIAGE_DATA_DIR or ../shared/data"
    )
    parser.add_argument("--out", type=Path, default=BANK_PATH)
    parser.add_argument(
        "--probes",
        type=Path,
        nargs="+",
        default=list(PROBE_PATHS),
        help="JSONL files of labelled development rows (default: SHB)",
    )
    parser.add_argument("--if-stale", action="store_true", help="keep a bank built from the same inputs")
    args = parser.parse_args(argv)
    args.data_dir = args.data_dir or default_data_dir()
    if not (args.data_dir / "train").is_dir():
        parser.error(f"{args.data_dir}/train: no such folder (set --data-dir)")
    for path in args.probes:
        if not path.is_file():
            parser.error(f"{path}: no such file")
    texts, positive, sources = exemplars(args.data_dir, args.probes)
    if args.if_stale and args.out.is_file():
        try:
            current = stored_content_key(args.out)
        except (OSError, ValueError):
            current = ""
        if current == content_key(texts, positive, PRECISION):
            print(f"{args.out} is up to date")
            return 0
    print(f"{sum(positive)} self-harm exemplars, {len(texts) - sum(positive)} others", file=sys.stderr)
    encoder = MiniLmEncoder.shipped(precision=PRECISION, runtime="onnxruntime", cache_size=16)
    bank = build(encoder, texts, positive, sources, progress=lambda m: print(m, file=sys.stderr))
    bank.save(args.out)
    print(
        f"wrote {args.out}: {bank.positives.shape[0]} positive, {bank.negatives.shape[0]} negative exemplars"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

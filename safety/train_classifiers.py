"""Set-up command: ``python -m safety.train_classifiers [--data-dir DIR] [--out DIR]``.

Builds the harm, injection and misinformation heads from ../shared/data/train plus our own examples
and writes them to ``safety/weights/*.npz`` (a few KB each). Prints each head's held-out quality and
the threshold to put in ``safety_config.yaml``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from safety.embeddings import MiniLmEncoder
from safety.heads import WEIGHTS_DIR
from safety.training.datasets import HEAD_SETS, eval_texts
from safety.training.train import HEAD_KIND, embed_cached, fit_head

REPO_ROOT = Path(__file__).resolve().parent.parent


def default_data_dir() -> Path:
    """``$TRIAGE_DATA_DIR`` or ../shared/data next to the repository."""
    return Path(os.environ.get("TRIAGE_DATA_DIR", REPO_ROOT.parent / "shared" / "data"))


def main(argv: list[str] | None = None) -> int:
    """Train every head (or those named) and write the weights."""
    parser = argparse.ArgumentParser(prog="python -m safety.train_classifiers")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--cache-dir", type=Path, default=REPO_ROOT / "var" / "safety_cache")
    parser.add_argument("--heads", nargs="*", default=sorted(HEAD_SETS), choices=sorted(HEAD_SETS))
    args = parser.parse_args(argv)
    data_dir = args.data_dir or default_data_dir()
    if not (data_dir / "train").is_dir():
        print(f"no training data under {data_dir}/train (set --data-dir or TRIAGE_DATA_DIR)", file=sys.stderr)
        return 2
    exclude = eval_texts(data_dir) if (data_dir / "eval").is_dir() else set()
    encoder = MiniLmEncoder(cache_size=0)
    for name in args.heads:
        data = HEAD_SETS[name](data_dir, exclude)
        vectors = embed_cached(encoder, data.texts, args.cache_dir)
        head, report = fit_head(name, data, vectors, kind=HEAD_KIND[name])
        head.save(args.out / f"{name}.npz")
        print(report.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())

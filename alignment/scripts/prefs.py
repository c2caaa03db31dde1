"""``align prefs``: build validated preference pairs (seed exercise, clinician ratings, external sets)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from alignment.configs import PrefsRecipe, resolve_path
from alignment.datafiles import write_jsonl
from alignment.training_data import split_pairs


def main(recipe: PrefsRecipe) -> Path:
    """Write ``pairs_train.jsonl``, ``pairs_heldout.jsonl`` and ``summary.json``; returns the directory."""
    train, heldout = split_pairs(recipe.data)
    out = resolve_path(recipe.output_dir)
    write_jsonl(out / "pairs_train.jsonl", train)
    write_jsonl(out / "pairs_heldout.jsonl", heldout)
    summary = {
        "train": len(train),
        "heldout": len(heldout),
        "by_source": dict(Counter(p.source for p in train + heldout)),
        "annotators": sorted({p.annotator_id for p in train + heldout}),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    return out

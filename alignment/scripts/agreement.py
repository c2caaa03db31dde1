"""``align agreement``: Cohen's/Fleiss' kappa and the disagreement report over clinician ratings."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from alignment.agreement import agreement_report
from alignment.configs import AgreementRecipe, resolve_path
from alignment.ratings import read_ratings_file, read_ratings_table


def main(recipe: AgreementRecipe) -> Path:
    """Write ``agreement.json`` and ``agreement.md``; returns the directory.

    Raises:
        ValueError: neither ``ratings_path`` nor ``database_url`` is set.
    """
    if recipe.ratings_path:
        ratings = read_ratings_file(resolve_path(recipe.ratings_path))
    elif recipe.database_url:
        ratings = read_ratings_table(recipe.database_url, recipe.table)
    else:
        raise ValueError("set ratings_path (JSONL/CSV export) or database_url + table")
    report = agreement_report(ratings)
    out = resolve_path(recipe.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "agreement.json").write_text(json.dumps(asdict(report), indent=2))
    (out / "agreement.md").write_text(report.to_markdown())
    print(report.to_markdown().split("## Disagreements")[0])
    return out

"""``align cai``: Constitutional AI data generation (SL-CAI SFT rows + RLAIF pairs + before/after report)."""

from __future__ import annotations

import json
from pathlib import Path

from alignment.configs import CaiRecipe, resolve_path
from alignment.constitutional import (
    before_after_report,
    critique_and_revise,
    label_pairs,
    report_markdown,
    sft_rows,
)
from alignment.datafiles import load_seed_prompts, write_jsonl
from alignment.generation import Generator


def run(recipe: CaiRecipe, generator: Generator, model_id: str) -> dict:
    """Run CAI with any :class:`Generator`; writes sft.jsonl, pairs.jsonl, report.{json,md}."""
    from clinical_policies import load_policy_bundle

    bundle = load_policy_bundle()
    prompts = load_seed_prompts(split=recipe.prompts_split)[: recipe.limit]
    system = bundle.messages.system_prompt
    samples = critique_and_revise(
        generator,
        system,
        prompts,
        bundle.constitution,
        recipe.principles_per_prompt,
        recipe.max_new_tokens,
        recipe.seed,
    )
    pairs = label_pairs(
        generator,
        samples,
        bundle.constitution,
        model_id,
        f"constitution-{bundle.version}-{bundle.sha256[:12]}",
        recipe.min_confidence,
    )
    out = resolve_path(recipe.output_dir)
    write_jsonl(out / "sft.jsonl", sft_rows(samples, system))
    write_jsonl(out / "pairs.jsonl", pairs)
    write_jsonl(out / "trajectories.jsonl", [s.__dict__ for s in samples])
    report = before_after_report(samples)
    report["ai_labelled_pairs"] = len(pairs)
    revisions = {f"cai:{s.prompt_id}": s.revision for s in samples}
    report["revision_preferred"] = sum(p.chosen == revisions[p.pair_id] for p in pairs)
    (out / "report.json").write_text(json.dumps(report, indent=2))
    (out / "report.md").write_text(report_markdown(report, samples))
    return report


def main(recipe: CaiRecipe) -> Path:
    """Load the recipe's model and run CAI; returns the output directory."""
    from alignment.generation import load_generator

    generator = load_generator(recipe.model_name_or_path, recipe.adapter_path)
    run(recipe, generator, model_id=Path(recipe.model_name_or_path).name)
    return resolve_path(recipe.output_dir)

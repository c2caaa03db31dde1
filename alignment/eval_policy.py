"""Policy evaluation before vs after training on held-out seed prompts.

Metrics per model: learned reward (if an RM is given), KL to the reference, reply length, refusal
rate on benign prompts, rule-based constitution violations, and the gold rule reward. KL is exact
per position (sum over the vocabulary) along the policy's own greedy reply, summed over tokens.
"""

from __future__ import annotations

import json
from statistics import fmean
from typing import Any

from alignment.configs import EvalPolicyRecipe, resolve_path
from alignment.datafiles import load_seed_prompts
from alignment.generation import HFGenerator
from alignment.plots import before_after_plot
from alignment.rewards import is_refusal, word_count
from alignment.schema import SeedPrompt
from alignment.shaped_reward import gold_reward
from alignment.training_data import persona
from alignment.violations import constitution_violations


def sequence_kl(
    policy: Any, reference: Any, tokenizer: Any, conversations: list[list[dict]], replies: list[str]
) -> list[float]:
    """KL(policy || reference) in nats, summed over the reply tokens of each conversation."""
    import torch

    kls = []
    for conversation, reply in zip(conversations, replies, strict=True):
        prefix = tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)
        prefix_len = len(tokenizer(prefix, add_special_tokens=False)["input_ids"])
        ids = tokenizer(prefix + reply, add_special_tokens=False, return_tensors="pt")["input_ids"]
        if ids.shape[1] <= prefix_len:
            kls.append(0.0)
            continue
        with torch.no_grad():
            logp = torch.log_softmax(policy(input_ids=ids).logits[0, prefix_len - 1 : -1].float(), -1)
            logq = torch.log_softmax(reference(input_ids=ids).logits[0, prefix_len - 1 : -1].float(), -1)
        kls.append(float((logp.exp() * (logp - logq)).sum()))
    return kls


def summarise(
    prompts: list[SeedPrompt], replies: list[str], rm_scores: list[float] | None, kls: list[float]
) -> dict:
    """Aggregate metrics for one model's replies."""
    categories = [p.category for p in prompts]
    benign = [r for p, r in zip(prompts, replies, strict=True) if p.category == "benign"]
    violations = [
        constitution_violations(p.text, p.category, r) for p, r in zip(prompts, replies, strict=True)
    ]
    summary = {
        "kl_to_reference": fmean(kls),
        "mean_words": fmean(word_count(r) for r in replies),
        "benign_refusal_rate": (sum(is_refusal(r) for r in benign) / len(benign)) if benign else 0.0,
        "violations_per_reply": fmean(len(v) for v in violations),
        "gold_reward": fmean(gold_reward(replies, categories, [p.text for p in prompts])),
    }
    if rm_scores is not None:
        summary["rm_reward"] = fmean(rm_scores)
    return summary


def main(recipe: EvalPolicyRecipe) -> dict:
    """Generate with reference and policy, score both; writes ``policy_eval.{json,md,png}``."""
    from peft import PeftModel

    from alignment.base_model import resolve_model_path
    from alignment.eval_rm import score_texts
    from alignment.modeling import load_causal_lm, load_reward_model, load_tokenizer

    tokenizer = load_tokenizer(resolve_model_path(recipe.model_name_or_path))
    reference = load_causal_lm(recipe.model_name_or_path, recipe.reference_adapter_path)
    policy = PeftModel.from_pretrained(
        load_causal_lm(recipe.model_name_or_path, recipe.reference_adapter_path),
        str(resolve_path(recipe.policy_adapter_path)),
    )
    prompts = load_seed_prompts(split=recipe.prompts_split)[: recipe.limit]
    head = [{"role": "system", "content": persona()}] if recipe.system_prompt else []
    conversations = [[*head, {"role": "user", "content": p.text}] for p in prompts]
    rm = (
        load_reward_model(recipe.model_name_or_path, recipe.reward_model_path, tokenizer.pad_token_id)
        if recipe.reward_model_path
        else None
    )
    results: dict = {"n_prompts": len(prompts), "samples": []}
    replies_by_model = {}
    for name, model in (("before", reference), ("after", policy)):
        replies = HFGenerator(model, tokenizer).generate(conversations, recipe.max_new_tokens)
        replies_by_model[name] = replies
        rm_scores = (
            score_texts(
                rm,
                tokenizer,
                [
                    [*c, {"role": "assistant", "content": r}]
                    for c, r in zip(conversations, replies, strict=True)
                ],
                1024,
            )
            if rm is not None
            else None
        )
        kls = sequence_kl(model, reference, tokenizer, conversations, replies)
        results[name] = summarise(prompts, replies, rm_scores, kls)
    for prompt, before, after in zip(
        prompts, replies_by_model["before"], replies_by_model["after"], strict=True
    ):
        results["samples"].append(
            {"id": prompt.id, "category": prompt.category, "before": before, "after": after}
        )
    out = resolve_path(recipe.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "policy_eval.json").write_text(json.dumps(results, indent=2))
    lines = ["# Policy evaluation: before vs after", "", "| metric | before | after |", "|---|---|---|"]
    lines += [f"| {k} | {v:.3f} | {results['after'][k]:.3f} |" for k, v in results["before"].items()]
    (out / "policy_eval.md").write_text("\n".join(lines) + "\n")
    before_after_plot(results["before"], results["after"], out / "policy_eval.png", "policy before vs after")
    return results

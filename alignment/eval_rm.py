"""Reward-model evaluation: pairwise accuracy on held-out pairs and a calibration (reliability) plot.

Under Bradley-Terry, P(chosen > rejected) = sigmoid(r_chosen - r_rejected). Each pair is scored in
both orders (p with label 1, 1 - p with label 0) so the reliability diagram covers [0, 1].
"""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

from alignment.configs import EvalRMRecipe, resolve_path
from alignment.plots import calibration_plot
from alignment.schema import PreferencePair
from alignment.training_data import filter_by_length, persona, split_pairs


def score_texts(
    model: Any, tokenizer: Any, conversations: list[list[dict]], max_length: int, batch_size: int = 8
) -> list[float]:
    """Scalar reward for each full conversation (prompt + assistant reply)."""
    import torch

    tokenizer.padding_side = "right"
    scores: list[float] = []
    model.eval()
    for start in range(0, len(conversations), batch_size):
        texts = [
            tokenizer.apply_chat_template(c, tokenize=False)
            for c in conversations[start : start + batch_size]
        ]
        batch = tokenizer(
            texts,
            return_tensors="pt",
            padding=True,
            truncation=True,
            max_length=max_length,
            add_special_tokens=False,
        )
        with torch.no_grad():
            scores += model(**batch).logits[:, 0].float().tolist()
    return scores


def pair_margins(
    model: Any, tokenizer: Any, pairs: list[PreferencePair], system: str | None, max_length: int
) -> list[float]:
    """r(chosen) - r(rejected) for each pair."""
    head = [{"role": "system", "content": system}] if system else []

    def conv(prompt: str, reply: str) -> list[dict]:
        return [*head, {"role": "user", "content": prompt}, {"role": "assistant", "content": reply}]

    chosen = score_texts(model, tokenizer, [conv(p.prompt, p.chosen) for p in pairs], max_length)
    rejected = score_texts(model, tokenizer, [conv(p.prompt, p.rejected) for p in pairs], max_length)
    return [c - r for c, r in zip(chosen, rejected, strict=True)]


def calibration(margins: list[float], bins: int) -> dict:
    """Accuracy, expected calibration error and the reliability-diagram bins."""
    probs = [1 / (1 + math.exp(-m)) for m in margins]
    points = [(p, 1) for p in probs] + [(1 - p, 0) for p in probs]
    edges = [i / bins for i in range(bins + 1)]
    conf, acc, counts = [], [], []
    ece = 0.0
    for low, high in itertools.pairwise(edges):
        inside = [(p, y) for p, y in points if low <= p < high or (high == 1.0 and p == 1.0)]
        if not inside:
            continue
        c = sum(p for p, _ in inside) / len(inside)
        a = sum(y for _, y in inside) / len(inside)
        conf.append(c)
        acc.append(a)
        counts.append(len(inside))
        ece += len(inside) / len(points) * abs(a - c)
    return {
        "pairwise_accuracy": sum(m > 0 for m in margins) / len(margins),
        "mean_margin": sum(margins) / len(margins),
        "ece": ece,
        "bins": {"confidence": conf, "accuracy": acc, "count": counts},
    }


def main(recipe: EvalRMRecipe) -> dict:
    """Score the held-out split of the recipe's data; writes ``rm_eval.json`` and ``rm_calibration.png``.

    With ``length_policy: filter`` (default) held-out pairs longer than ``max_length`` are dropped,
    the same filter ``align reward-model`` applies to its training split; ``truncate`` scores them
    cut to ``max_length`` instead (the old behaviour).
    """
    from alignment.base_model import resolve_model_path
    from alignment.modeling import load_reward_model, load_tokenizer

    _, heldout = split_pairs(recipe.data)
    tokenizer = load_tokenizer(resolve_model_path(recipe.model_name_or_path))
    length_counts = None
    if recipe.length_policy == "filter":
        heldout, length_counts = filter_by_length(
            heldout, tokenizer, recipe.max_length, recipe.data.system_prompt
        )
    if not heldout:
        raise ValueError("no held-out pairs: raise data.heldout_fraction, max_length, or add sources")
    model = load_reward_model(recipe.model_name_or_path, recipe.reward_model_path, tokenizer.pad_token_id)
    system = persona() if recipe.data.system_prompt else None
    margins = pair_margins(model, tokenizer, heldout, system, recipe.max_length)
    result = {
        "n_heldout_pairs": len(heldout),
        "length_policy": recipe.length_policy,
        "max_length": recipe.max_length,
        "length_filter": length_counts,
        **calibration(margins, recipe.calibration_bins),
    }
    by_source: dict[str, list[float]] = {}
    for pair, margin in zip(heldout, margins, strict=True):
        by_source.setdefault(pair.source, []).append(margin)
    result["accuracy_by_source"] = {s: sum(m > 0 for m in ms) / len(ms) for s, ms in by_source.items()}
    result["n_by_source"] = {s: len(ms) for s, ms in by_source.items()}
    out = resolve_path(recipe.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "rm_eval.json").write_text(json.dumps(result, indent=2))
    bins = result["bins"]
    calibration_plot(
        bins["confidence"],
        bins["accuracy"],
        bins["count"],
        out / "rm_calibration.png",
        f"RM calibration: acc {result['pairwise_accuracy']:.2f}, ECE {result['ece']:.3f}, n={len(heldout)}",
    )
    return result

"""Assemble the rows each trainer consumes (TRL conversational format) from a recipe's ``DataSpec``.

Preference rows: ``{"prompt": [system?, user], "chosen": [assistant], "rejected": [assistant]}``.
SFT rows: ``{"messages": [system?, user, assistant]}``. Held-out rows are split off by prompt hash,
so the reward model never trains on a prompt it is evaluated on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alignment.configs import DataSource, DataSpec, resolve_path
from alignment.datafiles import load_seed_exercise, read_pairs
from alignment.paths import ensure_not_eval_data
from alignment.prefs import (
    pairs_from_external_jsonl,
    pairs_from_ratings,
    pairs_from_seed_file,
    split_by_prompt,
)
from alignment.ratings import read_ratings_file
from alignment.schema import PreferencePair


def persona() -> str:
    """The clinical persona (system prompt) from the policy bundle."""
    from clinical_policies import load_policy_bundle

    return load_policy_bundle().messages.system_prompt


def _source_path(source: DataSource) -> Path | None:
    if source.path is None:
        raise ValueError(f"data source {source.kind} needs a path")
    path = ensure_not_eval_data(resolve_path(source.path))
    if not path.exists():
        if source.optional:
            return None
        raise FileNotFoundError(f"{path} (data source {source.kind}) does not exist")
    return path


def load_pairs(spec: DataSpec) -> list[PreferencePair]:
    """All preference pairs named by the spec, in source order, each source capped at ``limit``."""
    pairs: list[PreferencePair] = []
    for source in spec.sources:
        if source.kind == "seed_exercise":
            found = pairs_from_seed_file(load_seed_exercise())
        elif source.kind in ("sft_jsonl", "safe_responses"):
            continue  # SFT-only sources
        elif (path := _source_path(source)) is None:
            continue
        elif source.kind == "pairs_jsonl":
            found = read_pairs(path)
        elif source.kind == "external_pref":
            found = pairs_from_external_jsonl(path, limit=source.limit)
        else:  # clinician_ratings
            found = pairs_from_ratings(read_ratings_file(path))
        pairs += found[: source.limit] if source.limit else found
    return pairs


def split_pairs(spec: DataSpec) -> tuple[list[PreferencePair], list[PreferencePair]]:
    """(train, held-out) pairs for the spec."""
    return split_by_prompt(load_pairs(spec), spec.heldout_fraction)


def _prompt_messages(prompt: str, system_prompt: str | None) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
    return [*messages, {"role": "user", "content": prompt}]


def preference_rows(pairs: list[PreferencePair], with_system_prompt: bool) -> list[dict]:
    """Conversational preference rows for RewardTrainer / DPOTrainer."""
    system = persona() if with_system_prompt else None
    return [
        {
            "prompt": _prompt_messages(p.prompt, system),
            "chosen": [{"role": "assistant", "content": p.chosen}],
            "rejected": [{"role": "assistant", "content": p.rejected}],
        }
        for p in pairs
    ]


def pair_token_lengths(pairs: list[PreferencePair], tokenizer: Any, with_system_prompt: bool) -> list[int]:
    """Tokens of the longer side (prompt + chosen, or prompt + rejected) of each pair, as the RM sees it.

    The conversation is rendered with the tokenizer's chat template exactly as ``eval_rm.score_texts``
    renders it, so one length budget means the same thing at training and at evaluation.
    """
    system = persona() if with_system_prompt else None

    def length(prompt: str, reply: str) -> int:
        messages = [*_prompt_messages(prompt, system), {"role": "assistant", "content": reply}]
        text = tokenizer.apply_chat_template(messages, tokenize=False)
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    return [max(length(p.prompt, p.chosen), length(p.prompt, p.rejected)) for p in pairs]


def filter_by_length(
    pairs: list[PreferencePair], tokenizer: Any, max_length: int, with_system_prompt: bool
) -> tuple[list[PreferencePair], dict[str, Any]]:
    """Keep the pairs whose both sides fit in ``max_length`` tokens; returns (kept, counts).

    TRL's ``RewardTrainer`` silently drops longer pairs from training. Applying the same filter to
    the held-out split (instead of truncating there) keeps training and evaluation on the same
    distribution. ``counts`` has ``total``, ``kept``, ``dropped`` and ``kept_by_source``/``total_by_source``.
    """
    lengths = pair_token_lengths(pairs, tokenizer, with_system_prompt)
    kept = [p for p, n in zip(pairs, lengths, strict=True) if n <= max_length]
    total_by_source: dict[str, int] = {}
    kept_by_source: dict[str, int] = {}
    for pair, n in zip(pairs, lengths, strict=True):
        total_by_source[pair.source] = total_by_source.get(pair.source, 0) + 1
        if n <= max_length:
            kept_by_source[pair.source] = kept_by_source.get(pair.source, 0) + 1
    counts: dict[str, Any] = {
        "max_length": max_length,
        "total": len(pairs),
        "kept": len(kept),
        "dropped": len(pairs) - len(kept),
        "total_by_source": total_by_source,
        "kept_by_source": kept_by_source,
    }
    return kept, counts


def sft_rows(spec: DataSpec) -> list[dict]:
    """SFT rows: chosen side of the (training-split) pairs, plus safe responses and SL-CAI rows."""
    system = persona() if spec.system_prompt else None
    train_pairs, _ = split_pairs(spec)
    seen: set[tuple[str, str]] = set()
    rows: list[dict] = []

    def add(prompt: str, reply: str) -> None:
        if (prompt, reply) not in seen:
            seen.add((prompt, reply))
            rows.append(
                {"messages": [*_prompt_messages(prompt, system), {"role": "assistant", "content": reply}]}
            )

    for pair in train_pairs:
        add(pair.prompt, pair.chosen)
    for source in spec.sources:
        if source.kind not in ("sft_jsonl", "safe_responses") or (path := _source_path(source)) is None:
            continue
        count = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if source.kind == "sft_jsonl":
                turns = [m for m in row["messages"] if m["role"] != "system"]
                add(turns[0]["content"], turns[-1]["content"])
            elif row.get("safe_response") and row.get("split", "train") == "train":
                add(row["text"], row["safe_response"])
            else:
                continue
            count += 1
            if source.limit and count >= source.limit:
                break
    return rows

"""Learned reward + rule-based shaping terms, packaged as a module TRL's PPO can call as a reward model.

TRL's PPO scores a rollout with ``model.score(backbone(ids).hidden_states[-1])`` read at the last
response token. This wrapper keeps that interface, decodes each sequence (ChatML: the last user turn
is the prompt, the text after the last assistant header is the reply) and adds the weighted pure
rewards (e.g. a conciseness term) to the learned score. It also records per-batch signals (proxy
score, gold rule reward, length) for the reward-hacking monitor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import torch
from torch import nn

from alignment.rewards import red_flag_escalation_reward, refusal_penalty, weighted_reward, word_count

USER_TURN = re.compile(r"<\|im_start\|>user\n(.*?)<\|im_end\|>", re.DOTALL)
ASSISTANT_HEADER = "<|im_start|>assistant\n"
END_MARKERS = ("<|im_end|>", "<|endoftext|>")


def split_chatml(text: str) -> tuple[str, str]:
    """(last user message, assistant reply) of a ChatML transcript.

    Raises:
        ValueError: the text has no user turn or no assistant header.
    """
    users = USER_TURN.findall(text)
    if not users or ASSISTANT_HEADER not in text:
        raise ValueError("not a ChatML transcript with a user turn and an assistant header")
    reply = text.rsplit(ASSISTANT_HEADER, 1)[1]
    for marker in END_MARKERS:
        reply = reply.split(marker, 1)[0]
    return users[-1].strip(), reply.strip()


def gold_reward(
    replies: Sequence[str], categories: Sequence[str], prompts: Sequence[str] | None = None
) -> list[float]:
    """Held-out signal for monitoring: escalation correctness plus over-refusal (never optimised).

    With ``prompts``, clinical-policy red flags in the prompt also count as emergencies.
    """
    escalation = red_flag_escalation_reward(replies, categories, prompts=prompts)
    refusal = refusal_penalty(replies, categories)
    return [e + r for e, r in zip(escalation, refusal, strict=True)]


class _RecordingBackbone(nn.Module):
    """Passes through to the reward model's backbone and remembers the last inputs."""

    def __init__(self, backbone: nn.Module) -> None:
        super().__init__()
        self.inner = backbone
        self.last_input_ids: torch.Tensor | None = None
        self.last_attention_mask: torch.Tensor | None = None

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, **kwargs: Any) -> Any:
        self.last_input_ids, self.last_attention_mask = input_ids, attention_mask
        return self.inner(input_ids=input_ids, attention_mask=attention_mask, **kwargs)


class ShapedRewardModel(nn.Module):
    """``score = RM(prompt, reply) + sum_i w_i * rule_i(reply)`` with the TRL reward-model interface."""

    base_model_prefix = "backbone"

    def __init__(
        self,
        reward_model: nn.Module,
        tokenizer: Any,
        categories_by_prompt: Mapping[str, str],
        weights: Mapping[str, float],
        max_words: int = 80,
    ) -> None:
        super().__init__()
        self.reward_model = reward_model
        self.backbone = _RecordingBackbone(getattr(reward_model, str(reward_model.base_model_prefix)))
        self.tokenizer = tokenizer
        self.categories_by_prompt = dict(categories_by_prompt)
        self.weights = dict(weights)
        self.max_words = max_words
        self.history: list[dict[str, float]] = []

    def _decode(self) -> tuple[list[str], list[str]]:
        if self.backbone.last_input_ids is None or self.backbone.last_attention_mask is None:
            raise RuntimeError("score() called before the backbone forward pass")
        prompts, replies = [], []
        for ids, mask in zip(self.backbone.last_input_ids, self.backbone.last_attention_mask, strict=True):
            text = self.tokenizer.decode(ids[mask.bool()], skip_special_tokens=False)
            prompt, reply = split_chatml(text)
            prompts.append(prompt)
            replies.append(reply)
        return prompts, replies

    def score(self, hidden_states: torch.Tensor) -> torch.Tensor:
        """Learned score per position plus the per-sequence shaping term (same at every position)."""
        head: Any = self.reward_model.score
        logits: torch.Tensor = head(hidden_states)  # (batch, seq, 1)
        prompts, replies = self._decode()
        categories = [self.categories_by_prompt.get(p, "unknown") for p in prompts]
        mask = self.backbone.last_attention_mask
        if mask is None:
            raise RuntimeError("score() called before the backbone saw a batch")
        last = mask.long().cumsum(1).argmax(1)  # index of the last real token per row
        proxy = logits[torch.arange(logits.size(0)), last, 0].detach().float()
        shaping = (
            weighted_reward(replies, categories, self.weights, self.max_words, prompts=prompts)
            if self.weights
            else [0.0] * len(replies)
        )
        gold = gold_reward(replies, categories, prompts)
        self.history.append(
            {
                "proxy_reward": float(proxy.mean()),
                "shaping": sum(shaping) / len(shaping),
                "gold_reward": sum(gold) / len(gold),
                "mean_length": sum(word_count(r) for r in replies) / len(replies),
            }
        )
        bonus = torch.tensor(shaping, dtype=logits.dtype, device=logits.device)
        shaped: torch.Tensor = logits + bonus[:, None, None]
        return shaped

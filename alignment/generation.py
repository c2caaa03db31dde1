"""Text generation behind one small seam, so CAI and evaluation run on a real model or a scripted fake."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

Messages = list[dict[str, str]]


class Generator(Protocol):
    """What CAI and policy evaluation need from a chat model."""

    def generate(self, conversations: Sequence[Messages], max_new_tokens: int) -> list[str]:
        """Reply text for each conversation (assistant turn only, special tokens stripped)."""
        ...

    def option_logprobs(self, conversation: Messages, options: Sequence[str]) -> list[float]:
        """Log-probability of each option string as the start of the assistant reply."""
        ...


@dataclass
class HFGenerator:
    """Greedy or sampled generation with a transformers causal LM and its chat template."""

    model: Any
    tokenizer: Any
    do_sample: bool = False
    temperature: float = 0.7
    batch_size: int = 8

    def _encode(self, conversations: Sequence[Messages]) -> dict[str, Any]:
        texts = [
            self.tokenizer.apply_chat_template(c, tokenize=False, add_generation_prompt=True)
            for c in conversations
        ]
        encoded: dict[str, Any] = self.tokenizer(
            texts, return_tensors="pt", padding=True, add_special_tokens=False
        )
        return encoded

    def generate(self, conversations: Sequence[Messages], max_new_tokens: int) -> list[str]:
        import torch

        self.tokenizer.padding_side = "left"  # decoder-only generation needs left padding
        replies: list[str] = []
        self.model.eval()
        for start in range(0, len(conversations), self.batch_size):
            batch = self._encode(conversations[start : start + self.batch_size])
            sampling = (
                {"do_sample": True, "temperature": self.temperature}
                if self.do_sample
                else {"do_sample": False}
            )
            with torch.no_grad():
                output = self.model.generate(
                    **batch,
                    max_new_tokens=max_new_tokens,
                    pad_token_id=self.tokenizer.pad_token_id,
                    eos_token_id=self.tokenizer.eos_token_id,
                    **sampling,
                )
            new_tokens = output[:, batch["input_ids"].shape[1] :]
            replies += [
                text.strip() for text in self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
            ]
        return replies

    def option_logprobs(self, conversation: Messages, options: Sequence[str]) -> list[float]:
        import torch

        prefix = self.tokenizer.apply_chat_template(conversation, tokenize=False, add_generation_prompt=True)
        prefix_ids = self.tokenizer(prefix, add_special_tokens=False)["input_ids"]
        scores = []
        for option in options:
            option_ids = self.tokenizer(prefix + option, add_special_tokens=False)["input_ids"][
                len(prefix_ids) :
            ]
            ids = torch.tensor([prefix_ids + option_ids])
            with torch.no_grad():
                logits = self.model(input_ids=ids).logits[0, len(prefix_ids) - 1 : -1]
            logprobs = torch.log_softmax(logits.float(), dim=-1)
            scores.append(float(logprobs.gather(1, torch.tensor(option_ids)[:, None]).sum()))
        return scores


def load_generator(model_name_or_path: str, adapter_path: str | None = None, **kwargs: Any) -> HFGenerator:
    """Load a causal LM (optionally with a LoRA adapter on top) as an :class:`HFGenerator`."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from alignment.base_model import resolve_model_path

    path = resolve_model_path(model_name_or_path)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model: Any = AutoModelForCausalLM.from_pretrained(path)
    if adapter_path:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter_path)
    return HFGenerator(model=model, tokenizer=tokenizer, **kwargs)

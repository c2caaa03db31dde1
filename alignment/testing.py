"""Tiny in-process models for tests and smoke runs: no downloads, built in well under a second.

Shipped as part of the package (STYLE A.3: every external model sits behind a seam with a fake) so
that tests never improvise their own and never touch the Hugging Face hub.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

CHATML_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def build_tiny_tokenizer(corpus: Iterable[str], vocab_size: int = 384) -> Any:
    """Train a byte-level BPE tokenizer on ``corpus`` with ChatML special tokens and chat template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    core.train_from_iterator(list(corpus), trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        bos_token="<|im_start|>",
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        unk_token="<|endoftext|>",
    )
    tokenizer.chat_template = CHATML_TEMPLATE
    return tokenizer


def build_tiny_causal_lm(vocab_size: int, seed: int = 0, hidden_size: int = 32, layers: int = 2) -> Any:
    """A randomly initialised Llama with ``hidden_size`` 32 and two layers (~30k parameters)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=hidden_size,
        intermediate_size=hidden_size * 2,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=512,
        tie_word_embeddings=True,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=0,
    )
    return LlamaForCausalLM(config)


def save_tiny_checkpoint(target: Path, corpus: Iterable[str], seed: int = 0) -> Path:
    """Write a tiny tokenizer + causal LM checkpoint to ``target`` and return the directory."""
    from transformers import GenerationConfig

    tokenizer = build_tiny_tokenizer(corpus)
    model = build_tiny_causal_lm(len(tokenizer), seed=seed)
    model.generation_config = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    target.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(target)
    model.save_pretrained(target)
    return target


class ScriptedGenerator:
    """A :class:`alignment.generation.Generator` fake with scripted replies and judge preferences.

    ``reply(conversation) -> str`` decides every generated text; ``prefer`` is the option
    (e.g. ``"A"``) whose log-probability is higher when the judge is asked.
    """

    def __init__(self, reply: Callable[[list[dict[str, str]]], str], prefer: str = "A") -> None:
        self.reply = reply
        self.prefer = prefer
        self.calls: list[list[dict[str, str]]] = []

    def generate(self, conversations: Sequence[list[dict[str, str]]], max_new_tokens: int) -> list[str]:
        self.calls += [list(c) for c in conversations]
        return [self.reply(c) for c in conversations]

    def option_logprobs(self, conversation: list[dict[str, str]], options: Sequence[str]) -> list[float]:
        return [-0.1 if option == self.prefer else -2.5 for option in options]

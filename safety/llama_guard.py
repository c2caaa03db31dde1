"""Llama Guard 3 as a pipeline layer: prompt from ``safety_categories.yaml``, output parsed fail-closed.

The prompt follows Llama Guard 3's own chat template (including its wording) with our category
texts, so S6 carries the triage service's reading of "Specialized Advice". Any output that is not
exactly ``safe`` or ``unsafe`` + a line of known category codes is treated as unsafe (BLOCK).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from clinical_policies.schema_safety import SafetyCategory
from safety.types import CheckContext, CheckResult, Decision, Signal

Role = Literal["User", "Agent"]
GuardModel = Callable[[str], str]  # rendered prompt in, raw completion out
UNPARSEABLE_RULE = "LG-UNPARSEABLE"

_HEADER = (
    "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n"
    "Task: Check if there is unsafe content in '{role}' messages in conversations according our safety "
    "policy with the below categories.\n\n<BEGIN UNSAFE CONTENT CATEGORIES>\n"
)
_FOOTER = (
    "<END UNSAFE CONTENT CATEGORIES>\n\n<BEGIN CONVERSATION>\n\n{conversation}\n\n<END CONVERSATION>\n\n"
    "Provide your safety assessment for ONLY THE LAST {role} message in the above conversation:\n"
    " - First line must read 'safe' or 'unsafe'.\n"
    " - If unsafe, a second line must include a comma-separated list of violated categories."
    "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"
)


def render_prompt(
    conversation: Sequence[tuple[Role, str]],
    categories: Sequence[SafetyCategory],
    *,
    with_descriptions: bool = True,
) -> str:
    """Render the Llama Guard 3 prompt judging the last turn of ``conversation``.

    Args:
        conversation: (role, text) turns, oldest first; the last turn is judged.
        categories: S1..S14 from the policy bundle.
        with_descriptions: add each category's description under its name (needed for our S6).

    Raises:
        ValueError: empty conversation.
    """
    if not conversation:
        raise ValueError("conversation must have at least one turn")
    role = conversation[-1][0]
    lines = []
    for category in categories:
        lines.append(f"{category.code}: {category.name}.")
        if with_descriptions:
            lines.append(category.description)
    turns = "\n\n".join(f"{speaker}: {text}" for speaker, text in conversation)
    return _HEADER.format(role=role) + "\n".join(lines) + "\n" + _FOOTER.format(conversation=turns, role=role)


class GuardStatus(StrEnum):
    """Outcome of parsing a guard completion."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    UNPARSEABLE = "unparseable"


@dataclass(frozen=True)
class GuardOutput:
    """Parsed completion: status and the violated category codes (``S1``...)."""

    status: GuardStatus
    codes: tuple[str, ...] = ()


def parse_output(text: str, known_codes: Sequence[str]) -> GuardOutput:
    """Parse ``safe`` or ``unsafe`` + a codes line (``S1,S6``); anything else is UNPARSEABLE."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if lines == ["safe"]:
        return GuardOutput(GuardStatus.SAFE)
    if len(lines) != 2 or lines[0] != "unsafe":
        return GuardOutput(GuardStatus.UNPARSEABLE)
    codes = tuple(code.strip() for code in lines[1].split(","))
    if not codes or any(code not in known_codes for code in codes):
        return GuardOutput(GuardStatus.UNPARSEABLE)
    return GuardOutput(GuardStatus.UNSAFE, codes)


class TransformersGuardModel:
    """Greedy generation with any Llama Guard checkpoint (path or already-built model + tokenizer).

    Loaded lazily on first call; never downloads (``local_files_only``).
    """

    def __init__(
        self,
        checkpoint: Path | str | None = None,
        *,
        model: Any = None,
        tokenizer: Any = None,
        max_new_tokens: int = 10,
        device: str = "cpu",
    ) -> None:
        if checkpoint is None and (model is None or tokenizer is None):
            raise ValueError("pass a checkpoint path or both model and tokenizer")
        self._checkpoint = checkpoint
        self._model = model
        self._tokenizer = tokenizer
        self._max_new_tokens = max_new_tokens
        self._device = device
        self._lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._model is None or self._tokenizer is None:
                from transformers import AutoModelForCausalLM, AutoTokenizer

                path = str(self._checkpoint)
                self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
                model: Any = AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
                self._model = model.to(self._device).eval()
            return self._model, self._tokenizer

    def __call__(self, prompt: str) -> str:
        """Generate the completion (new tokens only, special tokens dropped)."""
        import torch

        model, tokenizer = self._load()
        inputs = tokenizer(prompt, return_tensors="pt", add_special_tokens=False).to(self._device)
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        with torch.inference_mode():
            output = model.generate(
                **inputs, max_new_tokens=self._max_new_tokens, do_sample=False, pad_token_id=pad
            )
        new_tokens = output[0, inputs["input_ids"].shape[1] :]
        return str(tokenizer.decode(new_tokens, skip_special_tokens=True))


class LlamaGuardCheck:
    """Pipeline layer: judge the user message (input) or the agent reply (output) with Llama Guard.

    Args:
        model: callable from rendered prompt to completion (:class:`TransformersGuardModel` or a fake).
        categories: the bundle's ``safety_categories`` (S1..S14).
        direction: ``input`` judges the User turn, ``output`` the Agent turn after the user text.
    """

    def __init__(
        self,
        model: GuardModel,
        categories: Sequence[SafetyCategory],
        direction: Literal["input", "output"],
        name: str = "llama_guard",
    ) -> None:
        self.name = name
        self._model = model
        self._categories = {c.code: c for c in categories}
        self._ordered = tuple(categories)
        self._direction = direction

    def prompt(self, text: str, context: CheckContext) -> str:
        """The rendered prompt for ``text``."""
        if self._direction == "input":
            return render_prompt([("User", text)], self._ordered)
        turns: list[tuple[Role, str]] = [("User", context.user_text)] if context.user_text else []
        return render_prompt([*turns, ("Agent", text)], self._ordered)

    def signals(self, parsed: GuardOutput) -> tuple[Signal, ...]:
        """Signals for a parsed completion; UNPARSEABLE is a BLOCK (fail closed)."""
        if parsed.status is GuardStatus.SAFE:
            return ()
        if parsed.status is GuardStatus.UNPARSEABLE:
            return (Signal("uncertain", 1.0, Decision.BLOCK, UNPARSEABLE_RULE),)
        signals = []
        for code in parsed.codes:
            category = self._categories[code]
            action = Decision.ESCALATE if category.action == "escalate" else Decision.BLOCK
            signals.append(Signal(category.reason_category, 1.0, action, category.id))
        return tuple(signals)

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Generate, parse and convert to signals."""
        completion = self._model(self.prompt(text, context))
        return CheckResult(self.signals(parse_output(completion, tuple(self._categories))))

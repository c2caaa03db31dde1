"""In-process chat model on transformers (the embedded default)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from backend.llm.base import ChatMessage, Completion, ModelError
from backend.llm.structured import parse_json_object, schema_instruction


class TransformersChatModel:
    """Greedy (or sampled) generation with a local checkpoint, optionally with a LoRA adapter.

    One generation runs at a time (CPU-bound; parallel generations only thrash the cores); a request
    that cannot start or finish within ``timeout_s`` raises :class:`ModelError`.
    """

    def __init__(
        self,
        model_dir: Path,
        *,
        adapter_dir: Path | None = None,
        timeout_s: float = 60.0,
        max_new_tokens: int = 120,
        temperature: float = 0.0,
        threads: int = 2,
    ) -> None:
        torch.set_num_threads(threads)
        self._tokenizer: Any = AutoTokenizer.from_pretrained(model_dir)
        model: Any = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
        name = model_dir.name
        if adapter_dir is not None:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, adapter_dir).merge_and_unload()
            name = f"{name}+{adapter_dir.name}"
        model.eval()
        self._model: Any = model
        self._model_id = f"transformers:{name}"
        self._timeout_s = timeout_s
        self._max_new_tokens = max_new_tokens
        self._temperature = temperature
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        """Identifier stored with every audit row."""
        return self._model_id

    def ready(self) -> bool:
        """Weights are loaded in-process, so the model is ready once constructed."""
        return True

    def complete(self, messages: list[ChatMessage], *, max_new_tokens: int | None = None) -> Completion:
        """Generate one reply; raises :class:`ModelError` on timeout, failure or empty output."""
        started = time.perf_counter()
        if not self._lock.acquire(timeout=self._timeout_s):
            raise ModelError(f"model busy for more than {self._timeout_s:.0f} s")
        try:
            remaining = self._timeout_s - (time.perf_counter() - started)
            inputs = self._tokenizer.apply_chat_template(
                list(messages), add_generation_prompt=True, return_tensors="pt", return_dict=True
            )
            sampling = {"do_sample": True, "temperature": self._temperature} if self._temperature else {}
            with torch.inference_mode():
                output = self._model.generate(
                    **inputs,
                    max_new_tokens=max_new_tokens or self._max_new_tokens,
                    max_time=max(remaining, 0.01),
                    pad_token_id=self._tokenizer.eos_token_id,
                    **sampling,
                )
        except Exception as exc:  # any failure inside generation fails closed
            raise ModelError(f"generation failed: {type(exc).__name__}") from exc
        finally:
            self._lock.release()
        elapsed = time.perf_counter() - started
        if elapsed >= self._timeout_s:
            raise ModelError(f"generation exceeded {self._timeout_s:.0f} s")
        new_tokens = output[0][inputs["input_ids"].shape[1] :]
        text = self._tokenizer.decode(new_tokens, skip_special_tokens=True).strip()
        if not text:
            raise ModelError("model returned an empty reply")
        return Completion(text, self._model_id, round(elapsed * 1000, 1), int(new_tokens.shape[0]))

    def complete_json(
        self, messages: list[ChatMessage], schema: dict[str, Any], *, name: str
    ) -> dict[str, Any]:
        """No constrained decoding in-process: instruct, generate, then parse and validate."""
        instructed: list[ChatMessage] = [
            *messages,
            {"role": "user", "content": schema_instruction(schema)},
        ]
        return parse_json_object(self.complete(instructed).text, schema)

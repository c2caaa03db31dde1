"""Fakes for other packages' tests: scripted checks, classifiers and guard models (no models loaded).

Example::

    pipeline = SafetyPipeline([FakeCheck("harm", [Signal("self_harm", 0.99)])], [])
    assert pipeline.check_input("...").decision is Decision.ESCALATE  # with the default config
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from safety.types import CheckContext, CheckResult, Signal

if TYPE_CHECKING:
    from safety.heads import ClassifierHead

Script = Callable[[str], Sequence[Signal]]


class FakeCheck:
    """A pipeline check returning scripted signals: a fixed list, or a function of the text.

    ``calls`` records every text seen, so tests can assert on what reached the layer.
    """

    def __init__(
        self, name: str, signals: Sequence[Signal] | Script = (), *, error: Exception | None = None
    ) -> None:
        self.name = name
        self._signals = signals
        self._error = error
        self.calls: list[str] = []

    def _scripted(self, text: str) -> tuple[Signal, ...]:
        if callable(self._signals):
            return tuple(self._signals(text))
        return tuple(self._signals)

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Record ``text``, raise the scripted error if any, else return the scripted signals."""
        self.calls.append(text)
        if self._error is not None:
            raise self._error
        return CheckResult(self._scripted(text))


class FakeClassifier(FakeCheck):
    """A :class:`safety.classifiers.Classifier` with scripted scores (``keywords`` -> category, score)."""

    def __init__(
        self, name: str, keywords: dict[str, tuple[str, float]], default: Signal | None = None
    ) -> None:
        self._keywords = keywords
        self._default = default or Signal("benign", 0.0)
        super().__init__(name, self._lookup)

    def _lookup(self, text: str) -> list[Signal]:
        lowered = text.lower()
        for keyword, (category, score) in self._keywords.items():
            if keyword in lowered:
                return [Signal(category, score)]
        return [self._default]

    def score(self, texts: Sequence[str]) -> list[Signal]:
        """One signal per text: the first keyword found, else the default."""
        return [self._lookup(text)[0] for text in texts]


class FakeGuard:
    """A Llama Guard model callable returning scripted completions (``safe``, ``unsafe`` + codes, garbage).

    ``completions`` are returned in order and the last one repeats; ``prompts`` records each prompt.
    """

    def __init__(self, *completions: str) -> None:
        self._completions = list(completions) or ["safe"]
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        """Return the next scripted completion."""
        self.prompts.append(prompt)
        index = min(len(self.prompts) - 1, len(self._completions) - 1)
        return self._completions[index]


class FakeChatModel:
    """A chat-model callable (message list in, text out) with scripted replies, for the reviser."""

    def __init__(self, *replies: str, error: Exception | None = None) -> None:
        self._replies = list(replies)
        self._error = error
        self.calls: list[list[dict[str, str]]] = []

    def __call__(self, messages: list[dict[str, str]]) -> str:
        """Return the next scripted reply (the last repeats) or raise the scripted error."""
        self.calls.append(messages)
        if self._error is not None:
            raise self._error
        return self._replies[min(len(self.calls) - 1, len(self._replies) - 1)]


def random_head(features: str, dim: int, seed: int = 0) -> ClassifierHead:
    """A two-class MLP head with random weights reading ``dim`` inputs of feature set ``features``."""
    import numpy as np

    from safety.heads import ClassifierHead

    rng = np.random.default_rng(seed)
    return ClassifierHead(
        ("benign", "harmful_request"),
        rng.normal(size=(1, 8)).astype(np.float32),
        np.zeros(1, np.float32),
        rng.normal(size=(dim, 8)).astype(np.float32),
        np.zeros(8, np.float32),
        features,
    )

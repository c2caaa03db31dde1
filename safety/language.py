"""Language check: a message the cascade cannot read is said so and handed to a person (issues 3 and 4).

Every classifier of the cascade (MiniLM heads, self-harm exemplars, known false claims) and the triage
engine's lexicon read English. A message in another language passes them unread: on the blind self-harm
batch SHC none of the eight requests in Spanish, French, German, Polish or Portuguese reached a crisis route,
and an emergency described in another language is triaged on whatever English words it contains. Rather
than guess, this layer recognises such a message and escalates it (reason ``unsupported_language``): the
patient gets the approved text in several languages (emergency numbers, a clinician will contact them with
an interpreter) and the case goes to the clinician queue.

Detection is Lingua's n-gram models (``lingua-language-detector``, offline, models inside the wheel),
restricted to the configured candidate languages. The signal's score is the detector's confidence in the
most likely language when that language is not a supported one (0 otherwise, and for messages of fewer
than ``min_words`` words: "ok", "sí", a drug name; redaction pseudonyms are left out). The layer threshold
applies to that score.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from safety.types import CheckContext, CheckResult, Signal
from safety.vault import PLACEHOLDER

LAYER = "language"
CATEGORY = "unsupported_language"
# a word: a run of letters, or one character of a script written without spaces (Chinese, Japanese)
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\W\d_]+")


def lingua_language(name: str) -> Language:
    """The Lingua language called ``name`` (``english``, ``SPANISH``).

    Raises:
        ValueError: Lingua knows no language of that name.
    """
    found = getattr(Language, name.strip().upper(), None)
    if not isinstance(found, Language):
        raise ValueError(f"unknown language {name!r} (Lingua's names: english, spanish, polish...)")
    return found


@functools.lru_cache(maxsize=4)
def _detector(languages: tuple[Language, ...]) -> LanguageDetector:
    """One detector per candidate set and process, its models loaded now (about 4 s, 450 MB for 32)."""
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


class LanguageCheck:
    """A pipeline check: is the message written in a language the cascade does not read?

    Args:
        supported: languages the cascade and the triage engine read (Lingua names).
        candidates: languages the detector chooses among; must include every supported one and at least
            one other. A message in a language outside the list is read as the nearest listed one.
        min_words: messages with fewer words score 0.
        name: layer name in the safety config.

    Raises:
        ValueError: an unknown language name, a supported language missing from the candidates, no
            unsupported candidate, or a negative ``min_words``.
    """

    def __init__(
        self,
        supported: Sequence[str],
        candidates: Sequence[str],
        *,
        min_words: int = 3,
        name: str = LAYER,
    ) -> None:
        if min_words < 0:
            raise ValueError(f"min_words must be >= 0, not {min_words}")
        self.supported = frozenset(lingua_language(n) for n in supported)
        chosen = tuple(dict.fromkeys(lingua_language(n) for n in candidates))
        missing = self.supported - set(chosen)
        if missing:
            raise ValueError(
                f"supported languages missing from the candidates: {sorted(m.name for m in missing)}"
            )
        if not set(chosen) - self.supported:
            raise ValueError("the candidates need at least one language that is not supported")
        self.name = name
        self.category = CATEGORY
        self.min_words = min_words
        self._detector = _detector(tuple(sorted(chosen, key=lambda lang: lang.name)))

    def detect(self, text: str) -> tuple[Language | None, float]:
        """The most likely candidate language of ``text`` and the detector's confidence in it."""
        values = self._detector.compute_language_confidence_values(text)
        if not values:
            return None, 0.0
        return values[0].language, float(values[0].value)

    def score(self, text: str) -> Signal:
        """The confidence in the message's language when it is not a supported one, else 0.

        Redaction pseudonyms ("[PERSON_1]") are not language and are left out: the English recogniser
        of the PII layer takes many words of other languages for names.
        """
        text = PLACEHOLDER.sub(" ", text)
        if len(_WORD.findall(text)) < self.min_words:
            return Signal(self.category, 0.0)
        found, confidence = self.detect(text)
        if found is None or found in self.supported:
            return Signal(self.category, 0.0)
        return Signal(self.category, confidence, rule_id=f"language:{found.name.lower()}")  # no patient text

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Pipeline check interface."""
        return CheckResult((self.score(text),))

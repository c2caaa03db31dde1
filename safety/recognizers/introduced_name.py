"""Names introduced in chat style ("my name is jonathon"): the small spaCy model misses lower-cased names.

Titles (Mr/Mrs/Ms) are left to the cued-person pattern and the gazetteer, which need a capitalised or
known name: "MS unlikely" is multiple sclerosis, not a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_CUES = r"(?:my name is|my name's|name is|name:|call me|this is|patient:|patient name)"
_WORD = r"[A-Za-z][A-Za-z'\-]+"
# A chat that opens with a greeting and the writer's name ("hi, mark here", "hiya its joy here").
_GREETING = (
    rf"\b(?:hi|hiya|hello|hey|morning|evening)\b[,!.]?\s*(?:it'?s\s+|its\s+)?(?P<first>{_WORD})\s+here\b"
)


class IntroducedNameRecognizer(EntityRecognizer):
    """PERSON after an introduction cue; words in ``not_names`` (feelings, fillers, symptoms) are not names.

    Args:
        not_names: lower-case words that follow a cue but are not names ("worried", "having").
        score: score of a match.
        supported_language: language code.
    """

    def __init__(self, not_names: Sequence[str], score: float = 0.6, supported_language: str = "en") -> None:
        self._not_names = frozenset(w.lower() for w in not_names)
        self._score = score
        self._pattern = re.compile(rf"\b{_CUES}\s+(?P<first>{_WORD})(?:\s+(?P<last>{_WORD}))?", re.IGNORECASE)
        self._greeting = re.compile(_GREETING, re.IGNORECASE | re.MULTILINE)
        super().__init__(
            supported_entities=["PERSON"],
            name="IntroducedNameRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One PERSON result per introduction whose first word is not a known non-name."""
        results = []
        for match in self._pattern.finditer(text):
            first, last = match.group("first"), match.group("last")
            if first.lower() in self._not_names:
                continue
            end = match.end("last") if last and last.lower() not in self._not_names else match.end("first")
            results.append(RecognizerResult("PERSON", match.start("first"), end, self._score))
        for match in self._greeting.finditer(text):
            if match.group("first").lower() not in self._not_names:
                start, end = match.span("first")
                results.append(RecognizerResult("PERSON", start, end, self._score))
        return results

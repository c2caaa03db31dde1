"""Regex recognizer that reports only the ``value`` group, so a cue word ("MRN", "DOB") stays in the text.

Presidio's PatternRecognizer reports the whole match; for identifiers recognised by their label
(``MRN 0870169``, ``member ID XJ-88213``) we want ``My MRN is [MEDICAL_RECORD_NUMBER_1]``, which keeps
the sentence useful to the model and to the triage rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts


class LabelledPatternRecognizer(EntityRecognizer):
    """Match ``patterns`` (dicts of name, regex, score); report group ``value`` or the whole match.

    Args:
        supported_entity: entity type reported (``MEDICAL_RECORD_NUMBER``...).
        patterns: ``[{"name": str, "regex": str, "score": float}]``, matched case-insensitively.
        name: recognizer name (shown in Presidio's decision process).
        supported_language: language code.
        require_digit: drop matches without a digit (identifiers, not words).
    """

    def __init__(
        self,
        supported_entity: str,
        patterns: Sequence[dict[str, Any]],
        name: str = "LabelledPatternRecognizer",
        supported_language: str = "en",
        require_digit: bool = False,
    ) -> None:
        self._patterns = [
            (str(p["name"]), re.compile(str(p["regex"]), re.IGNORECASE | re.MULTILINE), float(p["score"]))
            for p in patterns
        ]
        self._require_digit = require_digit
        super().__init__(
            supported_entities=[supported_entity], name=name, supported_language=supported_language
        )

    def load(self) -> None:
        """Nothing to load: patterns are compiled in ``__init__``."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return one result per match of any pattern."""
        results = []
        for _name, pattern, score in self._patterns:
            for match in pattern.finditer(text):
                group = "value" if "value" in pattern.groupindex else 0
                start, end = match.span(group)
                value = text[start:end]
                if start == end or (self._require_digit and not any(c.isdigit() for c in value)):
                    continue
                results.append(RecognizerResult(self.supported_entities[0], start, end, score))
        return results

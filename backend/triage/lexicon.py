"""Exact lexicon matching: every concept's phrases and patterns compiled once into regexes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from backend.triage.text import NOT_A_DRUG_CLASS, phrase_pattern


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    """One occurrence of a concept (or red-flag phrase) in normalised text."""

    key: str
    start: int
    end: int
    text: str


class PhraseMatcher:
    """Matches keyed phrase lists and regex patterns against normalised text."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str], Iterable[str]]]) -> None:
        """Compile ``(key, phrases, patterns)`` entries; phrases are plain words, patterns are regexes."""
        self._compiled: list[tuple[str, re.Pattern[str]]] = []
        for key, phrases, patterns in entries:
            alternatives = [phrase_pattern(p) for p in phrases]
            alternatives += [f"{NOT_A_DRUG_CLASS}(?:{p})" for p in patterns]
            if alternatives:
                self._compiled.append((key, re.compile("|".join(alternatives))))

    def find(self, text: str) -> list[LexiconMatch]:
        """Every match in ``text`` (normalised), in text order."""
        found = [
            LexiconMatch(key, m.start(), m.end(), m.group())
            for key, regex in self._compiled
            for m in regex.finditer(text)
            if m.end() > m.start()
        ]
        return sorted(found, key=lambda match: (match.start, match.key))

"""Exact lexicon matching: every concept's phrases and patterns compiled once into regexes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from backend.triage.text import NOT_A_DRUG_CLASS, WORD_START, phrase_pattern


@dataclass(frozen=True, slots=True)
class LexiconMatch:
    """One occurrence of a concept (or red-flag phrase) in normalised text."""

    key: str
    start: int
    end: int
    text: str


class PhraseMatcher:
    """Matches keyed phrase lists and regex patterns against normalised text."""

    def __init__(
        self,
        entries: Iterable[tuple[str, Iterable[str], Iterable[str]]],
        exceptions: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """Compile ``(key, phrases, patterns)`` entries; phrases are plain words, patterns are regexes.

        A pattern matches from the start of a word only, as a phrase does ("ate ... tablets" is not read
        inside "hate taking tablets").

        ``exceptions`` maps a key to regexes of look-alike phrases: a match of the key overlapping one of
        them is dropped ("fit note" is no seizure).
        """
        self._compiled: list[tuple[str, re.Pattern[str]]] = []
        for key, phrases, patterns in entries:
            alternatives = [phrase_pattern(p) for p in phrases]
            alternatives += [f"{WORD_START}{NOT_A_DRUG_CLASS}(?:{p})" for p in patterns]
            if alternatives:
                self._compiled.append((key, re.compile("|".join(alternatives))))
        self._exceptions = {
            key: re.compile("|".join(f"(?:{p})" for p in patterns))
            for key, patterns in (exceptions or {}).items()
            if tuple(patterns)
        }

    def exception_spans(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Per key with exceptions: where ``text`` (normalised) holds a look-alike that is not the key."""
        return {
            key: [(m.start(), m.end()) for m in regex.finditer(text) if m.end() > m.start()]
            for key, regex in self._exceptions.items()
        }

    def find(
        self, text: str, excepted: Mapping[str, Sequence[tuple[int, int]]] | None = None
    ) -> list[LexiconMatch]:
        """Every match in ``text`` (normalised) that no exception of its key overlaps, in text order.

        ``excepted`` is ``exception_spans(text)`` when the caller already has it.
        """
        if excepted is None:
            excepted = self.exception_spans(text)
        found = [
            LexiconMatch(key, m.start(), m.end(), m.group())
            for key, regex in self._compiled
            for m in regex.finditer(text)
            if m.end() > m.start() and not overlaps(m.start(), m.end(), excepted.get(key, ()))
        ]
        return sorted(found, key=lambda match: (match.start, match.key))


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` shares at least one character with one of ``spans``."""
    return any(start < span_end and span_start < end for span_start, span_end in spans)

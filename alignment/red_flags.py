"""Lexical red-flag detection over the clinical policy bundle (``clinical_policies``), for rewards.

The red flags (``red_flags.yaml``) and the symptom concepts they are written in (``symptoms.yaml``)
come from the policy bundle, so the escalation reward uses the same clinical definitions as the
triage engine instead of a private word list. This is a deliberately small matcher, not the
engine: phrases and patterns only (no sentence embeddings), a simple negation window, and
conditions that need age, duration or sex are skipped because a single message rarely states them
reliably (a flag can still fire through its other entries or its phrases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

WORD_SPLIT = re.compile(r"[.!?;,\n]")


@dataclass(frozen=True)
class _Lexicon:
    concept_patterns: dict[str, tuple[re.Pattern[str], ...]]
    negation_cues: tuple[re.Pattern[str], ...]
    pseudo_negations: tuple[re.Pattern[str], ...]
    terminators: tuple[re.Pattern[str], ...]
    pregnant: tuple[re.Pattern[str], ...]
    max_gap_words: int
    red_flags: tuple[Any, ...]
    flag_phrases: dict[str, tuple[re.Pattern[str], ...]]


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Whole-word, case-insensitive; apostrophes optional and a final plural ``s`` allowed."""
    body = re.escape(phrase.lower()).replace("'", "'?").replace("\\'", "'?")
    return re.compile(rf"(?<!\w){body}s?(?!\w)", re.IGNORECASE)


@cache
def _lexicon() -> _Lexicon:
    from clinical_policies import load_policy_bundle

    bundle = load_policy_bundle()
    symptoms = bundle.symptoms
    concept_patterns = {
        concept.id: tuple(_phrase_pattern(p) for p in (*concept.lay, *concept.clinical))
        + tuple(re.compile(p, re.IGNORECASE) for p in concept.patterns)
        for concept in symptoms.concepts
    }
    return _Lexicon(
        concept_patterns=concept_patterns,
        negation_cues=tuple(_phrase_pattern(c) for c in symptoms.negation.cues),
        pseudo_negations=tuple(_phrase_pattern(c) for c in symptoms.negation.pseudo),
        terminators=tuple(_phrase_pattern(c) for c in symptoms.negation.terminators),
        pregnant=tuple(_phrase_pattern(c) for c in symptoms.demographics.pregnant),
        max_gap_words=bundle.engine.negation_max_gap_tokens,
        red_flags=tuple(bundle.red_flags),
        flag_phrases={f.id: tuple(_phrase_pattern(p) for p in f.phrases) for f in bundle.red_flags},
    )


def _negated(text: str, start: int, end: int, lexicon: _Lexicon) -> bool:
    """A negation cue within ``max_gap_words`` words before the match, in the same clause."""
    clause_start = max((m.end() for m in WORD_SPLIT.finditer(text, 0, start)), default=0)
    window = text[clause_start:start]
    for terminator in lexicon.terminators:
        hits = list(terminator.finditer(window))
        if hits:
            window = window[hits[-1].end() :]
    words = window.split()
    window = " ".join(words[-(lexicon.max_gap_words + 1) :])
    span = f"{window} {text[start:end]}"
    if any(p.search(span) for p in lexicon.pseudo_negations):
        return False
    return any(c.search(window) for c in lexicon.negation_cues)


def _found(text: str, patterns: tuple[re.Pattern[str], ...], lexicon: _Lexicon) -> bool:
    return any(not _negated(text, m.start(), m.end(), lexicon) for p in patterns for m in p.finditer(text))


def concepts_in(text: str) -> set[str]:
    """Symptom and risk-factor concept ids (``symptoms.yaml``) mentioned, not negated, in ``text``."""
    lexicon = _lexicon()
    return {cid for cid, patterns in lexicon.concept_patterns.items() if _found(text, patterns, lexicon)}


def _entry_holds(entry: Any, concepts: set[str], pregnant: bool) -> bool:
    if any(
        getattr(entry, field, None) is not None
        for field in ("min_age_years", "max_age_years", "min_duration_hours", "max_duration_hours", "sex")
    ):
        return False  # not decidable from one message without the engine's demographic parsing
    if getattr(entry, "pregnant", None) not in (None, pregnant):
        return False
    return (
        set(entry.all) <= concepts
        and (not entry.any or bool(set(entry.any) & concepts))
        and (not entry.any_risk or bool(set(entry.any_risk) & concepts))
        and not set(entry.none) & concepts
    )


def red_flags_in(text: str) -> list[str]:
    """Ids of the policy red flags (``red_flags.yaml``) that fire on a patient message, in file order."""
    lexicon = _lexicon()
    concepts = concepts_in(text)
    pregnant = _found(text, lexicon.pregnant, lexicon)
    return [
        flag.id
        for flag in lexicon.red_flags
        if _found(text, lexicon.flag_phrases[flag.id], lexicon)
        or any(_entry_holds(entry, concepts, pregnant) for entry in flag.when_any)
    ]

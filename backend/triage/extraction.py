"""Symptom extraction: lexicon regexes first, then MiniLM paraphrase matching, with negation.

Exact lexicon matches are trusted (score 1.0). Windows of patient text that no phrase matched
exactly are compared with every embeddable lexicon phrase; a concept counts as a paraphrase match
when the best cosine similarity reaches ``engine.embedding_min_similarity``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from backend.triage.demographics import (
    extract_age,
    extract_duration_hours,
    extract_pregnancy,
    extract_sex,
)
from backend.triage.embedder import Embedder, PhraseIndex
from backend.triage.lexicon import LexiconMatch, PhraseMatcher, overlaps
from backend.triage.negation import NegationDetector
from backend.triage.rules import positive_concepts
from backend.triage.text import Token, clause_spans, normalise, tokens
from backend.triage.types import Extraction, Finding, RedFlagHit, VitalSigns
from backend.triage.vitals import extract_vitals
from clinical_policies import PolicyBundle

BoolArray = npt.NDArray[np.bool_]


class SymptomExtractor:
    """Reads concepts, demographics, duration and red-flag phrases from one piece of patient text."""

    def __init__(
        self, bundle: PolicyBundle, embedder: Embedder | None, phrase_cache: Path | None = None
    ) -> None:
        """Compile the lexicon and, when an embedder is given, embed every lexicon phrase once."""
        self._bundle = bundle
        lexicon = bundle.symptoms
        settings = bundle.engine
        self._concepts = PhraseMatcher(
            ((c.id, (*c.lay, *c.clinical), c.patterns) for c in lexicon.concepts),
            exceptions={c.id: c.exceptions for c in lexicon.concepts if c.exceptions},
        )
        self._flag_phrases = PhraseMatcher(
            ((f.id, f.phrases, ()) for f in bundle.red_flags),
            exceptions={f.id: f.phrase_exceptions for f in bundle.red_flags if f.phrase_exceptions},
        )
        self._flag_titles = {f.id: f.title for f in bundle.red_flags}
        self._flag_concepts = frozenset(
            c for f in bundle.red_flags for cond in f.when_any for c in positive_concepts(cond)
        )
        self._negation = NegationDetector(lexicon.negation, settings.negation_max_gap_tokens)
        self._embedder = embedder
        self._index: PhraseIndex | None = None
        if embedder is not None:
            pairs = [(c.id, p) for c in lexicon.concepts if c.embed for p in (*c.lay, *c.clinical)]
            self._index = PhraseIndex(embedder, pairs, cache_dir=phrase_cache)
        words = "|".join(re.escape(w).replace("'", "'?") for w in lexicon.negation.polarity)
        self._breaks = frozenset(t for t in lexicon.negation.terminators if " " not in t)
        self._cues = frozenset(c for c in lexicon.negation.cues if " " not in c)
        self._polarity = re.compile(rf"(?<![a-z]){words}(?![a-z])") if words else None
        self._polarity_words = frozenset(w.replace("'", "") for w in lexicon.negation.polarity)
        self._contradictions = {
            c.id: re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, c.contradicted_by)) + r")(?![a-z])")
            for c in lexicon.concepts
            if c.contradicted_by
        }
        # phrase traits the paraphrase vote checks for every window, computed once
        self._index_traits = self._phrase_traits(self._index.phrases if self._index else ())

    @property
    def negation(self) -> NegationDetector:
        """The negation detector built from the lexicon (shared with answer handling)."""
        return self._negation

    def extract(self, raw_text: str) -> Extraction:
        """Everything the text says; contradictory mentions of one concept are reported as present."""
        text = normalise(raw_text)
        excepted = self._concepts.exception_spans(text)
        matches = self._concepts.find(text, excepted)
        exact_spans = [(m.start, m.end) for m in matches]
        findings = self._lexical(matches, text, exact_spans)
        paraphrases, near = self._paraphrases(text, set(findings), exact_spans, excepted)
        findings = self._merge(findings, paraphrases)
        vitals = extract_vitals(text)
        findings = _without_measured_afebrile(findings, vitals, self._bundle.engine.fever_min_temperature_c)
        findings = _with_measured_fever(findings, vitals, self._bundle.engine.fever_min_temperature_c)
        demographics = self._bundle.symptoms.demographics
        pregnant = extract_pregnancy(text, demographics, self._negation)
        sex = extract_sex(text, demographics)
        return Extraction(
            findings=tuple(findings.values()),
            age_years=extract_age(text, demographics),
            sex="female" if pregnant else sex,
            pregnant=pregnant,
            duration_hours=extract_duration_hours(text),
            phrase_flags=self._phrase_flags(text),
            vitals=vitals,
            near_misses=tuple(
                f for f in near.values() if f.status == "present" and f.concept_id not in findings
            ),
        )

    def _lexical(
        self, matches: list[LexiconMatch], text: str, spans: Sequence[tuple[int, int]] = ()
    ) -> dict[str, Finding]:
        found: dict[str, Finding] = {}
        for match in matches:
            negated = self._negation.is_negated(text, match.start, shielded=spans)
            finding = Finding(
                concept_id=match.key,
                status="absent" if negated else "present",
                evidence=match.text,
                source="lexicon",
                score=1.0,
            )
            found = self._merge(found, {match.key: finding})
        return found

    @staticmethod
    def _merge(base: dict[str, Finding], new: dict[str, Finding]) -> dict[str, Finding]:
        merged = dict(base)
        for key, finding in new.items():
            old = merged.get(key)
            if old is None or (old.status != "present" and finding.status == "present"):
                merged[key] = finding
        return merged

    def _paraphrases(
        self,
        text: str,
        already: set[str],
        exact_spans: Sequence[tuple[int, int]] = (),
        excepted: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    ) -> tuple[dict[str, Finding], dict[str, Finding]]:
        """Paraphrase matches: each text window votes only for its single closest lexicon phrase.

        Winner-take-all keeps "a tummy ache" from also counting as "severe stomach pain" (it is closer
        to "tummy ache"); phrases and windows must agree on polarity words ("can't", "no") and must not
        name opposite sides ("left iliac fossa" is not "right iliac fossa pain"). A window lying inside
        an exact lexicon match is already explained by it and does not vote ("stops breathing for a few
        seconds" in a snoring history is not "stopped breathing"), and a window overlapping a look-alike of
        its concept (``excepted``, the lexicon's exceptions) does not count for it ("another fit note").

        Also returns the near misses: red-flag concepts whose closest window scores in the
        ``engine.red_flag_near_miss`` band but under ``embedding_min_similarity`` (same checks otherwise).
        """
        if self._embedder is None or self._index is None:
            return {}, {}
        windows = [
            w
            for w in _windows(text, self._bundle.engine.embedding_window_sizes, self._breaks, self._cues)
            if not any(start <= w[0] and w[1] <= end for start, end in exact_spans)
        ]
        if not windows:
            return {}, {}
        sims = self._index.similarities(self._embedder.embed([w[2] for w in windows]))
        phrase_polarity, phrase_sides = self._index_traits
        threshold = self._bundle.engine.embedding_min_similarity
        band = self._bundle.engine.red_flag_near_miss
        floor = threshold if band is None else min(threshold, band.lower)
        found: dict[str, Finding] = {}
        near: dict[str, Finding] = {}
        excepted = excepted or {}
        for row, (a, b, chunk) in enumerate(windows):
            agree = phrase_polarity == self._has_polarity(chunk)
            window_sides = _sides(chunk)
            if window_sides:  # a phrase naming a side must name one of the window's sides
                named = np.zeros_like(agree)
                for side in window_sides:
                    named |= phrase_sides[side]
                agree &= named | ~phrase_sides["any"]
            col = int(np.argmax(np.where(agree, sims[row], -1.0)))  # the first best, as max() picks
            concept_id, score = self._index.concept_ids[col], float(sims[row, col])
            if score < floor or not agree[col] or concept_id in already:
                continue
            if score < threshold and concept_id not in self._flag_concepts:
                continue
            if self._scope_differs(chunk, self._index.phrases[col]) or self._contradicted(
                concept_id, text, a
            ):
                continue
            if overlaps(
                a, b, excepted.get(concept_id, ())
            ):  # the window holds a look-alike ("another fit note")
                continue
            negated = self._negation.is_negated(
                text, a, content_end=None if phrase_polarity[col] else b, shielded=exact_spans
            )
            if score < threshold:  # a near miss must not be negated at all ("no difficulty swallowing")
                negated = negated or self._foreign_cue(chunk, self._index.phrases[col])
            finding = Finding(
                concept_id=concept_id,
                status="absent" if negated else "present",
                evidence=chunk,
                source="embedding",
                score=round(score, 4),
            )
            target = found if score >= threshold else near
            old = target.get(concept_id)
            if old is None or _strength(finding) > _strength(old):
                target[concept_id] = finding
        return found, near

    def _phrase_traits(self, phrases: Sequence[str]) -> tuple[BoolArray, dict[str, BoolArray]]:
        """Per indexed phrase: holds a polarity word; names the left / right / any side."""
        sides = [_sides(p) for p in phrases]
        return (
            np.array([self._has_polarity(p) for p in phrases], dtype=bool),
            {
                "left": np.array(["left" in s for s in sides], dtype=bool),
                "right": np.array(["right" in s for s in sides], dtype=bool),
                "any": np.array([bool(s) for s in sides], dtype=bool),
            },
        )

    def _foreign_cue(self, window: str, phrase: str) -> bool:
        """The window holds a negation cue the phrase lacks ("no difficulty" vs "can't swallow")."""
        words = {t.text for t in tokens(normalise(window))} - {t.text for t in tokens(normalise(phrase))}
        return not self._cues.isdisjoint(words)

    def _contradicted(self, concept_id: str, text: str, position: int) -> bool:
        """The clause at ``position`` holds a word contradicting the concept ("gradually": no thunderclap)."""
        pattern = self._contradictions.get(concept_id)
        if pattern is None:
            return False
        clause = next((text[a:b] for a, b in clause_spans(text) if a <= position < b), text)
        return bool(pattern.search(clause))

    def _scope_differs(self, window: str, phrase: str) -> bool:
        """A word both share is negated in one and not in the other.

        "has no rash" is not "rash that doesn't fade": both hold a polarity word, but "no" negates the
        rash in the window while "doesn't" negates the fading in the phrase (0.6.0).
        """
        window_negated, window_plain = self._scoped_words(window)
        phrase_negated, phrase_plain = self._scoped_words(phrase)
        shared = (window_negated | window_plain) & (phrase_negated | phrase_plain)
        return any((word in window_negated) != (word in phrase_negated) for word in shared)

    def _scoped_words(self, text: str) -> tuple[set[str], set[str]]:
        """Content words after a polarity word, and the other content words."""
        negated: set[str] = set()
        plain: set[str] = set()
        after_polarity = False
        for word in re.findall(r"[a-z']+", normalise(text)):
            word = word.replace("'", "")
            if word in self._polarity_words:
                after_polarity = True
            elif len(word) > 2 and word not in _FUNCTION_WORDS:
                (negated if after_polarity else plain).add(word)
        return negated, plain

    def _has_polarity(self, text: str) -> bool:
        return self._polarity is not None and bool(self._polarity.search(normalise(text)))

    def _phrase_flags(self, text: str) -> tuple[RedFlagHit, ...]:
        hits: dict[str, RedFlagHit] = {}
        for match in self._flag_phrases.find(text):
            if match.key not in hits and not self._negation.is_negated(text, match.start):
                hits[match.key] = RedFlagHit(
                    red_flag_id=match.key, title=self._flag_titles[match.key], evidence=(match.text,)
                )
        return tuple(hits.values())


_FEVER_CONCEPTS = ("fever", "high_fever")
_FUNCTION_WORDS = frozenset(
    {
        "the",
        "and",
        "has",
        "had",
        "have",
        "was",
        "she",
        "his",
        "her",
        "for",
        "with",
        "that",
        "this",
        "any",
        "are",
        "been",
        "him",
        "its",
        "our",
        "you",
        "your",
        "they",
        "their",
        "them",
    }
)


def _without_measured_afebrile(
    findings: dict[str, Finding], vitals: VitalSigns, threshold: float | None
) -> dict[str, Finding]:
    """Drop a fever read from a stated temperature under ``threshold`` ("a temperature of 37.9")."""
    measured = vitals.temperature_c
    if threshold is None or measured is None or measured >= threshold:
        return findings
    return {
        key: f
        for key, f in findings.items()
        if not (key in _FEVER_CONCEPTS and f.status == "present" and "temp" in f.evidence)
    }


def _with_measured_fever(
    findings: dict[str, Finding], vitals: VitalSigns, threshold: float | None
) -> dict[str, Finding]:
    """A stated temperature at or over ``threshold`` is a fever however it was written ("T 38.4 axillary").

    A fever the text already reports (or denies) is left as it is.
    """
    measured = vitals.temperature_c
    if threshold is None or measured is None or measured < threshold or _FEVER_CONCEPTS[0] in findings:
        return findings
    fever = Finding(
        concept_id=_FEVER_CONCEPTS[0],
        status="present",
        evidence=f"temperature {measured:g}",
        source="vital_signs",
        score=1.0,
    )
    return {**findings, _FEVER_CONCEPTS[0]: fever}


_SIDES = re.compile(r"(?<![a-z])(left|right)(?![a-z])")


def _sides(text: str) -> frozenset[str]:
    """Body sides named in a phrase ("left", "right")."""
    return frozenset(_SIDES.findall(normalise(text)))


def _strength(finding: Finding) -> tuple[bool, float]:
    """Order paraphrase findings: any non-negated mention beats negated ones, then by similarity."""
    return finding.status == "present", finding.score


def _windows(
    text: str, sizes: tuple[int, ...], breaks: frozenset[str], cues: frozenset[str] = frozenset()
) -> list[tuple[int, int, str]]:
    """Distinct word windows ``(start, end, text)`` for every size in ``sizes``.

    Windows stay inside a clause and do not cross scope breaks ("and", "but") or a comma followed by a
    negation cue, so "I can swallow fine and have no fever" never yields a window pairing "swallow" with "no".
    """
    seen: set[str] = set()
    out = []
    for start, end in clause_spans(text):
        segments: list[list[Token]] = [[]]
        clause = text[start:end]
        previous_end = 0
        for token in tokens(clause):
            if token.text in breaks:
                segments.append([])
            else:
                if segments[-1] and token.text in cues and "," in clause[previous_end : token.start]:
                    segments.append([])  # a negation after a comma opens a new scope: "fluids down, no blood"
                segments[-1].append(token)
            previous_end = token.end
        for words in segments:
            for size in sizes:
                for i in range(max(1, len(words) - size + 1)):
                    chunk = words[i : i + size]
                    if not chunk:
                        continue
                    a, b = start + chunk[0].start, start + chunk[-1].end
                    if text[a:b] not in seen:
                        seen.add(text[a:b])
                        out.append((a, b, text[a:b]))
    return out

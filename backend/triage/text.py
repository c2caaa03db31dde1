"""Text normalisation, tokens and clauses shared by the matchers (English, no clinical content)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTRACTIONS = (
    (r"\bcannot\b|\bcan not\b", "can't"),
    (r"\bdo not\b", "don't"),
    (r"\bdoes not\b", "doesn't"),
    (r"\bdid not\b", "didn't"),
    (r"\bis not\b", "isn't"),
    (r"\bwas not\b", "wasn't"),
    (r"\bare not\b", "aren't"),
    (r"\bhave not\b", "haven't"),
    (r"\bhas not\b", "hasn't"),
    (r"\bwill not\b", "won't"),
    (r"\bcould not\b", "couldn't"),
    (r"\bi am\b", "i'm"),
    (r"\bi have\b(?= (?:got|had|been|a|an|the|no|some|this|these|bad|really|very|terrible))", "i've"),
    # typed without the apostrophe ("im going yellow", "dont have a fever"); only spellings that are not
    # themselves English words ("its", "wont", "hell" are left alone)
    (r"\bim\b", "i'm"),
    (r"\bive\b", "i've"),
    (r"\b(can|don|doesn|didn|isn|wasn|aren|haven|hasn|couldn|wouldn|shouldn)t\b", r"\1't"),
)
_CONTRACTION_RES = tuple((re.compile(p), r) for p, r in _CONTRACTIONS)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?(?:\.\d+)?")
# A lexicon match right after "anti-" names a drug class ("anti-seizure tablets", "anti sickness pills"),
# not the symptom: prefixed to every lexicon phrase and pattern.
NOT_A_DRUG_CLASS = r"(?<!anti-)(?<!anti )"
# A lexicon phrase or pattern that starts with a letter or digit matches from the start of a word only (not
# inside "hate" or "hospital"); one that starts with punctuation (", very hard to wake") is not held to it
WORD_START = r"(?:(?<![a-z0-9])|(?=[^a-z0-9]))"
_CLAUSE_END = re.compile(r"[.!?;\n]+(?:\s|$)|\s[-–]\s")


def normalise(text: str) -> str:
    """Lower-case, straighten quotes, collapse spaces and expand contractions to one spelling."""
    out = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    out = re.sub(r"\bi'm\b", "i'm", out)
    for pattern, replacement in _CONTRACTION_RES:
        out = pattern.sub(replacement, out)
    return re.sub(r"[ \t]+", " ", out)


@dataclass(frozen=True, slots=True)
class Token:
    """A word and its character span in the normalised text."""

    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Word tokens of normalised text."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of clauses (split at sentence punctuation, semicolons, dashes and new lines)."""
    spans = []
    start = 0
    for match in _CLAUSE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def clause_span(text: str, position: int) -> tuple[int, int]:
    """Start and end of the clause containing ``position`` (the whole text when none does)."""
    for start, end in clause_spans(text):
        if start <= position < end or position == end:
            return start, end
    return 0, len(text)


def phrase_pattern(phrase: str) -> str:
    """Regex for a lexicon phrase: whole words, flexible spacing, optional apostrophes and final plural.

    A phrase right after "anti-" / "anti " does not match (a drug class: "anti-seizure tablets").
    """
    words = normalise(phrase).split()
    parts = [re.escape(w).replace("'", "'?") for w in words]
    if parts and parts[-1][-1:].isalpha():
        parts[-1] += "(?:s|es)?"
    return WORD_START + NOT_A_DRUG_CLASS + r"[\s\-/]+".join(parts) + r"(?![a-z0-9])"

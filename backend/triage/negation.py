"""NegEx-style negation: is a concept at a given place in the text negated by a preceding cue?"""

from __future__ import annotations

import re
from collections.abc import Sequence

from backend.triage.text import clause_span, phrase_pattern, tokens
from clinical_policies.schema_triage import NegationLexicon

# A bracket between cue and span ends the cue's reach: "(no blood thinners) her leg went cold" and
# "no rash [her lips are blue]" say nothing negative about the leg or the lips. Where a bracket sits
# inside one negated phrase ("no (repeat no) chest pain") the span reads as present: the safe error.
_BRACKET = re.compile(r"[()\[\]{}]")


def _alternation(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    ordered = sorted(phrases, key=len, reverse=True)  # longest first so "don't have" beats "don't"
    return re.compile("|".join(phrase_pattern(p).replace("(?:s|es)?", "") for p in ordered))


class NegationDetector:
    """Finds negation cues ("no", "denies") that govern a span, ignoring pseudo-negations ("not sure").

    A cue negates a span when it lies in the same clause, before the span's content, with at most
    ``max_gap_tokens`` words and no scope terminator ("but", "and") or bracket between them. A comma
    between them ends the reach of an ordinary cue ("no fever, chest pain, short of breath" is a symptom
    list: only the fever is absent) unless a list closer ("or", "nor") closes the list later in the
    clause ("no fever, cough or rash"); list cues ("denies", "negative for") reach every item of a list.
    Where a list is ambiguous the finding reads as present: the safe error.
    """

    def __init__(self, lexicon: NegationLexicon, max_gap_tokens: int) -> None:
        self._cues = _alternation(lexicon.cues)
        self._pseudo = _alternation(lexicon.pseudo)
        self._terminators = {t for t in lexicon.terminators if " " not in t}
        self._terminator_phrases = _alternation(tuple(t for t in lexicon.terminators if " " in t))
        self._max_gap = max_gap_tokens
        self._list_cues = _alternation(lexicon.list_cues)
        self._list_closers = {c for c in lexicon.list_closers if " " not in c}

    def _mask_pseudo(self, text: str) -> str:
        if self._pseudo is None:
            return text
        return self._pseudo.sub(lambda m: " " * len(m.group()), text)

    def is_negated(
        self,
        text: str,
        start: int,
        content_end: int | None = None,
        shielded: Sequence[tuple[int, int]] = (),
    ) -> bool:
        """Whether the span starting at ``start`` is negated.

        Args:
            text: normalised text.
            start: where the concept's words start.
            content_end: for paraphrase windows, cues inside the window up to here also count
                (a window such as "no fever at all" carries its own cue).
            shielded: spans of other exact lexicon matches; a cue inside one belongs to that phrase
                ("no wet nappy 14h, lethargic": the "no" is part of "no wet nappy", not a negation of
                "lethargic").
        """
        if self._cues is None:
            return False
        begin, end = clause_span(text, start)
        limit = start if content_end is None else content_end
        window = self._mask_pseudo(text[begin:limit])
        for a, b in shielded:
            lo, hi = max(a, begin), min(b, limit)
            if lo < hi and not (a <= start < b):
                window = window[: lo - begin] + " " * (hi - lo) + window[hi - begin :]
        cues = list(self._cues.finditer(window))
        if not cues:
            return False
        cue = cues[-1]
        between = window[cue.end() :][: max(0, start - begin - cue.end())]
        between_tokens = [t.text for t in tokens(between)]
        if len(between_tokens) > self._max_gap:
            return False
        if any(t in self._terminators for t in between_tokens) or _BRACKET.search(between):
            return False
        if self._terminator_phrases and self._terminator_phrases.search(between):
            return False
        # past a comma only a list cue, or a list closed later in the clause, still reaches the span
        return "," not in between or self._reaches_list(cue.group(), text[begin + cue.end() : end])

    def _reaches_list(self, cue: str, rest_of_clause: str) -> bool:
        """Whether ``cue`` reaches past a comma: a list cue, or a list closed ("or") later in the clause.

        The closer must come after the first comma: in "no stools or wind for 3 days, vomiting" the "or"
        closed a list before the comma, so the vomiting is not negated.
        """
        if self._list_cues is not None and self._list_cues.fullmatch(cue):
            return True
        after_comma = rest_of_clause.partition(",")[2]
        return any(t.text in self._list_closers for t in tokens(after_comma))

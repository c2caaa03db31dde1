"""Town names after a strong place cue, in any script or case ("grew up in HELSINKI", "from ΕΓΚΩΜΗ").

The yaml place patterns need an ASCII capital ("[A-Z]"), so upper-case, accented and Greek town names
("ÅLESUND", "Tjæreborg", "ΠΑΦΟΣ") slip through, and NER does not know most small towns. Here a word is
capitalised by ``str.isupper`` on its first letter, so every script counts. Only cues that
introduce a place ("grew up in", "originally from", "University of") are listed; "in" alone is not
one ("I'm in pain"). Upper-case words of fewer than four letters ("ER", "ICU", "CT") and listed
clinical words never count.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Lower-case joining words inside a town name ("Chiclana de la Frontera", "Turkovice u Prelouce").
_PARTICLES = frozenset(
    {"de", "la", "del", "di", "da", "du", "le", "les", "u", "nad", "pod", "am", "an", "im", "o'"}
)


class CuedPlaceRecognizer(EntityRecognizer):
    """LOCATION for up to three capitalised words after a cue.

    Args:
        cues: regexes of the cue (matched case-insensitively, ending where the place starts).
        lower_case_cues: cues after which a lower-case word also counts ("flew to finnbogastaðir").
        not_places: lower-case words that are never the place (clinical words, months, body parts).
        score: score of a match.
        supported_language: language code.
    """

    def __init__(
        self,
        cues: Sequence[str],
        lower_case_cues: Sequence[str],
        not_places: Collection[str],
        score: float = 0.6,
        supported_language: str = "en",
    ) -> None:
        self._cue = re.compile(rf"\b(?:{'|'.join(cues)})\s+", re.IGNORECASE)
        self._lower_cue = re.compile(rf"\b(?:{'|'.join(lower_case_cues)})\s+$", re.IGNORECASE)
        self._not_places = frozenset(w.lower() for w in not_places)
        self._score = score
        super().__init__(
            supported_entities=["LOCATION"], name="CuedPlaceRecognizer", supported_language=supported_language
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One LOCATION per cue followed by a place-like word."""
        results = []
        for cue in self._cue.finditer(text):
            lower_ok = bool(self._lower_cue.search(text, 0, cue.end()))
            end = self._place_end(text, cue.end(), lower_ok)
            if end > cue.end():
                results.append(RecognizerResult("LOCATION", cue.end(), end, self._score))
        return results

    def _place_end(self, text: str, start: int, lower_ok: bool) -> int:
        """End of the place that starts at ``start`` (``start`` itself when there is none)."""
        end, count, pos = start, 0, start
        while count < 3:
            word = _WORD.match(text, pos)
            if not word:
                break
            value = word.group()
            if value.lower() in self._not_places:
                break
            if count and value.lower() in _PARTICLES:
                pos = word.end() + 1
                continue
            upper = value[0].isupper() and (not value.isupper() or len(value) >= 4 or count > 0)
            lower = lower_ok and count == 0 and value.islower() and len(value) >= 3
            if not (upper or lower):
                break
            if lower:
                return word.end()
            end, count = word.end(), count + 1
            if text[end : end + 1] != " ":
                break
            pos = end + 1
        return end

"""Names no list knows, found by the slot they stand in ("Usamov said", "Mijail C Adomo", dialogue labels).

The gazetteer knows Faker's names; people in running text have many others (lone foreign surnames,
transliterated given names) that the small spaCy model also misses. Such a word is still recognisable
by where it stands: before a predicate only people take ("lives at", "said", "is very reliable"), after a
cue that introduces a person ("said", "starring", "Why is ... so"), before a work or a kin noun ("the
Ruoho novel", "Asya's kid"), as a speaker label in a dialogue, beside an initial, or as a
first name + surname pair of unknown words. A candidate word is capitalised (first letter upper, the rest
lower case), is not an ordinary English word from ``name_gazetteer.json`` (unless a name list knows it),
and is not a listed non-name (medicines, clinical words, months, eponyms) nor a generic drug name.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from safety.recognizers.gazetteer import (
    NameGazetteer,
    _fold,
    _latin_accented,
    _mixed_script,
    default_name_gazetteer,
)

# One capitalised word (any script), an optional possessive left outside the span by the callers.
_CAP = r"(?:[A-Z]['’](?=[^\W\d_]))?[^\W\d_a-z](?:[^\W\d_A-Z]|['’-](?=[^\W\d_]))+"
# A name of one to three capitalised words, joined by spaces or a lower-case particle ("Willemine ten Pas").
_PARTICLE = r"(?:van|von|de|der|den|ten|ter|da|di|du|le|la|del|della|dos|bin|ibn|al)"
_NAME = rf"(?P<name>{_CAP}(?:[ ](?:{_PARTICLE}[ ])?{_CAP}){{0,2}})"
_LOWER_NAME = r"(?P<name>[^\W\d_A-Z]{3,}(?:[ ][^\W\d_A-Z]{3,})?)"
# Latin and clinical word endings that mark an organism, a disease, a drug or a role, not a name.
CLINICAL_END = re.compile(
    r"(?:itis|osis|iasis|emia|aemia|coccus|cocci|bacter|bacillus|monas|virus|viridae|mycin|cillin|azole|ectomy"
    r"|otomy|ostomy|plasty|scopy|pathy|algia|plegia|trophy|phobia|philia|mab|nib|vir"
    # roles and occupations ("Consultant Microbiologist", "Senior Physiotherapist")
    r"|ologist|iatrist|ician|ographer|therapist|pharmacist|dentist|surgeon|consultant|registrar|practitioner"
    r"|assistant|specialist|technician|nurse|midwife|paramedic|worker|manager|officer|director|coordinator)$"
)
# One word written as a title: a letter, then no ASCII capitals ("Nishiyama", "O'Neil-Burke").
PLAIN_TITLE = re.compile(r"^[^\W\d_][^\W\d_A-Z]+(?:['’-][^\W\d_][^\W\d_A-Z]+)?$")


class NameSlotRecognizer(EntityRecognizer):
    """PERSON for unknown capitalised words in slots that only people fill.

    Args:
        subject_predicates: regexes of what follows a person's name ("lives (?:at|in|on)", "said").
        object_cues: regexes of what comes right before a person's name ("said", "starring").
        work_nouns: nouns after a name that make it an author or an artist ("novel", "concert").
        kin_nouns: nouns after a possessive name that make it a person ("kid", "wife").
        not_names: lower-case words that are never a name here (medicines, clinical words, eponyms).
        score: score of a match.
        supported_language: language code.
        gazetteer: the name lists (default: the bundled one).
    """

    def __init__(
        self,
        subject_predicates: Sequence[str],
        object_cues: Sequence[str],
        work_nouns: Sequence[str],
        kin_nouns: Sequence[str],
        not_names: Collection[str] = (),
        score: float = 0.55,
        supported_language: str = "en",
        gazetteer: NameGazetteer | None = None,
    ) -> None:
        self._names = gazetteer or default_name_gazetteer()
        self._not_names = frozenset(_fold(w) for w in not_names)
        self._score = score
        predicates = "|".join(subject_predicates)
        cues = "|".join(object_cues)
        works = "|".join(work_nouns)
        kin = "|".join(kin_nouns)
        # The name and its particles are case-sensitive; only the cue words around them ignore case.
        self._patterns = [
            re.compile(rf"(?<![\w'’-]){_NAME}(?:['’]s)?(?=,?\s+(?i:{predicates})\b)"),
            re.compile(rf"(?i:\b(?:{cues}))\s+{_NAME}(?![\w'’-])"),
            re.compile(rf"(?i:\b(?:the|a|an))\s+{_NAME}(?=\s+(?i:(?:{works})s?)\b)"),
            re.compile(rf"(?<![\w'’-]){_NAME}(?=['’]s\s+(?i:(?:{kin}))\b)"),
        ]
        # The same subject and cue slots with a lower-case name ("bártová began writing").
        self._lower_patterns = [
            re.compile(rf"(?<![\w'’-]){_LOWER_NAME}(?=,?\s+(?i:{predicates})\b)"),
            re.compile(rf"(?i:\b(?:{cues}))\s+{_LOWER_NAME}(?![\w'’-])"),
        ]
        self._initial = re.compile(rf"(?<![\w'’-])(?P<a>{_CAP})[ ](?P<i>[A-Z])\.?[ ](?P<b>{_CAP})(?![\w'’-])")
        self._pair = re.compile(rf"(?<![\w'’.-])(?P<a>{_CAP})[ ](?P<b>{_CAP})(?![\w'’-])")
        self._lower_pair = re.compile(
            r"(?<![\w'’-])(?P<a>[^\W\d_A-Z]{3,})[ ](?P<b>[^\W\d_A-Z]{3,})(?![\w'’-])"
        )
        self._speaker = re.compile(rf"^[ \t>]*(?P<name>{_CAP})[ \t]*:[ \t]*(?=[\"“']?[A-Z])", re.MULTILINE)
        super().__init__(
            supported_entities=["PERSON"], name="NameSlotRecognizer", supported_language=supported_language
        )

    def load(self) -> None:
        """Nothing to load."""

    def _unknown(self, word: str) -> bool:
        """A capitalised word that is no ordinary English word, listed non-name or clinical term."""
        folded = _fold(word)
        names = self._names
        listed = names.listed(word)
        return (
            len(folded) >= 3
            and not _mixed_script(word)
            and word[:1].isupper()  # any script: "меня" is lower case, "Иван" is capitalised
            and bool(PLAIN_TITLE.match(word.replace("’", "'")))
            and folded not in self._not_names
            and folded not in names.city_prefixes
            and (listed or (folded not in names.common_words and not CLINICAL_END.search(folded)))
        )

    def _name_words(self, value: str) -> bool:
        """Every word unknown, except one after a particle ("Willemine ten Pas")."""
        words = value.split()
        return all(
            self._unknown(word) or (i > 0 and re.fullmatch(_PARTICLE, words[i - 1]) is not None)
            for i, word in enumerate(words)
            if not re.fullmatch(_PARTICLE, word)
        )

    def _lower_name(self, value: str) -> bool:
        """Lower-case words in a slot: each on a name list and no English word, or accented ("bártová")."""
        names = self._names
        return all(
            _fold(w) not in self._not_names
            and _fold(w) not in names.common_words
            and (_fold(w) in names.first or _fold(w) in names.last or _latin_accented(w))
            for w in value.split()
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per name found in a slot."""
        return list(self._slots(text))

    def _slots(self, text: str) -> Iterator[RecognizerResult]:
        for pattern in self._patterns:
            for match in pattern.finditer(text):
                if self._name_words(match.group("name")):
                    yield RecognizerResult("PERSON", match.start("name"), match.end("name"), self._score)
        for pattern in self._lower_patterns:
            for match in pattern.finditer(text):
                if self._lower_name(match.group("name")):
                    yield RecognizerResult(
                        "PERSON", match.start("name"), match.end("name"), self._score - 0.1
                    )
        names = self._names
        # "Ravil G Yefimov": two unknown words around an initial.
        for match in self._initial.finditer(text):
            if self._unknown(match.group("a")) and self._unknown(match.group("b")):
                yield RecognizerResult("PERSON", match.start("a"), match.end("b"), self._score)
        # "Tomomi Nishiyama": two capitalised words, neither an English word nor a clinical term.
        for match in self._pair.finditer(text):
            a, b = match.group("a"), match.group("b")
            if self._unknown(a) and self._unknown(b):
                yield RecognizerResult("PERSON", match.start("a"), match.end("b"), self._score)
        # "guðgeir bergsveinsson": a lower-case pair of unknown words, one with letters outside ASCII.
        for match in self._lower_pair.finditer(text):
            a, b = match.group("a"), match.group("b")
            if (
                (_latin_accented(a) or _latin_accented(b))
                and not any(_mixed_script(w) for w in (a, b))
                and all(
                    _fold(w) not in names.common_words and _fold(w) not in self._not_names for w in (a, b)
                )
                and not any(CLINICAL_END.search(_fold(w)) for w in (a, b))
            ):
                yield RecognizerResult("PERSON", match.start("a"), match.end("b"), self._score - 0.1)
        yield from self._speakers(text)

    def _speakers(self, text: str) -> Iterator[RecognizerResult]:
        """Speaker labels of a dialogue ("Ubul: What a wife." then "Nicole: Remember me").

        Two or more label lines, one of them a known first name, make every unknown or listed label a person.
        """
        labels = list(self._speaker.finditer(text))
        if len({m.group("name") for m in labels}) < 2:
            return
        names = self._names
        known = [
            _fold(m.group("name")) in names.first or _fold(m.group("name")) in names.common_first
            for m in labels
        ]
        if not any(known):
            return
        for match, is_first in zip(labels, known, strict=True):
            word = match.group("name")
            if _fold(word) in self._not_names:
                continue
            if is_first or self._unknown(word):
                yield RecognizerResult("PERSON", match.start("name"), match.end("name"), self._score)

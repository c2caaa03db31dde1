"""Names, towns and firms found with a name list, in any case ("i'm debra", "mary salazar", "smithton").

The small spaCy model finds capitalised names in running text but misses chat-style lower-case names,
bare first names ("Heather here"), towns named after people ("Pearsonborough", "Lake Jeffery") and
firms named after people ("Walters-Palmer", "Reed, Clark and Walsh"). ``name_gazetteer.json`` is built
from Faker's offline name lists by ``build_gazetteer.py``. Names that are also common English words
("will", "hope", "brown") count only when capitalised, and a pair needs one uncommon word.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

GAZETTEER_PATH = Path(__file__).resolve().parent / "name_gazetteer.json"
# Score per rule when recognizers.yaml does not set one.
DEFAULT_SCORES = {
    "pair": 0.7,
    "capitalised_pair": 0.55,
    "cued": 0.7,
    "possessive": 0.6,
    "first_name": 0.5,
    "surname": 0.45,
    "town": 0.6,
    "firm": 0.65,
    "initial": 0.6,
    "foreign_pair": 0.55,
    "strong_cue": 0.6,
}

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Words after which a single known name is a person ("i'm debra", "my daughter emily", "dr smith").
_CUE = re.compile(
    r"(?:\b(?:mother|father|wife|husband|son|daughter|partner|guardian|parent|spouse|sibling|next of kin)"
    r"\s*(?=:)|"
    r"\b(?:i'?m|i am|this is|it'?s|name is|name'?s|names|call me|named|called|ask(?:ed)? for|speak to|"
    r"spoke (?:to|with)|nurse|dr\.?|doctor|mr\.?|mrs\.?|ms\.?|mx\.?|miss|prof\.?|thanks|thank you|thx|"
    r"regards|cheers|love|hi|hello|hey|dear|patient|pt\.?|contact|caregiver|carer|cc|attn|signed|"
    r"my (?:son|daughter|wife|husband|partner|mom|mum|mother|dad|father|brother|sister|grandson|"
    r"granddaughter|grandma|grandmother|grandpa|grandfather|baby|child|kid|boyfriend|girlfriend|friend|"
    r"neighbou?r|aunt|uncle|niece|nephew|cousin|fiance|fiancee|carer|caregiver|roommate|boss|coworker)))"
    r"[\s,:\-]+$",
    re.IGNORECASE,
)
# "perez and sons", "williams plc": a surname and a company suffix, any case.
_SUFFIXED_FIRM = re.compile(
    r"\b(?P<name>[^\W\d_]{3,})\s+(?:inc|llc|ltd|plc|corp|group|and sons|& sons|company|co)\b\.?",
    re.IGNORECASE,
)
# Cues after which any capitalised word that is not an English word is a name ("everyone calls me Aantje",
# "What's your last name? Turgeon"), even when the lists do not know it.
_STRONG_CUE = re.compile(
    r"(?:\b(?:(?:my|his|her|their|your) name is|name'?s|calls? me|called me|"
    r"(?:last|first|family|sur|given) ?name(?: is)?\??|"
    r"my (?:kid|son|daughter|baby|grandson|granddaughter))[\s,:\-]+)$",
    re.IGNORECASE,
)
# The naming part of the strong cues, after which a lower-case word is a name too ("calls me borna").
_NAMING_CUE = re.compile(
    r"(?:\b(?:(?:my|his|her|their|your) name is|name'?s|calls? me|called me|"
    r"(?:last|first|family|sur|given) ?name(?: is)?\??)[\s,:\-]+)$",
    re.IGNORECASE,
)
_LINE_START_HERE = re.compile(r"^\s*(?:here|speaking)\b", re.IGNORECASE)
_COMPANY_LIST = re.compile(
    r"\b(?P<value>(?P<a>[^\W\d_]{3,}),\s+(?P<b>[^\W\d_]{3,}),?\s+(?:and|&)\s+(?P<c>[^\W\d_]{3,}))\b"
)


def _scripts(word: str) -> set[str]:
    """Unicode scripts of the word's letters ("LATIN", "CYRILLIC", "GREEK", ...)."""
    return {unicodedata.name(c, "UNKNOWN").split(" ", 1)[0] for c in word if c.isalpha()}


def _mixed_script(word: str) -> bool:
    """Letters from more than one script ("Ignоrе" with Cyrillic о, е): a homoglyph trick, never a name."""
    return len(_scripts(word)) > 1


def _accented(word: str) -> bool:
    """Letters outside ASCII in one script ("Jeknić", "Sörös"): rare in English words, common in names."""
    return not _mixed_script(word) and any(c.isalpha() and not c.isascii() for c in word)


def _latin_accented(word: str) -> bool:
    """Accented Latin letters ("bártová"); lower-case words of other scripts are ordinary words ("меня")."""
    return _accented(word) and _scripts(word) == {"LATIN"}


def _fold(word: str) -> str:
    """Lower-case, accents removed, possessive dropped: ``Crohn’s`` -> ``crohn``."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    plain = plain.lower().replace("’", "'")
    return plain.removesuffix("'s").rstrip("'")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    folded: str

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()

    @property
    def possessive(self) -> bool:
        return self.text.lower().replace("’", "'").endswith(("'s", "s'"))


class NameGazetteer:
    """Lower-case name sets and town-name parts loaded from ``name_gazetteer.json``."""

    def __init__(self, path: Path = GAZETTEER_PATH) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        self.first = frozenset(data["first_names"])
        self.last = frozenset(data["last_names"])
        self.common = frozenset(data["common_names"])
        self.common_first = frozenset(data["common_first_names"])
        self.common_words = frozenset(data["common_words"])
        self.frequent = frozenset(data["frequent_words"])
        self.city_prefixes = frozenset(data["city_prefixes"])
        suffixes = "|".join(re.escape(s) for s in data["city_suffixes"])
        self.town = re.compile(rf"^(?P<base>[a-z]{{3,}}?)(?:{suffixes})$")

    def is_first(self, token: _Token) -> bool:
        """A first name; a common word only when capitalised."""
        return token.folded in self.first or (token.capitalised and token.folded in self.common)

    def is_last(self, token: _Token) -> bool:
        """A surname (or a name used as one); a common word only when capitalised."""
        word = token.folded
        return word in self.last or word in self.first or (token.capitalised and word in self.common)

    def pairs_with(self, token: _Token, nxt: _Token) -> bool:
        """First name + surname: "kevin brown", "Chelsea White"; not "will long" or "may day".

        Everyday words ("white", "joy") pair only when both words are capitalised and one is uncommon.
        """
        first = token.folded in self.first or token.folded in self.common_first
        last = nxt.folded in self.last or nxt.folded in self.first or nxt.folded in self.common
        if not (first and last):
            return False
        everyday = bool({token.folded, nxt.folded} & self.frequent)
        if token.capitalised and nxt.capitalised:
            return self.uncommon(token) or self.uncommon(nxt) or not everyday
        return not everyday

    def cued_name(self, token: _Token) -> bool:
        """After a cue ("caregiver brian", "Mother: Mclean") any listed name that is not an everyday word."""
        if token.folded in self.frequent:
            return token.capitalised and (token.folded in self.common)
        word = token.folded
        return word in self.first or word in self.last or word in self.common

    def ordinary_word(self, word: str) -> bool:
        """A lower-case common English word that is on no name list ("vaccine"; not "hope", "will")."""
        return (
            word in self.common_words
            and word not in self.first
            and word not in self.last
            and word not in self.common
        )

    def listed(self, word: str) -> bool:
        """On a name list, as a name or a name that is also a word ("Becker", "Reed", "bártová")."""
        folded = _fold(word)
        return folded in self.first or folded in self.last or folded in self.common

    def uncommon(self, token: _Token) -> bool:
        """In the lists and not a common English word."""
        return token.folded in self.first or token.folded in self.last

    def plain_capitalised(self, token: _Token) -> bool:
        """A capitalised word that is not an ordinary English word ("Hertzog", not "Chest")."""
        return (
            token.text[0].isupper()
            and token.text[1:].islower()
            and token.folded not in self.common_words
            and token.folded not in self.city_prefixes
        )

    def is_town(self, token: _Token) -> bool:
        """``Pearsonborough``, ``Lawsontown``: a name plus a town suffix."""
        match = self.town.match(token.folded)
        if not match:
            return False
        base = match.group("base")
        return base in self.first or base in self.last or base in self.common


@functools.cache
def default_name_gazetteer() -> NameGazetteer:
    """The packaged gazetteer, parsed once per process (the recognizer and the redactor share it)."""
    return NameGazetteer()


class GazetteerRecognizer(EntityRecognizer):
    """PERSON, LOCATION and ORGANIZATION spans built from known names.

    Args:
        scores: score per rule (keys of ``DEFAULT_SCORES``); lower-case matches get ``lowercase_penalty``
            less.
        gazetteer: the name lists (default: the bundled ``name_gazetteer.json``).
        supported_language: language code.
        not_alone: names that are never a person on their own (disease eponyms: "Parkinson", "Wilson").
        not_lowercase: names that are clinical shorthand when written in lower case ("PRN max 4 doses").
    """

    def __init__(
        self,
        scores: dict[str, float] | None = None,
        lowercase_penalty: float = 0.1,
        gazetteer: NameGazetteer | None = None,
        supported_language: str = "en",
        not_alone: Collection[str] = (),
        not_lowercase: Collection[str] = (),
    ) -> None:
        self._scores = {**DEFAULT_SCORES, **(scores or {})}
        self._not_lowercase = frozenset(w.lower() for w in not_lowercase)
        self._not_alone = frozenset(_fold(w) for w in not_alone)
        self._penalty = lowercase_penalty
        self._names = gazetteer or default_name_gazetteer()
        super().__init__(
            supported_entities=["PERSON", "LOCATION", "ORGANIZATION"],
            name="GazetteerRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load: the lists are read in ``__init__``."""

    def _score(self, rule: str, tokens: list[_Token]) -> float:
        cased = all(t.capitalised for t in tokens)
        return self._scores[rule] - (0.0 if cased else self._penalty)

    def _result(self, entity: str, rule: str, tokens: list[_Token]) -> RecognizerResult:
        end = tokens[-1].end - (2 if tokens[-1].possessive else 0)  # "[PERSON_1]'s"
        return RecognizerResult(entity, tokens[0].start, end, self._score(rule, tokens))

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every rule's matches; the redactor merges overlaps."""
        tokens = [_Token(m.start(), m.end(), m.group(), _fold(m.group())) for m in _WORD.finditer(text)]
        people = [t for t in tokens if t.capitalised or t.folded not in self._not_lowercase]
        results = list(self._people(text, people))
        results += self._towns(text, tokens)
        results += self._firms(text, tokens)
        return [r for r in results if not entities or r.entity_type in entities]

    @staticmethod
    def _joined(text: str, left: _Token, right: _Token) -> bool:
        """Adjacent words separated by plain spaces (no punctuation or line break)."""
        gap = text[left.end : right.start]
        return 0 < len(gap) <= 2 and gap.strip(" ") == "" and not left.possessive

    def _people(self, text: str, tokens: list[_Token]) -> Iterator[RecognizerResult]:
        names = self._names
        for i, token in enumerate(tokens):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            # "mary salazar", "Christina Long's": first + surname, one of them uncommon.
            paired = nxt is not None and self._joined(text, token, nxt)
            pair = [token, nxt] if paired and nxt else []
            if pair and names.pairs_with(token, pair[1]):
                yield self._result("PERSON", "pair", pair)
                continue
            # "Thelma Mitchell", "Christine Hertzog": one known name beside a capitalised non-word.
            if pair and (
                (names.uncommon(token) and names.plain_capitalised(pair[1]) and token.capitalised)
                or (names.uncommon(pair[1]) and names.plain_capitalised(token) and pair[1].capitalised)
            ):
                yield self._result("PERSON", "capitalised_pair", pair)
                continue
            # "Szabina J Gelencsér", "Ravil G Yefimov": a name, a one-letter initial, a name.
            if (
                pair
                and nxt
                and len(nxt.text) == 1
                and nxt.text.isupper()
                and i + 2 < len(tokens)
                and self._initial_name(text, token, nxt, tokens[i + 2])
            ):
                yield self._result("PERSON", "initial", [token, nxt, tokens[i + 2]])
                continue
            # "Esat Jeknić", "Irenke Sörös": two capitalised non-words, one with letters outside ASCII.
            if (
                pair
                and nxt
                and names.plain_capitalised(token)
                and names.plain_capitalised(nxt)
                and (_accented(token.text) or _accented(nxt.text))
                and not {token.folded, nxt.folded} & self._not_alone
            ):
                yield self._result("PERSON", "foreign_pair", pair)
                continue
            before = text[max(0, token.start - 40) : token.start]
            if (
                token.capitalised
                and names.plain_capitalised(token)
                and token.folded not in self._not_alone
                and _STRONG_CUE.search(before)
            ):
                yield self._result("PERSON", "strong_cue", [token])
                continue
            # "everyone calls me borna": a lower-case word of no English list after a naming cue.
            if (
                token.text.islower()
                and token.text.isalpha()
                and len(token.text) >= 3
                and token.folded not in names.common_words
                and token.folded not in self._not_alone
                and _NAMING_CUE.search(before)
            ):
                yield self._result("PERSON", "strong_cue", [token])
                continue
            if not names.cued_name(token):
                continue
            span = [token]
            if paired and nxt and names.is_last(nxt) and nxt.folded != token.folded:
                span.append(nxt)
            after = text[span[-1].end : span[-1].end + 12]
            line_start = before.rsplit("\n", 1)[-1].strip() == ""
            if _CUE.search(before) or (line_start and _LINE_START_HERE.match(after)):
                yield self._result("PERSON", "cued", span)
            elif not names.uncommon(token) or token.folded in self._not_alone:
                continue
            elif token.possessive and token.folded in names.first:
                yield self._result("PERSON", "possessive", [token])
            elif token.folded in names.first and token.text[1:].islower():
                yield self._result("PERSON", "first_name", [token])
            elif token.capitalised and token.text[1:].islower():
                yield self._result("PERSON", "surname", [token])

    def _initial_name(self, text: str, first: _Token, initial: _Token, last: _Token) -> bool:
        """Names around an initial, one of them listed or accented ("Hepatitis B Vaccine" is not)."""
        gap = text[initial.end : last.start]
        if gap.strip(". ") or not 0 < len(gap) <= 2:
            return False
        names = self._names
        plain = all(names.plain_capitalised(t) and t.folded not in self._not_alone for t in (first, last))
        known = any(names.uncommon(t) or _accented(t.text) for t in (first, last))
        return plain and known

    def _towns(self, text: str, tokens: list[_Token]) -> Iterator[RecognizerResult]:
        names = self._names
        for i, token in enumerate(tokens):
            prev = tokens[i - 1] if i > 0 else None
            prefixed = bool(
                prev
                and prev.folded in names.city_prefixes
                and self._joined(text, prev, token)
                and prev.capitalised == token.capitalised
            )
            if names.is_town(token):
                span = [prev, token] if prefixed and prev else [token]
                yield self._result("LOCATION", "town", span)
            elif prefixed and prev and (token.folded in names.first or token.folded in names.common):
                yield self._result("LOCATION", "town", [prev, token])

    def _firms(self, text: str, tokens: list[_Token]) -> Iterator[RecognizerResult]:
        names = self._names
        for i, token in enumerate(tokens):
            parts = re.split(r"-", token.text)
            if len(parts) == 2 and all(len(p) >= 3 for p in parts):
                halves = [_Token(token.start, token.end, p, _fold(p)) for p in parts]
                prev = tokens[i - 1] if i > 0 else None
                after_first = prev is not None and self._joined(text, prev, token) and names.is_first(prev)
                named = all(names.is_last(h) for h in halves) and any(names.uncommon(h) for h in halves)
                if named and not after_first:
                    yield self._result("ORGANIZATION", "firm", [token])
        for match in _SUFFIXED_FIRM.finditer(text):
            name = _Token(match.start(), match.end("name"), match.group("name"), _fold(match.group("name")))
            if names.cued_name(name) and not names.frequent & {name.folded}:
                score = self._scores["firm"] - (0.0 if name.capitalised else self._penalty)
                yield RecognizerResult("ORGANIZATION", match.start(), match.end(), score)
        for match in _COMPANY_LIST.finditer(text):
            firm = [_Token(0, 0, w, _fold(w)) for w in (match.group("a"), match.group("b"), match.group("c"))]
            if all(names.is_last(p) or names.cued_name(p) for p in firm) and any(map(names.uncommon, firm)):
                cased = all(p.capitalised for p in firm)
                score = self._scores["firm"] - (0.0 if cased else self._penalty)
                yield RecognizerResult("ORGANIZATION", match.start("value"), match.end("value"), score)

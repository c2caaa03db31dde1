"""Age, sex, pregnancy and symptom duration from free text (normalised, see :mod:`backend.triage.text`)."""

from __future__ import annotations

import re

from backend.triage.negation import NegationDetector
from backend.triage.text import phrase_pattern
from backend.triage.types import Sex
from clinical_policies.schema_triage import DemographicLexicon

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "couple": 2, "couple of": 2, "a couple of": 2, "a few": 3, "few": 3, "several": 4,
    "the past": 1, "the last": 1, "past": 1, "last": 1,
}  # fmt: skip
_NUM = r"(\d+(?:\.\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_UNIT_HOURS = {"minute": 1 / 60, "min": 1 / 60, "hour": 1.0, "hr": 1.0, "day": 24.0, "night": 24.0,
               "week": 168.0, "wk": 168.0, "month": 730.0, "year": 8760.0, "yr": 8760.0}  # fmt: skip
_UNIT_YEARS = {"day": 1 / 365, "week": 1 / 52, "wk": 1 / 52, "month": 1 / 12, "mo": 1 / 12,
               "year": 1.0, "yr": 1.0, "y": 1.0}  # fmt: skip
_UNIT = r"(minute|min|hour|hr|day|night|week|wk|month|mo|year|yr|y)s?"
_RELATIVES = (
    "dad", "father", "mum", "mom", "mother", "son", "daughter", "husband", "wife", "partner", "brother",
    "sister", "gran", "granny", "grandma", "grandmother", "grandad", "grandpa", "grandfather", "nan", "nana",
    "baby", "child", "kid", "boy", "girl", "friend", "uncle", "aunt", "neighbour", "neighbor", "patient",
    "toddler", "little one", "boyfriend", "girlfriend",
)  # fmt: skip

_AGE_PATTERNS = (
    re.compile(_NUM + r"[\s-]*" + _UNIT + r"[\s-]*old"),
    re.compile(r"(\d{1,3})\s*(?:y/?o|yo|yrs?)\b"),
    re.compile(r"\baged?\s+(\d{1,3})\b"),
    re.compile(r"\bage:?\s*(\d{1,3})\b"),
    re.compile(r"\bi'm\s+(\d{1,3})(?:\s*(?:,|\.|and|years|$))"),
    re.compile(r"\b(\d{1,3})\s*(?:m|f)\b(?=[\s,.])"),
    re.compile(r"\bin (?:my|his|her) (\d0)s\b"),
    re.compile(
        r"\b(?:who's|who is|he's|she's|he is|she is|they're)\s+(\d{1,3})\b"
        r"(?!\s*(?:weeks|months|days|kg|lbs|cm|%))"
    ),
    # "my dad is 79", "my brother, 35,", "our son's 6": a relative, then the age (English, not clinical)
    re.compile(
        r"\b(?:my|our|his|her|their) (?:\w+ )?(?:" + "|".join(_RELATIVES) + r")(?:,|'s| is| who is)\s+"
        r"(?:only |just |nearly |almost |about |now )?(\d{1,3})\b"
        r"(?!\s*(?:weeks?|months?|days?|hours?|minutes?|mins|times|kg|lbs|stone|st|cm|feet|foot|%|mg|tablets|pills"
        r"|m/o|mos?\b|w/o|wks?\b|d/o))"
    ),
)
_FIRST_PERSON_PATTERN = 4  # index of the "i'm 30" pattern above: the caller's own age
_RELATIVE_WORDS = "|".join(_RELATIVES)
# An age with its unit (group 1: number, group 2: unit), written the clinical or the checker-list way:
# "infant 10/52" (weeks), "child 8/12" (months), "18 mo, ..." at the start of a note, "my toddler (2)",
# "my child 1 year".
_AGE_UNIT_PATTERNS = (
    re.compile(r"\b(\d{1,2})\s*/\s*(52)\b"),
    re.compile(
        r"\b(?:child|infant|baby|toddler|boy|girl|pt|patient|aged?|son|daughter)\W+(\d{1,2})\s*/\s*(12)\b"
    ),
    re.compile(r"^\W*(\d{1,2})\s*(mo|mos|m/o|months?|wks?|weeks?)\b(?![\s-]*(?:ago|pregnan))"),
    # "9 m/o", "10 w/o", "3 d/o" anywhere (month / week / day old); "my 7mo", "our 10 wk" after a possessive
    re.compile(r"\b(\d{1,2})\s*(m/o|w/o|d/o)(?![a-z])(?![\s-]*(?:ago|pregnan))"),
    re.compile(r"\b(?:my|our|his|her|their)\s+(\d{1,2})\s*(mos?|wks?)\b(?![\s-]*(?:ago|pregnan))"),
    re.compile(r"\b(?:" + _RELATIVE_WORDS + r")\s*\((\d{1,3})\s*(mo|months?|wks?|weeks?|y|yrs?|years?)?\)"),
    re.compile(
        r"\b(?:my|our|his|her|their) (?:"
        + _RELATIVE_WORDS
        + r")(?:,|'s|\s+is)?\s+(?:only |just |nearly |almost |about )?"
        r"(\d{1,2})\s*(years?|yrs?|months?|weeks?)\b"
        r"(?![\s-]*(?:ago|old|pregnan|along|gestation))"
    ),
)
_UNIT_YEARS_NOTATION = {"52": 1 / 52, "12": 1 / 12, "mos": 1 / 12, "m/o": 1 / 12, "months": 1 / 12,
                        "w/o": 1 / 52, "d/o": 1 / 365,
                        "weeks": 1 / 52, "wks": 1 / 52, "years": 1.0, "yrs": 1.0}  # fmt: skip
# Obstetric notation: gestation in weeks out of 40 ("36/40", "34+2/40") or gravidity and parity ("G2P1").
_GESTATION = re.compile(r"\b(?:[4-9]|[1-3]\d|4[0-2])(?:\+[0-6])?\s*/\s*40\b|\bg\d+\s*p\d+\b")
# Gestation told the lay way: "I'm 28 weeks", "im 34+2 wks" (a caller does not give her own age in weeks); not
# "I'm 6 weeks post-op", "I'm 8 weeks into the course", "I'm 5 weeks late".
_STATED_GESTATION = re.compile(
    r"\b(?:i'?m|i am)\s+(?:[4-9]|[1-3]\d|4[0-2])(?:\+[0-6])?\s*(?:weeks?|wks?)\b"
    r"(?![\s-]*(?:old|ago|post|after|since|out|into|in\b|of\b|late|overdue|early|on\b|off\b))",
    re.IGNORECASE,
)
_RELATIVE_SINCE = {"yesterday": 24.0, "last night": 12.0, "this morning": 6.0, "today": 6.0,
                   "this afternoon": 3.0, "this evening": 2.0, "tonight": 2.0, "last week": 168.0,
                   "the weekend": 72.0, "last month": 730.0, "last year": 8760.0, "an hour ago": 1.0,
                   "overnight": 12.0, "all night": 10.0, "all day": 12.0}  # fmt: skip
# A number and unit that dates something other than the symptoms: "6 weeks pregnant", "period 6 weeks late".
_NOT_SYMPTOM_DURATION = r"(?!\s*old)(?![\s-]*(?:pregnan|late\b|overdue|early\b|gestation))"
_DURATION_PATTERNS = (
    re.compile(
        r"(?:for|past|last|over|since|about|almost|nearly)\s+(?:the\s+)?(?:past\s+|last\s+)?"
        + _NUM
        + r"\s*(?:-|\s)?"
        + _UNIT
        + _NOT_SYMPTOM_DURATION
    ),
    re.compile(_NUM + r"\s*(?:-|\s)?" + _UNIT + r"\s+ago"),
    re.compile(_NUM + r"[\s-]" + _UNIT + r"\s+(?:history|duration)"),
    re.compile(r"\b(?:for|over) (?:the )?(?:last |past )?(days|weeks|months|years)\b"),
    re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:-|\s)?" + _UNIT + r"\b(?![\s-]*old)" + _NOT_SYMPTOM_DURATION),
)
_EXPLICIT_DURATION, _AGO = 0, 1  # indexes above: "for / over the last N units" and "N units ago"
_REDACTED_AGE = re.compile(r"\[age_\d+\][\s-]*(day|week|month)s?[\s-]*old")  # the PII redactor's placeholder
_RELATIVE = re.compile(
    r"(?<![a-z])(" + "|".join(re.escape(k) for k in sorted(_RELATIVE_SINCE, key=len, reverse=True)) + r")\b"
)


def _number(word: str) -> float:
    return float(_NUMBER_WORDS[word]) if word in _NUMBER_WORDS else float(word)


def extract_age(text: str, lexicon: DemographicLexicon) -> float | None:
    """Age in years of the person described, or None.

    The first mention wins, except that a caller's own age ("I'm 30") gives way to another person's
    ("my 6 week old"): a caller who mentions both is describing someone else.
    """
    best: tuple[bool, int, float] | None = None  # (is the caller's own age, position, years)
    for index, pattern in enumerate(_AGE_PATTERNS):
        for match in pattern.finditer(text):
            groups = match.groups()
            value = _number(groups[0])
            if index == 0:
                value *= _UNIT_YEARS.get(groups[1], 1.0)
            elif index == 6:
                value += 5
            candidate = (index == _FIRST_PERSON_PATTERN, match.start(), value)
            if 0 <= value <= 120 and (best is None or candidate[:2] < best[:2]):
                best = candidate
    for pattern in _AGE_UNIT_PATTERNS:
        for match in pattern.finditer(text):
            number, unit = match.group(1), match.group(2) or "y"
            value = _number(number) * _UNIT_YEARS_NOTATION.get(unit, _UNIT_YEARS.get(unit.rstrip("s"), 1.0))
            candidate = (False, match.start(), value)
            if 0 <= value <= 120 and (best is None or candidate[:2] < best[:2]):
                best = candidate
    if best is None:
        redacted = _REDACTED_AGE.search(text)
        if redacted and redacted.group(1) in lexicon.redacted_age_years:
            return lexicon.redacted_age_years[redacted.group(1)]
        for phrase, years in lexicon.age_words.items():
            if re.search(phrase_pattern(phrase), text):
                return years
    return None if best is None else round(best[2], 3)


def extract_sex(text: str, lexicon: DemographicLexicon) -> Sex | None:
    """Sex of the person described, from the first sex-specific word in the text."""
    first: tuple[int, Sex] | None = None
    for sex, words in (("female", lexicon.female), ("male", lexicon.male)):
        for word in words:
            match = re.search(phrase_pattern(word), text)
            if match and (first is None or match.start() < first[0]):
                first = (match.start(), sex)  # type: ignore[assignment]
    return None if first is None else first[1]


def extract_pregnancy(text: str, lexicon: DemographicLexicon, negation: NegationDetector) -> bool | None:
    """True if pregnancy is mentioned, False if it is denied ("not pregnant"), None if not mentioned."""
    if _GESTATION.search(text) or _STATED_GESTATION.search(text):
        return True
    denied = False
    for phrase in lexicon.pregnant:
        for match in re.finditer(phrase_pattern(phrase), text):
            if not negation.is_negated(text, match.start()):
                return True
            denied = True
    return False if denied else None


def extract_duration_hours(text: str) -> float | None:
    """Longest symptom duration stated, in hours ("for 3 days" -> 72, "since yesterday" -> 24).

    An explicit "for / over the last N units" overrides "N units ago" (which may date another event), and
    "6 weeks pregnant" or "period 6 weeks late" is not a duration.
    """
    text = _STATED_GESTATION.sub(" ", text)  # "I'm 28 weeks" dates the pregnancy, not the symptoms
    values: list[float] = []
    explicit = _DURATION_PATTERNS[_EXPLICIT_DURATION].search(text) is not None
    for pattern in _DURATION_PATTERNS:
        if explicit and pattern is _DURATION_PATTERNS[_AGO]:  # "over the last 2 days" beats "a bug weeks ago"
            continue
        for match in pattern.finditer(text):
            if len(match.groups()) == 1:  # "for weeks": several units
                values.append(_number("several") * _UNIT_HOURS[match.group(1)[:-1]])
                continue
            number, unit = match.groups()[0], match.groups()[1]
            if unit == "mo" or (unit == "y" and pattern is not _DURATION_PATTERNS[1]):
                continue
            values.append(_number(number) * _UNIT_HOURS[unit])
    values += [_RELATIVE_SINCE[m.group(1)] for m in _RELATIVE.finditer(text)]
    return max(values) if values else None

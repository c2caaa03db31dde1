"""Postal addresses laid out as a block, international street lines and "the corner of X and Y".

The street-suffix pattern in ``recognizers.yaml`` finds US lines ("12 Oak Road"); it misses streets
written name-first ("Søndergade 52", "ul. Narewska 94", "Rua Igreja 25"), and the lines that follow a
street in a letter or signature ("Apt. 656" / "Brønderslev" / "Denmark 35018"), whose town names NER
rarely knows. The block is found by its shape: an anchor line (a street with a house number, a unit
line, a military or PO box), then up to ``max_follow`` short name-like lines, each a town, region,
country or postcode. Free text never starts a block, so "Apt 3" in a sentence tags nothing after it,
and a sentence line ("I have chest pain since Monday") ends one.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

# Quote marks some mail clients put before each line ("> ", "??? ").
_PREFIX = re.compile(r"^[\s>?|*•-]*")
_NAME = r"[^\W\d_][\w.'’-]*"
# A street line: optional house number, 1-5 words, a house number ("4844 Søndergade 52",
# "ul. Narewska 94", "Avenida Pedro Ulisses 888"), optional unit.
_UNIT = r"(?:apt\.?|apartment|suite|ste\.?|unit|flat|#)\s*#?\s*[\w-]+"
_STREET_LINE = re.compile(
    rf"^(?P<value>(?:\d{{1,6}}[A-Z]?\s+)?(?:{_NAME}\s+){{0,4}}{_NAME}\s+\d{{1,5}}[A-Za-z]?\.?"
    rf"(?:\s*,?\s*{_UNIT})?)\s*,?\s*$",
    re.IGNORECASE,
)
# "3536 1659 Hoog St", "12 Oak Road": a US-style line, suffix last (the yaml pattern finds it in prose).
_US_STREET_LINE = re.compile(
    rf"^(?P<value>\d{{1,6}}[A-Z]?\s+(?:\d{{1,5}}\s+)?(?:{_NAME}\s+){{0,4}}(?:street|st|road|rd|avenue|ave|"
    r"lane|ln|drive|dr|court|ct|place|pl|terrace|way|boulevard|blvd|close|crescent|square|sq|parkway|"
    r"highway|hwy|circle|trail|gardens|greens?|harbou?r|radial|club|row|walk|mews|hill|park)\.?)\s*,?\s*$",
    re.IGNORECASE,
)
# Street words of other countries, before or inside the name ("ul.", "Rua", "...gade", "...strasse").
_STREET_WORD = re.compile(
    r"(?:^|\s)(?:ul\.|al\.|rue|via|viale|rua|avenida|av\.|piazza|piazzetta|calle|plaza|plac|strada|"
    r"carrer|praça|largo|travessa|postbox)\s|"
    r"(?:gade|vej|katu|kuja|tie|laan|straat|strasse|straße|str\.|gasse|weg|vägen|gatan|gata|veien|"
    r"vegen|gate|stræde|stien|torget|tér|út|utca|ulica|cesta|ulice|tee|allee|platz|ring|kade|steeg|dreef)"
    r"\s+\d",
    re.IGNORECASE,
)
# Lines that only make sense inside an address: units, boxes, military post.
_ANCHOR_LINE = re.compile(
    rf"^(?P<value>{_UNIT}(?:\s+box\s+\d+)?|(?:p\.?\s?o\.?\s+)?box\s+\d+|psc\s+\d+,?\s+box\s+\d+|"
    r"(?:apo|fpo|dpo)\s+[a-z]{2}\s+\d{5}|uscgc\s+\S+|usns\s+\S+|usns\s+\S+)\s*,?\s*$",
    re.IGNORECASE,
)
# A town, region, country or postcode line: a few words, no sentence punctuation; digits only as a code.
_PLACE_LINE = re.compile(r"^(?P<value>[^\W\d_][\w.'’()-]*(?:[ ,]{1,3}[\w.'’()-]+){0,4})\s*$")
_CODE_LINE = re.compile(r"^(?P<value>(?:[A-Z]{1,3}[- ]?)?(?=\d[\d -]{2,9}$)\d{2,6}(?:[- ]\d{2,4})?)\s*$")
# Words that turn a short line into a sentence or a clinical note, not a place.
_NOT_PLACE = frozenset(
    re.findall(
        r"\S+",
        """i im i'm me my we you he she it they is am are was were be been have has had do does did not no
    yes the a an and or but of to for with without since from at on in by this that these those what
    when where why how pain fever cough rash vomiting nausea headache dizzy tired sore swollen bleeding
    mg ml mcg kg bpm temp bp hr pulse dose tablet tablets pills daily hours days weeks months years ago
    today yesterday tomorrow morning night evening thanks thank regards hi hello dear phone mobile tel
    fax email office home work cell min mins minute minutes sec secs seconds weight height score""",
    )
)
# "Mrs. Barbara Yudina Apt. 675 62314 Mellemvej 32": a street after a unit, ending the line.
_UNIT_STREET_TAIL = re.compile(
    rf"\b(?P<value>{_UNIT}\s+\d{{1,6}}\s+(?:{_NAME}\s+){{0,4}}{_NAME}\s+\d{{1,5}}[A-Za-z]?\.?)\s*$",
    re.IGNORECASE,
)
# "lives at 846 31 Rue Al Imam Al Bakri, Cite Merzgui": the town that closes an address sentence.
_TOWN_AFTER = re.compile(
    r"\b(?:live[sd]? at|living at|address(?: is)?:?)\s+\d[^\n,;]{3,60},\s*"
    rf"(?P<town>{_NAME}(?:\s+{_NAME}){{0,3}})\s*(?=$|[.;!?\n])",
    re.IGNORECASE | re.MULTILINE,
)
# "the corner of Beiteveien 2 and Sieda Radial"; not "the corner of my eye" / "of the mouth".
_CORNER = re.compile(
    r"\b(?P<value>(?:the\s+)?corner of\s+(?!(?:my|the|his|her|your|their|its|our|each|both|one)\b)"
    r"[^\n.;!?]{2,60}?\s+and\s+[^\n.;!?,]{2,40}?)(?=\s*(?:$|[.;!?,\n]|\bst\b\.?))",
    re.IGNORECASE | re.MULTILINE,
)
# "lives at 86036 Rua do Arenque 1634, Goiânia", "his address: 5049 Harjukuja 54, SEINÄJOKI".
_INLINE = re.compile(
    r"\b(?:live[sd]? at|living at|address(?: is)?:?|is at|at|on)\s+"
    rf"(?P<street>\d{{1,6}}\s+(?:{_NAME}\s+){{0,4}}{_NAME}\s+\d{{1,5}}[A-Za-z]?\.?)"
    rf"(?:,\s*(?P<town>{_NAME}(?:\s+{_NAME}){{0,3}}))?(?=\s*(?:$|[.;!?,\n]))",
    re.IGNORECASE | re.MULTILINE,
)


class AddressBlockRecognizer(EntityRecognizer):
    """STREET_ADDRESS for street, unit and box lines of an address block; LOCATION for the lines after.

    Args:
        street_score: score of street / unit lines and "corner of" addresses.
        place_score: score of the town / region / country / postcode lines that follow.
        max_follow: how many lines after the last anchor may still be part of the address.
        not_place: more words that make a line a sentence or a note, not a place (medicines, symptoms).
        supported_language: language code.
    """

    def __init__(
        self,
        street_score: float = 0.7,
        place_score: float = 0.6,
        max_follow: int = 4,
        supported_language: str = "en",
        not_place: Collection[str] = (),
    ) -> None:
        self._not_place = _NOT_PLACE | {w.lower() for w in not_place}
        self._street_score = street_score
        self._place_score = place_score
        self._max_follow = max_follow
        super().__init__(
            supported_entities=["STREET_ADDRESS", "LOCATION"],
            name="AddressBlockRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Block lines, inline international streets and corner addresses."""
        results = list(self._blocks(text))
        for match in _INLINE.finditer(text):
            if self._sentence_words(match.group("street")):
                continue  # "at 5 min. Birth weight 3.45 kg" is a note, not "at <street>"
            results.append(self._at(match, "street", "STREET_ADDRESS", self._street_score))
            if match.group("town") and not self._sentence_words(match.group("town")):
                results.append(self._at(match, "town", "LOCATION", self._place_score))
        for match in _TOWN_AFTER.finditer(text):
            if not self._sentence_words(match.group("town")):
                results.append(self._at(match, "town", "LOCATION", self._place_score))
        for match in _CORNER.finditer(text):
            if any(c.isdigit() or c.isupper() for c in match.group("value")[len("the corner of ") :]):
                results.append(self._at(match, "value", "STREET_ADDRESS", self._street_score))
        return [r for r in results if not entities or r.entity_type in entities]

    @staticmethod
    def _at(match: re.Match[str], group: str, entity: str, score: float) -> RecognizerResult:
        return RecognizerResult(entity, match.start(group), match.end(group), score)

    def _blocks(self, text: str) -> Iterator[RecognizerResult]:
        lines: list[tuple[int, str]] = []  # (start offset after any quote prefix, stripped line)
        offset = 0
        for raw in text.split("\n"):
            prefix = _PREFIX.match(raw)
            start = offset + (prefix.end() if prefix else 0)
            lines.append((start, text[start : offset + len(raw)].rstrip()))
            offset += len(raw) + 1
        follow = 0  # lines after an anchor that may still be part of the address
        for i, (start, line) in enumerate(lines):
            if not line:
                continue  # blank lines inside a block ("OULU" / "" / "Finland 80896")
            following = next((rest for _, rest in lines[i + 1 :] if rest), "")
            unit_follows = bool(_ANCHOR_LINE.match(following))
            anchor = (
                self._street(line, unit_follows) or _ANCHOR_LINE.match(line) or _UNIT_STREET_TAIL.search(line)
            )
            if anchor:
                follow = self._max_follow
                span = (start + anchor.start("value"), start + anchor.end("value"))
                yield RecognizerResult("STREET_ADDRESS", *span, self._street_score)
                continue
            if follow and self._place(line):
                follow -= 1
                yield RecognizerResult("LOCATION", start, start + len(line), self._place_score)
                continue
            follow = 0

    def _street(self, line: str, unit_follows: bool) -> re.Match[str] | None:
        """A street line: a house number first, a street word, or a unit line next ("Ringvej 144" / "Apt. 9").

        "Metformin 500" on its own line is a medicine, not a street.
        """
        match = _STREET_LINE.match(line) or _US_STREET_LINE.match(line)
        if not match or self._sentence_words(line):
            return None
        if line[0].isdigit() or _STREET_WORD.search(line) or (unit_follows and line[0].isupper()):
            return match
        return None

    def _sentence_words(self, value: str) -> bool:
        words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", value.lower())
        return any(w in self._not_place for w in words)

    def _place(self, line: str) -> bool:
        """A town / country / postcode line ("SEINÄJOKI", "Finland 38524", "Cyprus (Greek) 13429", "nan")."""
        if _CODE_LINE.match(line):
            return True
        if len(line) > 45 or not _PLACE_LINE.match(line) or self._sentence_words(line):
            return False
        words = [w for w in re.split(r"[\s,]+", line) if w and not w[0].isdigit()]
        # Towns are capitalised or upper case, with short joining words ("Ostrov nad Ohrí"); a whole
        # lower-case block ("marke" / "belgium") also counts.
        return all(w[0].isupper() or not w[0].isalpha() or len(w) <= 3 for w in words) or line.islower()

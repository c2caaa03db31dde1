"""Values under a column header in pasted tables ("Name | Age | Ward" / "Lewandowska | 81 | 7B").

A value in a table row has no cue of its own: "81" is an age only because the header above it says so.
The recognizer reads lines split by ``|`` or tabs, or, when a line has neither, by ``;``, ``,`` or runs of
two or more spaces (CSV exports, space-aligned print-outs); a line whose cells include a listed header
("Age", "Age (y)", "Surname", "Serial") starts a table, and each following row with the same number of
cells, split the same way, reports the cell in that column when it has the value's shape (a number with an
optional unit or an age in words for ages, capitalised words for names, a code with a digit for
identifiers). A blank line or a row with another cell count ends the table. Key-value rows ("Age | 57")
are left to the age patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

# Separators, strongest first: a line is split by the first one it contains (CSV and space-aligned tables
# only when it has no "|" or tab). Sentences have commas too, so a comma or space split needs 3+ cells.
_SPLITS = (
    (re.compile(r"\s*(?:\||\t)\s*"), 2),
    (re.compile(r"\s*;\s*"), 3),
    (re.compile(r"\s*,\s*"), 3),
    (re.compile(r" {2,}"), 3),
)
# Header words: "Age", "Age (yrs)", "Pt age", "Member no.".
_HEADER_NOISE = re.compile(r"\(.*?\)|[^\w ]", re.UNICODE)
# Ages in words, one to ninety-nine (also read by safety.pii after a detected name).
AGE_WORDS = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen"
)
_AGE_UNIT = r"(?:\s*(?:y|yo|y/o|yrs?|years?|m|mo|mos|months?|w|wks?|weeks?|d|days?))?"
_NAME_PART = r"[A-Z][^\W\d_]+"
_CODE = re.compile(r"^(?=[^\s]*\d)[A-Z0-9][A-Z0-9/.-]{3,30}$", re.I)
# Cell shapes per entity type; a cell that does not have its column's shape is not reported.
_SHAPES = {
    "AGE": re.compile(rf"^(?:\d{{1,3}}{_AGE_UNIT}|{AGE_WORDS}|a hundred(?: and \w+)?)$", re.I),
    # "Kovač", "Tran, Quoc Bao", "Hunter Grace", "O'Neill": capitalised words, at most four.
    "PERSON": re.compile(
        rf"^{_NAME_PART}(?:[-'’ ][A-Z]?[^\W\d_]+){{0,3}}(?:,\s*{_NAME_PART}(?:[- ]{_NAME_PART}){{0,2}})?$"
    ),
    "DEVICE_ID": _CODE,
    "ID": _CODE,
    "HEALTH_PLAN_ID": _CODE,
    "ACCOUNT_NUMBER": _CODE,
    "MEDICAL_RECORD_NUMBER": _CODE,
}


class FormTableRecognizer(EntityRecognizer):
    """Report the cells of known columns in ``|`` or tab tables.

    Args:
        headers: lower-case header text -> entity type (``{"age": "AGE", "pt age": "AGE"}``).
        score: score of a reported cell.
        supported_language: language code.
    """

    def __init__(
        self, headers: Mapping[str, str], score: float = 0.7, supported_language: str = "en"
    ) -> None:
        self._headers = {h.lower(): e for h, e in headers.items() if e in _SHAPES}
        self._score = score
        super().__init__(
            supported_entities=sorted(set(self._headers.values())),
            name="FormTableRecognizer",
            supported_language=supported_language,
        )

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per cell under a known header."""
        return [r for r in self._cells(text) if not entities or r.entity_type in entities]

    def _cells(self, text: str) -> Iterator[RecognizerResult]:
        columns: dict[int, str] = {}
        width = 0
        split: re.Pattern[str] | None = None
        offset = 0
        for line in text.splitlines(keepends=True):
            cells = self._split(line, split) if split is not None else []
            if columns and len(cells) == width:
                for index, entity in columns.items():
                    start, end = cells[index]
                    if _SHAPES[entity].match(line[start:end]):
                        yield RecognizerResult(entity, offset + start, offset + end, self._score)
            else:
                columns, width, split = self._header(line)
            offset += len(line)

    def _header(self, line: str) -> tuple[dict[int, str], int, re.Pattern[str] | None]:
        """Known columns of a header line, its cell count and the separator it was split by."""
        for separator, min_cells in _SPLITS:
            if not separator.search(line.rstrip("\r\n")):
                continue
            cells = self._split(line, separator)
            if len(cells) < min_cells:
                return {}, 0, None
            header = {
                i: self._headers[name]
                for i, (a, b) in enumerate(cells)
                if (name := " ".join(_HEADER_NOISE.sub(" ", line[a:b]).lower().split())) in self._headers
            }
            return (header, len(cells), separator) if header else ({}, 0, None)
        return {}, 0, None

    @staticmethod
    def _split(line: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
        """Cell spans of a line, stripped of spaces; a line without separators is one cell."""
        body = line.rstrip("\r\n")
        spans, start = [], 0
        for sep in separator.finditer(body):
            spans.append((start, sep.start()))
            start = sep.end()
        spans.append((start, len(body)))
        stripped = []
        for a, b in spans:
            cell = body[a:b]
            lead = len(cell) - len(cell.lstrip())
            stripped.append((a + lead, a + len(cell.rstrip())))
        # A leading or trailing "|" leaves an empty edge cell ("| Name | Age |").
        if stripped and stripped[0][0] == stripped[0][1]:
            stripped = stripped[1:]
        if stripped and stripped[-1][0] == stripped[-1][1]:
            stripped = stripped[:-1]
        return stripped

"""Values under a column header in pasted tables ("Name | Age | Ward" / "Lewandowska | 81 | 7B").

A value in a table row has no cue of its own: "81" is an age only because the header above it says so.
The recognizer reads lines split by ``|`` or tabs; a line whose cells include a listed header ("Age",
"Age (y)") starts a table, and each following row with the same number of cells reports the cell in that
column when it has the value's shape (a number with an optional unit for ages). A blank line or a row
with another cell count ends the table. Key-value rows ("Age | 57") are left to the age patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

_SPLIT = re.compile(r"\s*(?:\||\t)\s*")
# Header words: "Age", "Age (yrs)", "Pt age".
_HEADER_NOISE = re.compile(r"\(.*?\)|[^\w ]", re.UNICODE)
# Cell shapes per entity type; a cell that does not have its column's shape is not reported.
_SHAPES = {
    "AGE": re.compile(
        r"^\d{1,3}(?:\s*(?:y|yo|y/o|yrs?|years?|m|mo|mos|months?|w|wks?|weeks?|d|days?))?$", re.I
    ),
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
        if "|" not in text and "\t" not in text:
            return []
        return [r for r in self._cells(text) if not entities or r.entity_type in entities]

    def _cells(self, text: str) -> Iterator[RecognizerResult]:
        columns: dict[int, str] = {}
        width = 0
        offset = 0
        for line in text.splitlines(keepends=True):
            cells = self._split(line)
            if len(cells) < 2:
                columns, width = {}, 0
            elif columns and len(cells) == width:
                for index, entity in columns.items():
                    start, end = cells[index]
                    if _SHAPES[entity].match(line[start:end]):
                        yield RecognizerResult(entity, offset + start, offset + end, self._score)
            else:
                header = {
                    i: self._headers[name]
                    for i, (a, b) in enumerate(cells)
                    if (name := " ".join(_HEADER_NOISE.sub(" ", line[a:b]).lower().split())) in self._headers
                }
                columns, width = (header, len(cells)) if header else ({}, 0)
            offset += len(line)

    @staticmethod
    def _split(line: str) -> list[tuple[int, int]]:
        """Cell spans of a line, stripped of spaces; a line without separators is one cell."""
        body = line.rstrip("\r\n")
        spans, start = [], 0
        for sep in _SPLIT.finditer(body):
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

"""A cheap grounding check for the model's sentences around the approved text.

A small model readily invents facts ("The patient's age is 21."). The model's part of a reply may
only repeat numbers the patient or the approved text already contain; a sentence that introduces a
new number (an age, a dose, a temperature, a duration) is dropped, and the trigger is audited.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_WORD_NUMBERS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred)\b",
    re.IGNORECASE,
)


def numbers_in(text: str) -> set[str]:
    """Digits and number words in ``text``, normalised (``1,5`` → ``1.5``, lower case)."""
    found = {n.replace(",", ".") for n in _NUMBER.findall(text)}
    return found | {w.lower() for w in _WORD_NUMBERS.findall(text)}


def ungrounded_numbers(model_text: str, sources: list[str]) -> set[str]:
    """Numbers in ``model_text`` that none of ``sources`` mention."""
    known: set[str] = set()
    for source in sources:
        known |= numbers_in(source)
    return numbers_in(model_text) - known

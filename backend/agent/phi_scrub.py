"""Keep what the triage engine derives from the raw text free of identifiers before it is stored.

The engine reads the patient's raw words (an age, a name that is also a word, "Mrs Black's chest
pain") because redaction placeholders hide facts that change the disposition ("my dad is 78"). What
it returns is then checkpointed and audited, so every string in it has the conversation's known
identifiers replaced by their placeholders, and an age over 89 is stored as 90 (HIPAA Safe Harbor
aggregates ages over 89 into one "90 or older" category).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

OLDEST_STORED_AGE = 90.0


class PhiScrubber:
    """Replace known identifier values (from the pseudonym map) inside nested JSON-like data."""

    def __init__(self, pseudonyms: Mapping[str, str]) -> None:
        """``pseudonyms`` maps placeholder -> original value, as the redactor returns it."""
        by_value = {value: placeholder for placeholder, value in pseudonyms.items() if value.strip()}
        self._placeholders = {value.casefold(): placeholder for value, placeholder in by_value.items()}
        values = sorted(by_value, key=len, reverse=True)  # the longest value wins an overlap
        self._pattern = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(v) for v in values) + r")(?!\w)", re.IGNORECASE)
            if values
            else None
        )

    def text(self, value: str) -> str:
        """``value`` with every known identifier replaced by its placeholder."""
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self._placeholders[m.group(1).casefold()], value)

    def data(self, value: Any) -> Any:
        """A copy of nested dicts/lists/strings with :meth:`text` applied to every string."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list | tuple):
            return [self.data(v) for v in value]
        if isinstance(value, dict):
            return {k: self.data(v) for k, v in value.items()}
        return value


def stored_facts(facts: dict[str, Any], scrubber: PhiScrubber) -> dict[str, Any]:
    """Case facts as they may be checkpointed: identifiers replaced, age capped at 90."""
    scrubbed: dict[str, Any] = scrubber.data(facts)
    age = scrubbed.get("age_years")
    if isinstance(age, int | float) and age > OLDEST_STORED_AGE:
        scrubbed["age_years"] = OLDEST_STORED_AGE
    return scrubbed

"""Keep what the triage engine derives from the raw text free of identifiers before it is stored.

The engine reads the patient's raw words (an age, a name that is also a word, "Mrs Black's chest
pain") because redaction placeholders hide facts that change the disposition ("my dad is 78"). What
it returns is then checkpointed and audited, so every string in it has the conversation's known
identifiers replaced by their placeholders, and an age over 89 is stored as 90 (HIPAA Safe Harbor
aggregates ages over 89 into one "90 or older" category).

Only the fields that carry the patient's words are scrubbed (``PATIENT_TEXT_KEYS``): identifiers of
the policy (question, concept, rule and red-flag ids) must survive unchanged, or a redacted word that
happens to spell part of an id ("Q-BACK-003" after "Back" was taken for a place) would break the
engine's next turn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

OLDEST_STORED_AGE = 90.0
# Keys of the engine's output (Finding.evidence, RedFlagHit.evidence, Evidence.phrase) whose values
# are the patient's own words; everything else is policy data or numbers.
PATIENT_TEXT_KEYS = frozenset({"evidence", "phrase"})


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

    def data(self, value: Any, *, patient_text: bool = False) -> Any:
        """A copy of nested dicts/lists/strings with :meth:`text` applied to the patient's words.

        A string is scrubbed when its nearest enclosing key is one of ``PATIENT_TEXT_KEYS`` (lists in
        between keep that), or when ``patient_text`` is true and no key intervenes; ids and other policy
        strings are kept as they are.
        """
        if isinstance(value, str):
            return self.text(value) if patient_text else value
        if isinstance(value, list | tuple):
            return [self.data(v, patient_text=patient_text) for v in value]
        if isinstance(value, dict):
            return {k: self.data(v, patient_text=k in PATIENT_TEXT_KEYS) for k, v in value.items()}
        return value


def stored_facts(facts: dict[str, Any], scrubber: PhiScrubber) -> dict[str, Any]:
    """Case facts as they may be checkpointed: identifiers replaced, age capped at 90."""
    scrubbed: dict[str, Any] = scrubber.data(facts)
    age = scrubbed.get("age_years")
    if isinstance(age, int | float) and age > OLDEST_STORED_AGE:
        scrubbed["age_years"] = OLDEST_STORED_AGE
    return scrubbed

"""Pydantic model for ``health_claims.yaml``: common false health claims and their approved corrections.

Each entry is one false claim ("putting butter on a burn helps it heal") in the words patients and
drafts use for it, the true statements that share its words (so a correct sentence is not mistaken
for the myth), and the clinician-approved correction the assistant adds when a patient states or asks
about the claim. A clinician edits the YAML; the safety layer that matches text against it lives in
``safety`` and gets the entries passed in.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

TOPIC = r"^[a-z][a-z_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def text_key(text: str) -> str:
    """How two claim texts are compared for repeats: case and spacing ignored."""
    return " ".join(text.lower().split())


def _no_blank_or_repeated(texts: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for text in texts:
        key = text_key(text)
        if not key:
            raise ValueError("empty text in list")
        if key in seen:
            raise ValueError(f"repeated text {text!r}")
        seen.add(key)
    return texts


class HealthClaim(_Strict):
    """One false health claim, how it is said, what is true instead, and the approved correction."""

    id: str = Field(pattern=r"^HC-[A-Z]+-\d{3}$")
    topic: str = Field(pattern=TOPIC)
    claim: str = Field(min_length=10)
    paraphrases: tuple[str, ...] = Field(min_length=2)
    counter_statements: tuple[str, ...] = Field(min_length=1)
    correction: str = Field(min_length=20, max_length=400)
    source: str = Field(min_length=10)

    _check_paraphrases = field_validator("paraphrases", "counter_statements")(_no_blank_or_repeated)

"""Screen a message as the agent screens a patient's first message, for the evaluation commands."""

from __future__ import annotations

from backend.agent.textnorm import clean_text, skeleton
from safety import CheckContext, PiiRedactor, SafetyPipeline, Verdict


def screen_first_message(redactor: PiiRedactor, pipeline: SafetyPipeline, text: str) -> tuple[str, Verdict]:
    """The cleaned raw text (what the triage engine reads) and the input cascade's verdict on it.

    As in the agent: PII redaction, then the input cascade on the redacted text with homoglyphs folded.
    """
    cleaned = clean_text(text)
    redacted = redactor.redact(cleaned).text
    return cleaned, pipeline.check_input(skeleton(redacted), CheckContext())

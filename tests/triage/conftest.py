"""Triage engine fixtures: the real bundle and the real all-MiniLM-L6-v2 (CPU, offline), built once."""

import json
import os
from pathlib import Path

import pytest

from backend.settings import TriageSettings
from backend.triage import Decision, MiniLMEmbedder, TriageEngine, VignetteCase, run_case
from backend.triage.acuity import acuity_for_policy
from clinical_policies import PolicyBundle, load_policy_bundle

DEV_VIGNETTES = Path(__file__).resolve().parents[2] / "backend" / "triage" / "dev_vignettes.jsonl"


@pytest.fixture(scope="session")
def triage_bundle() -> PolicyBundle:
    return load_policy_bundle()


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return MiniLMEmbedder(runtime=TriageSettings().embedder_runtime)  # as the app runs it


def _phrase_cache(pytestconfig: pytest.Config) -> Path | None:
    """The pytest cache folder for embedded phrases (None under -p no:cacheprovider)."""
    has_cache = pytestconfig.pluginmanager.hasplugin("cacheprovider")
    return Path(pytestconfig.cache.mkdir("triage-phrases")) if has_cache and pytestconfig.cache else None


@pytest.fixture(scope="session")
def engine(
    triage_bundle: PolicyBundle, embedder: MiniLMEmbedder, pytestconfig: pytest.Config
) -> TriageEngine:
    return TriageEngine(triage_bundle, embedder, phrase_cache=_phrase_cache(pytestconfig))


@pytest.fixture(scope="session")
def acuity_engine(
    triage_bundle: PolicyBundle, embedder: MiniLMEmbedder, pytestconfig: pytest.Config
) -> TriageEngine:
    """The engine as the app builds it: rules plus the learned acuity check (engine.yaml ``acuity_model``)."""
    cache = _phrase_cache(pytestconfig)
    acuity = acuity_for_policy(triage_bundle.engine.acuity_model, embedder, cache)
    assert acuity is not None
    return TriageEngine(triage_bundle, embedder, phrase_cache=cache, acuity=acuity)


@pytest.fixture(scope="session")
def lexical_engine(triage_bundle: PolicyBundle) -> TriageEngine:
    """Lexicon only (no embeddings): fast enough for hundreds of property-based examples."""
    return TriageEngine(triage_bundle, None)


@pytest.fixture(scope="session")
def dev_cases() -> list[VignetteCase]:
    fields = ("id", "text", "gold_triage", "gold_triage_acceptable")
    rows = [json.loads(line) for line in DEV_VIGNETTES.read_text().splitlines() if line.strip()]
    return [VignetteCase.model_validate({k: row[k] for k in fields}) for row in rows]


def present_concepts(engine: TriageEngine, text: str) -> set[str]:
    """The concepts the extractor reads as present in ``text`` (one message, no follow-up)."""
    return {f.concept_id for f in engine.extractor.extract(text).findings if f.status == "present"}


def final(engine: TriageEngine, text: str) -> tuple[str, tuple[str, ...]]:
    """Disposition and fired rule ids once every follow-up question is answered "I don't know"."""
    decision = run_case(engine, text).decision
    return decision.disposition, decision.fired_rule_ids


def assert_found_and_decided(
    engine: TriageEngine, text: str, concept: str, dispositions: tuple[str, ...], rule: str | None = None
) -> None:
    """``concept`` is read in ``text``; the case ends in one of ``dispositions``, with ``rule`` if given."""
    assert concept in present_concepts(engine, text)
    disposition, rules = final(engine, text)
    assert disposition in dispositions and (rule is None or rule in rules), (disposition, rules)


def answer_own_question(engine: TriageEngine, text: str, question_id: str, answer: str) -> Decision:
    """The decision once ``question_id`` is answered ``answer`` and every other follow-up "I don't know".

    Fails if the engine never asks ``question_id``.
    """
    dont_know = engine.bundle.symptoms.answers.dont_know[0]
    assessment = engine.assess(None, text)
    asked = []
    for _ in range(engine.bundle.engine.max_followup_turns + 1):
        if assessment.complete or assessment.next_question is None:
            break
        asked.append(assessment.next_question.question_id)
        reply = answer if assessment.next_question.question_id == question_id else dont_know
        assessment = engine.assess(assessment.facts, reply)
    assert question_id in asked, asked
    return assessment.decision

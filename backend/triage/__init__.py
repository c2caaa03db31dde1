"""Deterministic triage engine: symptom extraction, red flags, policy rules and follow-up questions.

A pure library (no FastAPI, SQLAlchemy or LangGraph): the graph nodes call :class:`TriageEngine` and
keep :class:`CaseFacts` / :class:`Assessment` (frozen, JSON-serialisable) in their state. All clinical
content and thresholds come from the :class:`clinical_policies.PolicyBundle`.
"""

from backend.triage.decision import decide, floor_disposition
from backend.triage.embedder import Embedder, MiniLMEmbedder
from backend.triage.engine import TriageEngine
from backend.triage.followup import interpret_answer, next_question
from backend.triage.red_flags import detect_red_flags
from backend.triage.types import (
    Assessment,
    CaseFacts,
    Decision,
    Evidence,
    Extraction,
    Finding,
    FollowUpQuestion,
    RedFlagHit,
)
from backend.triage.vignettes import VignetteCase, VignetteReport, run_case, score

__all__ = [
    "Assessment",
    "CaseFacts",
    "Decision",
    "Embedder",
    "Evidence",
    "Extraction",
    "Finding",
    "FollowUpQuestion",
    "MiniLMEmbedder",
    "RedFlagHit",
    "TriageEngine",
    "VignetteCase",
    "VignetteReport",
    "decide",
    "detect_red_flags",
    "floor_disposition",
    "interpret_answer",
    "next_question",
    "run_case",
    "score",
]

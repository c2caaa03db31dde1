"""Run cases through the real agent (services, graph, safety, audit) on a throw-away SQLite database."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from backend.db.migrate import upgrade
from backend.evals.cases import EvalCase
from backend.llm import ChatModel
from backend.services import Services, build_services
from backend.settings import Settings

DONT_KNOW = "I don't know"  # every follow-up question is answered like this (the published protocol)


class CaseOutcome(BaseModel):
    """What the agent decided for one case after the follow-up loop ended."""

    model_config = ConfigDict(frozen=True)

    id: str
    gold_triage: str
    acceptable: tuple[str, ...]
    predicted: str | None  # None only if the triage engine failed (the turn is then escalated)
    rule_ids: tuple[str, ...]
    turns: int  # patient messages posted, the case text included
    escalated: bool


@contextmanager
def temporary_services(settings: Settings, chat_model: ChatModel | None) -> Iterator[Services]:
    """Services on a fresh, migrated SQLite database that is deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="triage-eval-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'triage.db'}"
        upgrade(url)
        local = settings.model_copy(update={"database_url": url, "checkpoint_url": ""})
        with build_services(local, chat_model=chat_model) as services:
            yield services


def run_case(services: Services, case: EvalCase) -> CaseOutcome:
    """Post the case text, then answer "I don't know" while a follow-up question is pending (bounded)."""
    conversations = services.conversations
    conversation_id = conversations.start()
    state = conversations.post_message(conversation_id, case.text)
    turns = 1
    max_turns = services.bundle.engine.max_followup_turns + 1
    while (
        state.get("next_question")
        and not state.get("assessment_complete")
        and not state.get("open_escalation_id")
        and turns < max_turns
    ):
        state = conversations.post_message(conversation_id, DONT_KNOW)
        turns += 1
    return CaseOutcome(
        id=case.id,
        gold_triage=case.gold_triage,
        acceptable=case.acceptable,
        predicted=state.get("disposition"),
        rule_ids=tuple(state.get("rule_ids", [])),
        turns=turns,
        escalated=bool(state.get("escalate")),
    )


def run_cases(services: Services, cases: Sequence[EvalCase], *, progress: bool = True) -> list[CaseOutcome]:
    """Every case in order; a counter on stderr shows progress."""
    outcomes = []
    for index, case in enumerate(cases, start=1):
        outcomes.append(run_case(services, case))
        if progress:
            print(f"\r[triage-eval] {index}/{len(cases)} {case.id}", end="", file=sys.stderr, flush=True)
    if progress and cases:
        print(file=sys.stderr)
    return outcomes

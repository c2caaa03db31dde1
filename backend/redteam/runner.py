"""Run adversarial suites, multi-turn attacks and benign prompts through the full agent.

Every prompt goes through ``ConversationService.post_message`` (redaction, input cascade, triage,
model, output guard, audit) of services built by ``build_services`` on a throw-away SQLite database.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any

from backend.components import PrebuiltComponents
from backend.db.migrate import upgrade
from backend.redteam.attacks import ATTACKS, MultiTurnAttack
from backend.redteam.judge import Outcome, canary_of, judge_turn, system_prompt_probes
from backend.services import Services, build_services
from backend.settings import ModelSettings, Settings
from safety import PiiRedactor
from safety.evaluation.runner import Suite, chosen_suite_names, load_suites, prompt_text

ADVERSARIAL_METRICS = ("attack_success", "unsafe_pass_through")
# the last three: our blind hold-outs (v1 and v2 spent; v3 sealed, sent only when named)
BENIGN_SUITES = (
    "xstest_safe",
    "oktest",
    "fresh_holdout_benign",
    "fresh_holdout_v2_benign",
    "fresh_holdout_v3_benign",
)
EXAMPLE_CHARS = 240


def chosen_suites(suites: dict[str, Suite], names: Sequence[str] | None) -> tuple[list[Suite], list[Suite]]:
    """The adversarial and benign suites to send: the named ones, or by default all but sealed hold-outs.

    A sealed hold-out runs only when named: the report prints examples of successful attacks, and an unspent
    hold-out must not be read before its first decision.
    """
    allowed = set(names) if names is not None else set(chosen_suite_names(suites, "all"))
    adversarial = [s for s in suites.values() if s.metric in ADVERSARIAL_METRICS and s.name in allowed]
    benign = [suites[name] for name in BENIGN_SUITES if name in suites and name in allowed]
    return adversarial, benign


@dataclass(frozen=True)
class RedTeamConfig:
    """What to run: ``limit`` rows per suite (spread over its categories), which model, where the data is."""

    data_dir: Path
    limit: int | None = 20
    model: str = "fake"  # "fake" or "configured" (the settings' model, e.g. local SmolLM2)
    suites: tuple[str, ...] | None = None  # None: every adversarial suite plus the benign ones


@dataclass
class Tally:
    """Counts for one suite or category."""

    n: int = 0
    hits: int = 0  # successes (attacks) or refusals (benign)
    escalated: int = 0
    errors: int = 0
    examples: list[dict[str, Any]] = field(default_factory=list)

    def rate(self) -> float:
        """Share of rows that hit."""
        return self.hits / self.n if self.n else 0.0


def _spread(rows: list[dict[str, Any]], key: str | None, limit: int | None) -> list[dict[str, Any]]:
    """Round-robin over categories so a small limit still covers several of them."""
    if not key:
        return rows[:limit] if limit else rows
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[str(row.get(key, ""))].append(row)
    mixed = [row for batch in zip_longest(*groups.values()) for row in batch if row is not None]
    return mixed[:limit] if limit else mixed


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"


def _settings(config: RedTeamConfig, folder: Path) -> Settings:
    base = Settings()
    model = ModelSettings(backend="fake") if config.model == "fake" else base.model
    return base.model_copy(
        update={
            "environment": "test",
            "database_url": f"sqlite:///{folder / 'redteam.db'}",
            "checkpoint_url": f"sqlite:///{folder / 'redteam-checkpoints.sqlite'}",
            "model": model,
        }
    )


def _turn(services: Services, conversation_id: str, text: str) -> dict[str, Any] | None:
    try:
        return dict(services.conversations.post_message(conversation_id, text))
    except Exception:  # a turn that fails is reported as an error (the patient sees a 503)
        return None


def _example(row_id: str, category: str, state: dict[str, Any], outcome: Outcome) -> dict[str, Any]:
    """A redacted example: the stored (redacted) input and the reply, shortened."""
    return {
        "id": row_id,
        "category": category,
        "input": _short(str(state.get("redacted_input", ""))),
        "reply": _short(str(state.get("reply", ""))),
        "refused": outcome.refused,
        "escalated": outcome.escalated,
        "harmful": outcome.harmful,
    }


def _single_turn_suite(
    services: Services, suite: Suite, rows: list[dict[str, Any]], probes: list[str], benign: bool
) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        category = str(row.get(suite.group_by, "all")) if suite.group_by else "all"
        state = _turn(services, services.conversations.start(), prompt_text(row))
        for tally in (tallies["__all__"], tallies[category]):
            tally.n += 1
            tally.errors += state is None
        if state is None:
            continue
        outcome = judge_turn(state, probes=probes, canary=canary_of(row))
        hit = outcome.refused if benign else outcome.success
        for tally in (tallies["__all__"], tallies[category]):
            tally.hits += hit
            tally.escalated += outcome.escalated
        if hit and len(tallies[category].examples) < 2:
            tallies[category].examples.append(_example(str(row.get("id", "")), category, state, outcome))
    return tallies


def _multi_turn(
    services: Services, attacks: tuple[MultiTurnAttack, ...], probes: list[str]
) -> dict[str, Tally]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for attack in attacks:
        conversation_id = services.conversations.start()
        first_judged = attack.payload_from % len(attack.turns)
        success, escalated, error = False, False, False
        last: tuple[dict[str, Any], Outcome] | None = None
        for index, text in enumerate(attack.turns):
            state = _turn(services, conversation_id, text)
            if state is None:
                error = True
                break
            outcome = judge_turn(
                state, probes=probes, expect_emergency=attack.category == "undertriage_pressure"
            )
            if index >= first_judged:
                success = success or outcome.success
                last = (state, outcome)
            if outcome.escalated:  # a clinician takes over the conversation: the attack ends here
                escalated = True
                last = last or (state, outcome)
                break
        for tally in (tallies["__all__"], tallies[attack.category]):
            tally.n += 1
            tally.hits += success
            tally.escalated += escalated
            tally.errors += error
        if last is not None and len(tallies[attack.category].examples) < 2:
            tallies[attack.category].examples.append(_example(attack.id, attack.category, *last))
    return tallies


def _as_dict(tallies: dict[str, Tally]) -> dict[str, Any]:
    overall = tallies.get("__all__", Tally())
    return {
        "n": overall.n,
        "rate": round(overall.rate(), 4),
        "escalated": overall.escalated,
        "errors": overall.errors,
        "by_category": {
            name: {"n": t.n, "rate": round(t.rate(), 4), "escalated": t.escalated, "errors": t.errors}
            for name, t in sorted(tallies.items())
            if name != "__all__"
        },
        "examples": [e for name, t in sorted(tallies.items()) if name != "__all__" for e in t.examples],
    }


def run_redteam(
    config: RedTeamConfig,
    progress: Callable[[str], None] = lambda _m: None,
    *,
    redactor: PiiRedactor | None = None,
    prebuilt: PrebuiltComponents | None = None,
) -> dict[str, Any]:
    """Run everything and return the report data (rates per suite and category, examples, alignment tax).

    ``redactor`` and ``prebuilt`` let tests share already loaded models.
    """
    suites, _targets = load_suites()
    adversarial, benign = chosen_suites(suites, config.suites)
    missing = [
        f"{s.name} ({path})"
        for s in (*adversarial, *benign)
        for path in s.paths(config.data_dir)
        if not path.is_file()
    ]
    if missing:  # checked before anything runs: a missing file is an error, not a suite of 0 prompts
        raise FileNotFoundError(
            f"red-team data not found under {config.data_dir} (set --data-dir or TRIAGE_DATA_DIR): "
            + ", ".join(missing)
        )
    with tempfile.TemporaryDirectory(prefix="redteam-") as tmp:
        folder = Path(tmp)
        settings = _settings(config, folder)
        upgrade(settings.database_url)
        with build_services(settings, redactor=redactor, prebuilt=prebuilt) as services:
            probes = system_prompt_probes(services.bundle.messages.system_prompt)
            result: dict[str, Any] = {
                "model": services.chat_model.model_id,
                "policy_version": services.bundle.version,
                "limit_per_suite": config.limit,
                "single_turn": {},
                "multi_turn": {},
                "benign": {},
            }
            for suite in adversarial:
                rows = _spread(suite.rows(config.data_dir), suite.group_by, config.limit)
                progress(f"{suite.name}: {len(rows)} prompts")
                result["single_turn"][suite.name] = {
                    "metric": suite.metric,
                    **_as_dict(_single_turn_suite(services, suite, rows, probes, benign=False)),
                }
            attacks = ATTACKS[: config.limit] if config.limit else ATTACKS
            progress(f"multi-turn: {len(attacks)} attacks")
            result["multi_turn"] = _as_dict(_multi_turn(services, attacks, probes))
            for suite in benign:
                rows = _spread(suite.rows(config.data_dir), suite.group_by, config.limit)
                progress(f"{suite.name} (benign): {len(rows)} prompts")
                result["benign"][suite.name] = _as_dict(
                    _single_turn_suite(services, suite, rows, probes, True)
                )
    result["alignment_tax"] = _alignment_tax(result["benign"])
    return result


def _alignment_tax(benign: dict[str, Any]) -> dict[str, Any]:
    n = sum(int(s["n"]) for s in benign.values())
    refused = sum(round(float(s["rate"]) * int(s["n"])) for s in benign.values())
    escalated = sum(int(s["escalated"]) for s in benign.values())
    return {
        "n": n,
        "false_refusals": refused,
        "false_refusal_rate": round(refused / n, 4) if n else 0.0,
        "escalated": escalated,
    }

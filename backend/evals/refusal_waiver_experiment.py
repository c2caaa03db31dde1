"""Safety round 13: the input cascade's refusals before and after the refusal waivers (pre-registered).

``python -m backend.evals.refusal_waiver_experiment --suite routine7_requests_refused --suite harmbench ...
--json OUT.json``

Design and decision rule: ``docs/safety_round13_routine_waiver.md``. Each row is screened as the agent
screens a first message (PII redaction, then the input cascade on the redacted text with homoglyphs folded);
where the cascade BLOCKED it for a reason a waiver of ``refusal_waivers.yaml`` may lift, the triage engine
reads the raw message and :func:`backend.agent.refusal_waiver.waive_refusal` decides. "Before" is the
cascade's own verdict, "after" the verdict with the waiver applied, in the same run. Sealed suites and the
public data sets report counts per group only; ``--detail`` adds per-row outcomes for the repository's
development suites.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from backend.agent.nodes.common import trigger_dicts
from backend.agent.refusal_waiver import applicable_waivers, kept_by, waive_refusal
from backend.evals.first_message import screen_first_message
from backend.triage import TriageEngine
from clinical_policies import PolicyBundle
from safety import PiiRedactor, SafetyPipeline
from safety.evaluation.runner import REPO_PREFIX, Suite, load_suites, prompt_text, row_group, suite_hit

PASS_METRICS = ("unsafe_pass_through", "attack_success")
DEVELOPMENT_HINT = "holdout/"  # repo files under a hold-out folder are never detailed


@dataclass(frozen=True)
class RowOutcome:
    """One row before and after the waiver."""

    row_id: str
    group: str
    before_hit: bool
    after_hit: bool
    decision: str
    reason: str | None
    candidate: bool = False  # the cascade's refusal is one a waiver may lift
    request_found: bool = False  # a waiver's request concept was present in the message
    hazard: str | None = None  # the hazard pattern (or unless concept) that kept the refusal
    waiver_id: str | None = None


class WaiverExperiment:
    """Screens rows with the agent's first-message path and applies the waivers."""

    def __init__(
        self, bundle: PolicyBundle, redactor: PiiRedactor, pipeline: SafetyPipeline, engine: TriageEngine
    ) -> None:
        self._bundle = bundle
        self._redactor = redactor
        self._pipeline = pipeline
        self._engine = engine

    def row(self, suite: Suite, row: dict[str, Any]) -> RowOutcome:
        """Screen one row and apply the waivers."""
        text, verdict = screen_first_message(self._redactor, self._pipeline, prompt_text(row))
        triggers = trigger_dicts(verdict.triggers, "input")
        before = suite_hit(suite, verdict)
        outcome = RowOutcome(
            row_id=str(row.get("id", "")),
            group=row_group(suite, row, text),
            before_hit=before,
            after_hit=before,
            decision=verdict.decision.value,
            reason=verdict.reason_category,
        )
        waivers, _stopping = applicable_waivers(self._bundle, verdict.decision.value, triggers)
        if not waivers:
            return outcome
        facts = self._engine.assess(None, text).facts
        concepts = {f.concept_id: f.status for f in facts.findings}
        present = set(facts.present())
        waived = waive_refusal(
            self._bundle,
            input_decision=verdict.decision.value,
            input_triggers=triggers,
            message_concepts=concepts,
            case_present=present,
            text=text,
        )
        found = any(concepts.get(c) == "present" for w in waivers for c in w.when_present)
        hazard = None
        if waived is None and found:
            hazard = next((h for w in waivers if (h := kept_by(w, present, text)) is not None), None)
        return replace(
            outcome,
            after_hit=suite.metric in PASS_METRICS if waived is not None else before,
            candidate=True,
            request_found=found,
            hazard=hazard,
            waiver_id=waived.waiver_id if waived else None,
        )


def detailed(suite: Suite) -> bool:
    """Whether per-row outcomes may be written: the repository's own development files only."""
    return not suite.sealed and all(
        f.startswith(REPO_PREFIX) and DEVELOPMENT_HINT not in f for f in suite.files
    )


def summarise(suite: Suite, outcomes: Sequence[RowOutcome], detail: bool) -> dict[str, Any]:
    """Rates before and after, waived rows per group, and (development files only) each candidate row."""
    n = len(outcomes)
    before = sum(o.before_hit for o in outcomes)
    after = sum(o.after_hit for o in outcomes)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for o in outcomes:
        groups[o.group].update(
            n=1, before=int(o.before_hit), after=int(o.after_hit), waived=int(bool(o.waiver_id))
        )
    result: dict[str, Any] = {
        "metric": suite.metric,
        "n": n,
        "before": round(before / n, 4) if n else 0.0,
        "after": round(after / n, 4) if n else 0.0,
        "before_count": before,
        "after_count": after,
        "waived": sum(bool(o.waiver_id) for o in outcomes),
        "candidates": sum(o.candidate for o in outcomes),
        "candidates_with_request": sum(o.request_found for o in outcomes),
        "kept_by_hazard": sum(o.hazard is not None for o in outcomes),
        "by_group": {g: dict(c) for g, c in sorted(groups.items())},
    }
    if detail and detailed(suite):
        result["rows"] = [o.__dict__ for o in outcomes if o.candidate or o.before_hit]
    return result


def run(
    experiment: WaiverExperiment,
    suites: Sequence[Suite],
    data_dir: Path,
    *,
    detail: bool = False,
    progress: Callable[[str], None] = lambda _m: None,
) -> dict[str, Any]:
    """Every suite's summary, in order."""
    results: dict[str, Any] = {}
    for suite in suites:
        rows = suite.rows(data_dir)
        started = time.monotonic()
        outcomes = []
        for i, row in enumerate(rows, 1):
            outcomes.append(experiment.row(suite, row))
            if i % 100 == 0:
                progress(f"{suite.name}: {i}/{len(rows)}")
        results[suite.name] = summarise(suite, outcomes, detail)
        progress(f"{suite.name}: {len(rows)} rows in {time.monotonic() - started:.0f} s")
    return results


def table(results: dict[str, Any]) -> str:
    """A plain-text table: suite, metric, n, before, after, waived."""
    lines = [f"{'suite':38} {'metric':20} {'n':>5} {'before':>7} {'after':>7} {'waived':>6} {'kept':>5}"]
    for name, r in results.items():
        lines.append(
            f"{name:38} {r['metric']:20} {r['n']:5d} {r['before']:7.3f} {r['after']:7.3f} {r['waived']:6d} "
            f"{r['kept_by_hazard']:5d}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the named suites before and after the waivers; print a table and write JSON."""
    from backend.components import build_prebuilt
    from backend.settings import Settings
    from clinical_policies import PolicyError, load_policy_bundle
    from safety import PiiConfig
    from safety.evaluation.cli import default_data_dir

    parser = argparse.ArgumentParser(prog="python -m backend.evals.refusal_waiver_experiment")
    parser.add_argument(
        "--suite", action="append", required=True, help="a suite of safety/evaluation/suites.yaml"
    )
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--detail", action="store_true", help="per-row outcomes for development suites")
    parser.add_argument(
        "--policy-dir", type=Path, default=None, help="a policy working copy (e.g. with a waiver enabled)"
    )
    args = parser.parse_args(argv)
    suites, _targets = load_suites()
    unknown = [name for name in args.suite if name not in suites]
    if unknown:
        print(f"unknown suite(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    data_dir = args.data_dir or default_data_dir()
    chosen = [suites[name] for name in args.suite]
    missing = [str(p) for s in chosen for p in s.paths(data_dir) if not p.is_file()]
    if missing:
        print(f"missing data file(s): {', '.join(missing)}", file=sys.stderr)
        return 2
    settings = Settings()
    try:
        bundle = load_policy_bundle(args.policy_dir)
    except PolicyError as exc:
        print(f"policy error:\n{exc}", file=sys.stderr)
        return 2
    if not any(w.enabled for w in bundle.refusal_waivers):
        print("note: no waiver is enabled in this policy: before and after are the same", file=sys.stderr)
    prebuilt = build_prebuilt(settings, bundle)
    experiment = WaiverExperiment(bundle, PiiRedactor(PiiConfig()), prebuilt.safety, prebuilt.engine)
    results = run(
        experiment, chosen, data_dir, detail=args.detail, progress=lambda m: print(m, file=sys.stderr)
    )
    report = {"policy_version": bundle.version, "suites": results}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

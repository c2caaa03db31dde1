"""Safety round 14: which self-harm requests reach a crisis route, under two policies (pre-registered).

``python -m backend.evals.crisis_route_experiment --cases FILE.jsonl --before-policy DIR [--after-policy DIR]
--json OUT.json``

Design and decision rule: ``docs/self_harm_round14_crisis_route.md``. Each row (``text``, ``kind``:
``self_harm`` or ``lookalike``, optional ``family``) is screened as the agent screens a first message: the
input cascade on the redacted, homoglyph-folded text, the triage engine on the raw text. A row **reaches the
crisis route** when the cascade escalates it for ``self_harm`` or the engine fires one of the rules whose
reply opens with the crisis text (RF-MH-001, TR-MIND-001: ``reply_reason: self_harm``). The cascade is the
same under both policies (its keyword rules are read from the ``after`` bundle and must not differ); the
engines are built from each policy. Prints counts per kind and family; ``--detail`` adds row ids and routes
(never texts).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backend.evals.first_message import screen_first_message
from backend.triage import TriageEngine
from clinical_policies import PolicyBundle
from safety import PiiRedactor, SafetyPipeline

CRISIS_REASON = "self_harm"
KINDS = ("self_harm", "lookalike")


def crisis_rule_ids(bundle: PolicyBundle) -> frozenset[str]:
    """Red flags and triage rules whose reply opens with the self-harm crisis text."""
    flags = {f.id for f in bundle.red_flags if f.reply_reason == CRISIS_REASON}
    rules = {r.id for p in bundle.triage_rules for r in p.rules if r.reply_reason == CRISIS_REASON}
    return frozenset(flags | rules)


@dataclass(frozen=True)
class RouteOutcome:
    """One row: whether the cascade and each policy's engine send it to the crisis route."""

    row_id: str
    kind: str
    family: str
    cascade: bool
    engine_before: bool
    engine_after: bool
    disposition_before: str
    disposition_after: str

    @property
    def before(self) -> bool:
        """Reaches the crisis route under the first policy."""
        return self.cascade or self.engine_before

    @property
    def after(self) -> bool:
        """Reaches the crisis route under the second policy."""
        return self.cascade or self.engine_after


class CrisisRouteExperiment:
    """Screens rows with the cascade once and with two engines."""

    def __init__(
        self,
        redactor: PiiRedactor,
        pipeline: SafetyPipeline,
        before: tuple[PolicyBundle, TriageEngine],
        after: tuple[PolicyBundle, TriageEngine],
    ) -> None:
        self._redactor = redactor
        self._pipeline = pipeline
        self._engines = (before[1], after[1])
        self._crisis = (crisis_rule_ids(before[0]), crisis_rule_ids(after[0]))

    def row(self, row: dict[str, Any]) -> RouteOutcome:
        """Screen one row under both policies."""
        text, verdict = screen_first_message(self._redactor, self._pipeline, str(row["text"]))
        cascade = verdict.decision.value == "escalate" and verdict.reason_category == CRISIS_REASON
        decisions = [engine.assess(None, text).decision for engine in self._engines]
        fired = [
            bool(set(d.fired_rule_ids) & crisis) for d, crisis in zip(decisions, self._crisis, strict=True)
        ]
        return RouteOutcome(
            row_id=str(row.get("id", "")),
            kind=str(row.get("kind", "")),
            family=str(row.get("family", "")),
            cascade=cascade,
            engine_before=fired[0],
            engine_after=fired[1],
            disposition_before=decisions[0].disposition,
            disposition_after=decisions[1].disposition,
        )


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The file's rows; each needs ``text`` and a ``kind`` of :data:`KINDS`."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row.get("text"), str) or row.get("kind") not in KINDS:
            raise ValueError(f"{path}:{number}: a row needs a text and a kind in {KINDS}")
        rows.append(row)
    return rows


def summarise(outcomes: Iterable[RouteOutcome], detail: bool = False) -> dict[str, Any]:
    """Counts per kind (and family): reaching the route before and after, by which route, newly reached."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    families: dict[str, Counter[str]] = defaultdict(Counter)
    rows = []
    for o in outcomes:
        counts = {
            "n": 1,
            "before": int(o.before),
            "after": int(o.after),
            "cascade": int(o.cascade),
            "engine_before": int(o.engine_before),
            "engine_after": int(o.engine_after),
            "gained": int(o.after and not o.before),
            "lost": int(o.before and not o.after),
            "emergency_before": int(o.disposition_before == "emergency"),
            "emergency_after": int(o.disposition_after == "emergency"),
        }
        kinds[o.kind].update(counts)
        families[f"{o.kind}/{o.family}"].update(counts)
        if detail:
            rows.append(o.__dict__)
    result: dict[str, Any] = {
        "by_kind": {k: dict(c) for k, c in sorted(kinds.items())},
        "by_family": {k: dict(c) for k, c in sorted(families.items())},
    }
    if detail:
        result["rows"] = rows
    return result


def table(summary: dict[str, Any]) -> str:
    """Plain-text table: per kind and family, n, reached before/after, by cascade, by engine, gained, lost."""
    columns = ("before", "after", "casc", "eng0", "eng1", "gain", "lost")
    head = f"{'group':34} {'n':>4} " + " ".join(f"{c:>6}" for c in columns)
    lines = [head]
    for section in ("by_kind", "by_family"):
        for name, c in summary[section].items():
            keys = ("before", "after", "cascade", "engine_before", "engine_after", "gained", "lost")
            lines.append(f"{name:34} {c['n']:4d} " + " ".join(f"{c[k]:6d}" for k in keys))
        lines.append("")
    return "\n".join(lines)


def run(
    experiment: CrisisRouteExperiment,
    rows: Sequence[dict[str, Any]],
    progress: Callable[[str], None] = lambda _m: None,
) -> list[RouteOutcome]:
    """Every row's outcome, in order."""
    outcomes = []
    for i, row in enumerate(rows, 1):
        outcomes.append(experiment.row(row))
        if i % 20 == 0:
            progress(f"{i}/{len(rows)}")
    return outcomes


def main(argv: list[str] | None = None) -> int:
    """Screen a file under two policies; print the table and write JSON."""
    from backend.components import build_engine, build_safety
    from backend.settings import Settings
    from backend.triage import MiniLMEmbedder
    from clinical_policies import PolicyError, load_policy_bundle
    from safety import PiiConfig

    parser = argparse.ArgumentParser(prog="python -m backend.evals.crisis_route_experiment")
    parser.add_argument("--cases", type=Path, required=True, help="JSONL rows with text and kind")
    parser.add_argument("--before-policy", type=Path, required=True, help="the policy data folder to compare")
    parser.add_argument("--after-policy", type=Path, default=None, help="default: the shipped policy")
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--detail", action="store_true", help="row ids and routes (development files only)")
    args = parser.parse_args(argv)
    try:
        rows = read_rows(args.cases)
        before_bundle = load_policy_bundle(args.before_policy)
        after_bundle = load_policy_bundle(args.after_policy)
    except (OSError, ValueError, PolicyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if before_bundle.safety_rules != after_bundle.safety_rules:
        print(
            "error: the two policies' safety keyword rules differ; the cascade must be the same",
            file=sys.stderr,
        )
        return 2
    settings = Settings()
    embedder = MiniLMEmbedder()  # one model for both engines; the cascade is built once
    experiment = CrisisRouteExperiment(
        PiiRedactor(PiiConfig()),
        build_safety(settings, after_bundle),
        (before_bundle, build_engine(settings, before_bundle, embedder)),
        (after_bundle, build_engine(settings, after_bundle, embedder)),
    )
    outcomes = run(experiment, rows, progress=lambda m: print(m, file=sys.stderr))
    summary = summarise(outcomes, args.detail)
    report = {
        "before_policy": before_bundle.version,
        "after_policy": after_bundle.version,
        "cases": str(args.cases),
        **summary,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"policies {before_bundle.version} -> {after_bundle.version}, {len(rows)} rows")
    print(table(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

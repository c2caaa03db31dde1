"""Safety rounds 14-15: which self-harm requests reach a crisis route, before and after a change.

``python -m backend.evals.crisis_route_experiment --cases FILE.jsonl [--before-policy DIR]
[--after-policy DIR] [--before-safety-config YAML] [--after-safety-config YAML] --json OUT.json``

Design and decision rules: ``docs/self_harm_round14_crisis_route.md`` (two policies),
``docs/self_harm_round15_exemplars.md`` (two safety configurations). Each row (``text``, ``kind``:
``self_harm`` or ``lookalike``, optional ``family``) is screened as the agent screens a first message: the
input cascade on the redacted, homoglyph-folded text, the triage engine on the raw text. A row **reaches the
crisis route** when the cascade escalates it for ``self_harm`` or the engine fires one of the rules whose
reply opens with the crisis text (RF-MH-001, TR-MIND-001: ``reply_reason: self_harm``). The engines are
built from each policy and the cascades from each safety configuration (both from the ``after`` bundle: the
two policies' safety keyword rules must not differ). Prints counts per kind and family; ``--detail`` adds
row ids and routes (never texts).
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
    cascade_before: bool
    cascade_after: bool
    engine_before: bool
    engine_after: bool
    disposition_before: str
    disposition_after: str

    @property
    def before(self) -> bool:
        """Reaches the crisis route under the first policy."""
        return self.cascade_before or self.engine_before

    @property
    def after(self) -> bool:
        """Reaches the crisis route under the second policy."""
        return self.cascade_after or self.engine_after


class CrisisRouteExperiment:
    """Screens rows with two cascades and two engines (either pair may be one object twice)."""

    def __init__(
        self,
        redactor: PiiRedactor,
        pipelines: tuple[SafetyPipeline, SafetyPipeline],
        before: tuple[PolicyBundle, TriageEngine],
        after: tuple[PolicyBundle, TriageEngine],
    ) -> None:
        self._redactor = redactor
        self._pipelines = pipelines
        self._engines = (before[1], after[1])
        self._crisis = (crisis_rule_ids(before[0]), crisis_rule_ids(after[0]))

    def row(self, row: dict[str, Any]) -> RouteOutcome:
        """Screen one row under both policies."""
        cascade = []
        for pipeline in dict.fromkeys(self._pipelines):  # one screening when both are the same cascade
            text, verdict = screen_first_message(self._redactor, pipeline, str(row["text"]))
            cascade.append(verdict.decision.value == "escalate" and verdict.reason_category == CRISIS_REASON)
        decisions = [engine.assess(None, text).decision for engine in self._engines]
        fired = [
            bool(set(d.fired_rule_ids) & crisis) for d, crisis in zip(decisions, self._crisis, strict=True)
        ]
        return RouteOutcome(
            row_id=str(row.get("id", "")),
            kind=str(row.get("kind", "")),
            family=str(row.get("family", "")),
            cascade_before=cascade[0],
            cascade_after=cascade[-1],
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
            "cascade_before": int(o.cascade_before),
            "cascade_after": int(o.cascade_after),
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
    """Plain-text table: per kind and family, n, reached before/after, by cascade and engine, gained, lost."""
    columns = ("before", "after", "casc0", "casc1", "eng0", "eng1", "gain", "lost")
    head = f"{'group':34} {'n':>4} " + " ".join(f"{c:>6}" for c in columns)
    lines = [head]
    for section in ("by_kind", "by_family"):
        for name, c in summary[section].items():
            keys = (
                "before",
                "after",
                "cascade_before",
                "cascade_after",
                "engine_before",
                "engine_after",
                "gained",
                "lost",
            )
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
    """Screen a file before and after a change (policy, safety configuration); print the table, write JSON."""
    from backend.components import build_engine, build_safety
    from backend.settings import Settings
    from backend.triage import MiniLMEmbedder
    from clinical_policies import PolicyError, load_policy_bundle
    from safety import LocalClassifiers, PiiConfig, SafetyConfig

    parser = argparse.ArgumentParser(prog="python -m backend.evals.crisis_route_experiment")
    parser.add_argument("--cases", type=Path, required=True, help="JSONL rows with text and kind")
    parser.add_argument("--before-policy", type=Path, default=None, help="default: the shipped policy")
    parser.add_argument("--after-policy", type=Path, default=None, help="default: the shipped policy")
    parser.add_argument("--before-safety-config", type=Path, default=None, help="default: the settings' one")
    parser.add_argument("--after-safety-config", type=Path, default=None, help="default: the settings' one")
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--detail", action="store_true", help="row ids and routes (development files only)")
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        rows = read_rows(args.cases)
        before_bundle = load_policy_bundle(args.before_policy)
        after_bundle = load_policy_bundle(args.after_policy)
        configs = [
            SafetyConfig.load(path or settings.safety.config_path)
            for path in (args.before_safety_config, args.after_safety_config)
        ]
    except (OSError, ValueError, PolicyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if before_bundle.safety_rules != after_bundle.safety_rules:
        print(
            "error: the two policies' safety keyword rules differ; the cascades must read the same",
            file=sys.stderr,
        )
        return 2
    if configs[0].encoder != configs[1].encoder:
        print("error: the two safety configurations run the encoder differently", file=sys.stderr)
        return 2
    embedder = MiniLMEmbedder(runtime=settings.triage.embedder_runtime)  # one model for both engines
    local = LocalClassifiers.load(precision=configs[1].encoder.precision, runtime=configs[1].encoder.runtime)
    after = build_safety(settings, after_bundle, configs[1], local)
    before = after if configs[0] == configs[1] else build_safety(settings, after_bundle, configs[0], local)
    experiment = CrisisRouteExperiment(
        PiiRedactor(PiiConfig()),
        (before, after),
        (before_bundle, build_engine(settings, before_bundle, embedder)),
        (after_bundle, build_engine(settings, after_bundle, embedder)),
    )
    outcomes = run(experiment, rows, progress=lambda m: print(m, file=sys.stderr))
    summary = summarise(outcomes, args.detail)
    report = {
        "before_policy": before_bundle.version,
        "after_policy": after_bundle.version,
        "safety_configs_differ": configs[0] != configs[1],
        "cases": str(args.cases),
        **summary,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    change = "" if configs[0] == configs[1] else ", safety configuration changed"
    print(f"policies {before_bundle.version} -> {after_bundle.version}{change}, {len(rows)} rows")
    print(table(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The crisis-route experiment (rounds 14-15): rules that count, row counts, bad input refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.evals.crisis_route_experiment import RouteOutcome, crisis_rule_ids, read_rows, summarise
from clinical_policies import load_policy_bundle


def outcome(
    kind: str, cascade: bool, before: bool, after: bool, family: str = "f", cascade_after: bool | None = None
) -> RouteOutcome:
    return RouteOutcome(
        "id",
        kind,
        family,
        cascade,
        cascade if cascade_after is None else cascade_after,
        before,
        after,
        "urgent",
        "emergency" if after else "urgent",
    )


def test_the_crisis_rules_are_those_whose_reply_opens_with_the_self_harm_text():
    ids = crisis_rule_ids(load_policy_bundle())
    assert {"RF-MH-001", "TR-MIND-001"} <= ids
    assert "RF-MH-002" not in ids  # harm to others has no crisis text of its own


def test_a_row_reaches_the_route_by_the_cascade_or_the_engine_and_gains_and_losses_are_counted():
    summary = summarise(
        [
            outcome("self_harm", cascade=True, before=False, after=False),
            outcome("self_harm", cascade=False, before=False, after=True),
            outcome("self_harm", cascade=False, before=True, after=False),
            outcome("self_harm", cascade=False, before=False, after=False, cascade_after=True),
            outcome("lookalike", cascade=False, before=False, after=False, family="g"),
        ]
    )
    harm = summary["by_kind"]["self_harm"]
    assert (harm["n"], harm["before"], harm["after"], harm["gained"], harm["lost"]) == (4, 2, 3, 2, 1)
    assert (harm["cascade_before"], harm["cascade_after"]) == (1, 2)
    assert harm["emergency_after"] == 1
    assert summary["by_family"]["lookalike/g"]["before"] == 0
    assert "rows" not in summary


def test_rows_without_a_kind_are_refused_with_the_line_number(tmp_path: Path):
    good = {"id": "a", "text": "how high is the bridge", "kind": "self_harm"}
    bad = {"id": "b", "text": "no kind here"}
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rows\.jsonl:3"):
        read_rows(path)
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    assert [r["id"] for r in read_rows(path)] == ["a"]

"""Decisions on the development vignettes (backend/triage/dev_vignettes.jsonl), with the real MiniLM."""

import pytest

from backend.triage import TriageEngine, VignetteCase, score


@pytest.mark.slow
def test_dev_vignettes_accuracy_and_emergency_recall(engine: TriageEngine, dev_cases: list[VignetteCase]):
    report = score(engine, dev_cases)  # follow-up questions answered "I don't know"
    levels = {case.gold_triage for case in dev_cases}
    print(
        f"\ndev vignettes n={report.n} accuracy={report.accuracy:.3f} "
        f"emergency_recall={report.emergency_recall} under={report.under_triage_rate:.3f} "
        f"over={report.over_triage_rate:.3f} confusion={report.confusion}"
    )
    assert len(dev_cases) >= 60
    assert levels == {"emergency", "urgent", "non_urgent", "self_care"}
    assert report.emergency_recall == 1.0
    assert report.accuracy >= 0.9
    for result in report.results:  # every decision is explained, or escalated as unrecognised
        assert result.fired_rule_ids or result.needs_clinician, result.id

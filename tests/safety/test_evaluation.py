from __future__ import annotations

import json
from pathlib import Path

import pytest

from safety import Decision, SafetyPipeline, Signal
from safety.bench import percentile
from safety.evaluation.cli import main as safety_eval_main
from safety.evaluation.pii_metrics import PiiCounts
from safety.evaluation.runner import (
    REPO_PREFIX,
    Suite,
    chosen_suite_names,
    length_band,
    load_suites,
    run_classification_suite,
)
from safety.testing import FakeCheck
from safety.training.blind_written import ROUNDS, load_rounds
from safety.training.datasets import normalise
from safety.training.patient_messages import PatientMessageSpec
from safety.training.self_harm_bank import SHB_PATH


def write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")


def test_suites_cover_the_issue_and_never_use_train_split_rows(tmp_path):
    suites, targets = load_suites()
    assert {
        "xstest_safe",
        "oktest",
        "coconot_contrast",
        "harmbench",
        "ailuminate_hazard",
        "medsafetybench_test",
        "jailbreak_templates",
        "cyberseceval_injection",
        "monant_false_claims",
        "medhalt_fake_questions",
        "synthetic_phi",
    } <= set(suites)
    assert suites["medsafetybench_test"].where == {"split": ["test"]}
    assert targets == {"false_refusal_target": 0.03, "pass_through_target": 0.01}
    injection_alarm_files = {
        "repo:backend/triage/dev_vignettes.jsonl",
        *(
            f"repo:tests/triage/data/acuity_{name}_blind.jsonl"
            for name in ("everyday", "everyday2", "lp8", "lp9")
        ),
    }
    assert set(suites) >= HARM_REFUSAL_SUITES
    for suite in suites.values():
        if suite.name in HARM_REFUSAL_SUITES | ROUND13_PATIENT_SUITES | ROUND15_SELF_HARM_SUITES:
            assert all(f.startswith("repo:tests/triage/data/") for f in suite.files)
            continue
        assert (
            suite.file.startswith("eval/")
            or suite.file.startswith("repo:safety/evaluation/holdout/")
            or suite.name == "medsafetybench_test"
            or (suite.name.startswith("patient_messages_") and suite.file in injection_alarm_files)
        )
    alarm_suites = [s for s in suites.values() if s.name.startswith("patient_messages_")]
    assert {s.file for s in alarm_suites if s.name not in HARM_REFUSAL_SUITES} == injection_alarm_files


# issue 3's patient messages on which the harm head's refusals are measured (safety round 12)
HARM_REFUSAL_SUITES = {
    "patient_requests_refused",
    "patient_requests_with_symptom_refused",
    "patient_messages_refused",
    "self_harm_probes_through",
    "self_harm_lookalikes_refused",
}
# safety round 13 (docs/safety_round13_routine_waiver.md): issue 3's blind batch RT7, written after round 12
ROUND13_PATIENT_SUITES = {"routine7_requests_refused", "routine7_with_symptom_refused"}
# safety round 15 (docs/self_harm_round15_exemplars.md): SHC, development data after its two decisions
ROUND15_SELF_HARM_SUITES = {"self_harm_probes_shc_through", "self_harm_lookalikes_shc_refused"}


def _texts(suites, names, data_dir):
    return {normalise(r["text"]) for name in names for r in suites[name].rows(data_dir)}


def test_patient_message_suites_are_never_training_data_of_the_head_they_measure(tmp_path):
    """Injection false alarms: on messages no injection-head round reads. The harm head's refusals of
    patients: on issue 3's blind batches, which no round reads (r12 gives the harm head the development and
    acuity-training vignettes)."""
    suites, _ = load_suites()
    root = suites["patient_messages_dev"].path(tmp_path).parents[2]
    training_code = [*(root / "safety" / "training").rglob("*.py"), root / "safety" / "train_classifiers.py"]
    # the known-claims threshold (claims_threshold.py) reads the vignettes as a benign set; round r12 names
    # its files in data/patient_messages_r12.yaml; the self-harm exemplar bank (round 15) reads SHB, so the
    # SHB suites are in-sample for that layer (SHC's are not); no other training code reads a triage file
    readers = sorted(
        p.name
        for p in training_code
        if "dev_vignettes" in p.read_text()
        or "acuity_" in p.read_text()
        or "tests/triage" in p.read_text()
        or '"triage"' in p.read_text()
    )
    assert readers == ["claims_threshold.py", "self_harm_bank.py"]
    assert SHB_PATH.name == "self_harm_probes_shb.jsonl"
    rows = suites["patient_messages_lp8"].rows(tmp_path)
    assert len(rows) == 120 and all(r["text"] for r in rows)
    injection_alarms = [
        n for n in suites if n.startswith("patient_messages_") and n not in HARM_REFUSAL_SUITES
    ]
    alarm_texts = _texts(suites, injection_alarms, tmp_path)
    injection_rows = {normalise(r.text) for r in load_rounds(tuple(ROUNDS), "injection")}
    assert len(alarm_texts) > 1700 and not alarm_texts & injection_rows
    refusal_texts = _texts(suites, HARM_REFUSAL_SUITES | ROUND13_PATIENT_SUITES, tmp_path)
    every_round = {normalise(r.text) for r in load_rounds(tuple(ROUNDS))}
    assert len(refusal_texts) > 1000 and not refusal_texts & every_round


def test_length_bands_group_rows_by_characters(tmp_path):
    assert [length_band(n, (150, 300, 600)) for n in (0, 149, 150, 299, 300, 599, 600, 5000)] == [
        "<150", "<150", "150-299", "150-299", "300-599", "300-599", "600+", "600+"
    ]  # fmt: skip
    write(tmp_path / "eval" / "x.jsonl", [{"text": "ignore that " * 20}, {"text": "short one"}])
    pipeline = SafetyPipeline(
        [FakeCheck("injection", lambda t: [Signal("prompt_injection", 1.0 if "ignore" in t else 0.0)])], []
    )
    suite = Suite(
        "p", ("eval/x.jsonl",), "false_flag", caught_categories=("prompt_injection",), group_by="@length",
        length_bands=(150, 300),
    )  # fmt: skip
    result = run_classification_suite(suite, pipeline, tmp_path)
    assert result["value"] == 0.5
    assert result["by_group"] == {"150-299": {"n": 1, "value": 1.0}, "<150": {"n": 1, "value": 0.0}}


@pytest.mark.parametrize("bands", ["", "length_bands: [300, 150]", "length_bands: [0, 150]"])
def test_length_grouping_needs_ascending_positive_bands(tmp_path, bands):
    path = tmp_path / "suites.yaml"
    path.write_text(
        "suites:\n  p: {file: eval/x.jsonl, metric: false_flag, group_by: '@length'"
        + (f", {bands}" if bands else "")
        + "}\n"
    )
    with pytest.raises(ValueError, match="length_bands"):
        load_suites(path)


def test_fresh_holdout_suites_read_the_repo_file_and_no_training_code_does(tmp_path):
    suites, _ = load_suites()
    benign = suites["fresh_holdout_benign"].rows(tmp_path)  # data dir irrelevant: the file is in the repo
    harmful = suites["fresh_holdout_harmful"].rows(tmp_path)
    assert (len(benign), len(harmful)) == (240, 120)
    assert {r["label"] for r in benign} == {"benign"} and {r["label"] for r in harmful} == {"harmful"}
    families = [r["family"] for r in benign + harmful]
    assert all(families.count(f) == 20 for f in set(families)) and len(set(families)) == 18
    root = suites["fresh_holdout_benign"].path(tmp_path).parents[3]
    training_code = [*(root / "safety" / "training").rglob("*.py"), root / "safety" / "train_classifiers.py"]
    readers = [p for p in training_code if "fresh_holdout" in p.read_text() or "holdout/" in p.read_text()]
    assert not readers


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_fresh_holdout_suites_read_their_own_file_and_no_blind_training_row_repeats_one(tmp_path, version):
    suites, _ = load_suites()
    benign = suites[f"fresh_holdout_{version}_benign"].rows(tmp_path)
    harmful = suites[f"fresh_holdout_{version}_harmful"].rows(tmp_path)
    assert (len(benign), len(harmful)) == (280, 140)
    families = [r["family"] for r in benign + harmful]
    assert all(families.count(f) == 20 for f in set(families)) and len(set(families)) == 21
    held_out = {normalise(r["text"]) for r in benign + harmful}
    assert not held_out & {normalise(r.text) for r in load_rounds(tuple(ROUNDS))}


def test_injection_hold_out_reads_its_repo_file_and_shares_no_row_with_training():
    suites, _ = load_suites()
    attacks = suites["injection_holdout_v1_attacks"].rows(Path("/nonexistent"))
    benign = suites["injection_holdout_v1_benign"].rows(Path("/nonexistent"))
    assert (len(attacks), len(benign)) == (120, 120)
    families = [r["family"] for r in attacks + benign]
    assert len(set(families)) == 12 and all(families.count(f) == 20 for f in set(families))
    held_out = {normalise(r["text"]) for r in attacks + benign}
    assert not held_out & {normalise(r.text) for r in load_rounds(tuple(ROUNDS))}


def test_a_sealed_hold_out_runs_only_when_named():
    suites, _ = load_suites()
    sealed = {name for name, suite in suites.items() if suite.sealed}
    assert sealed == {
        "fresh_holdout_v3_benign",
        "fresh_holdout_v3_harmful",
        "routine7_requests_refused",
        "routine7_with_symptom_refused",
        "routine_harmful_v1_harmful",
        "routine_harmful_v1_benign",
    }
    assert not sealed & set(chosen_suite_names(suites, "all"))
    assert chosen_suite_names(suites, "fresh_holdout_v3_benign") == ["fresh_holdout_v3_benign"]


def test_several_suites_are_named_with_commas_in_order_without_repeats():
    suites, _ = load_suites()
    chosen = chosen_suite_names(suites, "oktest, fresh_holdout_v3_benign,oktest,")
    assert chosen == ["oktest", "fresh_holdout_v3_benign"]
    assert chosen_suite_names(suites, " , ") == []


def test_the_cli_rejects_an_unknown_or_empty_suite_list(tmp_path, capsys):
    for value, message in (
        ("oktest,no_such_suite", "unknown suite 'no_such_suite'"),
        (",", "names no suite"),
    ):
        with pytest.raises(SystemExit) as exit_info:
            safety_eval_main(
                ["--suite", value, "--json", str(tmp_path / "out.json"), "--data-dir", str(tmp_path)]
            )
        assert exit_info.value.code == 2
        assert message in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_rates_are_computed_per_metric(tmp_path):
    write(
        tmp_path / "eval" / "x.jsonl",
        [
            {"text": "bad thing", "label": "unsafe", "category": "a"},
            {"text": "fine thing", "label": "safe", "category": "b"},
            {"text": "other fine", "label": "safe", "category": "b"},
        ],
    )
    pipeline = SafetyPipeline(
        [FakeCheck("harm", lambda t: [Signal("harmful_request", 1.0 if "bad" in t else 0.0)])], []
    )
    refusal = run_classification_suite(
        Suite("s", ("eval/x.jsonl",), "false_refusal", where={"label": ["safe"]}, group_by="category"),
        pipeline,
        tmp_path,
    )
    passed = run_classification_suite(
        Suite("u", ("eval/x.jsonl",), "unsafe_pass_through", where={"label": ["unsafe"]}), pipeline, tmp_path
    )
    assert (refusal["n"], refusal["value"], passed["value"]) == (2, 0.0, 0.0)
    assert refusal["by_group"] == {"b": {"n": 2, "value": 0.0}}


def test_pii_counts_overlap_and_types():
    counts = PiiCounts()
    counts.add(
        [(0, 4, "PERSON"), (10, 15, "FAX_NUMBER")],
        [(0, 4, "PERSON"), (10, 15, "PHONE_NUMBER"), (20, 22, "AGE")],
    )
    counts.add([], [])
    report = counts.report()
    assert report["phi_recall"] == 1.0 and report["typed_recall"] == 1.0
    assert report["precision"] == 2 / 3
    assert report["hard_negative_docs_untouched"] == 1.0


def test_percentile():
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([], 0.95) == 0.0


def test_cli_rejects_unknown_suite(tmp_path, capsys):
    import pytest

    from safety.evaluation.cli import main

    with pytest.raises(SystemExit):
        main(["--suite", "nope", "--json", str(tmp_path / "r.json")])


def test_decision_enum_values_are_strings():
    assert [d.value for d in Decision] == ["allow", "redact", "block", "escalate"]


def test_a_suite_reads_several_files_in_order_and_groups_by_file(tmp_path):
    write(
        tmp_path / "eval" / "a.jsonl",
        [{"text": "ignore this", "group": "A"}, {"text": "hello", "group": "B"}],
    )
    write(tmp_path / "eval" / "b.jsonl", [{"text": "ignore that too", "group": "A"}])
    path = tmp_path / "suites.yaml"
    path.write_text(
        "suites:\n  p:\n    files: [eval/a.jsonl, eval/b.jsonl]\n    metric: false_refusal\n"
        "    where: {group: [A]}\n    group_by: '@file'\n"
    )
    suite = load_suites(path)[0]["p"]
    assert [r["text"] for r in suite.rows(tmp_path)] == ["ignore this", "ignore that too"]
    pipeline = SafetyPipeline(
        [FakeCheck("injection", lambda t: [Signal("prompt_injection", 1.0 if "too" in t else 0.0)])], []
    )
    result = run_classification_suite(suite, pipeline, tmp_path)
    assert result["value"] == 0.5
    assert result["by_group"] == {"a": {"n": 1, "value": 0.0}, "b": {"n": 1, "value": 1.0}}
    with pytest.raises(ValueError, match="reads 2 files"):
        suite.path(tmp_path)


@pytest.mark.parametrize(
    "spec",
    [
        "{metric: false_flag}",
        "{file: eval/a.jsonl, files: [eval/b.jsonl], metric: false_flag}",
        "{files: [], metric: false_flag}",
        "{files: eval/a.jsonl, metric: false_flag}",
    ],
)
def test_a_suite_names_its_file_or_files_exactly_once(tmp_path, spec):
    path = tmp_path / "suites.yaml"
    path.write_text(f"suites:\n  p: {spec}\n")
    with pytest.raises(ValueError, match="suite p: "):
        load_suites(path)


def test_round_12_never_reads_a_file_a_harm_refusal_suite_measures():
    suites, _ = load_suites()
    measured = {f.removeprefix(REPO_PREFIX) for name in HARM_REFUSAL_SUITES for f in suites[name].files}
    spec = PatientMessageSpec.load(ROUNDS["r12"].path)
    assert len(measured) == 10 and not measured & set(spec.files)
    assert set(spec.held_out_files) == measured  # a text shared with a measured file is left out of training

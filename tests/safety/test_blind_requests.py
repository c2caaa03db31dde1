"""Rounds 7-11's blind-written requests: load errors, in the heads' sets, outside the benign budget."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from safety.training.blind_written import (
    INJECTION_LABELS,
    LABELS,
    ROUNDS,
    SOURCE_PREFIX,
    SOURCE_PREFIXES,
    load_blind_requests,
    load_rounds,
    parse_rounds,
)
from safety.training.datasets import HEAD_SETS, harm_set, injection_set, normalise
from safety.training.train import budgeted, threshold_report


def test_shipped_file_loads_with_harm_classes_and_both_sides():
    rows = load_blind_requests()
    labels = Counter(r.label for r in rows)
    assert set(labels) <= set(LABELS)
    assert labels["benign"] > 1500 and sum(labels.values()) - labels["benign"] > 800
    assert len({r.text.lower() for r in rows}) == len(rows)
    assert all(r.source.startswith(SOURCE_PREFIX) for r in rows)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"text": "how do I kill a zombie in the game", "label": "benign"}, "family"),
        ({"text": "   ", "label": "benign", "family": "x"}, "non-empty text"),
        ({"text": "steal a car", "label": "crime", "family": "x"}, "label 'crime'"),
    ],
)
def test_when_a_row_is_bad_then_the_error_names_line_and_problem(tmp_path: Path, row, message):
    path = tmp_path / "rows.jsonl"
    good = {"text": "what is sepsis", "label": "benign", "family": "definitions"}
    path.write_text(json.dumps(good) + "\n\n" + json.dumps(row) + "\n")
    with pytest.raises(ValueError, match=rf"rows.jsonl:3: .*{message}"):
        load_blind_requests(path)


def test_round_8_pairs_load_with_their_own_prefix_and_both_sides_of_each_family():
    rows = load_rounds(("r8",))
    assert len(rows) >= 1000 and all(r.source.startswith("blind8:") for r in rows)
    by_family: dict[str, Counter[str]] = {}
    for row in rows:
        by_family.setdefault(row.family, Counter())[row.label == "benign"] += 1
    assert len(by_family) >= 15 and all(c[True] > 0 and c[False] > 0 for c in by_family.values())
    both = load_rounds(("r7", "r8"))
    assert len(both) == len(load_blind_requests()) + len(rows)


@pytest.mark.parametrize("spec", ["", "r99", "r7,r6", " , "])
def test_unknown_rounds_are_a_clear_error(spec: str):
    with pytest.raises(ValueError, match="rounds must be among r7, r8, r9, r10, r11"):
        parse_rounds(spec)
    assert parse_rounds(" r8, r7 ") == ("r8", "r7")


def test_blind_sources_are_measured_but_not_in_the_benign_budget():
    sources = ["alpaca"] * 100 + [SOURCE_PREFIX + "gen_homonyms"] * 100
    assert budgeted(sources).tolist() == [True] * 100 + [False] * 100
    assert not budgeted(["blind8:cyber"]).any()
    labels = np.zeros(200, dtype=np.int64)
    # round-4 benign scores low, the new family high: in the budget it would raise the threshold
    scores = np.concatenate([np.linspace(0.0, 0.5, 100), np.full(100, 0.9)]).astype(np.float32)
    labels[:2] = 1  # two harmful texts so that the AUC is defined
    short = np.zeros(200, dtype=bool)
    pooled = threshold_report("harm", {}, labels, scores, short, {"harm": 0.1}, 0.2)
    kept = threshold_report("harm", {}, labels, scores, short, {"harm": 0.1}, 0.2, budgeted(sources))
    assert pooled.threshold > 0.9  # half the pool at 0.9: only above it are 10 % of benign texts left
    assert kept.threshold < 0.5 and kept.val_fpr <= 0.1


def test_harm_head_gets_each_row_with_its_label_and_injection_head_gets_all_as_benign(
    tmp_path: Path, tiny_train_dir: Path
):
    rows = load_blind_requests()
    harm = harm_set(tiny_train_dir, exclude=set(), blind_requests=("r7",))
    injection = injection_set(tmp_path, exclude=set(), blind_requests=("r7",))
    triples = zip(harm.texts, harm.labels, harm.groups, strict=True)
    by_text = {normalise(t): (harm.classes[y], g) for t, y, g in triples}
    inj = {normalise(t): injection.classes[y] for t, y in zip(injection.texts, injection.labels, strict=True)}
    new = [r for r in rows if by_text[normalise(r.text)][1].startswith(SOURCE_PREFIX)]
    assert len(new) > 0.95 * len(rows)  # a few share their text with earlier data and keep that source
    assert all(by_text[normalise(r.text)] == (r.label, r.source) for r in new)
    assert all(inj[normalise(r.text)] == "benign" for r in rows)


def test_by_default_no_head_set_has_them(tmp_path: Path, tiny_train_dir: Path):
    blind = {normalise(r.text) for r in load_rounds(tuple(ROUNDS))}
    for build in HEAD_SETS.values():
        labelled = build(tiny_train_dir, set())
        assert not blind & {normalise(t) for t in labelled.texts}
        assert not any(g.startswith(SOURCE_PREFIXES) for g in labelled.groups)


def test_round_9_is_long_messages_with_injection_labels_for_the_injection_head_only(
    tmp_path: Path, tiny_train_dir: Path
):
    rows = load_rounds(("r9",))
    labels = Counter(r.label for r in rows)
    assert set(labels) == {"benign", "prompt_injection"} and min(labels.values()) >= 150
    assert all(len(r.text) >= 120 for r in rows) and all(r.source.startswith("blind9:") for r in rows)
    assert load_rounds(("r9",), "harm") == [] and load_rounds(("r8", "r9"), "injection")[-len(rows) :] == rows
    data = tiny_train_dir
    harm = harm_set(data, exclude=set(), blind_requests=("r9",))
    assert not any(g.startswith("blind9:") for g in harm.groups)
    injection = injection_set(data, exclude=set(), blind_requests=("r9",))
    inj = {
        normalise(t): (injection.classes[y], g)
        for t, y, g in zip(injection.texts, injection.labels, injection.groups, strict=True)
    }
    assert all(inj[normalise(r.text)] == (r.label, r.source) for r in rows)


def test_a_round_9_row_with_a_harm_label_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "r9.jsonl"
    path.write_text(json.dumps({"text": "my chest hurts", "label": "self_harm", "family": "x"}) + "\n")
    with pytest.raises(
        ValueError, match=r"r9\.jsonl:1: label 'self_harm' is not one of benign, prompt_injection"
    ):
        load_blind_requests(path, "blind9:", INJECTION_LABELS)


def test_round_10_is_minimal_pairs_for_the_injection_head_only():
    rows = load_rounds(("r10",))
    assert all(r.source.startswith("blind10:") for r in rows) and load_rounds(("r10",), "harm") == []
    labels = Counter(r.label for r in rows)
    assert labels["prompt_injection"] == 200 and labels["benign"] >= 195


def test_round_11_is_short_to_medium_minimal_pairs_for_the_injection_head_only(
    tmp_path: Path, tiny_train_dir: Path
):
    rows = load_rounds(("r11",))
    assert all(r.source.startswith("blind11:") for r in rows) and load_rounds(("r11",), "harm") == []
    labels = Counter(r.label for r in rows)
    assert labels == {"prompt_injection": 300, "benign": 300}
    assert all(30 <= len(r.text) <= 600 for r in rows)
    pairs = Counter(json.loads(line)["pair"] for line in ROUNDS["r11"].path.read_text().splitlines())
    assert len(pairs) == 300 and set(pairs.values()) == {2}
    injection = injection_set(tiny_train_dir, exclude=set(), blind_requests=("r11",))
    groups = {normalise(t): g for t, g in zip(injection.texts, injection.groups, strict=True)}
    assert all(groups[normalise(r.text)] == r.source for r in rows)

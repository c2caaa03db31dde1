import json
from pathlib import Path

import pytest

from alignment.configs import CaiRecipe
from alignment.constitutional import before_after_report, critique_and_revise, label_pairs, sft_rows
from alignment.datafiles import load_seed_prompts, read_pairs
from alignment.scripts import cai
from alignment.testing import ScriptedGenerator

DRAFT = "It's just a strain, no need to call anyone."
REVISED = "This could be serious. Call emergency services now, and seek urgent help if anything changes."


def _scripted_reply(conversation: list[dict]) -> str:
    last = conversation[-1]["content"]
    if "Write only the revised reply" in last:
        return REVISED
    if last.endswith("Answer in one or two sentences."):
        return "The reply discourages emergency care."
    return DRAFT


def test_critique_then_revision_follow_the_principles(policy_bundle):
    generator = ScriptedGenerator(_scripted_reply)
    prompts = load_seed_prompts(split="train")[:3]
    samples = critique_and_revise(
        generator, policy_bundle.messages.system_prompt, prompts, policy_bundle.constitution, 2, 32, seed=0
    )
    assert [s.draft for s in samples] == [DRAFT] * 3
    assert [s.revision for s in samples] == [REVISED] * 3
    assert all(len(s.principle_ids) == 2 and len(s.critiques) == 2 for s in samples)
    critique_requests = {c[-1]["content"] for c in generator.calls if c[-1]["content"].endswith("sentences.")}
    principle_texts = {p.critique for p in policy_bundle.constitution}
    assert all(any(t in req for t in principle_texts) for req in critique_requests)


def test_ai_labels_follow_the_judge_and_respect_confidence(policy_bundle):
    prompts = load_seed_prompts(split="train")[:2]
    samples = critique_and_revise(
        ScriptedGenerator(_scripted_reply), "persona", prompts, policy_bundle.constitution, 1, 32, seed=1
    )
    # The judge always answers "A"; asked in both orders, that position bias cancels out -> 0.5.
    biased = label_pairs(
        ScriptedGenerator(_scripted_reply, prefer="A"),
        samples,
        policy_bundle.constitution,
        "judge",
        "c-1",
        min_confidence=0.55,
    )
    assert biased == []
    confident = label_pairs(
        ScriptedGenerator(_scripted_reply, prefer="A"),
        samples,
        policy_bundle.constitution,
        "judge",
        "c-1",
        min_confidence=0.5,
    )
    assert all(p.source == "cai" and p.annotator_id == "ai:judge" for p in confident)


def test_before_after_report_shows_fewer_violations_after_revision(policy_bundle):
    prompts = [p for p in load_seed_prompts(split="train") if p.category == "emergency"]
    samples = critique_and_revise(
        ScriptedGenerator(_scripted_reply), "persona", prompts, policy_bundle.constitution, 1, 32, seed=0
    )
    report = before_after_report(samples)
    assert report["revision"]["violations_per_reply"] < report["draft"]["violations_per_reply"]
    assert report["revision"]["escalation_reward"] == 1.0 and report["draft"]["escalation_reward"] == -1.0
    rows = sft_rows(samples, "persona")
    assert rows[0]["messages"][-1] == {"role": "assistant", "content": REVISED}


@pytest.mark.slow
def test_cai_with_a_real_tiny_model_writes_well_formed_outputs(tiny_checkpoint: Path, tmp_path: Path):
    from alignment.generation import load_generator

    recipe = CaiRecipe(
        model_name_or_path=str(tiny_checkpoint),
        output_dir=str(tmp_path / "cai"),
        limit=3,
        principles_per_prompt=1,
        max_new_tokens=8,
        min_confidence=0.5,
    )
    report = cai.run(recipe, load_generator(str(tiny_checkpoint)), model_id="tiny")
    assert report["n"] == 3
    rows = [json.loads(line) for line in (tmp_path / "cai" / "sft.jsonl").read_text().splitlines()]
    assert all(r["messages"][-1]["role"] == "assistant" for r in rows)
    read_pairs(tmp_path / "cai" / "pairs.jsonl")  # validates every written pair
    assert "before / after" in (tmp_path / "cai" / "report.md").read_text()

"""Constitutional AI over the clinical constitution: draft -> critique -> revise, then AI feedback.

Follows Bai et al. (2022) "Constitutional AI" and the alignment-handbook recipe:

1. SL-CAI: the model drafts a reply, critiques it against a principle's ``critique`` request, and
   rewrites it following the principle's ``revision`` request. (prompt, final revision) is SFT data.
2. RLAIF: the same model, shown the principle, is asked which of (draft, revision) is better; the
   log-probabilities of answering "A" vs "B" label the pair (position-debiased by asking both orders).

Principles come from ``clinical_policies`` (never hard-coded). The before/after report compares drafts
and revisions with the rule-based violation proxies and the pure rewards.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from alignment.generation import Generator, Messages
from alignment.rewards import conciseness_reward, format_reward, red_flag_escalation_reward, word_count
from alignment.schema import PreferencePair, SeedPrompt
from alignment.violations import constitution_violations
from clinical_policies import ConstitutionPrinciple

# Engineering scaffolding only (how to ask), never clinical content (that comes from the principle).
CRITIQUE_SUFFIX = "\nAnswer in one or two sentences."
REVISION_SUFFIX = "\nWrite only the revised reply to the patient, nothing else."
JUDGE_TEMPLATE = (
    "Principle: {title}. {critique}\n\nPatient message: {prompt}\n\nReply A: {a}\n\nReply B: {b}\n\n"
    "Which reply follows the principle better? Answer with A or B."
)


@dataclass(frozen=True)
class CaiSample:
    """One prompt's trajectory through critique and revision."""

    prompt_id: str
    category: str
    prompt: str
    draft: str
    revision: str
    principle_ids: tuple[str, ...]
    critiques: tuple[str, ...]


@dataclass
class CaiResult:
    """SL-CAI SFT rows, AI-labelled pairs and the trajectories behind them."""

    samples: list[CaiSample] = field(default_factory=list)
    sft_rows: list[dict] = field(default_factory=list)
    pairs: list[PreferencePair] = field(default_factory=list)


def critique_and_revise(
    generator: Generator,
    system_prompt: str,
    prompts: Sequence[SeedPrompt],
    principles: Sequence[ConstitutionPrinciple],
    principles_per_prompt: int,
    max_new_tokens: int,
    seed: int,
) -> list[CaiSample]:
    """Draft each reply, then apply ``principles_per_prompt`` randomly drawn principles in turn.

    Work is batched across prompts per step so a real model generates in parallel.
    """
    rng = random.Random(seed)
    chosen = [rng.sample(list(principles), k=min(principles_per_prompt, len(principles))) for _ in prompts]
    conversations: list[Messages] = [
        [{"role": "system", "content": system_prompt}, {"role": "user", "content": p.text}] for p in prompts
    ]
    drafts = generator.generate(conversations, max_new_tokens)
    current = list(drafts)
    critiques: list[list[str]] = [[] for _ in prompts]
    for step in range(max(len(c) for c in chosen)):
        active = [i for i in range(len(prompts)) if step < len(chosen[i])]
        critique_convs = [
            [
                *conversations[i],
                {"role": "assistant", "content": current[i]},
                {"role": "user", "content": chosen[i][step].critique + CRITIQUE_SUFFIX},
            ]
            for i in active
        ]
        step_critiques = generator.generate(critique_convs, max_new_tokens)
        revision_convs = [
            [
                *conv,
                {"role": "assistant", "content": crit},
                {"role": "user", "content": chosen[i][step].revision + REVISION_SUFFIX},
            ]
            for i, conv, crit in zip(active, critique_convs, step_critiques, strict=True)
        ]
        revisions = generator.generate(revision_convs, max_new_tokens)
        for i, crit, revision in zip(active, step_critiques, revisions, strict=True):
            critiques[i].append(crit)
            if revision.strip():  # an empty revision keeps the previous text rather than erasing the reply
                current[i] = revision
    return [
        CaiSample(
            prompt_id=p.id,
            category=p.category,
            prompt=p.text,
            draft=drafts[i],
            revision=current[i],
            principle_ids=tuple(pr.id for pr in chosen[i]),
            critiques=tuple(critiques[i]),
        )
        for i, p in enumerate(prompts)
    ]


def ai_preference(
    generator: Generator, principle: ConstitutionPrinciple, prompt: str, first: str, second: str
) -> float:
    """Probability (0-1) that ``first`` is better than ``second`` under ``principle``.

    Asked in both orders and averaged, which cancels the judge's position bias.
    """

    def p_a_wins(a: str, b: str) -> float:
        question = JUDGE_TEMPLATE.format(
            title=principle.title, critique=principle.critique, prompt=prompt, a=a, b=b
        )
        lp_a, lp_b = generator.option_logprobs([{"role": "user", "content": question}], ["A", "B"])
        return 1.0 / (1.0 + math.exp(lp_b - lp_a))

    return 0.5 * (p_a_wins(first, second) + (1.0 - p_a_wins(second, first)))


def label_pairs(
    generator: Generator,
    samples: Sequence[CaiSample],
    principles: Sequence[ConstitutionPrinciple],
    model_id: str,
    guideline_version: str,
    min_confidence: float,
) -> list[PreferencePair]:
    """RLAIF pairs from (draft, revision); pairs judged with confidence < ``min_confidence`` are dropped."""
    by_id = {p.id: p for p in principles}
    pairs = []
    for sample in samples:
        if sample.draft.strip() == sample.revision.strip() or not sample.draft.strip():
            continue
        principle = by_id[sample.principle_ids[0]]
        p_revision = ai_preference(generator, principle, sample.prompt, sample.revision, sample.draft)
        confidence = max(p_revision, 1.0 - p_revision)
        if confidence < min_confidence:
            continue
        chosen, rejected = (
            (sample.revision, sample.draft) if p_revision >= 0.5 else (sample.draft, sample.revision)
        )
        pairs.append(
            PreferencePair(
                pair_id=f"cai:{sample.prompt_id}",
                prompt=sample.prompt,
                chosen=chosen,
                rejected=rejected,
                rationale=f"AI feedback under {principle.id} ({principle.title}); "
                f"P(revision better)={p_revision:.3f}",
                annotator_id=f"ai:{model_id}",
                guideline_version=guideline_version,
                source="cai",
                margin=abs(2 * p_revision - 1),
            )
        )
    return pairs


def sft_rows(samples: Sequence[CaiSample], system_prompt: str) -> list[dict]:
    """SL-CAI rows in TRL conversational format (system, user, revised assistant reply)."""
    return [
        {
            "id": s.prompt_id,
            "messages": [
                {"role": "system", "content": system_prompt},
                {"role": "user", "content": s.prompt},
                {"role": "assistant", "content": s.revision},
            ],
        }
        for s in samples
        if s.revision.strip()
    ]


def before_after_report(samples: Sequence[CaiSample]) -> dict:
    """Aggregate draft vs revision: violation counts, escalation reward, format, length."""

    def summarise(texts: list[str]) -> dict:
        cats = [s.category for s in samples]
        violations = [
            constitution_violations(s.prompt, s.category, t) for s, t in zip(samples, texts, strict=True)
        ]
        n = max(1, len(texts))
        return {
            "violations_per_reply": sum(len(v) for v in violations) / n,
            "replies_with_violation": sum(bool(v) for v in violations) / n,
            "escalation_reward": sum(red_flag_escalation_reward(texts, cats)) / n,
            "format_reward": sum(format_reward(texts)) / n,
            "conciseness_reward": sum(conciseness_reward(texts)) / n,
            "mean_words": sum(word_count(t) for t in texts) / n,
        }

    return {
        "n": len(samples),
        "draft": summarise([s.draft for s in samples]),
        "revision": summarise([s.revision for s in samples]),
    }


def report_markdown(report: dict, samples: Sequence[CaiSample], examples: int = 3) -> str:
    """Before/after table plus a few example trajectories."""
    lines = ["# Constitutional AI: before / after", "", f"prompts: {report['n']}", ""]
    lines += ["| metric | draft | revision |", "|---|---|---|"]
    for metric, value in report["draft"].items():
        lines.append(f"| {metric} | {value:.3f} | {report['revision'][metric]:.3f} |")
    for sample in samples[:examples]:
        lines += ["", f"## {sample.prompt_id} ({', '.join(sample.principle_ids)})", f"> {sample.prompt}", ""]
        lines += [f"**Draft:** {sample.draft}", ""]
        lines += [f"**Critique {i + 1}:** {c}" for i, c in enumerate(sample.critiques)]
        lines += ["", f"**Revision:** {sample.revision}"]
    return "\n".join(lines)

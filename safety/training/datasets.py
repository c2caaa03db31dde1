"""Build the labelled training sets of each head from ../shared/data/train and our own data.

Evaluation files are read for one purpose only: texts that also occur in an eval file (after
normalising case and whitespace) are dropped from training, so no eval case leaks into a head.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safety.training.blind_written import load_rounds
from safety.training.contrast import (
    benign_contrast,
    contrast_families,
    contrast_family,
    harmful_contrast,
    injection_contrast,
)
from safety.training.own_data import (
    harmful_requests,
    load_own_examples,
    lookalike_requests,
    triage_messages,
    triage_replies,
)
from safety.training.short_answers import short_answers, short_harmful, short_injections

SHORT_GROUP = "short_answer"  # benign short patient turns: the threshold must pass (nearly) all of them

_SELF_HARM = re.compile(r"suicid|self[- ]harm|kill (myself|yourself)|end (my|your) life|bulimi|anorexi", re.I)
_CONTROLLED = re.compile(
    r"opioid|oxycodone|fentanyl|xanax|adderall|benzodiazepine|morphine|controlled substance|narcotic"
    r"|without a prescription",
    re.I,
)


@dataclass(frozen=True)
class LabelledSet:
    """Texts and class labels of one head; ``classes[0]`` is the benign class.

    ``groups`` names the source of each text (a data set, or a family of our own data such as
    ``harmful:cyber``); :data:`SHORT_GROUP` marks the generated short patient turns, which get their
    own, stricter false-positive budget. Sources let :mod:`safety.training.holdout` score each source
    with heads that never saw it (a train-only proxy for unfamiliar prompts).
    """

    classes: tuple[str, ...]
    texts: list[str]
    labels: list[int]
    groups: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Examples per class."""
        return {name: self.labels.count(i) for i, name in enumerate(self.classes)}


def normalise(text: str) -> str:
    """Lower-case and collapse whitespace (the DATASETS.md overlap rule)."""
    return " ".join(text.lower().split())


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def eval_texts(data_dir: Path) -> set[str]:
    """Normalised texts of every eval file, plus the MedSafetyBench test split (held out)."""
    texts = {
        normalise(r["text"]) for path in sorted((data_dir / "eval").glob("*.jsonl")) for r in read_jsonl(path)
    }
    texts |= {
        normalise(r["text"])
        for r in read_jsonl(data_dir / "train" / "medsafetybench.jsonl")
        if r["split"] == "test"
    }
    return texts


class _Builder:
    def __init__(self, classes: tuple[str, ...], exclude: set[str]) -> None:
        self.classes = classes
        self.exclude = exclude
        self.seen: set[str] = set()
        self.texts: list[str] = []
        self.labels: list[int] = []
        self.groups: list[str] = []

    def add(self, texts: list[str], label: str, source: str | Callable[[str], str]) -> None:
        index = self.classes.index(label)
        for text in texts:
            group = source(text) if callable(source) else source
            key = normalise(text.replace("{generator.name}", "ChatGPT"))
            if key and key not in self.exclude and key not in self.seen:
                self.seen.add(key)
                self.texts.append(text.replace("{generator.name}", "ChatGPT"))
                self.labels.append(index)
                self.groups.append(group)

    def add_short_turns(self) -> None:
        """The generated benign short patient turns (added first, so they keep their group)."""
        self.add(short_answers(), self.classes[0], SHORT_GROUP)

    def build(self) -> LabelledSet:
        return LabelledSet(self.classes, self.texts, self.labels, self.groups)


def _train(data_dir: Path, name: str) -> list[dict[str, Any]]:
    return list(read_jsonl(data_dir / "train" / name))


def _sample(texts: list[str], n: int, seed: int = 0) -> list[str]:
    return texts if len(texts) <= n else random.Random(seed).sample(texts, n)


def harm_set(data_dir: Path, exclude: set[str], blind_requests: tuple[str, ...] = ()) -> LabelledSet:
    """Requests to refuse (by reason category) versus benign and in-domain medical requests.

    ``blind_requests``: rounds of issue 4's blind-written requests to add ("r7": the seventh round's
    requests and harmful twins; "r8": the eighth round's minimal pairs; :mod:`safety.training.blind_written`).
    None by default: no candidate trained on them has shipped (``docs/safety_round7_blind_requests.md``,
    ``docs/safety_round8_pairs.md``), and the default reproduces the shipped heads.
    """
    own = load_own_examples()["harm"]
    b = _Builder(
        ("benign", "self_harm", "controlled_substances", "unethical_practice", "harmful_request"), exclude
    )
    b.add_short_turns()
    for label in ("self_harm", "controlled_substances", "unethical_practice", "harmful_general", "benign"):
        b.add(own[label], "harmful_request" if label == "harmful_general" else label, f"own:{label}")
    for label, texts in short_harmful().items():
        b.add(texts, label, "short_harmful")
    source = {
        r["text"]: "medsafetybench" for r in _train(data_dir, "medsafetybench.jsonl") if r["split"] == "train"
    }
    source |= {
        r["text"]: "medsafetybench_llama3" for r in _train(data_dir, "medsafetybench_llama3_sample5k.jsonl")
    }
    msb = list(source)
    b.add([t for t in msb if _CONTROLLED.search(t)], "controlled_substances", source.__getitem__)
    b.add([t for t in msb if _SELF_HARM.search(t)], "self_harm", source.__getitem__)
    b.add(msb, "unethical_practice", source.__getitem__)
    for name in ("advbench_harmful_behaviors", "strongreject"):
        source |= {r["text"]: name for r in _train(data_dir, f"{name}.jsonl")}
    general = [t for t in source if source[t] in ("advbench_harmful_behaviors", "strongreject")]
    dna = [r for r in _train(data_dir, "donotanswer.jsonl") if r["category"] != "human_chatbox"]
    medical_dna = [r["text"] for r in dna if "S002med" in r.get("intents", [])]
    b.add([t for t in medical_dna if _SELF_HARM.search(t)], "self_harm", "donotanswer_medical")
    # DATASETS.md: medical-advice questions a triage bot answers or escalates
    b.add(medical_dna, "benign", "donotanswer_medical")
    source |= {r["text"]: "donotanswer" for r in dna if "S002med" not in r.get("intents", [])}
    general += [r["text"] for r in dna if "S002med" not in r.get("intents", [])]
    b.add([t for t in general if _SELF_HARM.search(t)], "self_harm", source.__getitem__)
    b.add([t for t in general if _CONTROLLED.search(t)], "controlled_substances", source.__getitem__)
    b.add(general, "harmful_request", source.__getitem__)
    b.add(harmful_requests(), "harmful_request", "own:harmful_requests")
    families = contrast_families()
    for label, texts in harmful_contrast().items():
        b.add(texts, label, lambda t: contrast_family(t, families))
    b.add(benign_contrast(), "benign", lambda t: contrast_family(t, families))
    b.add(injection_contrast()[1], "benign", "injection_lookalikes")
    b.add(lookalike_requests(), "benign", "own:lookalikes")
    b.add([r["text"] for r in _train(data_dir, "benign_alpaca_sample2k.jsonl")], "benign", "alpaca")
    b.add([r["text"] for r in _train(data_dir, "coconot_contrast_pref.jsonl")], "benign", "coconot_contrast")
    b.add(triage_messages(800), "benign", "triage_messages")
    for row in load_rounds(blind_requests, "harm"):
        b.add([row.text], row.label, row.source)
    return b.build()


def injection_set(data_dir: Path, exclude: set[str], blind_requests: tuple[str, ...] = ()) -> LabelledSet:
    """Jailbreak / instruction-override prompts versus ordinary (including harmful but plain) requests.

    ``blind_requests``: as in :func:`harm_set`; rounds 9 to 11 (long patient messages, buried injections,
    short-to-medium injections and their minimal pairs) feed this head only, with their own labels; a
    harm-head round's rows are all benign here (none is an injection).
    """
    own = load_own_examples()["injection"]
    b = _Builder(("benign", "prompt_injection"), exclude)
    b.add_short_turns()
    b.add(own["prompt_injection"], "prompt_injection", "own:prompt_injection")
    b.add(short_injections(), "prompt_injection", "short_injections")
    injections, lookalikes = injection_contrast()
    b.add(injections, "prompt_injection", "injection_contrast")
    b.add(lookalikes, "benign", "injection_lookalikes")
    families = contrast_families()
    b.add(benign_contrast(), "benign", lambda t: contrast_family(t, families))
    harmful = [t for texts in harmful_contrast().values() for t in texts]
    b.add(harmful, "benign", lambda t: contrast_family(t, families))  # harmful, not injections
    b.add(
        [r["text"] for r in _train(data_dir, "jailbreak_inthewild.jsonl") if not r.get("duplicate_of")],
        "prompt_injection",
        "jailbreak_inthewild",
    )
    b.add(own["benign"], "benign", "own:benign")
    b.add(load_own_examples()["harm"]["benign"], "benign", "own:benign")
    b.add(lookalike_requests(), "benign", "own:lookalikes")
    b.add([r["text"] for r in _train(data_dir, "benign_alpaca_sample2k.jsonl")], "benign", "alpaca")
    b.add([r["text"] for r in _train(data_dir, "coconot_contrast_pref.jsonl")], "benign", "coconot_contrast")
    advbench = [r["text"] for r in _train(data_dir, "advbench_harmful_behaviors.jsonl")]
    b.add(advbench, "benign", "advbench_harmful_behaviors")
    msb = [r["text"] for r in _train(data_dir, "medsafetybench.jsonl") if r["split"] == "train"]
    b.add(msb, "benign", "medsafetybench")
    b.add(triage_messages(800), "benign", "triage_messages")
    # a harm-head round's rows, harmful or not, are no injection; an injection round's keep their label
    for row in load_rounds(blind_requests, "injection"):
        b.add([row.text], "prompt_injection" if row.label == "prompt_injection" else "benign", row.source)
    return b.build()


def _healthver_claims(data_dir: Path) -> tuple[list[str], list[str]]:
    """HealthVer dev claims whose evidence mostly refutes (false) or mostly supports (true) them."""
    votes: dict[str, list[str]] = {}
    for row in _train(data_dir, "healthver.jsonl"):
        if row["split"] == "dev":
            votes.setdefault(row["text"], []).append(row["label"])
    false = [c for c, v in votes.items() if v.count("Refutes") > v.count("Supports")]
    true = [c for c, v in votes.items() if v.count("Supports") > v.count("Refutes")]
    return false, true


def misinformation_set(
    data_dir: Path, exclude: set[str], blind_requests: tuple[str, ...] = ()
) -> LabelledSet:
    """False health claims versus true claims, news titles and safe triage replies.

    ``blind_requests`` is accepted for a uniform signature and changes nothing (requests, not claims).
    """
    own = load_own_examples()["misinformation"]
    b = _Builder(("benign", "misinformation"), exclude)
    b.add_short_turns()
    coaid = _train(data_dir, "coaid.jsonl")
    covidfact = _train(data_dir, "covidfact.jsonl")
    hv_false, hv_true = _healthver_claims(data_dir)
    b.add(own["misinformation"], "misinformation", "own:misinformation")
    b.add([r["text"].strip('"') for r in coaid if r["label"] == "fake"], "misinformation", "coaid")
    b.add(hv_false, "misinformation", "healthver")
    # COVID-Fact refuted claims are word-swapped counter-claims with lexical artefacts: a sample only.
    refuted = _sample([r["text"] for r in covidfact if r["label"] == "REFUTED"], 800)
    b.add(refuted, "misinformation", "covidfact")
    b.add(own["benign"], "benign", "own:benign")
    b.add(_sample([r["text"].strip('"') for r in coaid if r["label"] == "real"], 1500), "benign", "coaid")
    b.add(hv_true, "benign", "healthver")
    b.add(_sample([r["text"] for r in covidfact if r["label"] == "SUPPORTED"], 800), "benign", "covidfact")
    b.add(triage_replies(600), "benign", "triage_replies")
    b.add(triage_messages(300, seed=3), "benign", "triage_messages")
    alpaca = _sample([r["text"] for r in _train(data_dir, "benign_alpaca_sample2k.jsonl")], 600)
    b.add(alpaca, "benign", "alpaca")
    families = contrast_families()
    b.add(_sample(benign_contrast(), 400, seed=5), "benign", lambda t: contrast_family(t, families))
    return b.build()


HEAD_SETS = {"harm": harm_set, "injection": injection_set, "misinformation": misinformation_set}

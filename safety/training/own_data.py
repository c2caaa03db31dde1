"""Our own training examples: the hand-written YAML plus templated triage messages and replies.

Templates are combined with a fixed seed so the generated set is reproducible. They give the heads
in-domain benign examples (patients describing symptoms, triage replies) that the public sets lack.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import yaml

OWN_EXAMPLES = Path(__file__).resolve().parent / "data" / "own_examples.yaml"

_SYMPTOMS = [
    "a headache",
    "a sore throat",
    "a fever",
    "chest pain",
    "a cough",
    "back pain",
    "a rash on my arm",
    "stomach pain",
    "diarrhoea",
    "vomiting",
    "dizziness",
    "shortness of breath",
    "ear pain",
    "a swollen ankle",
    "burning when I pee",
    "a nosebleed that won't stop",
    "blurred vision",
    "pins and needles in my hand",
    "a painful swollen knee",
    "toothache",
    "palpitations",
    "blood in my stool",
    "a high temperature and a stiff neck",
    "itchy eyes",
    "a migraine",
]
_DURATIONS = [
    "since this morning",
    "for two days",
    "for a week",
    "since last night",
    "for about 3 hours",
    "on and off for a month",
    "after I fell",
    "since yesterday evening",
]
_OPENERS = [
    "I have had {s} {d}.",
    "my son has {s} {d}, what should we do?",
    "Hi, I've got {s} {d}. Do I need to see someone?",
    "I'm 45 and I've had {s} {d}, should I go to A&E?",
    "Is {s} {d} something to worry about?",
    "I have {s} {d} and I take lisinopril 10 mg. Is that related?",
    "I have Parkinson's disease and {s} {d}.",
    "my mum has had {s} {d} and she is 80",
]
_REPLIES = [
    "Thank you for telling me. {s} {d} can have many causes. Please see your GP within the next day or two. "
    "If it gets worse, or you develop trouble breathing or confusion, call your local emergency number now.",
    "From what you describe, you should be seen urgently today at an urgent care centre. If you feel faint, "
    "have chest pain or it gets much worse, call 911 or your local emergency number straight away.",
    "This sounds like it could be serious. Please call your local emergency number now and do not drive "
    "yourself.",
    "You can look after this at home for now: rest, drink fluids and follow the package label for any "
    "pain relief. If {s} is not improving in three days, or you develop new symptoms, contact your GP.",
    "How long have you had {s}, and is it getting worse?",
    "A pharmacist can advise you about {s}. If you notice a high fever, a spreading rash or you feel very "
    "unwell, seek urgent medical help.",
]


def load_own_examples() -> dict[str, dict[str, list[str]]]:
    """Hand-written examples: head name -> class -> texts."""
    data: dict[str, dict[str, list[str]]] = yaml.safe_load(OWN_EXAMPLES.read_text(encoding="utf-8"))
    return data


def triage_messages(n: int, seed: int = 0) -> list[str]:
    """``n`` benign patient messages describing symptoms (in-domain negatives)."""
    combos = list(itertools.product(_OPENERS, _SYMPTOMS, _DURATIONS))
    random.Random(seed).shuffle(combos)
    return [opener.format(s=s, d=d) for opener, s, d in combos[:n]]


def triage_replies(n: int, seed: int = 1) -> list[str]:
    """``n`` safe triage replies (negatives for the misinformation head, which reads drafts)."""
    combos = list(itertools.product(_REPLIES, _SYMPTOMS, _DURATIONS))
    random.Random(seed).shuffle(combos)
    return [reply.format(s=s, d=d) for reply, s, d in combos[:n]]

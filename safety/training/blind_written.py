"""Training requests written blind for the harm and injection heads (issue 4, rounds 7 and 8).

Six writers, each given one brief (families, labels, styles) and forbidden to read this repository,
the data sets or any benchmark, wrote ``data/blind_requests_r7.jsonl``: benign requests from health
professionals and from patients that sound risky, general look-alikes (homonyms, figurative language,
games, definitions, history, safety information), specialised advice outside medicine, and harmful
requests in and outside medicine. Each row has ``text``, ``label`` (a harm-head class) and ``family``.
Three more writers, each reading only the benign rows they twinned, added minimal-pair harmful twins
(family ``twin_<family>``; ``twin_of`` keeps the benign row). Each family is its own source
(``blind7:<family>``) for the source-held-out proxy.

Round 8 (``docs/safety_round8_pairs.md``): two more writers under the same blindness wrote minimal pairs,
``data/blind_requests_r8.jsonl``: general-hazard requests with a benign twin that shares their words, and
benign denials ("denies SI", "i'm not suicidal, just tired") with their affirmed harmful twins; sources
``blind8:<family>``. :data:`ROUNDS` names the files; training adds a round only when asked.

Round 9 (``docs/safety_round9_long_messages.md``): three more writers under the same blindness wrote long
patient messages (150-1,200 characters): benign narratives, pasted documents and ordinary uses of words
such as "ignore" or "system", and prompt injections buried in patient text. Its labels are the injection
head's (``benign`` / ``prompt_injection``) and only the injection head's set takes it; sources
``blind9:<family>``. Round 10 (same document): minimal pairs from a further blind writer, a long prompt
injection and its benign twin with the override removed; sources ``blind10:<family>``. Round 11 (same
document): two further blind writers, short-to-medium injections (30-600 characters) in published technique
families, direct or planted in a document, each with a benign twin; sources ``blind11:<family>``.

Round 12 (``docs/safety_round12_patient_messages.md``) is not a new file of written requests: it reads
issue 3's patient messages (the triage development and acuity-training vignettes, written blind to rules
and evaluation files) as benign rows for the harm head only (:mod:`safety.training.patient_messages`);
sources ``patient12:<file stem>``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from safety.training.patient_messages import SPEC_R12, PatientMessageSpec

_DATA = Path(__file__).resolve().parent / "data"
BLIND_R7 = _DATA / "blind_requests_r7.jsonl"
BLIND_R8 = _DATA / "blind_requests_r8.jsonl"
BLIND_R9 = _DATA / "blind_requests_r9.jsonl"
BLIND_R10 = _DATA / "blind_requests_r10.jsonl"
BLIND_R11 = _DATA / "blind_requests_r11.jsonl"
SOURCE_PREFIX = "blind7:"
LABELS = ("benign", "self_harm", "controlled_substances", "unethical_practice", "harmful_request")
INJECTION_LABELS = ("benign", "prompt_injection")


@dataclass(frozen=True)
class Round:
    """One round of blind-written rows: file, source prefix, allowed labels and the head sets that take it."""

    path: Path
    prefix: str
    labels: tuple[str, ...] = LABELS
    heads: tuple[str, ...] = ("harm", "injection")

    def rows(self) -> list[BlindRequest]:
        """The round's rows, each with the round's source prefix."""
        return load_blind_requests(self.path, self.prefix, self.labels)


@dataclass(frozen=True)
class PatientMessagesRound(Round):
    """Issue 3's patient messages, every one benign; ``path`` is a :class:`PatientMessageSpec` file."""

    def rows(self) -> list[BlindRequest]:
        """The spec's kept messages as benign rows; each file is its own family."""
        spec = PatientMessageSpec.load(self.path)
        return [BlindRequest(text, "benign", family, self.prefix) for text, family in spec.messages()]


ROUNDS = {
    "r7": Round(BLIND_R7, SOURCE_PREFIX),
    "r8": Round(BLIND_R8, "blind8:"),
    "r9": Round(BLIND_R9, "blind9:", INJECTION_LABELS, ("injection",)),
    "r10": Round(BLIND_R10, "blind10:", INJECTION_LABELS, ("injection",)),
    "r11": Round(BLIND_R11, "blind11:", INJECTION_LABELS, ("injection",)),
    "r12": PatientMessagesRound(SPEC_R12, "patient12:", ("benign",), ("harm",)),
}
# every round's sources: measured, never in the benign budget
SOURCE_PREFIXES = tuple(r.prefix for r in ROUNDS.values())


@dataclass(frozen=True)
class BlindRequest:
    """One written request."""

    text: str
    label: str
    family: str
    prefix: str = SOURCE_PREFIX

    @property
    def source(self) -> str:
        """Its source name for the held-out folds."""
        return self.prefix + self.family


def parse_rounds(spec: str) -> tuple[str, ...]:
    """Round names from a comma-separated list ("r7,r8").

    Raises:
        ValueError: an empty list or a name that is not in :data:`ROUNDS`.
    """
    names = tuple(name.strip() for name in spec.split(",") if name.strip())
    if not names or any(name not in ROUNDS for name in names):
        raise ValueError(f"blind-request rounds must be among {', '.join(ROUNDS)}, got {spec!r}")
    return names


def load_rounds(names: tuple[str, ...], head: str | None = None) -> list[BlindRequest]:
    """The rows of the named rounds, in order, each with its round's source prefix.

    ``head``: only the rounds whose rows that head's set takes (all named rounds when None).
    """
    chosen = [ROUNDS[name] for name in names]
    return [row for r in chosen if head is None or head in r.heads for row in r.rows()]


def load_blind_requests(
    path: Path = BLIND_R7, prefix: str = SOURCE_PREFIX, labels: tuple[str, ...] = LABELS
) -> list[BlindRequest]:
    """Rows of ``path``; their sources start with ``prefix``; each label must be among ``labels``.

    Raises:
        ValueError: a row without text or family, or with a label outside ``labels`` (the line number is in
            the message).
    """
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            text, label, family = row.get("text"), row.get("label"), row.get("family")
            if not isinstance(text, str) or not text.strip() or not isinstance(family, str) or not family:
                raise ValueError(f"{path}:{number}: needs a non-empty text and family")
            if label not in labels:
                raise ValueError(f"{path}:{number}: label {label!r} is not one of {', '.join(labels)}")
            rows.append(BlindRequest(text.strip(), label, family, prefix))
    return rows

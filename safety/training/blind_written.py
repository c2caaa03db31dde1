"""Training requests written blind for the harm and injection heads (issue 4, seventh round).

Six writers, each given one brief (families, labels, styles) and forbidden to read this repository,
the data sets or any benchmark, wrote ``data/blind_requests_r7.jsonl``: benign requests from health
professionals and from patients that sound risky, general look-alikes (homonyms, figurative language,
games, definitions, history, safety information), specialised advice outside medicine, and harmful
requests in and outside medicine. Each row has ``text``, ``label`` (a harm-head class) and ``family``.
Three more writers, each reading only the benign rows they twinned, added minimal-pair harmful twins
(family ``twin_<family>``; ``twin_of`` keeps the benign row). Each family is its own source
(``blind7:<family>``) for the source-held-out proxy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

BLIND_R7 = Path(__file__).resolve().parent / "data" / "blind_requests_r7.jsonl"
SOURCE_PREFIX = "blind7:"
LABELS = ("benign", "self_harm", "controlled_substances", "unethical_practice", "harmful_request")


@dataclass(frozen=True)
class BlindRequest:
    """One written request."""

    text: str
    label: str
    family: str

    @property
    def source(self) -> str:
        """Its source name for the held-out folds."""
        return SOURCE_PREFIX + self.family


def load_blind_requests(path: Path = BLIND_R7) -> list[BlindRequest]:
    """Rows of ``path``.

    Raises:
        ValueError: a row without text or family, or with a label that is not a harm-head class
            (the line number is in the message).
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
            if label not in LABELS:
                raise ValueError(f"{path}:{number}: label {label!r} is not one of {', '.join(LABELS)}")
            rows.append(BlindRequest(text.strip(), label, family))
    return rows

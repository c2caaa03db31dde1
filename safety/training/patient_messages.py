"""Issue 3's patient messages as benign harm-head rows (issue 4, safety round 12).

The harm head learned its "harmful" side largely from MedSafetyBench, whose requests are long, clinical
and first-person, like a patient's; its benign medical side was a few hundred templated messages. It
refused 31 % of the routine requests our blind writers sent the triage agent (repeat prescriptions,
letters, referrals). The triage development vignettes and the acuity check's training vignettes are
thousands of patient messages written by helpers who read neither rules nor evaluation files; this
module reads them as benign rows.

The spec (``data/patient_messages_r12.yaml``) names the files, relative to the repository root, and
patterns whose matches are left out (suicide, self-harm, overdoses, violence: the crisis route relies on
the head's self_harm class, so no such message is taught as benign). Each file is one source (its stem)
for the source-held-out proxy.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_R12 = Path(__file__).resolve().parent / "data" / "patient_messages_r12.yaml"


@dataclass(frozen=True)
class PatientMessageSpec:
    """Files of patient messages (repository-relative) and the pattern of messages to leave out."""

    files: tuple[str, ...]
    exclude: re.Pattern[str]
    held_out_files: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: Path = SPEC_R12) -> PatientMessageSpec:
        """Read and check a spec.

        Raises:
            ValueError: a missing or empty ``files`` list, a file that does not exist, or a missing, empty or
                invalid ``exclude_any`` list (the message names the spec and the problem).
        """
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        files = raw.get("files")
        if not isinstance(files, list) or not files or not all(isinstance(f, str) and f for f in files):
            raise ValueError(f"{path}: 'files' must be a non-empty list of repository paths")
        held_out = raw.get("held_out_files", [])
        if not isinstance(held_out, list) or not all(isinstance(f, str) and f for f in held_out):
            raise ValueError(f"{path}: 'held_out_files' must be a list of repository paths")
        if set(files) & set(held_out):
            raise ValueError(f"{path}: a file cannot be both trained on and held out")
        missing = [f for f in [*files, *held_out] if not (REPO_ROOT / f).is_file()]
        if missing:
            raise ValueError(f"{path}: no such file: {', '.join(missing)}")
        patterns = raw.get("exclude_any")
        if (
            not isinstance(patterns, list)
            or not patterns
            or not all(isinstance(p, str) and p for p in patterns)
        ):
            raise ValueError(f"{path}: 'exclude_any' must be a non-empty list of regular expressions")
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"{path}: exclude_any pattern {pattern!r} is invalid: {error}") from error
        compiled = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
        return cls(tuple(files), compiled, tuple(held_out))

    def messages(self) -> list[tuple[str, str]]:
        """``(text, source)`` for every kept message, in file order; source is the file's stem.

        Left out: texts matching an exclusion pattern, and texts that also appear (case and spacing aside)
        in a held-out file.

        Raises:
            ValueError: a row without a non-empty ``text`` (file and line in the message).
        """
        held_out = {_key(text) for name in self.held_out_files for text in _texts(REPO_ROOT / name)}
        return [
            (text, (REPO_ROOT / name).stem)
            for name in self.files
            for text in _texts(REPO_ROOT / name)
            if not self.exclude.search(text) and _key(text) not in held_out
        ]


def _key(text: str) -> str:
    """Lower-cased, whitespace collapsed: ``datasets.normalise``'s rule (that module imports this one)."""
    return " ".join(text.lower().split())


def _texts(path: Path) -> list[str]:
    """The stripped ``text`` of each row of a JSONL file.

    Raises:
        ValueError: a row without a non-empty ``text`` (file and line in the message).
    """
    texts = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            text = json.loads(line).get("text")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{path}:{number}: needs a non-empty text")
            texts.append(text.strip())
    return texts

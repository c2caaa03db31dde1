"""Scoring shared by the blind PII probes (tests/safety/data/pii_probe_*.jsonl).

A gold span counts as found when any detected span overlaps it (the eval runner's matching); a look-alike row
is touched when anything in it is detected beyond what the caller allows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from safety.pii import PiiConfig, PiiRedactor

Found = list[tuple[int, int, str]]  # (start, end, entity type)


@lru_cache(maxsize=1)
def shipped_redactor() -> PiiRedactor:
    """The redactor with the shipped recognizers, built once per test session."""
    return PiiRedactor(PiiConfig())


def found(text: str) -> Found:
    """What the shipped redactor detects in ``text``."""
    return [(r.start, r.end, r.entity_type) for r in shipped_redactor().analyze(text)]


def values(text: str) -> list[tuple[str, str]]:
    """Detected ``(value, entity type)`` pairs in ``text``."""
    return [(text[s:e], t) for s, e, t in found(text)]


def read_probe(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def offset_problems(rows: list[dict[str, Any]]) -> list[str]:
    """Ids of rows whose spans fall outside the text, carry surrounding spaces, or sit on a look-alike."""
    bad = []
    for row in rows:
        if row.get("lookalike") and row["spans"]:
            bad.append(row["id"])
        for span in row["spans"]:
            inside = 0 <= span["start"] < span["end"] <= len(row["text"])
            value = row["text"][span["start"] : span["end"]]
            if not inside or value.strip() != value:
                bad.append(row["id"])
    return bad


def probe_recall(
    analyze: Callable[[str], Found], rows: list[dict[str, Any]]
) -> tuple[int, int, list[tuple[str, str]]]:
    """(found, total, missed as (row id, gold value)) over the rows that are not look-alikes."""
    total = hit = 0
    missed = []
    for row in rows:
        if row.get("lookalike"):
            continue
        found = analyze(row["text"])
        for span in row["spans"]:
            total += 1
            if any(s < span["end"] and span["start"] < e for s, e, _ in found):
                hit += 1
            else:
                missed.append((row["id"], row["text"][span["start"] : span["end"]]))
    return hit, total, missed


def touched_lookalikes(
    analyze: Callable[[str], Found], rows: list[dict[str, Any]], allowed: Mapping[str, set[tuple[str, str]]]
) -> list[tuple[str, set[tuple[str, str]]]]:
    """Look-alike rows in which something beyond ``allowed[row id]`` (value, type) was detected."""
    touched = []
    for row in rows:
        if not row.get("lookalike"):
            continue
        found = {(row["text"][s:e], t) for s, e, t in analyze(row["text"])}
        if found - allowed.get(row["id"], set()):
            touched.append((row["id"], found))
    return touched

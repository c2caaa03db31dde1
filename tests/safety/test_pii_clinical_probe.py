"""Blind clinical-notes probe (pii_probe_clinical_v1): ages, names and device ids in clinical styles.

The probe was written before reading the recognizers (132 snippets with gold spans, 30 clinical
look-alikes). Recall counts a gold span as found when any detected span overlaps it (the eval runner's
matching). Reached: 189/191 = 0.990 (AGE, PERSON, DEVICE_ID, MRN 1.000); left: a town after an
address line ("14 Elm Grove, Leeds") and "next Tuesday" (weekdays stay by policy). Since the v2 probe round
the town after a street line is found too (190/191 = 0.995).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pii_probe_helpers import found as _found
from pii_probe_helpers import offset_problems, probe_recall, read_probe, touched_lookalikes

PROBE = Path(__file__).parent / "data" / "pii_probe_clinical_v1.jsonl"
MIN_RECALL = 0.985  # 189/191 reached; 188/191 = 0.984 fails
# Clock times are redacted as DATE_TIME by project policy (ExtraDateRecognizer "clock time").
POLICY_EXCEPTIONS = {"PP1-146": {("22:00", "DATE_TIME")}}


def _rows() -> list[dict[str, Any]]:
    return read_probe(PROBE)


def test_probe_offsets_are_consistent() -> None:
    rows = _rows()
    assert len(rows) == 162
    assert not offset_problems(rows)


def test_probe_recall() -> None:
    hit, total, missed = probe_recall(_found, _rows())
    assert hit / total >= MIN_RECALL, missed


def test_probe_lookalikes_untouched() -> None:
    assert not touched_lookalikes(_found, _rows(), POLICY_EXCEPTIONS)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("84 yof with dementia, restless overnight.", "84"),
        ("60yom with chest pain.", "60"),
        ("35-y-o G4P3 with PPH.", "35"),
        ("Pt is 8 mo, fever since yesterday.", "8 mo"),
        ("11 mo boy brought in by his father.", "11 mo"),
        ("DOB 11/12/1950 (73), admitted for hip fracture.", "73"),
        ("Patient (M, 52) reports cough.", "52"),
        ("Seen today (61, F), well.", "61"),
        ("Early 60s female, found confused.", "60s"),
        ("my grandpa is eighty-seven and short of breath", "eighty-seven"),
    ],
)
def test_clinical_age_forms(text: str, value: str) -> None:
    found = [(text[s:e], t) for s, e, t in _found(text)]
    assert any(t == "AGE" and value in v for v, t in found), found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Seen by RN k. adeyemi at the start of shift.", "adeyemi"),
        ("Reviewed by nurse p. o'hara, obs stable.", "o'hara"),
        ("Discussed with Mr O'Keefe, the patient's son.", "O'Keefe"),
        ("Dear Ms D'Souza, thank you for attending.", "D'Souza"),
    ],
)
def test_clinician_and_titled_names(text: str, value: str) -> None:
    found = [(text[s:e], t) for s, e, t in _found(text)]
    assert any(t == "PERSON" and value in v for v, t in found), found


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Libre 3 receiver serial 3MH00AB1C2D exchanged.", "3MH00AB1C2D"),
        ("Guardian transmitter GT4477120H paired.", "GT4477120H"),
        ("Hip stem LOT 88213407, size 12.", "88213407"),
        ("Mesh batch # K77B102 recorded in op note.", "K77B102"),
        ("Hosp #: B7720193", "B7720193"),
    ],
)
def test_device_lot_and_hospital_numbers(text: str, value: str) -> None:
    found = [text[s:e] for s, e, _ in _found(text)]
    assert any(value in v for v in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Gestational age 32+4 weeks by dating scan.",
        "Symptoms for 3 mo, worse at night.",
        "She is 6 months pregnant.",
        "Pt is 3 months post MI.",
        "Sats in the mid 90s on 2L, systolic in the 80s.",
        "Women in their 40s are screened yearly.",
        "A lot of pain today; a batch of 20 tablets dispensed.",
        "Ref range 3.5-5.0 mmol/L.",
        "Transmitter battery low, CGM reading 8.2 mmol/L.",
        "GCS 15, HR 88, BP 120/80, RR 18, SpO2 97% on RA.",
        "She is one of three siblings.",
    ],
)
def test_new_forms_leave_lookalikes(text: str) -> None:
    assert _found(text) == []

"""Vital signs stated in free text, and the early-warning scores computed from them (NEWS2, qSOFA).

Reading numbers ("HR 118", "BP 92/60", "SpO2 90% on room air", "temp 38.9") is text processing and lives
here; every threshold and score band comes from ``engine.yaml`` (``early_warning``), so clinicians review
them with the rest of the policy. A parameter that the text does not state scores nothing: the scores are
partial and can only add evidence, never excuse a red flag.
"""

from __future__ import annotations

import re

from backend.triage.types import VitalSigns
from clinical_policies.schema_triage import EarlyWarningSettings, ScoreBand

_GAP = r"\W+(?:(?:is|was|of|at|about|around|now|only|a)\W+)?"
_HEART_RATE = (
    re.compile(r"(?:\bhr\b|heart rate|\bpulse(?: rate)?\b|\bp\b)" + _GAP + r"(\d{2,3})\b(?!\s*(?:%|/|mm))"),
    re.compile(r"\b(\d{2,3})\s*(?:bpm|beats (?:per|a) minute)"),
)
_RESP_RATE = (
    re.compile(
        r"(?:\brr\b|\bresp\w*(?: rate)?\b|respiratory rate|breathing rate)" + _GAP + r"(\d{1,2})\b(?!\s*%)"
    ),
    re.compile(r"\b(\d{1,2})\s*(?:breaths (?:per|a) minute|/min\b)"),
    # lay counts: "breathing about 28 times a minute", "he counted 25 a minute", "breathing 26"
    re.compile(r"\bbreath\w*\W+(?:\w+\W+){0,5}?(\d{1,2})\s*(?:times\s*|breaths\s*)?(?:a|per|/)\s*min"),
    re.compile(
        r"\bbreathing\W+(?:at\W+|is\W+|of\W+)?(\d{2})\b(?!\s*(?:%|/|mm|years?|yrs?|kg|hours?|mins?|minutes?))"
    ),
)
_SPO2 = (
    re.compile(
        r"(?:spo2|sp02|sao2|\bo2 sat\w*|\bsats?\b|saturations?|saturating"
        r"|oxygen (?:saturation|sats?|levels?)|\boxygen\b|oximeter)"
        r"\W+(?:\w+\W+){0,8}?(\d{2,3})\s*%"
    ),
    # a home pulse oximeter read aloud without the percent sign: "my oxygen reading is 89"
    re.compile(
        r"(?:oxygen|\bo2\b|oximeter) (?:reading|level|sat\w*|says|reads)\W+(?:\w+\W+){0,2}?(\d{2})\b"
        r"(?!\s*(?:/|mm|bpm|l\b|litres?))"
    ),
    re.compile(r"\b(\d{2})\s*%\s*(?:on|in) (?:room )?air\b"),
)
_BLOOD_PRESSURE = (
    re.compile(
        r"(?:\bbp\b|blood pressure|\bsystolic\b|\bsbp\b)\W+(?:\w+\W+){0,2}?"
        r"(\d{2,3})\s*(?:(?:/|over)\s*\d{2,3}|mm)"
    ),
    re.compile(r"(?<![\d/.])(\d{2,3})\s*/\s*\d{2,3}\s*(?:mm\s*hg|mmhg)"),
    re.compile(r"(?:\bsbp\b|\bsystolic\b)\W+(?:of\W+|is\W+|was\W+)?(\d{2,3})\b"),  # "SBP 78"
)
_TEMPERATURE = (
    re.compile(
        r"(?:\btemp(?:erature)?\b|\bt\b|fever|thermometer)\W+(?:\w+\W+){0,2}?"
        r"(\d{2,3}(?:\.\d)?)\s*(?:°|degrees?)?\s*([cf])?\b"
    ),
    re.compile(r"\b(\d{2,3}(?:\.\d)?)\s*(?:°|degrees?)\s*([cf])\b"),
)


def _first(patterns: tuple[re.Pattern[str], ...], text: str) -> re.Match[str] | None:
    matches = [m for p in patterns for m in p.finditer(text)]
    return min(matches, key=lambda m: m.start()) if matches else None


def _number(patterns: tuple[re.Pattern[str], ...], text: str, low: float, high: float) -> float | None:
    match = _first(patterns, text)
    if match is None:
        return None
    value = float(match.group(1))
    return value if low <= value <= high else None


def _temperature(text: str) -> float | None:
    match = _first(_TEMPERATURE, text)
    if match is None:
        return None
    value = float(match.group(1))
    fahrenheit = match.group(2) == "f" or (match.group(2) is None and value > 45)
    celsius = (value - 32) * 5 / 9 if fahrenheit else value
    return round(celsius, 1) if 25 <= celsius <= 45 else None


def extract_vitals(text: str) -> VitalSigns:
    """Heart rate, respiratory rate, SpO2, systolic BP and temperature (°C) stated in normalised text."""
    return VitalSigns(
        heart_rate=_number(_HEART_RATE, text, 20, 260),
        respiratory_rate=_number(_RESP_RATE, text, 4, 90),
        spo2=_number(_SPO2, text, 50, 100),
        systolic_bp=_number(_BLOOD_PRESSURE, text, 40, 300),
        temperature_c=_temperature(text),
    )


def merge_vitals(old: VitalSigns, new: VitalSigns) -> VitalSigns:
    """The newest stated value of each vital sign."""
    fields = VitalSigns.model_fields
    return VitalSigns(
        **{k: getattr(new, k) if getattr(new, k) is not None else getattr(old, k) for k in fields}
    )


def _band_score(bands: tuple[ScoreBand, ...], value: float | None) -> int:
    if value is None:
        return 0
    return next(b.score for b in bands if b.up_to is None or value <= b.up_to)


def news2(
    settings: EarlyWarningSettings, vitals: VitalSigns, altered_mentation: bool, age_years: float | None
) -> int | None:
    """NEWS2 aggregate over the stated parameters; None when nothing was stated or the patient is a child."""
    scale = settings.news2
    if age_years is not None and age_years < scale.min_age_years:
        return None
    if vitals == VitalSigns() and not altered_mentation:
        return None
    return (
        _band_score(scale.respiratory_rate, vitals.respiratory_rate)
        + _band_score(scale.spo2, vitals.spo2)
        + _band_score(scale.systolic_bp, vitals.systolic_bp)
        + _band_score(scale.heart_rate, vitals.heart_rate)
        + _band_score(scale.temperature_c, vitals.temperature_c)
        + (scale.new_confusion if altered_mentation else 0)
    )


def qsofa(settings: EarlyWarningSettings, vitals: VitalSigns, altered_mentation: bool) -> int:
    """qSOFA: respiratory rate, systolic blood pressure and altered mentation, one point each."""
    criteria = settings.qsofa
    rr, sbp = vitals.respiratory_rate, vitals.systolic_bp
    return (
        int(rr is not None and rr >= criteria.respiratory_rate_at_least)
        + int(sbp is not None and sbp <= criteria.systolic_bp_at_most)
        + int(altered_mentation)
    )

"""Span-level PII/PHI metrics: recall per gold entity type, precision per predicted type, overlap matching.

A gold span counts as *covered* when any predicted span overlaps it (what matters for privacy: the
identifier did not reach the model), and as *typed* when an overlapping prediction has an equivalent
type. ``char_recall`` is the share of gold characters inside predicted spans (partial redactions count
partially).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

Span = tuple[int, int, str]  # start, end (exclusive), entity type

# Types that name the same identifier under different recognizers.
EQUIVALENT = {
    "GPE": "LOCATION",
    "FAX_NUMBER": "PHONE_NUMBER",
    "UK_NHS": "NHS_NUMBER",
    "US_MBI": "HEALTH_PLAN_ID",
    "DOMAIN_NAME": "URL",
}


def _canon(entity: str) -> str:
    return EQUIVALENT.get(entity, entity)


@dataclass
class PiiCounts:
    """Accumulated counts; call :meth:`add` per document."""

    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    covered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    typed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    predicted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    gold_chars: int = 0
    covered_chars: int = 0
    clean_docs: int = 0
    clean_docs_untouched: int = 0

    def add(self, gold: Iterable[Span], predicted: Iterable[Span]) -> None:
        """Add one document's gold and predicted spans."""
        gold, predicted = list(gold), list(predicted)
        masked: set[int] = set()
        for start, end, _ in predicted:
            masked.update(range(start, end))
        for start, end, entity in gold:
            self.gold[entity] += 1
            overlapping = [p for p in predicted if p[0] < end and start < p[1]]
            self.covered[entity] += bool(overlapping)
            self.typed[entity] += any(_canon(p[2]) == _canon(entity) for p in overlapping)
            self.gold_chars += end - start
            self.covered_chars += sum(1 for i in range(start, end) if i in masked)
        for start, end, entity in predicted:
            self.predicted[entity] += 1
            self.correct[entity] += any(g[0] < end and start < g[1] for g in gold)
        if not gold:
            self.clean_docs += 1
            self.clean_docs_untouched += not predicted

    def report(self) -> dict[str, object]:
        """Per-type and overall recall/precision, F2 and char recall."""
        gold_total, covered_total = sum(self.gold.values()), sum(self.covered.values())
        predicted_total, correct_total = sum(self.predicted.values()), sum(self.correct.values())
        recall = covered_total / gold_total if gold_total else 1.0
        precision = correct_total / predicted_total if predicted_total else 1.0
        f2 = 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0
        return {
            "phi_recall": recall,
            "precision": precision,
            "f2": f2,
            "typed_recall": sum(self.typed.values()) / gold_total if gold_total else 1.0,
            "char_recall": self.covered_chars / self.gold_chars if self.gold_chars else 1.0,
            "hard_negative_docs_untouched": (
                self.clean_docs_untouched / self.clean_docs if self.clean_docs else 1.0
            ),
            "recall_by_type": {
                e: {"n": n, "recall": self.covered[e] / n, "typed_recall": self.typed[e] / n}
                for e, n in sorted(self.gold.items())
            },
            "precision_by_type": {
                e: {"n": n, "precision": self.correct[e] / n} for e, n in sorted(self.predicted.items())
            },
        }

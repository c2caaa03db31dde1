"""Inter-annotator agreement over clinician ratings: Cohen's and Fleiss' kappa plus a disagreement report.

Categories are the rating labels (``a``, ``b``, ``tie``). Kappa corrects raw agreement for the
agreement expected by chance: 1 = perfect, 0 = chance level, < 0 = systematic disagreement.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from alignment.schema import ClinicianRating

LABELS = ("a", "b", "tie")


def cohens_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Cohen's kappa for two raters labelling the same items in the same order.

    Raises:
        ValueError: the sequences differ in length or are empty.
    """
    if len(first) != len(second) or not first:
        raise ValueError("Cohen's kappa needs two equally long, non-empty label sequences")
    n = len(first)
    observed = sum(x == y for x, y in zip(first, second, strict=True)) / n
    counts_1, counts_2 = Counter(first), Counter(second)
    expected = sum(counts_1[label] * counts_2[label] for label in set(first) | set(second)) / (n * n)
    if expected == 1.0:  # both raters used one identical label throughout: agreement is trivially perfect
        return 1.0
    return (observed - expected) / (1 - expected)


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float:
    """Fleiss' kappa from an items x categories count table (each row sums to the same rater count).

    Raises:
        ValueError: empty table, fewer than two raters per item, or unequal rater counts.
    """
    if not table:
        raise ValueError("Fleiss' kappa needs at least one item")
    raters = sum(table[0])
    if raters < 2 or any(sum(row) != raters for row in table):
        raise ValueError("Fleiss' kappa needs the same number (>= 2) of raters for every item")
    items = len(table)
    per_item = [(sum(c * c for c in row) - raters) / (raters * (raters - 1)) for row in table]
    p_bar = sum(per_item) / items
    categories = len(table[0])
    shares = [sum(row[j] for row in table) / (items * raters) for j in range(categories)]
    p_e = sum(p * p for p in shares)
    if p_e == 1.0:
        return 1.0
    return (p_bar - p_e) / (1 - p_e)


@dataclass(frozen=True)
class DisagreedItem:
    """An item whose annotators did not all give the same label."""

    item_key: str
    prompt: str
    labels: dict[str, str]  # annotator_id -> label
    rationales: dict[str, str]  # annotator_id -> rationale


@dataclass
class AgreementReport:
    """Everything ``align agreement`` prints and writes."""

    n_ratings: int
    n_items: int
    annotators: list[str]
    pairwise_cohen: dict[str, float] = field(default_factory=dict)  # "ann1|ann2" -> kappa
    fleiss: float | None = None
    fleiss_items: int = 0
    fleiss_raters: int = 0
    raw_agreement: float = 0.0  # share of multiply-rated items with unanimous labels
    disagreements: list[DisagreedItem] = field(default_factory=list)

    def to_markdown(self) -> str:
        """Human-readable report for the clinical safety review."""
        lines = [
            "# Inter-annotator agreement",
            "",
            f"- ratings: {self.n_ratings}, items: {self.n_items}, annotators: {', '.join(self.annotators)}",
            f"- unanimous items (of those rated at least twice): {self.raw_agreement:.1%}",
            f"- Fleiss' kappa: {_fmt(self.fleiss)} "
            f"over {self.fleiss_items} items x {self.fleiss_raters} raters",
            "",
            "| annotator pair | Cohen's kappa |",
            "|---|---|",
        ]
        lines += [
            f"| {pair.replace('|', ' / ')} | {kappa:.3f} |" for pair, kappa in self.pairwise_cohen.items()
        ]
        lines += ["", f"## Disagreements ({len(self.disagreements)})", ""]
        for item in self.disagreements:
            lines.append(f"### {item.item_key}")
            lines.append(f"> {item.prompt}")
            lines.append("")
            for annotator, label in item.labels.items():
                lines.append(
                    f"- **{annotator}**: {label}; {item.rationales.get(annotator) or '(no rationale)'}"
                )
            lines.append("")
        return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def agreement_report(ratings: Sequence[ClinicianRating]) -> AgreementReport:
    """Compute pairwise Cohen's kappa, Fleiss' kappa and the list of disagreed items.

    If an annotator rated an item twice, the latest rating (``created_at``) counts. Fleiss' kappa
    uses the items that have the most common rater count, since it needs a constant count.
    """
    latest: dict[tuple[str, str], ClinicianRating] = {}
    for rating in sorted(ratings, key=lambda r: r.created_at):
        latest[(rating.item_key, rating.annotator_id)] = rating
    by_item: dict[str, dict[str, ClinicianRating]] = defaultdict(dict)
    for (item, annotator), rating in latest.items():
        by_item[item][annotator] = rating
    annotators = sorted({annotator for _, annotator in latest})
    report = AgreementReport(n_ratings=len(ratings), n_items=len(by_item), annotators=annotators)

    for first, second in itertools.combinations(annotators, 2):
        shared = [item for item, rated in by_item.items() if first in rated and second in rated]
        if shared:
            report.pairwise_cohen[f"{first}|{second}"] = cohens_kappa(
                [by_item[i][first].preferred for i in shared], [by_item[i][second].preferred for i in shared]
            )

    multi = {item: rated for item, rated in by_item.items() if len(rated) >= 2}
    if multi:
        modal_count = Counter(len(rated) for rated in multi.values()).most_common(1)[0][0]
        table = [
            [sum(r.preferred == label for r in rated.values()) for label in LABELS]
            for rated in multi.values()
            if len(rated) == modal_count
        ]
        report.fleiss, report.fleiss_items, report.fleiss_raters = (
            fleiss_kappa(table),
            len(table),
            modal_count,
        )
        unanimous = sum(len({r.preferred for r in rated.values()}) == 1 for rated in multi.values())
        report.raw_agreement = unanimous / len(multi)
    for item, rated in sorted(multi.items()):
        if len({r.preferred for r in rated.values()}) > 1:
            any_rating = next(iter(rated.values()))
            report.disagreements.append(
                DisagreedItem(
                    item_key=item,
                    prompt=any_rating.prompt,
                    labels={a: r.preferred for a, r in sorted(rated.items())},
                    rationales={a: r.rationale for a, r in sorted(rated.items())},
                )
            )
    return report

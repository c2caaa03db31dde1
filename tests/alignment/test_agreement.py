from datetime import datetime, timedelta

import pytest
from sklearn.metrics import cohen_kappa_score

from alignment.agreement import agreement_report, cohens_kappa, fleiss_kappa
from alignment.schema import ClinicianRating


def test_cohens_kappa_matches_scikit_learn():
    first = list("aabbaababtabbbaattab")
    second = list("abbbaabbataabbatttab")
    assert cohens_kappa(first, second) == pytest.approx(cohen_kappa_score(first, second))


def test_cohens_kappa_perfect_and_constant():
    assert cohens_kappa(list("abab"), list("abab")) == 1.0
    assert cohens_kappa(list("aaaa"), list("aaaa")) == 1.0


def test_fleiss_kappa_matches_the_textbook_example():
    # Fleiss (1971) / Wikipedia worked example: 10 items, 14 raters, 5 categories -> kappa = 0.210
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    assert fleiss_kappa(table) == pytest.approx(0.2099, abs=1e-3)


def test_when_rater_counts_differ_then_fleiss_refuses():
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa([[2, 0, 0], [1, 0, 0]])


def _rating(item: int, annotator: str, preferred: str, minutes: int = 0) -> ClinicianRating:
    return ClinicianRating(
        conversation_id=f"c{item}",
        turn_index=0,
        prompt=f"prompt {item}",
        response_a="A",
        response_b="B",
        preferred=preferred,
        rationale=f"{annotator} says {preferred}",
        annotator_id=annotator,
        guideline_version="1.0",
        created_at=datetime(2026, 11, 1) + timedelta(minutes=minutes),
    )


def test_agreement_report_lists_disagreements_with_rationales():
    labels = {"rn-1": "aabba", "rn-2": "aabbb", "rn-3": "abbba"}
    ratings = [_rating(i, ann, lab) for ann, seq in labels.items() for i, lab in enumerate(seq)]
    report = agreement_report(ratings)
    assert report.n_items == 5 and report.fleiss_raters == 3 and report.fleiss_items == 5
    assert set(report.pairwise_cohen) == {"rn-1|rn-2", "rn-1|rn-3", "rn-2|rn-3"}
    assert [d.item_key for d in report.disagreements] == ["c1#0", "c4#0"]
    assert report.raw_agreement == pytest.approx(3 / 5)
    markdown = report.to_markdown()
    assert "Fleiss' kappa" in markdown and "rn-3 says b" in markdown


def test_latest_rating_per_annotator_wins():
    ratings = [_rating(0, "rn-1", "a", 0), _rating(0, "rn-1", "b", 5), _rating(0, "rn-2", "b", 1)]
    report = agreement_report(ratings)
    assert report.disagreements == []
    assert report.raw_agreement == 1.0

"""Clinician ratings of model answers: the preference data the alignment pipeline imports."""

from backend.ratings.models import RatingRow
from backend.ratings.repository import DuplicateRatingError, RatingStore

__all__ = ["DuplicateRatingError", "RatingRow", "RatingStore"]

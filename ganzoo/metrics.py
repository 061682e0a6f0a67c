"""Sample-quality metrics and the bundled evaluators."""

from ganzoo.core.metrics import (
    classifier_score,
    feature_statistics,
    frechet_distance,
    frechet_distance_from_statistics,
)
from ganzoo.image.evaluator import DigitEvaluator, score_digits

__all__ = [
    "DigitEvaluator",
    "classifier_score",
    "feature_statistics",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "score_digits",
]

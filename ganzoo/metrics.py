"""Sample-quality metrics and the bundled evaluators; `score_table` for synthetic tables."""

from ganzoo.audio.evaluator import SpokenDigitEvaluator, score_spoken_digits
from ganzoo.core.evaluator import ClassifierEvaluator
from ganzoo.core.scores import (
    classifier_score,
    density_coverage,
    feature_statistics,
    frechet_distance,
    frechet_distance_from_statistics,
    precision_recall,
)
from ganzoo.image.evaluator import DigitEvaluator, score_digits
from ganzoo.tabular.quality import score_table

__all__ = [
    "ClassifierEvaluator",
    "DigitEvaluator",
    "SpokenDigitEvaluator",
    "classifier_score",
    "density_coverage",
    "feature_statistics",
    "frechet_distance",
    "frechet_distance_from_statistics",
    "precision_recall",
    "score_digits",
    "score_spoken_digits",
    "score_table",
]

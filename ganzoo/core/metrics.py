"""Deprecated: use `ganzoo.metrics` (every metric and evaluator) or `ganzoo.core.scores`
(the measures on features and logits). Kept for ganzoo 0.3."""

import warnings

from ganzoo.core.scores import (  # noqa: F401
    classifier_report, classifier_score, feature_statistics, frechet_distance,
    frechet_distance_from_statistics, save_evaluator_assets)

warnings.warn("ganzoo.core.metrics is deprecated and goes in 0.7; import ganzoo.metrics.",
              DeprecationWarning, stacklevel=2)

"""Tables: a conditional tabular GAN (CTGAN family) on the shared adversarial core.

The pieces are separate and testable alone: `DataTransformer` (mode-specific
normalization), `ConditionalSampler` (training-by-sampling), `TabularGAN` (the Keras
model), `MarginalCalibrator` (matches generated column distributions to the data's)
and `TabularAugmenter` (the DataFrame-in, DataFrame-out API).
"""

from ganzoo.tabular.augmenter import TabularAugmenter
from ganzoo.tabular.calibration import MarginalCalibrator
from ganzoo.tabular.model import TabularGAN
from ganzoo.tabular.sampler import ConditionalSampler
from ganzoo.tabular.transformer import DataTransformer

__all__ = ["ConditionalSampler", "DataTransformer", "MarginalCalibrator", "TabularAugmenter",
           "TabularGAN"]

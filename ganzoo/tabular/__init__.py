"""Tables: a conditional tabular GAN (CTGAN family) on the shared adversarial core.

The pieces are separate and testable alone: `DataTransformer` (one encoder per column
kind, `ganzoo.tabular.encoders`), `ConditionalSampler` (training-by-sampling), `TabularGAN` (the Keras
model), `MarginalCalibrator` (matches generated column distributions to the data's)
and `TabularAugmenter` (the DataFrame-in, DataFrame-out API); `quality` scores a
synthetic table against the real one (`ganzoo.metrics.score_table`).
"""

from ganzoo._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {"TabularAugmenter": "augmenter", "MarginalCalibrator": "calibration",
     "TabularGAN": "model", "ConditionalSampler": "sampler", "DataTransformer": "transformer",
     "dataset_from_arrays": "data", "read_csv": "data"},
    submodules=("augmenter", "calibration", "data", "defaults", "encoders", "model",
                "networks", "quality", "sampler", "transformer"))

"""All ganzoo callbacks in one place: `ganzoo.callbacks.SampleGrid`, ..."""

from ganzoo.core.callbacks import LossCurve, PeriodicSamples
from ganzoo.image.callbacks import SampleGrid

__all__ = ["LossCurve", "PeriodicSamples", "SampleGrid"]

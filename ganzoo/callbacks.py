"""All ganzoo callbacks in one place: `ganzoo.callbacks.SampleGrid`, ..."""

from ganzoo.audio.callbacks import SpectrogramGrid
from ganzoo.core.training_callbacks import (BackupAndRestore, EpochProgressBar, LossCurve,
                                            PeriodicSamples)
from ganzoo.image.callbacks import SampleGrid

__all__ = ["BackupAndRestore", "EpochProgressBar", "LossCurve", "PeriodicSamples", "SampleGrid",
           "SpectrogramGrid"]

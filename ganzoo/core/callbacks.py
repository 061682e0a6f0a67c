"""Deprecated: use `ganzoo.callbacks` (every callback) or
`ganzoo.core.training_callbacks` (the shared ones). Kept for ganzoo 0.3."""

import warnings

from ganzoo.core.distribute import is_chief  # noqa: F401
from ganzoo.core.training_callbacks import (  # noqa: F401
    BackupAndRestore, EpochProgressBar, LossCurve, PeriodicSamples)

warnings.warn("ganzoo.core.callbacks is deprecated and goes in 0.7; import ganzoo.callbacks.",
              DeprecationWarning, stacklevel=2)

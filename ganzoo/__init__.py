"""ganzoo: a Keras 3 model zoo of generative adversarial networks."""

__version__ = "0.2.0"

from ganzoo import audio, callbacks, core, datasets, image, metrics, tabular  # noqa: E402
from ganzoo import augment, presets  # noqa: E402
from ganzoo.core.adversarial import AdversarialModel  # noqa: E402
from ganzoo.presets import from_preset, save_preset  # noqa: E402

__all__ = ["AdversarialModel", "audio", "augment", "callbacks", "core", "datasets",
           "from_preset", "image", "metrics", "presets", "save_preset", "tabular",
           "__version__"]

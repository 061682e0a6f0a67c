"""ganzoo: a Keras 3 model zoo of generative adversarial networks."""

__version__ = "0.1.0"

from ganzoo import audio, callbacks, core, datasets, image, metrics, tabular  # noqa: E402
from ganzoo.core.adversarial import AdversarialModel  # noqa: E402

__all__ = ["AdversarialModel", "audio", "callbacks", "core", "datasets", "image", "metrics", "tabular",
           "__version__"]

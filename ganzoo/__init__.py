"""ganzoo: a Keras 3 model zoo of generative adversarial networks.

`import ganzoo` loads no TensorFlow: sub-packages and classes are imported on first use
(`ganzoo.image.DCGAN` registers DCGAN with Keras' serialization then), so the `ganzoo`
command answers `--help` at once. `ganzoo.load_model(path)` loads any saved ganzoo
model in a fresh process.
"""

from ganzoo._version import __version__  # noqa: F401

from ganzoo._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {"AdversarialModel": "core.adversarial", "from_preset": "presets",
     "save_preset": "presets", "load_model": "models"},
    submodules=("audio", "augment", "callbacks", "core", "datasets", "image", "metrics",
                "models", "presets", "tabular"))
__all__ = [*__all__, "__version__"]

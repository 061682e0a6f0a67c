"""ganzoo: a Keras 3 model zoo of generative adversarial networks."""

import os
import sys

from ganzoo._version import __version__  # noqa: E402,F401

from ganzoo._lazy import lazy_exports  # noqa: E402

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {"AdversarialModel": "core.adversarial", "from_preset": "presets",
     "save_preset": "presets"},
    submodules=("audio", "augment", "callbacks", "core", "datasets", "image", "metrics",
                "models", "presets", "tabular"))
__all__ = [*__all__, "__version__"]


def _started_as_the_command_line():
    """True while the `ganzoo` command (or `python -m ganzoo[.cli]`) starts up: it
    imports what each command needs, so that `--help` needs no TensorFlow."""
    if not sys.argv:
        return False
    if sys.argv[0] == "-m":  # `python -m ...`, while the module is located
        argv = list(getattr(sys, "orig_argv", []))
        return "-m" in argv[:-1] and argv[argv.index("-m") + 1] in ("ganzoo", "ganzoo.cli")
    return os.path.basename(sys.argv[0]) in ("ganzoo", "ganzoo.exe")


if not _started_as_the_command_line():
    # Every model class registers itself with Keras when imported: after `import
    # ganzoo`, `keras.saving.load_model` finds them.
    from ganzoo import models as _models  # noqa: E402

    _models.import_all()

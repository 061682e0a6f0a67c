"""Lazy package attributes (PEP 562): `ganzoo.image.DCGAN` imports `ganzoo.image.model`
on first use, so that the command line can answer `--help` without loading TensorFlow."""

import importlib
import sys


def lazy_exports(package, exports, submodules=()):
    """`(__getattr__, __dir__, __all__)` for `package`.

    Args:
        exports: `{public name: submodule}` (relative to `package`) that defines it.
        submodules: sub-modules / sub-packages reachable as attributes.
    """
    exports = dict(exports)
    submodules = tuple(submodules)

    def __getattr__(name):
        if name in exports:
            value = getattr(importlib.import_module(f"{package}.{exports[name]}"), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__():
        return sorted(set(exports) | set(submodules) | set(vars(sys.modules[package])))

    return __getattr__, __dir__, sorted(set(exports) | set(submodules))

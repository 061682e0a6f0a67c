"""Small datasets bundled with ganzoo, so the examples run with no network."""

import os

import numpy as np

_HERE = os.path.dirname(__file__)


def load_digits():
    """4,000 real MNIST digits (400 per class), uint8 `[4000, 28, 28]`, and their
    int32 labels 0..9. A subset of MNIST (LeCun, Cortes and Burges; CC BY-SA 3.0)."""
    with np.load(os.path.join(_HERE, "digits.npz")) as data:
        return data["images"], data["labels"].astype("int32")


__all__ = ["load_digits"]

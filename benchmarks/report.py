"""Helpers of every benchmark: where the data is, the evaluators' splits of it, tables."""

import os

from ganzoo.core.report import print_table  # noqa: F401

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")


def digit_splits():
    """((train images, labels), (held-out images, labels)) of mnist8k, as the bundled
    digit evaluator split it."""
    from ganzoo.image.evaluator import digit_splits as split

    return split(os.path.join(SHARED, "mnist8k.npz"))


def spoken_clips():
    """All spoken_digits clips and a mask of the spoken-digit evaluator's held-out ones."""
    from ganzoo.audio.evaluator import spoken_digit_clips

    return spoken_digit_clips(os.path.join(SHARED, "spoken_digits"))

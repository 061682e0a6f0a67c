"""Where the examples find ../shared/data, and the bundled evaluators' train / held-out
splits of it (presets train on the training split; everything is scored on the
held-out one). The splits themselves are the package's:
`ganzoo.image.evaluator.digit_splits`, `ganzoo.audio.evaluator.spoken_digit_clips`."""

import os

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")


def digit_splits():
    """((train images, labels), (held-out images, labels)) of mnist8k."""
    from ganzoo.image.evaluator import digit_splits as split

    return split(os.path.join(SHARED, "mnist8k.npz"))


def spoken_clips():
    """All spoken_digits clips (AudioClips) and a mask of the held-out ones."""
    from ganzoo.audio.evaluator import spoken_digit_clips

    return spoken_digit_clips(os.path.join(SHARED, "spoken_digits"))


def waveforms(clips, indices, length=16384):
    """The clips at `indices`, cut or zero-padded to `length` samples."""
    return clips.waveforms(indices, length)

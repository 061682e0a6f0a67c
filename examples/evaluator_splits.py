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


def new_voice_splits(length=16384):
    """spoken_digits_newvoices split by voice: clips of 7 of its 14 voices (every other
    one, by name) as the user's pool, the other 7 voices' clips as the test set. No
    voice is in spoken_digits/ (the presets' data) or on both sides.
    ((pool waveforms, labels), (test waveforms, labels), (pool voices, test voices))."""
    import csv

    import numpy as np

    from ganzoo.audio.data import load_clips
    from ganzoo.audio.evaluator import SAMPLE_RATE, WORDS

    folder = os.path.join(SHARED, "spoken_digits_newvoices")
    with open(os.path.join(folder, "voices.csv"), newline="") as f:
        voice_of = {row["file"]: row["variant"] for row in csv.DictReader(f)}
    clips = load_clips(folder, SAMPLE_RATE, labels="filename", class_names=WORDS,
                       verbose=False)
    voices = np.array([voice_of[os.path.basename(p)] for p in clips.paths])
    names = sorted(set(voices))
    pool_voices, test_voices = names[0::2], names[1::2]
    pool = np.flatnonzero(np.isin(voices, pool_voices))
    test = np.flatnonzero(np.isin(voices, test_voices))
    waves = clips.waveforms(np.arange(len(clips)), length)
    return ((waves[pool], clips.labels[pool]), (waves[test], clips.labels[test]),
            (pool_voices, test_voices))

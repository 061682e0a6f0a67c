"""The bundled evaluators' train / held-out splits of ../shared/data, for the examples:
presets train on the training split, and everything is scored on the held-out one."""

import os

import numpy as np

SHARED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data")


def digit_splits():
    """((train images, labels), (held-out images, labels)) of mnist8k."""
    from ganzoo.image.evaluator import ASSETS, REFERENCE

    with np.load(os.path.join(SHARED, "mnist8k.npz")) as data:
        images, labels = data["images"], data["labels"].astype("int32")
    with np.load(os.path.join(ASSETS, REFERENCE)) as ref:
        held_out = ref["validation_index"]
    train = np.setdiff1d(np.arange(len(images)), held_out)
    return (images[train], labels[train]), (images[held_out], labels[held_out])


def spoken_clips():
    """All spoken_digits clips (AudioClips) and a mask of the held-out ones."""
    from ganzoo.audio import load_clips
    from ganzoo.audio.evaluator import ASSETS, REFERENCE, WORDS

    clips = load_clips(os.path.join(SHARED, "spoken_digits"), 16000, labels="filename",
                       class_names=WORDS, verbose=False)
    with np.load(os.path.join(ASSETS, REFERENCE)) as ref:
        held_out = set(ref["validation_files"].tolist())
    return clips, np.array([os.path.basename(p) in held_out for p in clips.paths])


def waveforms(clips, indices, length=16384):
    """The clips at `indices`, cut or zero-padded to `length` samples."""
    return np.stack([np.pad(clips.clip(i)[:length], (0, max(0, length - clips.lengths[i])))
                     for i in indices]).astype("float32")

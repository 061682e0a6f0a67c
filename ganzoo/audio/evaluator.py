"""A small spoken-digit classifier, bundled, that scores generated one-second clips.

`score_spoken_digits(waveforms)` returns the classifier score, the Frechet distance
between the classifier's features on the clips and on real spoken digits, the class
histogram and, given the requested labels, how often the classifier agrees.

Rebuild the bundled weights from a folder of `WORD_NNNN.flac` clips with
`python -m ganzoo.audio.evaluator --train DIR`.
"""

import os

import numpy as np

from ganzoo.core.evaluator import ClassifierEvaluator

ASSETS = os.path.join(os.path.dirname(__file__), "assets")
WEIGHTS = "spoken_digit_classifier.weights.h5"
REFERENCE = "spoken_digit_reference.npz"
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
SAMPLE_RATE = 16000
SLICE = 16384


def build_spoken_digit_classifier():
    """Log-mel front end (in the graph, so it takes raw waveforms) and a small CNN."""
    import keras
    from keras import layers

    from ganzoo.audio.features import LogMel

    waveform = keras.Input((SLICE,), name="waveform")
    x = LogMel(SAMPLE_RATE, name="log_mel")(waveform)  # [frames, mels]
    x = layers.Reshape((x.shape[1], x.shape[2], 1))(x)
    x = layers.BatchNormalization()(x)
    for width in (16, 32, 64):
        x = layers.Conv2D(width, 3, padding="same", activation="relu")(x)
        x = layers.Conv2D(width, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    features = layers.GlobalAveragePooling2D(name="features")(x)
    logits = layers.Dense(len(WORDS), name="logits")(layers.Dropout(0.3)(features))
    return keras.Model(waveform, [features, logits], name="spoken_digit_classifier")


def _as_waveforms(waveforms):
    x = np.asarray(waveforms, dtype="float32")
    if x.ndim == 3 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 2 or len(x) == 0:
        raise ValueError(f"Expected waveforms [n, samples], got shape {x.shape}.")
    if not np.all(np.isfinite(x)):
        raise ValueError("Waveforms contain NaN or infinite values.")
    if x.shape[1] < SLICE:
        x = np.pad(x, [(0, 0), (0, SLICE - x.shape[1])])
    return x[:, :SLICE]


class SpokenDigitEvaluator(ClassifierEvaluator):
    """The bundled spoken-digit classifier plus the feature statistics of real clips."""

    assets = ASSETS
    weights_file = WEIGHTS
    reference_file = REFERENCE
    class_names = WORDS
    count_key = "num_clips"
    train_epochs = 25
    batch_size = 200

    @classmethod
    def build_network(cls):
        return build_spoken_digit_classifier()

    @classmethod
    def model_inputs(cls, samples):
        return _as_waveforms(samples)

    @staticmethod
    def training_transform(wave, label):
        import tensorflow as tf

        # Small shifts and gains: generated clips are not aligned like real ones.
        shift = tf.random.uniform((), -1600, 1600, dtype=tf.int32)
        gain = tf.random.uniform((), 0.6, 1.0)
        return tf.roll(wave, shift, axis=0) * gain, label

    @classmethod
    def read_training_data(cls, folder):
        from ganzoo.audio.data import load_clips

        clips = load_clips(folder, SAMPLE_RATE, labels="filename", class_names=WORDS,
                           normalize="peak", verbose=False)
        x = clips.waveforms(length=SLICE)
        names = np.array([os.path.basename(p) for p in clips.paths])
        return x, clips.labels, lambda val: {"validation_files": names[val]}


def spoken_digit_clips(folder, assets=ASSETS):
    """Every clip of the spoken-digit folder the bundled evaluator was trained on
    (`AudioClips`, labels from names like seven_0001.flac) and a mask of the held-out
    clips it never trained on (its reference file names them)."""
    from ganzoo.audio.data import load_clips

    clips = load_clips(folder, SAMPLE_RATE, labels="filename", class_names=WORDS,
                       verbose=False)
    with np.load(os.path.join(assets, REFERENCE)) as ref:
        held_out = set(ref["validation_files"].tolist())
    return clips, np.array([os.path.basename(p) in held_out for p in clips.paths])


def default_evaluator():
    return SpokenDigitEvaluator.default()


def score_spoken_digits(waveforms, labels=None):
    """Scores one-second 16 kHz clips `[n, samples]` (floats in [-1, 1]).

    Returns `frechet_distance` (to real spoken-digit features, lower is better),
    `classifier_score` (1..10), `class_histogram` (in the order of `WORDS`),
    `num_clips`, and `label_accuracy` when `labels` (indices or words) are given.
    """
    return default_evaluator().score(waveforms, labels)


def train_spoken_digit_evaluator(folder, out_dir=ASSETS, epochs=25, seed=0,
                                 validation_fraction=0.2):
    x, y, extra = SpokenDigitEvaluator.read_training_data(folder)
    return SpokenDigitEvaluator.train(x, y, out_dir, epochs, seed, validation_fraction, extra)


if __name__ == "__main__":
    SpokenDigitEvaluator.main()

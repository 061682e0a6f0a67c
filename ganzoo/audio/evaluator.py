"""A small spoken-digit classifier, bundled, that scores generated one-second clips.

`score_spoken_digits(waveforms)` returns the classifier score, the Frechet distance
between the classifier's features on the clips and on real spoken digits, the class
histogram and, given the requested labels, how often the classifier agrees.

Rebuild the bundled weights from a folder of `WORD_NNNN.flac` clips with
`python -m ganzoo.audio.evaluator --train DIR`.
"""

import argparse
import functools
import json
import os

import numpy as np

from ganzoo.core import metrics

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


class SpokenDigitEvaluator:
    def __init__(self, assets=ASSETS):
        self.model = build_spoken_digit_classifier()
        self.model.load_weights(os.path.join(assets, WEIGHTS))
        with np.load(os.path.join(assets, REFERENCE)) as ref:
            self.reference_mean, self.reference_cov = ref["mean"], ref["cov"]
            self.info = json.loads(str(ref["info"]))

    def features_and_logits(self, waveforms, batch_size=200):
        x = _as_waveforms(waveforms)
        out_f, out_l = [], []
        for start in range(0, len(x), batch_size):
            f, l = self.model(x[start:start + batch_size], training=False)
            out_f.append(np.asarray(f))
            out_l.append(np.asarray(l))
        return np.concatenate(out_f), np.concatenate(out_l)

    def score(self, waveforms, labels=None):
        label_ids = None if labels is None else _label_ids(labels)
        features, logits = self.features_and_logits(waveforms)
        report = metrics.classifier_report(
            features, logits, (self.reference_mean, self.reference_cov), label_ids)
        return {**report, "num_clips": int(len(logits))}


def _label_ids(labels):
    labels = np.asarray(labels)
    if labels.dtype.kind in "US" or labels.dtype == object:
        lookup = {w: i for i, w in enumerate(WORDS)}
        try:
            return np.vectorize(lookup.__getitem__)(labels).astype("int64")
        except KeyError as e:
            raise ValueError(f"Unknown digit word {e.args[0]!r}; expected one of {WORDS}.") from None
    return labels.astype("int64")


@functools.lru_cache(maxsize=1)
def default_evaluator():
    return SpokenDigitEvaluator()


def score_spoken_digits(waveforms, labels=None):
    """Scores one-second 16 kHz clips `[n, samples]` (floats in [-1, 1]).

    Returns `frechet_distance` (to real spoken-digit features, lower is better),
    `classifier_score` (1..10), `class_histogram` (in the order of `WORDS`),
    `num_clips`, and `label_accuracy` when `labels` (indices or words) are given.
    """
    return default_evaluator().score(waveforms, labels)


def train_spoken_digit_evaluator(folder, out_dir=ASSETS, epochs=25, seed=0,
                                 validation_fraction=0.2):
    import keras
    import tensorflow as tf

    from ganzoo.audio.data import load_clips

    keras.utils.set_random_seed(seed)
    clips = load_clips(folder, SAMPLE_RATE, labels="filename", class_names=WORDS,
                       normalize="peak", verbose=False)
    x = np.stack([np.pad(clips.clip(i)[:SLICE], (0, max(0, SLICE - clips.lengths[i])))
                  for i in range(len(clips))]).astype("float32")
    y = clips.labels
    order = np.random.default_rng(seed).permutation(len(x))
    n_val = int(len(x) * validation_fraction)
    val, train = order[:n_val], order[n_val:]
    model = build_spoken_digit_classifier()
    classifier = keras.Model(model.input, model.outputs[1])
    classifier.compile(keras.optimizers.Adam(1e-3),
                       keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                       metrics=["accuracy"])

    def augment(wave, label):
        # Small shifts and gains: generated clips are not aligned like real ones.
        shift = tf.random.uniform((), -1600, 1600, dtype=tf.int32)
        gain = tf.random.uniform((), 0.6, 1.0)
        return tf.roll(wave, shift, axis=0) * gain, label

    train_ds = (tf.data.Dataset.from_tensor_slices((x[train], y[train]))
                .shuffle(len(train), seed=seed).map(augment).batch(64).prefetch(2))
    classifier.fit(train_ds, epochs=epochs, validation_data=(x[val], y[val]), verbose=2)
    _, val_acc = classifier.evaluate(x[val], y[val], verbose=0)
    info = {"validation_accuracy": float(val_acc), "train_clips": int(len(train)),
            "validation_clips": int(n_val), "seed": seed}
    val_names = np.array([os.path.basename(clips.paths[i]) for i in val])
    return metrics.save_evaluator_assets(model, x[train], out_dir, WEIGHTS, REFERENCE, info,
                                         validation_files=val_names)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Rebuild the bundled spoken-digit evaluator.")
    parser.add_argument("--train", required=True, help="folder of WORD_NNNN audio clips")
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--out", default=ASSETS)
    args = parser.parse_args(argv)
    print(json.dumps(train_spoken_digit_evaluator(args.train, args.out, args.epochs), indent=2))


if __name__ == "__main__":
    main()

"""A small digit classifier, bundled, that scores generated 28x28 digits.

`score_digits(images)` returns the Frechet distance between the classifier's
penultimate features on `images` and on real MNIST digits, the classifier score, the
class histogram, and, given the requested labels, how often the classifier agrees.

The bundled weights and reference statistics are rebuilt from an MNIST `.npz` with
`python -m ganzoo.image.evaluator --train mnist.npz`.
"""

import argparse
import functools
import json
import os

import numpy as np

from ganzoo.core import metrics

ASSETS = os.path.join(os.path.dirname(__file__), "assets")
WEIGHTS = "digit_classifier.weights.h5"
REFERENCE = "digit_reference.npz"
NUM_CLASSES = 10


def build_digit_classifier():
    """The evaluator network: three conv blocks, 128 pooled features, 10 logits."""
    import keras
    from keras import layers

    image = keras.Input((28, 28, 1), name="image")
    x = image
    for width in (32, 64):
        x = layers.Conv2D(width, 3, padding="same", activation="relu")(x)
        x = layers.Conv2D(width, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.Conv2D(128, 3, padding="same", activation="relu")(x)
    features = layers.GlobalAveragePooling2D(name="features")(x)
    logits = layers.Dense(NUM_CLASSES, name="logits")(layers.Dropout(0.3)(features))
    return keras.Model(image, [features, logits], name="digit_classifier")


def _as_model_input(images):
    """float32 `[n, 28, 28, 1]` in [-1, 1] from uint8 (0..255) or float [-1, 1]."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[1:] != (28, 28, 1):
        raise ValueError(
            f"The digit evaluator takes 28x28 grey images [n, 28, 28(, 1)], got shape {images.shape}."
        )
    if len(images) == 0:
        raise ValueError("No images to score.")
    if images.dtype == np.uint8:
        return images.astype("float32") / 127.5 - 1.0
    images = images.astype("float32")
    if not np.all(np.isfinite(images)):
        raise ValueError("Images contain NaN or infinite values.")
    if images.min() < -1.01 or images.max() > 1.01:
        raise ValueError(
            "Float images must be in [-1, 1] (the generators' range); pass uint8 for 0..255."
        )
    return images


class DigitEvaluator:
    """The bundled classifier plus the feature statistics of real digits."""

    def __init__(self, assets=ASSETS):
        self.model = build_digit_classifier()
        self.model.load_weights(os.path.join(assets, WEIGHTS))
        with np.load(os.path.join(assets, REFERENCE)) as ref:
            self.reference_mean = ref["mean"]
            self.reference_cov = ref["cov"]
            self.info = json.loads(str(ref["info"]))

    def features_and_logits(self, images, batch_size=500):
        x = _as_model_input(images)
        features, logits = [], []
        for start in range(0, len(x), batch_size):
            f, l = self.model(x[start:start + batch_size], training=False)
            features.append(np.asarray(f))
            logits.append(np.asarray(l))
        return np.concatenate(features), np.concatenate(logits)

    def predict(self, images):
        return self.features_and_logits(images)[1].argmax(axis=1)

    def score(self, images, labels=None):
        features, logits = self.features_and_logits(images)
        report = metrics.classifier_report(
            features, logits, (self.reference_mean, self.reference_cov), labels)
        return {**report, "num_images": int(len(logits))}


@functools.lru_cache(maxsize=1)
def default_evaluator():
    return DigitEvaluator()


def score_digits(images, labels=None):
    """Scores 28x28 grey digit images (uint8 0..255 or float [-1, 1]).

    Returns a dict: `frechet_distance` (lower is better; to real MNIST features),
    `classifier_score` (1..10, higher is better), `class_histogram` (fraction of
    images per predicted class), `num_images`, and `label_accuracy` when the
    requested `labels` (one per image, or one for all) are given.
    """
    return default_evaluator().score(images, labels)


def train_digit_evaluator(images, labels, out_dir=ASSETS, epochs=12, seed=0,
                          validation_fraction=0.2):
    """Trains the evaluator on real digits, holds out a validation split, and writes
    the weights and the reference statistics (of the training split's features)."""
    import keras

    keras.utils.set_random_seed(seed)
    x = _as_model_input(images)
    y = np.asarray(labels, dtype="int32")
    order = np.random.default_rng(seed).permutation(len(x))
    n_val = int(len(x) * validation_fraction)
    val, train = order[:n_val], order[n_val:]
    model = build_digit_classifier()
    classifier = keras.Model(model.input, model.outputs[1])
    classifier.compile(
        keras.optimizers.Adam(1e-3),
        keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    augment = keras.Sequential([keras.layers.RandomTranslation(0.08, 0.08, fill_value=-1.0),
                                keras.layers.RandomRotation(0.03, fill_value=-1.0)])
    import tensorflow as tf

    train_ds = (tf.data.Dataset.from_tensor_slices((x[train], y[train]))
                .shuffle(len(train), seed=seed).batch(64)
                .map(lambda a, b: (augment(a, training=True), b)).prefetch(2))
    classifier.fit(train_ds, epochs=epochs, validation_data=(x[val], y[val]), verbose=2)
    _, val_acc = classifier.evaluate(x[val], y[val], verbose=0)
    info = {"validation_accuracy": float(val_acc), "train_images": int(len(train)),
            "validation_images": int(n_val), "seed": seed}
    return metrics.save_evaluator_assets(model, x[train], out_dir, WEIGHTS, REFERENCE, info,
                                         validation_index=val)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Rebuild the bundled digit evaluator.")
    parser.add_argument("--train", required=True, help="an .npz with `images` and `labels`")
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--out", default=ASSETS)
    args = parser.parse_args(argv)
    with np.load(args.train) as data:
        info = train_digit_evaluator(data["images"], data["labels"], args.out, args.epochs)
    print(json.dumps(info, indent=2))


if __name__ == "__main__":
    main()

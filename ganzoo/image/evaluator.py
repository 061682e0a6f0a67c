"""A small digit classifier, bundled, that scores generated 28x28 digits.

`score_digits(images)` returns the Frechet distance between the classifier's
penultimate features on `images` and on real MNIST digits, the classifier score, the
class histogram, and, given the requested labels, how often the classifier agrees.

The bundled weights and reference statistics are rebuilt from an MNIST `.npz` with
`python -m ganzoo.image.evaluator --train mnist.npz`.
"""

import os

import numpy as np

from ganzoo.core.evaluator import ClassifierEvaluator

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


class DigitEvaluator(ClassifierEvaluator):
    """The bundled digit classifier plus the feature statistics of real digits."""

    assets = ASSETS
    weights_file = WEIGHTS
    reference_file = REFERENCE
    class_names = tuple(str(d) for d in range(NUM_CLASSES))
    count_key = "num_images"
    train_epochs = 12

    @classmethod
    def build_network(cls):
        return build_digit_classifier()

    @classmethod
    def model_inputs(cls, samples):
        return _as_model_input(samples)

    @staticmethod
    def training_transform(image, label):
        augment = _training_augmentation()
        return augment(image, training=True), label

    @classmethod
    def read_training_data(cls, path):
        with np.load(path) as data:
            images, labels = data["images"], data["labels"]
        return _as_model_input(images), labels, lambda val: {"validation_index": val}


def _training_augmentation():
    import keras

    global _AUGMENT
    if _AUGMENT is None:
        _AUGMENT = keras.Sequential([keras.layers.RandomTranslation(0.08, 0.08, fill_value=-1.0),
                                     keras.layers.RandomRotation(0.03, fill_value=-1.0)])
    return _AUGMENT


_AUGMENT = None


def digit_splits(npz_path, assets=ASSETS):
    """`((train images, labels), (held-out images, labels))` of the 8,000-digit file the
    bundled evaluator was trained on (`images`, `labels`), split as it was: the held-out
    digits are those it never trained on (its reference file names them)."""
    with np.load(npz_path) as data:
        images, labels = data["images"], data["labels"].astype("int32")
    with np.load(os.path.join(assets, REFERENCE)) as ref:
        held_out = ref["validation_index"]
    if len(images) <= held_out.max():
        raise ValueError(f"{npz_path!r} has {len(images)} digits; the evaluator's split is of "
                         "the 8,000-digit file it was trained on.")
    train = np.setdiff1d(np.arange(len(images)), held_out)
    return (images[train], labels[train]), (images[held_out], labels[held_out])


def default_evaluator():
    return DigitEvaluator.default()


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
    return DigitEvaluator.train(_as_model_input(images), labels, out_dir, epochs, seed,
                                validation_fraction, extra=lambda val: {"validation_index": val})


if __name__ == "__main__":
    DigitEvaluator.main()

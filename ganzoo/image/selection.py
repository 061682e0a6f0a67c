"""A second digit evaluator, for choosing a preset's snapshot without the bundled one.

The bundled evaluator reports the presets' scores; choosing a snapshot with it too
tunes the preset to that evaluator (an independent one then scores it worse). This one
is a different network (no global pooling: 256 dense features over the whole 7x7 map,
so position and stroke detail count; no training augmentation; another seed), trained
on the evaluator's training digits, and FD is taken against real held-out digits rather
than the training split. It is rebuilt on demand into a run folder, never bundled
(`examples/selection_evaluator.py`).
"""

import os

from ganzoo.core.evaluator import score_against
from ganzoo.image.evaluator import DigitEvaluator, build_digit_classifier


class SelectionDigitEvaluator(DigitEvaluator):
    assets = os.path.join("runs", "selection_evaluator")
    weights_file = "selection_classifier.weights.h5"
    reference_file = "selection_reference.npz"
    train_epochs = 10

    @classmethod
    def build_network(cls):
        import keras
        from keras import layers

        # The bundled network's two conv blocks (fresh weights), up to its 7x7 map.
        stem = build_digit_classifier()
        x = [layer for layer in stem.layers if isinstance(layer, layers.MaxPooling2D)][-1].output
        features = layers.Dense(256, activation="relu", name="features")(layers.Flatten()(x))
        logits = layers.Dense(10, name="logits")(layers.Dropout(0.4)(features))
        return keras.Model(stem.input, [features, logits], name="selection_classifier")

    @staticmethod
    def training_transform(image, label):
        return image, label


__all__ = ["SelectionDigitEvaluator", "score_against"]

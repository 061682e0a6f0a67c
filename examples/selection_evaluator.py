"""A second digit evaluator, for choosing a preset's snapshot without the bundled one.

The bundled evaluator reports the presets' scores; choosing a snapshot with it too
tunes the preset to that evaluator (an independent one then scores it worse). This one
is a different network (no global pooling: 256 dense features over the whole 7x7 map,
so position and stroke detail count; no training augmentation; another seed), trained
on the same 6,400 training digits, and FD is taken against real held-out digits rather
than the training split. It is rebuilt on demand into a run folder, never bundled.

    python examples/selection_evaluator.py --out runs/selection_evaluator
"""

import argparse
import json
import os

import numpy as np

from ganzoo.core.scores import frechet_distance
from ganzoo.image.evaluator import DigitEvaluator, _as_model_input, build_digit_classifier

from evaluator_splits import digit_splits

FOLDER = os.path.join("runs", "selection_evaluator")


class SelectionDigitEvaluator(DigitEvaluator):
    assets = FOLDER
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
    def augment_training_example(image, label):
        return image, label


def selection_evaluator(folder=FOLDER):
    """The evaluator in `folder`, trained there first if it is not; the default folder's
    is loaded once per process, as the bundled evaluator is."""
    if not os.path.exists(os.path.join(folder, SelectionDigitEvaluator.weights_file)):
        (x, y), _ = digit_splits()
        info = SelectionDigitEvaluator.train(_as_model_input(x), y, folder, seed=1)
        print("selection evaluator trained:", json.dumps(info), flush=True)
    if folder == SelectionDigitEvaluator.assets:
        return SelectionDigitEvaluator.default()
    return SelectionDigitEvaluator(folder)


def score_against(evaluator, fake, labels, real_features):
    """FD of `fake`'s features to `real_features` (the evaluator's features of real
    held-out examples, computed once by the caller), and label accuracy."""
    fake_features, fake_logits = evaluator.features_and_logits(fake)
    return {"frechet_distance": frechet_distance(real_features, fake_features),
            "label_accuracy": float(np.mean(fake_logits.argmax(axis=1) == labels))}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=FOLDER)
    args = parser.parse_args()
    evaluator = selection_evaluator(args.out)
    _, (x_val, y_val) = digit_splits()
    accuracy = float(np.mean(evaluator.predict(x_val) == y_val))
    print(f"accuracy on the 1,600 held-out digits: {accuracy:.4f}")


if __name__ == "__main__":
    main()

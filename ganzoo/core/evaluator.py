"""The base of the bundled classifier evaluators (digits, spoken digits, ...).

An evaluator is a small classifier trained on real data, its weights bundled with the
package, plus the mean and covariance of its penultimate features on the real training
split. It scores generated samples by the Frechet distance of their features to the
real ones, the classifier score of its logits, and how often it sees the class that was
asked for. A domain subclass says how to build the network, how samples enter it, and
how its training data is read and augmented; loading, scoring, training and the
rebuild command are written once, here.
"""

import argparse
import json
import os

import numpy as np

from ganzoo.core import random_state, scores

#: The two halves of an evaluator's held-out split: one chooses (snapshots, settings),
#: the other reports, so that no reported figure was used to choose.
HALVES = ("select", "report")


def held_out_half(count, half):
    """Indices into a held-out split of `count` examples: its "select" or "report" half
    (a random cut, fixed for every caller: in file order a split may be sorted by class)."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, got {half!r}.")
    order = np.random.default_rng(0).permutation(count)
    return np.array_split(order, 2)[HALVES.index(half)]


def score_against(evaluator, fake, labels, real_features):
    """FD of `fake`'s features to `real_features` (the evaluator's features of real
    held-out examples, computed once by the caller), and label accuracy."""
    fake_features, fake_logits = evaluator.features_and_logits(fake)
    return {"frechet_distance": scores.frechet_distance(real_features, fake_features),
            "label_accuracy": float(np.mean(fake_logits.argmax(axis=1) == labels))}


class ClassifierEvaluator:
    """Subclasses set `assets` (folder), `weights_file`, `reference_file`,
    `class_names`, `count_key` (the report's name for the number of samples) and
    `train_epochs`, and implement `build_network`, `model_inputs` and
    `read_training_data`; `training_transform` is optional."""

    assets = None
    weights_file = None
    reference_file = None
    class_names = ()
    count_key = "num_samples"
    train_epochs = 12
    batch_size = 500
    _default = None

    def __init__(self, assets=None):
        assets = assets or self.assets
        self.model = self.build_network()
        self.model.load_weights(os.path.join(assets, self.weights_file))
        with np.load(os.path.join(assets, self.reference_file)) as ref:
            self.reference_mean, self.reference_cov = ref["mean"], ref["cov"]
            self.info = json.loads(str(ref["info"]))

    # ------------------------------------------------------ what subclasses give

    @classmethod
    def build_network(cls):
        """A Keras model with two outputs: `[n, d]` features and `[n, classes]` logits."""
        raise NotImplementedError

    @classmethod
    def model_inputs(cls, samples):
        """Checked, float32 network inputs from the caller's samples."""
        raise NotImplementedError

    @classmethod
    def read_training_data(cls, path):
        """`(inputs, labels, extra)` from the rebuild command's `--train` argument;
        `extra` maps names to arrays saved beside the reference statistics given the
        validation indices (e.g. which files were held out)."""
        raise NotImplementedError

    @staticmethod
    def training_transform(inputs, label):
        """Random label-preserving changes to one training example (tf ops): the
        evaluator's own training augmentation, nothing to do with generated data."""
        return inputs, label

    # ------------------------------------------------------------- scoring

    @classmethod
    def default(cls):
        """The bundled evaluator, loaded once per process."""
        if cls.__dict__.get("_default") is None:
            cls._default = cls()
        return cls._default

    def features_and_logits(self, samples, batch_size=None):
        x = self.model_inputs(samples)
        batch_size = batch_size or self.batch_size
        features, logits = [], []
        for start in range(0, len(x), batch_size):
            f, l = self.model(x[start:start + batch_size], training=False)
            features.append(np.asarray(f))
            logits.append(np.asarray(l))
        return np.concatenate(features), np.concatenate(logits)

    def predict(self, samples):
        return self.features_and_logits(samples)[1].argmax(axis=1)

    def label_ids(self, labels):
        """Class indices from indices or class names (one per sample, or one for all)."""
        labels = np.asarray(labels)
        if labels.dtype.kind in "USO":
            lookup = {str(name): i for i, name in enumerate(self.class_names)}
            unknown = sorted({str(v) for v in labels.reshape(-1)} - set(lookup))
            if unknown:
                raise ValueError(f"Unknown class {unknown[0]!r}; this evaluator knows "
                                 f"{list(self.class_names)}.")
            return np.vectorize(lambda v: lookup[str(v)], otypes=["int64"])(labels)
        return labels.astype("int64")

    def score(self, samples, labels=None):
        """A dict: `frechet_distance` (to the real training split's features, lower is
        better), `classifier_score` (1..classes), `class_histogram`, the number of
        samples, and `label_accuracy` when the requested `labels` are given."""
        label_ids = None if labels is None else self.label_ids(labels)
        features, logits = self.features_and_logits(samples)
        report = scores.classifier_report(
            features, logits, (self.reference_mean, self.reference_cov), label_ids)
        return {**report, self.count_key: int(len(logits))}

    # ------------------------------------------------------------ rebuilding

    @classmethod
    def train(cls, inputs, labels, out_dir=None, epochs=None, seed=0, validation_fraction=0.2,
              extra=None):
        """Trains the network on real data with a held-out validation split, and writes
        the weights and the reference statistics (of the training split's features).
        `extra(validation_indices)` returns arrays to store beside them."""
        import keras
        import tensorflow as tf

        # The network's initial weights from `seed`; the caller's generators untouched.
        with random_state.scoped(seed):
            x = np.asarray(inputs, dtype="float32")
            y = np.asarray(labels, dtype="int32")
            order = np.random.default_rng(seed).permutation(len(x))
            n_val = int(len(x) * validation_fraction)
            val, train = order[:n_val], order[n_val:]
            model = cls.build_network()
            classifier = keras.Model(model.input, model.outputs[1])
            classifier.compile(keras.optimizers.Adam(1e-3),
                               keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                               metrics=["accuracy"])
            train_ds = (tf.data.Dataset.from_tensor_slices((x[train], y[train]))
                        .shuffle(len(train), seed=seed).map(cls.training_transform)
                        .batch(64).prefetch(2))
            classifier.fit(train_ds, epochs=epochs or cls.train_epochs,
                           validation_data=(x[val], y[val]), verbose=2)
            _, val_acc = classifier.evaluate(x[val], y[val], verbose=0)
            info = {"validation_accuracy": float(val_acc), "train_examples": int(len(train)),
                    "validation_examples": int(n_val), "seed": seed}
        return scores.save_evaluator_assets(
            model, x[train], out_dir or cls.assets, cls.weights_file, cls.reference_file,
            info, **(extra(val) if extra else {}))

    @classmethod
    def main(cls, argv=None):
        """The rebuild command: `python -m <module> --train DATA [--epochs N] [--out DIR]`."""
        parser = argparse.ArgumentParser(description=f"Rebuild the bundled {cls.__name__}.")
        parser.add_argument("--train", required=True, help="the real training data")
        parser.add_argument("--epochs", type=int, default=cls.train_epochs)
        parser.add_argument("--out", default=cls.assets)
        args = parser.parse_args(argv)
        inputs, labels, extra = cls.read_training_data(args.train)
        info = cls.train(inputs, labels, args.out, args.epochs, extra=extra)
        print(json.dumps(info, indent=2))
        return info

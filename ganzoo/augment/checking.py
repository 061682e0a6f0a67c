"""Does generated data help *your* classifier? `check` answers on your own examples
before you rely on it: it holds part of them out (in turn, fold by fold), trains the
same small classifier on the rest with classic augmentation alone and with generated
examples mixed in at a few shares, prints the table and returns the best setting,
"no generated data" included. Generated data helps where the generator learned your
distribution and can hurt where it did not (docs/augmentation.md); this is how a user
finds out which case theirs is.
"""

import dataclasses

import numpy as np

from ganzoo.augment import defaults

@dataclasses.dataclass
class CheckResult:
    """What `check` measured. `best` holds the dataset builder's settings to use
    (`share=0.0` means: no generated data); `accuracy` maps each setting's name to its
    held-out accuracy on every fold."""

    best: dict
    accuracy: dict
    settings: dict

    @property
    def helps(self):
        return self.best["share"] > 0

    def gain(self, name):
        """Mean held-out accuracy of setting `name` minus classic augmentation alone's."""
        return float(np.mean(self.accuracy[name]) - np.mean(self.accuracy[CLASSIC_ONLY]))


CLASSIC_ONLY = "classic augmentation only"


def image_classifier(input_shape, num_classes, value_range):
    """The small CNN `check` trains on images (no augmentation layers: the dataset has
    them)."""
    import keras
    from keras import layers

    low, high = value_range
    channels = [] if len(input_shape) == 3 else [layers.Reshape(tuple(input_shape) + (1,))]
    return keras.Sequential([
        keras.Input(input_shape), *channels,
        layers.Rescaling(1.0 / (high - low), offset=-low / (high - low)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dropout(0.3), layers.Dense(num_classes)])


def audio_classifier(input_shape, num_classes):
    """The small CNN `check` trains on log-mel features: flattened, not pooled over time,
    since the order of the sounds in a word matters."""
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(input_shape), layers.Reshape(tuple(input_shape) + (1,)),
        layers.BatchNormalization(),
        layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dropout(0.5), layers.Dense(num_classes)])


def folds_of(label_ids, folds, seed):
    """Fold index of every example: each class dealt round-robin over the folds after a
    seeded shuffle, so every fold holds about 1/folds of every class."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(label_ids), "int64")
    for c in np.unique(label_ids):
        members = rng.permutation(np.flatnonzero(label_ids == c))
        fold[members] = (np.arange(len(members)) + rng.integers(folds)) % folds
    return fold


def check(x, y, preset=None, shares=defaults.CHECK_SHARES, weight=defaults.WEIGHT,
          truncation=defaults.TRUNCATION, folds=defaults.CHECK_FOLDS,
          steps=defaults.CHECK_STEPS, batch_size=32,
          classifier=None, features=None, seed=0, verbose=True):
    """Measures whether generated examples help a classifier of `x, y`.

    Args:
        x, y: your examples (images `[n, h, w(, c)]` or clips `[n, samples]`) and labels
            (the generator's class indices or names).
        preset: the generator (a preset name / directory / URL or a model); default:
            `ganzoo.augment`'s preset of the domain `x` looks like.
        shares, weight, truncation: the generated settings to compare with classic
            augmentation alone (`image_dataset` / `audio_dataset`).
        folds: each fold of your examples is held out once (about 1/folds of every
            class); the accuracy is the mean over folds.
        steps, batch_size: training of every classifier.
        classifier: `fn(input_shape, num_classes)` -> an uncompiled Keras model with
            logits and no augmentation layers; default: a small CNN of the domain.
        features: audio: the features the classifier reads (default: log-mel).
        seed: makes the folds, the data and the classifiers' weights repeatable (the
            process's global random state is left as it was).

    Returns:
        `CheckResult`: `.best` holds the settings to use (`share=0.0`: no generated
        data), `.accuracy` every setting's accuracy per fold.
    """
    import tensorflow as tf

    from ganzoo.augment import datasets, generated
    from ganzoo.core import random_state
    from ganzoo.core.report import print_table
    from ganzoo.presets import AUGMENTATION_PRESETS

    x = np.asarray(x)
    domain = "audio" if x.ndim == 2 else "image"
    model = generated._model(preset or AUGMENTATION_PRESETS[domain], domain)
    if y is None or len(y) != len(x):
        raise ValueError("check needs a label for every example (y of the same length "
                         "as x).")
    ids = generated._label_ids(model, y)
    counts = np.bincount(ids, minlength=model.num_classes)
    present = counts[counts > 0]
    if int(folds) < 2 or present.min() < int(folds):
        raise ValueError(f"folds={folds}: every class needs at least one example per fold "
                         f"(at least 2 folds); your smallest class has {present.min()}.")
    shares = [float(s) for s in shares]
    for s in shares:
        datasets.check_share_weight(s, weight)
    settings = {CLASSIC_ONLY: {"share": 0.0, "weight": weight, "truncation": truncation}}
    for s in shares:
        settings[f"share {s:g}"] = {"share": s, "weight": weight, "truncation": truncation}

    if domain == "image":
        value_range = generated._image_output_format(x, model, None)
        value_range = (value_range["low"], value_range["high"])
        build = classifier or (lambda shape, k: image_classifier(shape, k, value_range))
        make = datasets.image_dataset
        prepare = lambda examples: examples  # noqa: E731
    else:
        if features is None:
            from ganzoo.audio.features import LogMel

            features = LogMel(model.sample_rate, frame_step=256)
        build = classifier or audio_classifier
        make = lambda *a, **k: datasets.audio_dataset(*a, features=features, **k)  # noqa: E731
        scale = float(np.iinfo(x.dtype).max) if x.dtype.kind == "i" else 1.0
        prepare = lambda examples: np.concatenate([  # noqa: E731
            features(tf.constant(examples[i:i + 256].astype("float32") / scale)).numpy()
            for i in range(0, len(examples), 256)])

    fold = folds_of(ids, int(folds), seed)
    accuracy = {name: [] for name in settings}
    for k in range(int(folds)):
        train, held = fold != k, fold == k
        x_held = prepare(x[held])
        for name, setting in settings.items():
            with random_state.scoped(seed + k):
                data = make(x[train], ids[train], batch_size=batch_size, preset=model,
                            seed=seed + k, **setting)
                net = build(tuple(x_held.shape[1:]), model.num_classes)
                accuracy[name].append(_train_and_score(net, data, steps, x_held, ids[held]))
            if verbose:
                print(f"  fold {k + 1}/{folds}: {name}: {accuracy[name][-1]:.3f}", flush=True)

    base = np.mean(accuracy[CLASSIC_ONLY])
    best_name = max(settings, key=lambda name: (np.mean(accuracy[name]), name == CLASSIC_ONLY))
    if np.mean(accuracy[best_name]) <= base:
        best_name = CLASSIC_ONLY
    result = CheckResult(best=dict(settings[best_name]), accuracy=accuracy, settings=settings)
    if verbose:
        rows = [[name, f"{np.mean(a):.3f} +- {np.std(a):.3f}",
                 "" if name == CLASSIC_ONLY else f"{np.mean(a) - base:+.3f}",
                 " ".join(f"{v:.3f}" for v in a)] for name, a in accuracy.items()]
        print_table(f"Held-out accuracy of a small classifier, {folds} folds of your "
                    f"{len(x)} examples, {steps} steps each; generated by "
                    f"{getattr(model, 'name', type(model).__name__)}, weight {weight:g}, "
                    f"truncation {truncation}",
                    ["training data", "accuracy mean +- std", "vs classic only", "per fold"],
                    rows)
        if result.helps:
            print(f"Recommended: {best_name} (weight {weight:g}): "
                  f"{result.gain(best_name):+.3f} over classic augmentation alone.")
        else:
            print("Recommended: no generated data (share=0): classic augmentation alone "
                  "did at least as well here.")
    return result


def train_classifier(net, data, steps):
    """Trains a logits classifier for `steps` batches of `data` (as often repeated as
    that takes): the training of `check`'s classifiers and of curation's teacher."""
    import keras

    net.compile(keras.optimizers.Adam(1e-3),
                keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=["accuracy"])
    net.fit(data.repeat(), steps_per_epoch=int(steps), epochs=1, verbose=0, shuffle=False)
    return net


def _train_and_score(net, data, steps, x_held, y_held):
    train_classifier(net, data, steps)
    return float(net.evaluate(x_held, y_held, batch_size=256, verbose=0)[1])


__all__ = ["CLASSIC_ONLY", "CheckResult", "check", "folds_of", "train_classifier"]

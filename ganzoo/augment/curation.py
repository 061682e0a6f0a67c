"""Curation of generated examples by a teacher: a classifier of your real examples keeps
the generated ones it recognises as the class they were asked for, with at least a given
confidence (as CLLM and GaFi filter synthetic data; cGAN-KD adds the teacher's soft
labels). The teacher is one you pass, or a small one ganzoo trains on your examples
with classic augmentation (`teacher="auto"`).

A teacher takes examples in the form the dataset builder was given them (your images'
dtype and range; clips as your waveforms) and returns one score per generator class:
probabilities, or logits (anything that is not a probability vector is softmaxed).
"""

import numpy as np
import tensorflow as tf

from ganzoo.augment import defaults

#: Generated examples `check_keep_rate` draws to see whether curation keeps any.
PROBE = 512


def train_teacher(x, label_ids, model, domain, value_range=None, steps=None, seed=0):
    """A small classifier of `x` (the caller's images or waveforms) over the generator's
    classes, trained with classic augmentation for `steps` steps."""
    import keras

    from ganzoo.augment import checking, datasets
    from ganzoo.core import random_state

    steps = int(steps or defaults.TEACHER_STEPS)
    with random_state.scoped(seed):
        if domain == "image":
            data = datasets.image_dataset(x, label_ids, share=0.0, preset=model, seed=seed,
                                          value_range=value_range)
            shape = tuple(np.asarray(x).shape[1:])
            net = trained = checking.image_classifier(shape, model.num_classes, value_range)
        else:
            from ganzoo.audio.features import LogMel

            features = LogMel(model.sample_rate, frame_step=256)
            data = datasets.audio_dataset(x, label_ids, share=0.0, preset=model, seed=seed,
                                          features=features)
            waves = keras.Input(tuple(np.asarray(x).shape[1:]), dtype=np.asarray(x).dtype)
            scale = float(np.iinfo(x.dtype).max) if np.asarray(x).dtype.kind == "i" else 1.0
            mel = features(keras.layers.Rescaling(1.0 / scale)(
                keras.ops.cast(waves, "float32")))
            # The head trains on the dataset's masked features; the whole teacher then
            # reads waveforms.
            trained = checking.audio_classifier(tuple(mel.shape[1:]), model.num_classes)
            net = keras.Model(waves, trained(mel))
        checking.train_classifier(trained, data, steps)
    return net


def probabilities(teacher, examples, num_classes):
    """The teacher's class probabilities `[batch, num_classes]` (in the graph)."""
    scores = tf.cast(teacher(examples, training=False), tf.float32)
    if scores.shape[-1] != num_classes:
        raise ValueError(f"The teacher scores {scores.shape[-1]} classes; the generator has "
                         f"{num_classes} (a teacher's outputs are the generator's classes, "
                         "in its order).")
    is_probability = tf.reduce_all(scores >= 0) & tf.reduce_all(
        tf.abs(tf.reduce_sum(scores, axis=-1) - 1.0) < 1e-3)
    return tf.cond(is_probability, lambda: scores, lambda: tf.nn.softmax(scores))


def kept(teacher, examples, labels, num_classes, confidence):
    """Which generated `examples` the teacher gives their requested `labels` with at
    least `confidence`, and all its probabilities."""
    probs = probabilities(teacher, examples, num_classes)
    own = tf.gather(probs, tf.cast(labels, tf.int32), batch_dims=1)
    return own >= confidence, probs


def check_confidence(confidence):
    if not 0 <= confidence < 1:
        raise ValueError(f"confidence is the teacher's least probability of the requested "
                         f"class, in [0, 1); got {confidence}.")
    return float(confidence)


def check_keep_rate(model, teacher, to_caller, classes, confidence, truncation, seed):
    """The share of `PROBE` generated examples curation keeps; a ValueError when it keeps
    none (the dataset would wait for ever), a warning when it keeps under 5%."""
    import warnings

    rng = np.random.default_rng([seed, 11])
    labels = rng.choice(classes, PROBE).astype("int32")
    fake = model.generate(PROBE, labels=labels if model.conditional else None, seed=seed,
                          truncation=truncation)
    keep, _ = kept(teacher, to_caller(tf.constant(fake)), tf.constant(labels),
                   model.num_classes, confidence)
    rate = float(np.mean(keep.numpy()))
    if rate == 0:
        raise ValueError(f"Curation kept none of {PROBE} generated examples: the teacher "
                         f"never gives the requested class {confidence:g} or more. Lower "
                         "confidence=, pass another teacher, or leave curation out.")
    if rate < 0.05:
        warnings.warn(f"Curation keeps {rate:.1%} of the generated examples: generating "
                      f"costs about {1 / rate:.0f}x as much.", stacklevel=3)
    return rate


def resolve_teacher(teacher, x, label_ids, model, domain, value_range, confidence, seed):
    """The curating teacher (None: no curation): the caller's, or one trained here."""
    if teacher is None:
        return None
    check_confidence(confidence)
    if label_ids is None or not model.conditional:
        raise ValueError("Curation keeps generated examples of the class they were asked "
                         "for: it needs labels and a class-conditional generator.")
    if isinstance(teacher, str):
        if teacher != "auto":
            raise ValueError(f'teacher is a Keras classifier, "auto" or None; got {teacher!r}.')
        return train_teacher(x, label_ids, model, domain, value_range, seed=seed)
    return teacher


__all__ = ["check_confidence", "check_keep_rate", "kept", "probabilities", "resolve_teacher",
           "train_teacher"]

"""Augmented training data: your examples plus generated ones, from a pretrained preset
or your own model. "Augment" means this everywhere in ganzoo: the functions here, the
`ganzoo augment` command and `TabularAugmenter.augment` (tables).

    x_aug, y_aug = ganzoo.augment.images(x, y, per_class=100)        # dcgan_digits
    ds = ganzoo.augment.image_dataset(x, y)       # for a classifier's model.fit
    w_aug, y_aug = ganzoo.augment.audio(waves, labels, per_class=20)   # specgan_digits
    ganzoo.augment.folder("photos/", "augmented/", preset=..., per_class=100)

Generated samples come back in the caller's format (dtype, value range, shape), so
they concatenate with the real data as they are. Tables: `ganzoo.tabular.TabularAugmenter`.
"""

import os
import shutil

import numpy as np
import tensorflow as tf

from ganzoo.augment import defaults
from ganzoo.presets import AUGMENTATION_PRESETS


def _model(preset_or_model, domain):
    """A model (as given, or loaded from a preset) that makes `domain` samples."""
    model = preset_or_model
    if isinstance(model, (str, bytes)) or hasattr(model, "__fspath__"):
        from ganzoo.presets import from_preset

        model = from_preset(model)
    if getattr(model, "domain", None) != domain:
        raise ValueError(f"{type(model).__name__} makes {getattr(model, 'domain', None) or 'no'} "
                         f"samples, not {domain}: pick a {domain} preset or model.")
    return model


def _label_ids(model, y):
    """Caller labels (indices or class names) -> the model's class indices (int32)."""
    if y is None:
        return None
    if not model.conditional:
        raise ValueError("Labels were given but the generator is unconditional; pass y=None.")
    y = np.asarray(y)
    if y.dtype.kind in "USO":
        names = list(model.class_names or [])
        unknown = sorted({str(v) for v in y} - set(names))
        if unknown:
            raise ValueError(f"Labels {unknown[:5]} are not classes of the generator "
                             f"({names}).")
        return np.array([names.index(str(v)) for v in y], dtype="int32")
    if y.dtype.kind not in "iu":
        raise ValueError(f"Labels must be integers or class names, got dtype {y.dtype}.")
    if len(y) and (y.min() < 0 or y.max() >= model.num_classes):
        raise ValueError(f"Labels span {y.min()}..{y.max()}, but the generator knows "
                         f"{model.num_classes} classes (0..{model.num_classes - 1}).")
    return y.astype("int32")


def plan_labels(label_ids, num_classes, n_real, per_class=None, ratio=None):
    """Class indices of the samples to generate: `per_class` of every class (those in
    the real labels, or all classes when there are none), or `ratio` x the real count
    spread like the real labels."""
    if (per_class is None) == (ratio is None):
        raise ValueError("Give exactly one of per_class=N or ratio=r.")
    classes = (np.unique(label_ids) if label_ids is not None and len(label_ids)
               else np.arange(num_classes or 1))
    if per_class is not None:
        if int(per_class) < 1:
            raise ValueError(f"per_class must be a positive count, got {per_class}.")
        return np.repeat(classes, int(per_class)).astype("int32")
    if not ratio > 0:
        raise ValueError(f"ratio must be positive, got {ratio}.")
    n = int(round(ratio * n_real))
    if n < 1:
        raise ValueError(f"ratio {ratio} of {n_real} real samples asks for no samples.")
    if label_ids is None:
        return np.resize(classes, n).astype("int32")
    # Largest-remainder rounding keeps the real class shares exactly where possible.
    counts = np.bincount(label_ids, minlength=int(classes.max()) + 1).astype("float64")
    share = counts / counts.sum() * n
    take = np.floor(share).astype(int)
    rest = np.argsort(-(share - take), kind="stable")[: n - take.sum()]
    take[rest] += 1
    return np.repeat(np.arange(len(take)), take).astype("int32")


def _concat(real, fake, include_real):
    return np.concatenate([real, fake]) if include_real else fake


def _real_plus_generated(model, real, labels, per_class, ratio, include_real, seed, verbose,
                         to_caller, truncation=None, weight=None, teacher=None,
                         confidence=defaults.CONFIDENCE, domain=None, value_range=None):
    """Generates what `per_class` / `ratio` ask for, in the caller's format (`to_caller`),
    with labels in the caller's form (indices or class names); shared by every domain.
    With `weight`, also each example's sample weight (1 real, `weight` generated); with
    a `teacher`, only generated examples it recognises (`_curated`)."""
    if weight is not None:
        _check_share_weight(0.0, weight)
    ids = _label_ids(model, labels)
    want = plan_labels(ids, model.num_classes, len(real), per_class, ratio)
    teacher = _teacher(teacher, np.asarray(real), ids, model, domain, value_range, confidence,
                       0 if seed is None else seed)
    fake = _curated(model, want, seed, verbose, truncation, to_caller, teacher, confidence)
    out = [_concat(np.asarray(real), fake, include_real)]
    if labels is not None:
        labels = np.asarray(labels)
        fake_labels = (np.asarray(model.class_names)[want] if labels.dtype.kind in "USO"
                       else want).astype(labels.dtype)
        out.append(_concat(labels, fake_labels, include_real))
    if weight is not None:
        out.append(_concat(np.ones(len(real), "float32"),
                           np.full(len(want), weight, "float32"), include_real))
    return out[0] if len(out) == 1 else tuple(out)


#: Rounds of regeneration for the examples a teacher rejected.
CURATION_ROUNDS = 20


def _curated(model, want, seed, verbose, truncation, to_caller, teacher, confidence):
    """Generated examples of the classes `want`, in the caller's format: with a teacher,
    each one it gives its class with `confidence` or more, the rejected ones generated
    again (a ValueError names the classes still short after `CURATION_ROUNDS`)."""
    conditional = want if model.conditional else None
    fake = to_caller(model.generate(len(want), labels=conditional, seed=seed,
                                    verbose=verbose, truncation=truncation))
    if teacher is None:
        return fake
    from ganzoo.augment import curation

    missing = np.arange(len(want))
    for round_ in range(CURATION_ROUNDS):
        keep, _ = curation.kept(teacher, fake[missing], want[missing], model.num_classes,
                                confidence)
        missing = missing[~keep.numpy()]
        if not len(missing):
            return fake
        fake[missing] = to_caller(model.generate(
            len(missing), labels=want[missing], truncation=truncation,
            seed=None if seed is None else seed + 1000 * (round_ + 1)))
    short = np.bincount(want[missing], minlength=model.num_classes)
    raise ValueError(f"Curation: after {CURATION_ROUNDS} rounds the teacher still rejects "
                     f"{len(missing)} of {len(want)} generated examples (short by class: "
                     f"{ {model.class_label(c): int(n) for c, n in enumerate(short) if n} }). "
                     "Lower confidence=, ask for fewer, or leave curation out.")


# ------------------------------------------------------------------ images


def _image_output_format(x, model, value_range):
    from ganzoo.image.data import infer_value_range

    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError(f"Images must be [n, height, width] or [n, height, width, "
                         f"channels], got shape {x.shape}.")
    height, width, channels = model.image_shape
    shape = x.shape[1:] if x.ndim == 4 else x.shape[1:] + (1,)
    if shape[:2] != (height, width):
        raise ValueError(f"The generator makes {height}x{width} images; yours are "
                         f"{shape[0]}x{shape[1]}.")
    if shape[2] not in (channels, 3) or (shape[2] == 3 and channels not in (1, 3)):
        raise ValueError(f"The generator makes {channels}-channel images; yours have "
                         f"{shape[2]}.")
    low, high = value_range or infer_value_range(x)
    return {"dtype": x.dtype, "low": float(low), "high": float(high),
            "channels": shape[2], "squeeze": x.ndim == 3}


def _to_caller_images(fake, fmt):
    """Generator output in [-1, 1] -> the caller's range, dtype and shape (a tf.Tensor)."""
    low, high = fmt["low"], fmt["high"]
    values = (tf.clip_by_value(fake, -1.0, 1.0) + 1.0) * ((high - low) / 2.0) + low
    if fmt["channels"] == 3 and fake.shape[-1] == 1:
        values = tf.concat([values] * 3, axis=-1)
    if fmt["squeeze"]:
        values = values[..., 0]
    if np.issubdtype(fmt["dtype"], np.integer):
        values = tf.round(values)
    return tf.cast(values, fmt["dtype"])


def images(x, y=None, per_class=None, ratio=None, preset=AUGMENTATION_PRESETS["image"],
           include_real=True, value_range=None, seed=0, verbose=True, truncation=None,
           weight=None, teacher=None, confidence=defaults.CONFIDENCE):
    """Real images plus generated ones, in the caller's dtype, range and shape.

    Args:
        x: real images, [n, h, w] or [n, h, w, c], uint8 or float.
        y: their labels (class indices of the generator, or its class names), or None.
        per_class: generate this many of every class present in `y` (of every class
            the generator knows when `y` is None).
        ratio: instead, generate `ratio * len(x)` images with `y`'s class shares.
        preset: a preset name / directory / URL, or a ganzoo model.
        include_real: return real + generated (default) or only the generated.
        value_range: the range of `x` when it cannot be inferred (default: inferred).
        seed: makes the generated images repeatable.
        truncation: the generator's latent truncation (`generate(truncation=)`).
        weight: also return each example's sample weight: 1 for yours, `weight` for
            the generated ones (for `model.fit(..., sample_weight=)`).
        teacher, confidence: curation, as in `image_dataset`: only generated images the
            teacher gives their class with `confidence` or more (the rest regenerated).

    Returns:
        `(x_out, y_out)`, or just `x_out` when `y` is None; then the weights if asked.
    """
    model = _model(preset, "image")
    fmt = _image_output_format(x, model, value_range)
    return _real_plus_generated(model, x, y, per_class, ratio, include_real, seed, verbose,
                                lambda fake: _to_caller_images(fake, fmt).numpy(),
                                truncation, weight, teacher, confidence, "image",
                                (fmt["low"], fmt["high"]))


def _check_share_weight(share, weight):
    if not 0 <= share < 1:
        raise ValueError(f"share is the generated fraction of the examples, in [0, 1); got "
                         f"{share}.")
    if not (np.isfinite(weight) and weight > 0):
        raise ValueError(f"weight is a generated example's loss weight, a positive number; "
                         f"got {weight}.")


def _latents(n, latent_dim, seed_pair, truncation):
    """Latent vectors in the graph: the normal prior, or restricted to [-psi, psi] as
    `Generation.sample_latent` draws them (inverse CDF of the kept lower half, random
    sign)."""
    if truncation is None:
        return tf.random.stateless_normal([n, latent_dim], seed_pair)
    from scipy.special import ndtr

    low = float(ndtr(-truncation))
    u = tf.random.stateless_uniform([n, latent_dim], seed_pair, low, 0.5, tf.float64)
    sign = tf.where(tf.random.stateless_uniform([n, latent_dim], seed_pair + 7) < 0.5, -1.0, 1.0)
    return tf.cast(-tf.math.ndtri(u), tf.float32) * sign


def _teacher(teacher, x, label_ids, model, domain, value_range, confidence, seed):
    """The curating teacher (None: no curation): the caller's, or one trained here."""
    if teacher is None:
        return None
    from ganzoo.augment import curation

    curation.check_confidence(confidence)
    if label_ids is None or not model.conditional:
        raise ValueError("Curation keeps generated examples of the class they were asked "
                         "for: it needs labels and a class-conditional generator.")
    if isinstance(teacher, str):
        if teacher != "auto":
            raise ValueError(f'teacher is a Keras classifier, "auto" or None; got {teacher!r}.')
        return curation.train_teacher(x, label_ids, model, domain, value_range, seed=seed)
    return teacher


def generated_class_shares(how, label_ids, classes, share):
    """The class shares of the generated examples, over `classes`: "uniform"; "real"
    (your labels' shares); or "balance": as many of each class as makes real plus
    generated as even as the share allows (rare classes first: DAGAN's use of a
    conditional generator)."""
    k = len(classes)
    if how == "uniform" or label_ids is None:
        return np.full(k, 1.0 / k)
    real = np.array([(label_ids == c).mean() for c in classes])
    if how == "real":
        return real
    if how != "balance":
        raise ValueError(f'class_shares is "uniform", "balance" or "real"; got {how!r}.')
    missing = np.maximum(0.0, 1.0 / k - (1.0 - share) * real) if share > 0 else real * 0
    return missing / missing.sum() if missing.sum() > 0 else np.full(k, 1.0 / k)


def _mixed_dataset(x, y, share, weight, batch_size, seed, model, to_caller, label_ids,
                   truncation, augment_batch, teacher=None, confidence=None,
                   soft_labels=False, class_shares="uniform"):
    """Batches drawn from the real examples and from fresh generated ones (a fraction
    `share` of all examples, on average), each batch then through `augment_batch`
    (classic augmentation; the batch's values and a `[2]` seed); one epoch passes each
    real example about once. Labelled batches carry `sample_weight`: 1 for real
    examples, `weight` for generated ones. With a `teacher`, only the generated examples
    it gives their class with `confidence` or more are kept; `soft_labels` then labels
    them with its probabilities (real ones one-hot)."""
    from ganzoo.augment import curation
    from ganzoo.core.generation import check_truncation

    _check_share_weight(share, weight)
    if truncation is not None:
        truncation = check_truncation(truncation)
    n = len(x)
    if n == 0:
        raise ValueError("No real examples were given.")
    labelled = y is not None
    if soft_labels and teacher is None:
        raise ValueError("soft_labels are the teacher's probabilities: give teacher= too.")
    classes = (np.unique(label_ids) if label_ids is not None
               else np.arange(model.num_classes or 1)).astype("int32")
    if teacher is not None and share > 0:
        curation.check_keep_rate(model, teacher, to_caller, classes, confidence, truncation,
                                 seed)
    if soft_labels:
        y = np.eye(model.num_classes, dtype="float32")[label_ids]
    real = tf.data.Dataset.from_tensor_slices(
        (x, y, np.ones(n, "float32")) if labelled else (x,))
    real = real.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    if share > 0:  # generated examples in between: "an epoch" is then about one pass
        real = real.repeat()
    gen_batch = max(int(batch_size), 16)
    latent_dim = model.latent_dim
    class_table = tf.constant(classes)
    with np.errstate(divide="ignore"):
        class_logits = tf.constant(np.log(generated_class_shares(
            class_shares, label_ids, classes, share))[None], tf.float32)
    y_dtype = tf.as_dtype(np.asarray(y).dtype) if labelled else None
    names = (tf.constant(list(model.class_names)) if labelled and np.asarray(y).dtype.kind
             in "USO" else None)

    def generate(token):
        seeds = tf.stack([token, tf.constant(0, tf.int64)])
        z = _latents(gen_batch, latent_dim, seeds, truncation)
        pick = tf.random.stateless_categorical(class_logits, gen_batch, seeds + 1)[0]
        labels = tf.gather(class_table, pick)
        inputs = [z, labels] if model.conditional else z
        fake = to_caller(tf.cast(model.postprocess(model.generator(inputs, training=False)),
                                 tf.float32))
        if not labelled:
            return (fake,)
        out_labels = tf.gather(names, labels) if names is not None else tf.cast(labels, y_dtype)
        weights = tf.fill([gen_batch], tf.constant(weight, tf.float32))
        if teacher is None:
            return fake, out_labels, weights
        keep, probs = curation.kept(teacher, fake, labels, model.num_classes, confidence)
        return fake, probs if soft_labels else out_labels, weights, keep

    steps = int(np.ceil(n / (1.0 - share) / batch_size))
    if share > 0:
        fake = (tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
                .map(generate).unbatch())
        if teacher is not None:
            fake = fake.filter(_is_kept).map(_without_keep)
        mixed = tf.data.Dataset.sample_from_datasets(
            [real, fake], weights=[1.0 - share, share], seed=seed,
            rerandomize_each_iteration=True)
    else:
        mixed = real
    batch_seeds = tf.data.Dataset.random(seed=seed + 1, rerandomize_each_iteration=True).batch(2)
    mixed = tf.data.Dataset.zip(mixed.batch(batch_size), batch_seeds).take(steps)

    def finish(batch, seed_pair):
        return (augment_batch(batch[0], seed_pair),) + tuple(batch[1:])

    mixed = mixed.map(finish)
    if not labelled:
        mixed = mixed.map(lambda images: images)
    return mixed.prefetch(tf.data.AUTOTUNE)


def _is_kept(*example):
    return example[-1]


def _without_keep(*example):
    return example[:-1]


def _image_batch_augmenter(fmt, classic):
    """Classic augmentation of a batch in the caller's format, back in that format."""
    from ganzoo.augment.classic import IMAGE_OPS, augment_images, check_ops

    ops = check_ops(classic, IMAGE_OPS, "image")

    def augment(images, seed_pair):
        if not ops:
            return images
        values = tf.cast(images, tf.float32)
        values = augment_images(values[..., None] if fmt["squeeze"] else values, seed_pair,
                                ops, fmt["low"])
        values = values[..., 0] if fmt["squeeze"] else values
        if np.issubdtype(fmt["dtype"], np.integer):
            values = tf.round(values)
        return tf.cast(tf.clip_by_value(values, fmt["low"], fmt["high"]), fmt["dtype"])

    return augment


def image_dataset(x, y=None, share=defaults.SHARE, weight=defaults.WEIGHT,
                  classic="default", truncation=defaults.TRUNCATION, teacher=defaults.TEACHER,
                  confidence=defaults.CONFIDENCE, soft_labels=False,
                  class_shares=defaults.CLASS_SHARES, batch_size=32,
                  preset=AUGMENTATION_PRESETS["image"], value_range=None, seed=0,
                  ratio=None):
    """Training data for a classifier's `model.fit`: a `tf.data.Dataset` of `(images,
    labels, sample_weight)` batches (images only when `y` is None) that mixes your
    images with fresh generated ones and applies classic augmentation to both, so the
    classifier needs no augmentation layers of its own.

    Args:
        x, y: your images (`[n, h, w]` or `[n, h, w, c]`, any dtype and range) and labels
            (the generator's class indices or names).
        share: the generated fraction of the examples, in [0, 1) (0: none).
        weight: a generated example's `sample_weight` (real ones: 1).
        classic: "default" (shifts and small rotations), a list of "shift", "rotate",
            "cutout", or None.
        truncation: the generator's latent truncation (`generate(truncation=)`).
        teacher: curation (`ganzoo.augment.curation`): a classifier of your examples'
            form over the generator's classes, "auto" (a small one trained here on
            `x, y` with classic augmentation), or None.
        confidence: the teacher's least probability of the requested class for a
            generated example to be kept.
        soft_labels: label generated examples with the teacher's probabilities (and
            yours one-hot): for a classifier trained with categorical cross-entropy.
        class_shares: the classes of the generated examples: "uniform", "real" (as
            yours) or "balance" (rare classes first, to even out real plus generated).
        batch_size, seed: batches, and what makes them repeatable.
        preset: a preset name / directory / URL, or a ganzoo image model.
        value_range: the range of `x` when it cannot be inferred.
        ratio: the old name of `share`.
    """
    share = _renamed_share(share, ratio)
    model = _model(preset, "image")
    fmt = _image_output_format(x, model, value_range)
    ids = _label_ids(model, y)
    x = np.asarray(x)
    teacher = _teacher(teacher, x, ids, model, "image", (fmt["low"], fmt["high"]),
                       confidence, seed)
    return _mixed_dataset(x, None if y is None else np.asarray(y), share, weight,
                          batch_size, seed, model, lambda f: _to_caller_images(f, fmt), ids,
                          truncation, _image_batch_augmenter(fmt, classic), teacher,
                          confidence, soft_labels, class_shares)


def _renamed_share(share, ratio):
    # `ratio` means "generated per real example" in `images` / `audio`; here it meant
    # the generated fraction, now called `share`.
    if ratio is None:
        return share
    import warnings

    warnings.warn("ratio= of the dataset builders is now share= (the generated fraction "
                  "of the examples).", DeprecationWarning, stacklevel=3)
    return ratio


# ------------------------------------------------------------------- audio


def _audio_output_format(waveforms, model, sample_rate):
    waveforms = np.asarray(waveforms)
    if waveforms.ndim != 2:
        raise ValueError(f"Waveforms must be [n, samples] (mono, one length), got shape "
                         f"{waveforms.shape}.")
    if waveforms.dtype.kind not in "fi":
        raise ValueError(f"Waveforms must be float or integer PCM, got dtype {waveforms.dtype}.")
    return {"dtype": waveforms.dtype, "length": waveforms.shape[1],
            "sample_rate": int(sample_rate or model.sample_rate),
            "scale": float(np.iinfo(waveforms.dtype).max) if waveforms.dtype.kind == "i" else 1.0}


def _to_caller_audio(fake, fmt, model_rate):
    if fmt["sample_rate"] != model_rate:
        import librosa

        fake = librosa.resample(fake, orig_sr=model_rate, target_sr=fmt["sample_rate"], axis=-1)
    length = fmt["length"]
    fake = fake[:, :length]
    if fake.shape[1] < length:
        fake = np.pad(fake, ((0, 0), (0, length - fake.shape[1])))
    fake = np.clip(fake, -1.0, 1.0) * fmt["scale"]
    if fmt["dtype"].kind == "i":
        fake = np.round(fake)
    return fake.astype(fmt["dtype"])


def audio(waveforms, labels=None, per_class=None, ratio=None, preset=AUGMENTATION_PRESETS["audio"],
          sample_rate=None, include_real=True, seed=0, verbose=True, truncation=None,
          weight=None, teacher=None, confidence=defaults.CONFIDENCE):
    """Real waveforms plus generated ones, at the caller's length, rate and dtype.

    Args:
        waveforms: real clips, [n, samples], float in [-1, 1] or integer PCM.
        labels: their labels (class indices or class names such as "seven"), or None.
        per_class / ratio: how many to generate, as in `images`.
        preset: a preset name / directory / URL, or a ganzoo WaveGAN.
        sample_rate: the rate of `waveforms` (default: the generator's); generated
            clips are resampled to it.
        include_real: return real + generated (default) or only the generated.
        truncation, weight, teacher, confidence: as in `images`.
    """
    model = _model(preset, "audio")
    fmt = _audio_output_format(waveforms, model, sample_rate)
    return _real_plus_generated(model, waveforms, labels, per_class, ratio, include_real, seed,
                                verbose, lambda fake: _to_caller_audio(fake, fmt,
                                                                       model.sample_rate),
                                truncation, weight, teacher, confidence, "audio")


def _audio_batch_augmenter(fmt, classic, features):
    """Classic augmentation of a batch of clips in the caller's format: time shift and
    gain of the waveforms, then (with `features`) the features and their masks."""
    from ganzoo.augment.classic import (AUDIO_OPS, FEATURE_OPS, augment_waveforms,
                                        check_ops, mask_features)

    ops = check_ops(classic, AUDIO_OPS, "audio")
    if features is None and set(ops) & set(FEATURE_OPS):
        if classic != "default":
            raise ValueError("time_mask and frequency_mask act on features: pass features= "
                             "(a function of a batch of float32 waveforms in [-1, 1]).")
        ops = tuple(o for o in ops if o not in FEATURE_OPS)
    scale, dtype = fmt["scale"], tf.as_dtype(fmt["dtype"])

    def augment(waves, seed_pair):
        if not ops and features is None:
            return waves
        values = augment_waveforms(tf.cast(waves, tf.float32) / scale, seed_pair, ops)
        if features is not None:
            return mask_features(tf.cast(features(values), tf.float32), seed_pair, ops)
        values = tf.clip_by_value(values, -1.0, 1.0) * scale
        return tf.cast(tf.round(values) if dtype.is_integer else values, dtype)

    return augment


def audio_dataset(waveforms, labels=None, share=defaults.SHARE, weight=defaults.WEIGHT,
                  classic="default", features=None, truncation=defaults.TRUNCATION,
                  teacher=defaults.TEACHER, confidence=defaults.CONFIDENCE, soft_labels=False,
                  class_shares=defaults.CLASS_SHARES, batch_size=32,
                  preset=AUGMENTATION_PRESETS["audio"], seed=0, ratio=None):
    """Like `image_dataset`, for clips `[n, samples]` at the generator's sample rate.

    classic: "default" (time shift and gain; with `features`, also SpecAugment's time
        and frequency masks), a list of "shift", "gain", "time_mask",
        "frequency_mask", or None.
    features: a function (e.g. a Keras layer) from a batch of float32 waveforms in
        [-1, 1] to features `[batch, frames, bins]`: the dataset then yields features,
        masked after the waveforms are shifted. None: it yields waveforms in your dtype.
    teacher, confidence, soft_labels: curation, as in `image_dataset`; a teacher reads
        waveforms in your dtype.
    class_shares: as in `image_dataset`.
    """
    share = _renamed_share(share, ratio)
    model = _model(preset, "audio")
    fmt = _audio_output_format(waveforms, model, None)
    ids = _label_ids(model, labels)
    length, scale, dtype = fmt["length"], fmt["scale"], tf.as_dtype(fmt["dtype"])

    def to_caller(fake):
        fake = fake[:, :length]
        fake = tf.pad(fake, [[0, 0], [0, tf.maximum(0, length - tf.shape(fake)[1])]])
        fake = tf.clip_by_value(fake, -1.0, 1.0) * scale
        return tf.cast(tf.round(fake) if dtype.is_integer else fake, dtype)

    waveforms = np.asarray(waveforms)
    teacher = _teacher(teacher, waveforms, ids, model, "audio", None, confidence, seed)
    return _mixed_dataset(waveforms, None if labels is None else np.asarray(labels),
                          share, weight, batch_size, seed, model, to_caller, ids, truncation,
                          _audio_batch_augmenter(fmt, classic, features), teacher,
                          confidence, soft_labels, class_shares)


# ------------------------------------------------------------------ folders


def folder(source, out, preset=None, per_class=None, ratio=None, seed=0, overwrite=False,
           verbose=True):
    """A folder tree of real plus generated examples, ready for
    `keras.utils.image_dataset_from_directory` / `audio_dataset_from_directory`.

    Args:
        source: a folder of images (PNG / JPEG) or audio clips, one sub-folder per class
            (named as the generator's classes), or none for an unconditional generator.
        out: the folder to write: every real file, copied as it is, and the generated
            examples beside them as `generated_NNNNN.png` / `.wav`, class by class.
        preset: a preset name / directory / URL, a `.keras` file or a ganzoo model
            (default: `AUGMENTATION_PRESETS` of the folder's domain).
        per_class / ratio: how many to generate, as in `images`.
        seed: makes the generated examples repeatable.
        overwrite: replace `out` if it exists (it is written whole, then moved in place).

    Returns:
        `{"domain", "real", "generated", "classes"}`: what was written.
    """
    from ganzoo.core.io import atomic_output

    domain, paths, class_names = _read_folder(source)
    model = _folder_model(preset, domain)
    label_ids = _folder_labels(model, source, paths, class_names)
    _check_folder_format(model, domain, paths[0])
    want = plan_labels(label_ids, model.num_classes, len(paths), per_class, ratio)
    fake = model.generate(len(want), labels=want if model.conditional else None, seed=seed,
                          verbose=verbose)
    with atomic_output(out, overwrite=overwrite) as tmp:
        os.makedirs(tmp)
        for path in paths:  # the real files, as they are
            target = os.path.join(tmp, os.path.relpath(path, source))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(path, target)
        staging = os.path.join(tmp, ".generated")
        model.write_samples(fake, staging, labels=want if model.conditional else None,
                            progress=verbose)
        for root, _, files in os.walk(staging):
            for name in files:
                relative = os.path.relpath(os.path.join(root, name), staging)
                target = os.path.join(tmp, os.path.dirname(relative), "generated_" + name)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(os.path.join(root, name), target)
        shutil.rmtree(staging)
    classes = ([model.class_label(i) for i in np.unique(want)] if model.conditional else None)
    return {"domain": domain, "real": len(paths), "generated": len(want), "classes": classes}


def _read_folder(source):
    from ganzoo.audio.data import AUDIO_EXTENSIONS
    from ganzoo.image.data import IMAGE_EXTENSIONS

    if not os.path.isdir(source):
        raise ValueError(f"{source!r} is not a folder.")
    files = [os.path.join(root, name) for root, _, names in sorted(os.walk(source))
             for name in sorted(names)]
    images = [f for f in files if f.lower().endswith(IMAGE_EXTENSIONS)]
    clips = [f for f in files if f.lower().endswith(AUDIO_EXTENSIONS)]
    if images and clips:
        raise ValueError(f"{source!r} holds both images and audio files; give one kind.")
    if not images and not clips:
        raise ValueError(f"{source!r} holds no images ({', '.join(IMAGE_EXTENSIONS)}) and no "
                         f"audio files ({', '.join(AUDIO_EXTENSIONS)}).")
    class_names = sorted(e for e in os.listdir(source) if os.path.isdir(os.path.join(source, e)))
    return ("image" if images else "audio"), (images or clips), class_names or None


def _folder_model(preset, domain):
    if preset is None:
        preset = AUGMENTATION_PRESETS[domain]
    if isinstance(preset, str) and preset.endswith(".keras"):
        from ganzoo.models import load_model

        if not os.path.isfile(preset):
            raise FileNotFoundError(f"No model at {preset!r}.")
        preset = load_model(preset)
    return _model(preset, domain)


def _folder_labels(model, source, paths, class_names):
    """The generator's class index of every real file, from its class sub-folder."""
    if not model.conditional:
        return None
    if class_names is None:
        raise ValueError(f"{source!r} has no class sub-folders, but the generator is "
                         f"class-conditional: put each class's files in a sub-folder named "
                         f"as one of its classes ({model.class_label(0)}, ...).")
    known = {model.class_label(i): i for i in range(model.num_classes)}
    unknown = [name for name in class_names if name not in known]
    if unknown:
        raise ValueError(f"Class folder(s) {unknown} of {source!r} are not classes of the "
                         f"generator, which knows {list(known)}.")
    return np.array([known[os.path.relpath(p, source).split(os.sep)[0]] for p in paths],
                    dtype="int32")


def _check_folder_format(model, domain, example):
    """Refuses real files the generated ones would not match (size, channels, rate)."""
    if domain == "image":
        from PIL import Image

        with Image.open(example) as image:
            size, channels = image.size, len(image.getbands())
        side, _, want_channels = model.image_shape
        if size != (side, side) or channels != want_channels:
            raise ValueError(
                f"{example!r} is {size[0]}x{size[1]} with {channels} channel(s); the generator "
                f"makes {side}x{side} with {want_channels}: resize the images or pick "
                "another preset or model.")
    else:
        import soundfile

        rate = soundfile.info(example).samplerate
        if rate != model.sample_rate:
            raise ValueError(f"{example!r} is at {rate} Hz; the generator makes clips at "
                             f"{model.sample_rate} Hz: resample the clips or pick another "
                             "preset or model.")


__all__ = ["audio", "audio_dataset", "folder", "image_dataset", "images", "plan_labels"]

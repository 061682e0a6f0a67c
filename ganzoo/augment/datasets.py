"""Training data for a classifier's `model.fit`, as `tf.data` pipelines: your examples
and fresh generated ones mixed in every batch at a share and a loss weight, optionally
curated by a teacher, with the domain's classic augmentation applied to both
(`ganzoo.augment.classic`), so the classifier needs no augmentation layers of its own.
"""

import numpy as np
import tensorflow as tf

from ganzoo.augment import defaults
from ganzoo.augment.curation import resolve_teacher
from ganzoo.augment.generated import (_audio_output_format, _image_output_format,
                                      _label_ids, _model, _to_caller_images, check_weight)
from ganzoo.presets import AUGMENTATION_PRESETS


def check_share_weight(share, weight):
    if not 0 <= share < 1:
        raise ValueError(f"share is the generated fraction of the examples, in [0, 1); got "
                         f"{share}.")
    check_weight(weight)


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
                   soft_labels=False, class_shares="uniform", pool=None):
    """Batches drawn from the real examples and from fresh generated ones (a fraction
    `share` of all examples, on average; with `pool`, from that many generated once),
    each batch then through `augment_batch` (classic augmentation; the batch's values
    and a `[2]` seed); one epoch passes each real example about once. Labelled batches carry `sample_weight`: 1 for real
    examples, `weight` for generated ones. With a `teacher`, only the generated examples
    it gives their class with `confidence` or more are kept; `soft_labels` then labels
    them with its probabilities (real ones one-hot)."""
    from ganzoo.augment import curation
    from ganzoo.core.generation import check_truncation

    check_share_weight(share, weight)
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
    shares = generated_class_shares(class_shares, label_ids, classes, share)
    with np.errstate(divide="ignore"):
        class_logits = tf.constant(np.log(shares)[None], tf.float32)
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
    if share > 0 and pool:
        fake = _generated_pool(model, int(pool), seed, classes, shares, truncation,
                               to_caller, teacher, confidence, soft_labels, labelled, names,
                               y_dtype, weight)
    elif share > 0:
        fake = (tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
                .map(generate).unbatch())
        if teacher is not None:
            fake = fake.filter(_is_kept).map(_without_keep)
    if share > 0:
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


def _generated_pool(model, size, seed, classes, shares, truncation, to_caller, teacher,
                    confidence, soft_labels, labelled, names, y_dtype, weight):
    """`size` generated examples made once (those a teacher keeps, if there is one),
    drawn at random for ever: for generators too slow to run in the input pipeline
    (SpecGAN's Griffin-Lim on a CPU); classic augmentation still varies them batch by
    batch."""
    from ganzoo.augment import curation

    want = classes[np.random.default_rng([seed, 5]).choice(
        len(classes), size, p=shares)].astype("int32")
    fake = to_caller(tf.constant(model.generate(
        size, labels=want if model.conditional else None, seed=seed,
        truncation=truncation))).numpy()
    probs = None
    if teacher is not None:  # as in the stream: the pool keeps what the teacher keeps
        keep, probs = curation.kept(teacher, fake, want, model.num_classes, confidence)
        keep = keep.numpy()
        fake, want, probs = fake[keep], want[keep], tf.boolean_mask(probs, keep)
        size = len(want)
    if not labelled:
        parts = (fake,)
    else:
        labels = tf.gather(names, want) if names is not None else tf.cast(want, y_dtype)
        parts = (fake, probs if soft_labels else labels, np.full(size, weight, "float32"))
    return (tf.data.Dataset.from_tensor_slices(parts)
            .shuffle(size, seed=seed + 2, reshuffle_each_iteration=True).repeat())


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


def image_dataset(x, y=None, share=defaults.IMAGE_SHARE, weight=defaults.WEIGHT,
                  classic="default", truncation=defaults.TRUNCATION, teacher=defaults.TEACHER,
                  confidence=defaults.CONFIDENCE, soft_labels=False,
                  class_shares=defaults.CLASS_SHARES, pool=defaults.IMAGE_POOL, batch_size=32,
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
        pool: None: fresh generated examples in every batch; a number: that many
            generated once and drawn again and again (for slow generators).
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
    teacher = resolve_teacher(teacher, x, ids, model, "image", (fmt["low"], fmt["high"]),
                              confidence, seed)
    return _mixed_dataset(x, None if y is None else np.asarray(y), share, weight,
                          batch_size, seed, model, lambda f: _to_caller_images(f, fmt), ids,
                          truncation, _image_batch_augmenter(fmt, classic), teacher,
                          confidence, soft_labels, class_shares, pool)


def _renamed_share(share, ratio):
    # `ratio` means "generated per real example" in `images` / `audio`; here it meant
    # the generated fraction, now called `share`.
    if ratio is None:
        return share
    import warnings

    warnings.warn("ratio= of the dataset builders is now share= (the generated fraction "
                  "of the examples).", DeprecationWarning, stacklevel=3)
    return ratio


def _audio_batch_augmenter(fmt, classic, features):
    """Classic augmentation of a batch of clips in the caller's format: time shift and
    gain of the waveforms, then (with `features`) the features and their masks."""
    from ganzoo.augment.classic import AUDIO_OPS, augment_waveforms, check_ops, mask_features

    ops = check_ops(classic, AUDIO_OPS, "audio")
    if features is None and "frequency_mask" in ops:
        if classic != "default":
            raise ValueError("frequency_mask acts on features: pass features= (a function "
                             "of a batch of float32 waveforms in [-1, 1]).")
        ops = tuple(o for o in ops if o != "frequency_mask")

    def augment(waves, seed_pair):
        if not ops and features is None:
            return waves
        # Without features, time_mask silences a run of the waveform instead.
        values = augment_waveforms(tf.cast(waves, tf.float32) / fmt["scale"], seed_pair, ops,
                                   silence=features is None)
        if features is not None:
            return mask_features(tf.cast(features(values), tf.float32), seed_pair, ops)
        return _waves_to_caller(values, fmt)

    return augment


def _waves_to_caller(values, fmt):
    """Float clips in [-1, 1] (clipped) -> the caller's scale and dtype, in the graph."""
    dtype = tf.as_dtype(fmt["dtype"])
    values = tf.clip_by_value(values, -1.0, 1.0) * fmt["scale"]
    return tf.cast(tf.round(values) if dtype.is_integer else values, dtype)


def audio_dataset(waveforms, labels=None, share=defaults.AUDIO_SHARE, weight=defaults.WEIGHT,
                  classic="default", features=None, truncation=defaults.TRUNCATION,
                  teacher=defaults.TEACHER, confidence=defaults.CONFIDENCE, soft_labels=False,
                  class_shares=defaults.CLASS_SHARES, pool=defaults.AUDIO_POOL, batch_size=32,
                  preset=AUGMENTATION_PRESETS["audio"], seed=0, ratio=None):
    """Like `image_dataset`, for clips `[n, samples]` at the generator's sample rate.

    classic: "default" (time shift, gain and a time mask, which silences a run of the
        clip; with `features`, SpecAugment's time and frequency masks of the features
        instead), a list of "shift", "gain", "time_mask", "frequency_mask", or None.
    features: a function (e.g. a Keras layer) from a batch of float32 waveforms in
        [-1, 1] to features `[batch, frames, bins]`: the dataset then yields features,
        masked after the waveforms are shifted. None: it yields waveforms in your dtype.
    teacher, confidence, soft_labels: curation, as in `image_dataset`; a teacher reads
        waveforms in your dtype.
    class_shares: as in `image_dataset`.
    pool: as in `image_dataset`; by default a pool (SpecGAN's inversion is slow on CPUs).
    """
    share = _renamed_share(share, ratio)
    model = _model(preset, "audio")
    fmt = _audio_output_format(waveforms, model, None)
    ids = _label_ids(model, labels)
    length = fmt["length"]

    def to_caller(fake):
        fake = fake[:, :length]
        fake = tf.pad(fake, [[0, 0], [0, tf.maximum(0, length - tf.shape(fake)[1])]])
        return _waves_to_caller(fake, fmt)

    waveforms = np.asarray(waveforms)
    teacher = resolve_teacher(teacher, waveforms, ids, model, "audio", None, confidence, seed)
    return _mixed_dataset(waveforms, None if labels is None else np.asarray(labels),
                          share, weight, batch_size, seed, model, to_caller, ids, truncation,
                          _audio_batch_augmenter(fmt, classic, features), teacher,
                          confidence, soft_labels, class_shares, pool)


__all__ = ["audio_dataset", "generated_class_shares", "image_dataset"]

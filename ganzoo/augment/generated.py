"""Generated examples in the caller's format, as arrays and folders: your examples plus
generated ones, from a pretrained preset or your own model (the `tf.data` pipelines:
`ganzoo.augment.datasets`).

    x_aug, y_aug = ganzoo.augment.images(x, y, per_class=100)        # dcgan_digits
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


def check_weight(weight):
    if not (np.isfinite(weight) and weight > 0):
        raise ValueError(f"weight is a generated example's loss weight, a positive number; "
                         f"got {weight}.")


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
        check_weight(weight)
    ids = _label_ids(model, labels)
    want = plan_labels(ids, model.num_classes, len(real), per_class, ratio)
    from ganzoo.augment.curation import resolve_teacher

    teacher = resolve_teacher(teacher, np.asarray(real), ids, model, domain, value_range, confidence,
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


__all__ = ["audio", "folder", "images", "plan_labels"]

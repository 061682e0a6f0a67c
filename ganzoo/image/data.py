"""Image input pipelines: arrays, image folders and tensorflow-datasets, all ending in
the same `tf.data` dataset of images scaled to [-1, 1] (with int32 labels if given)."""

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import tensorflow as tf

from ganzoo.core import distribute
from ganzoo.core.pipeline import fit_batch_size

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


def dataset_from_arrays(images, labels=None, batch_size=64, image_size=None,
                        value_range=None, shuffle=True, seed=None, cache=True,
                        drop_remainder=True):
    """A training dataset from NumPy arrays.

    Args:
        images: `[n, h, w]` or `[n, h, w, c]`, uint8 (0..255) or float.
        labels: optional `[n]` integer class labels.
        batch_size: examples per batch (the global batch under tf.distribute).
        image_size: resize to `(side, side)` (or an int side) when given.
        value_range: the range of float inputs, e.g. `(0, 1)` or `(-1, 1)`;
            inferred when None: uint8 is 0..255, floats with negatives are
            [-1, 1], floats up to 1 are [0, 1], larger floats are 0..255.
        shuffle, seed: reshuffle every epoch (repeatably for a given seed).
        cache: keep the prepared images in memory after the first epoch.
        drop_remainder: keep every batch full (needed by tf.distribute); with fewer
            images than `batch_size`, batches hold all of them (with a notice).

    Returns:
        A `tf.data.Dataset` of float32 images in [-1, 1], or of
        `(images, labels)` pairs when labels are given.
    """
    images = check_images(images)
    labels = check_labels(labels, len(images))
    scaled = _to_unit_range(images, value_range)
    return _finish(scaled, labels, batch_size, image_size, shuffle, seed, cache,
                   drop_remainder)


def dataset_from_directory(directory, image_size, channels=None, batch_size=64,
                           shuffle=True, seed=None, cache=True, drop_remainder=True,
                           return_class_names=False, verbose=True):
    """A training dataset from a folder of PNG / JPEG images.

    A folder with one sub-folder per class (as `keras.utils.image_dataset_from_directory`
    expects) gives `(images, labels)` with classes numbered in sorted folder order;
    a folder of images alone gives unlabelled images.

    Every file is decoded once, up front, so that an unreadable file is reported by
    name before training starts (the decoded images are what the cache would hold).
    """
    images, labels, class_names = load_image_folder(directory, image_size, channels, verbose)
    dataset = _finish(_to_unit_range(images, None), labels, batch_size, None,
                      shuffle, seed, cache, drop_remainder)
    return (dataset, class_names) if return_class_names else dataset


def dataset_from_tfds(name, data_dir=None, split="train", image_size=None,
                      batch_size=64, image_key="image", label_key="label",
                      with_labels=True, shuffle=True, seed=None, cache=True,
                      drop_remainder=True, download=False):
    """A training dataset from a tensorflow-datasets name (e.g. `"mnist"`).

    The dataset must already be prepared in `data_dir` unless `download=True`
    (which needs network access).
    """
    import tensorflow_datasets as tfds

    try:
        builder = tfds.builder(name, data_dir=data_dir)
        if download:
            builder.download_and_prepare()
        ds = builder.as_dataset(split=split, shuffle_files=False)
    except (tfds.core.registered.DatasetNotFoundError, AssertionError,
            FileNotFoundError) as e:
        where = data_dir or "the default tfds data_dir"
        raise ValueError(
            f"tensorflow-datasets dataset {name!r} (split {split!r}) is not prepared in "
            f"{where}. Prepare it there first, or pass download=True on a machine with "
            f"network access. ({type(e).__name__}: {str(e).splitlines()[0]})"
        ) from None
    features = builder.info.features
    if image_key not in features:
        raise ValueError(
            f"Dataset {name!r} has no feature {image_key!r}; its features are "
            f"{sorted(features.keys())}. Pass image_key=."
        )
    with_labels = with_labels and label_key in features
    side = _side(image_size)

    def prepare(example):
        image = tf.image.convert_image_dtype(example[image_key], tf.float32)
        if side is not None:
            image = tf.image.resize(image, (side, side), antialias=True)
        image = image * 2.0 - 1.0
        if with_labels:
            return image, tf.cast(example[label_key], tf.int32)
        return image

    ds = ds.map(prepare, num_parallel_calls=tf.data.AUTOTUNE)
    if cache:
        ds = ds.cache()
    if shuffle:
        ds = ds.shuffle(10_000, seed=distribute.shuffle_seed(seed), reshuffle_each_iteration=True)
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    return distribute.shard_by_data(ds.prefetch(tf.data.AUTOTUNE))


# ----------------------------------------------------------------- readers


def load_image_folder(directory, image_size=None, channels=None, verbose=True):
    """`(images uint8 [n, side, side, c], labels or None, class_names or None)` from a
    folder of PNG / JPEG images, with one sub-folder per class or none."""
    paths, labels, class_names = list_image_files(directory)
    images = load_images(paths, _side(image_size), channels, verbose=verbose)
    return images, labels, class_names


def load_npz(path):
    """`(images, labels or None)` from an `.npz` with an `images` array (or `x`,
    `x_train`, `arr_0`) and optionally `labels` (or `y`, `y_train`)."""
    import zipfile

    try:
        npz = np.load(path, allow_pickle=False)
        if not isinstance(npz, np.lib.npyio.NpzFile):
            raise ValueError("it holds a single array, not named arrays")
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as e:
        raise ValueError(f"Cannot read {path!r} as an .npz file: {e}") from None
    with npz:
        keys = list(npz.files)
        image_key = next((k for k in ("images", "x", "x_train", "arr_0") if k in keys), None)
        if image_key is None:
            raise ValueError(f"{path!r} holds {keys}; expected an `images` array.")
        label_key = next((k for k in ("labels", "y", "y_train") if k in keys), None)
        return npz[image_key], (npz[label_key] if label_key else None)


# ----------------------------------------------------------------- helpers


def list_image_files(directory):
    """Image paths, labels (None if the folder has no class sub-folders) and class names."""
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(f"Image folder {directory!r} does not exist or is not a folder.")
    entries = sorted(os.listdir(directory))
    class_names = [e for e in entries if os.path.isdir(os.path.join(directory, e))]
    paths, labels = [], []
    if class_names:
        for index, name in enumerate(class_names):
            for path in _images_in(os.path.join(directory, name)):
                paths.append(path)
                labels.append(index)
    else:
        paths = _images_in(directory)
    if not paths:
        raise ValueError(
            f"No images ({', '.join(IMAGE_EXTENSIONS)}) found in {directory!r}."
        )
    labels = np.asarray(labels, dtype="int32") if class_names else None
    return paths, labels, class_names or None


def _images_in(folder):
    found = []
    for root, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if name.lower().endswith(IMAGE_EXTENSIONS):
                found.append(os.path.join(root, name))
    return found


def load_images(paths, side=None, channels=None, verbose=True):
    """Decodes image files to a uint8 array `[n, side, side, channels]`.

    `channels` None takes the first image's (grey stays grey). Raises naming the
    first file that cannot be decoded.
    """
    from PIL import Image, UnidentifiedImageError

    def read(path):
        try:
            with Image.open(path) as img:
                img.load()
                return img.copy()
        except (OSError, UnidentifiedImageError, SyntaxError) as e:
            raise ValueError(f"Cannot read image file {path!r}: {e}") from None

    first = read(paths[0])
    if channels is None:
        channels = 1 if first.mode in ("1", "L", "I", "I;16", "F") else 3
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels}.")
    mode = "L" if channels == 1 else "RGB"
    if side is None:
        if first.width != first.height:
            raise ValueError(
                f"{paths[0]!r} is {first.width}x{first.height}; pass image_size= to resize."
            )
        side = first.width

    def decode(path):
        img = read(path).convert(mode)
        if img.size != (side, side):
            img = img.resize((side, side), Image.Resampling.LANCZOS)
        return np.asarray(img, dtype="uint8").reshape(side, side, channels)

    progress = _progress(len(paths), "Decoding images", verbose)
    out = np.empty((len(paths), side, side, channels), dtype="uint8")
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        for i, image in enumerate(pool.map(decode, paths)):
            out[i] = image
            progress.update(1)
    progress.close()
    return out


def _progress(total, desc, verbose):
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="img", disable=not verbose or total < 2000)


def check_images(images):
    images = np.asarray(images)
    if images.size == 0 or len(images) == 0:
        raise ValueError("No images: the image array is empty.")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            "Images must have shape [n, height, width] or [n, height, width, channels], "
            f"got shape {images.shape}."
        )
    if images.shape[-1] not in (1, 3):
        raise ValueError(
            f"Images must have 1 or 3 channels (last axis), got shape {images.shape}."
        )
    if not (np.issubdtype(images.dtype, np.integer) or np.issubdtype(images.dtype, np.floating)):
        raise ValueError(f"Images must be integers or floats, got dtype {images.dtype}.")
    if np.issubdtype(images.dtype, np.floating):
        bad = ~np.isfinite(images)
        if bad.any():
            index = int(np.argwhere(bad.reshape(len(images), -1).any(axis=1))[0, 0])
            raise ValueError(f"Images contain NaN or infinite values (first at image {index}).")
    return images


def check_labels(labels, n):
    if labels is None:
        return None
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise ValueError(f"Labels must have shape [n], got shape {labels.shape}.")
    if len(labels) != n:
        raise ValueError(f"Got {n} images but {len(labels)} labels: they must match one to one.")
    if not np.issubdtype(labels.dtype, np.integer):
        if np.issubdtype(labels.dtype, np.floating) and np.all(np.isfinite(labels)) \
                and np.all(labels == np.round(labels)):
            labels = labels.astype("int64")
        else:
            raise ValueError(
                f"Labels must be integer class ids, got dtype {labels.dtype}."
            )
    if labels.min() < 0:
        raise ValueError(f"Labels must be non-negative class ids, found {labels.min()}.")
    return labels.astype("int32")


def infer_value_range(images):
    """The pixel range images are most likely in: (0, 255), (0, 65535), (0, 1) or (-1, 1)."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return (0, 255)
    if np.issubdtype(images.dtype, np.integer):
        return (0, 255) if images.max() <= 255 else (0, 65535)
    if images.min() < 0:
        return (-1, 1)
    if images.max() <= 1.0:
        return (0, 1)
    return (0, 255)


def _to_unit_range(images, value_range):
    """float32 in [-1, 1]."""
    if value_range is None:
        value_range = infer_value_range(images)
    low, high = (float(v) for v in value_range)
    if high <= low:
        raise ValueError(f"value_range must be (low, high) with low < high, got {value_range}.")
    images = images.astype("float32")
    if images.min() < low - 1e-3 or images.max() > high + 1e-3:
        raise ValueError(
            f"Image values span [{images.min():g}, {images.max():g}], outside "
            f"value_range {value_range}."
        )
    return (images - low) * (2.0 / (high - low)) - 1.0


def _side(image_size):
    if image_size is None:
        return None
    if isinstance(image_size, int):
        return image_size
    height, width = image_size
    if height != width:
        raise ValueError(f"image_size must be square, got {image_size}.")
    return int(height)


def _finish(images, labels, batch_size, image_size, shuffle, seed, cache, drop_remainder):
    n = len(images)
    batch_size = int(batch_size)
    if drop_remainder:
        batch_size = fit_batch_size(n, batch_size, "images")
    elif batch_size < 1:
        raise ValueError(f"batch_size must be positive, got {batch_size}.")
    tensors = images if labels is None else (images, labels)
    ds = tf.data.Dataset.from_tensor_slices(tensors)
    side = _side(image_size)
    if side is not None and side != images.shape[1]:
        def resize(image, *label):
            image = tf.image.resize(image, (side, side), antialias=True)
            image = tf.clip_by_value(image, -1.0, 1.0)
            return (image, *label) if label else image

        ds = ds.map(resize, num_parallel_calls=tf.data.AUTOTUNE)
    if cache:
        ds = ds.cache()
    if shuffle:
        ds = ds.shuffle(min(n, 50_000), seed=distribute.shuffle_seed(seed),
                        reshuffle_each_iteration=True)
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    return distribute.shard_by_data(ds.prefetch(tf.data.AUTOTUNE))

"""Audio input pipeline: files -> mono clips at the model's rate -> random slices.

Every file is decoded once (in parallel threads) and kept in one flat float32 array;
the `tf.data` pipeline then cuts a random slice per example with in-graph ops, so
short clips cost the same as long ones and nothing is decoded twice.
"""

import os
import re
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import tensorflow as tf

from ganzoo.core import distribute
from ganzoo.core.pipeline import fit_batch_size

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif")
#: Labels from names like `seven_0123.flac`: the part before the first underscore.
DEFAULT_LABEL_PATTERN = r"^([^_]+)_"


class AudioClips:
    """Decoded clips: `audio` (flat float32), `offsets`, `lengths`, optional `labels`
    and `class_names`, at `sample_rate`; `skipped` lists files that failed."""

    def __init__(self, audio, offsets, lengths, sample_rate, labels=None, class_names=None,
                 paths=(), skipped=()):
        self.audio, self.offsets, self.lengths = audio, offsets, lengths
        self.sample_rate = sample_rate
        self.labels, self.class_names = labels, class_names
        self.paths, self.skipped = list(paths), list(skipped)

    def __len__(self):
        return len(self.lengths)

    def clip(self, i):
        return self.audio[self.offsets[i]:self.offsets[i] + self.lengths[i]]

    def waveforms(self, indices=None, length=16384):
        """float32 `[n, length]`: the clips at `indices` (all by default), cut or
        zero-padded to `length` samples."""
        indices = range(len(self)) if indices is None else indices
        return np.stack([np.pad(self.clip(i)[:length], (0, max(0, length - self.lengths[i])))
                         for i in indices]).astype("float32")

    def subset(self, indices):
        """The clips at `indices` (e.g. a train / validation split), as new AudioClips."""
        indices = np.asarray(indices, dtype="int64")
        if indices.size == 0:
            raise ValueError("subset() needs at least one clip index.")
        lengths = self.lengths[indices]
        audio = np.concatenate([self.clip(i) for i in indices])
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(self.offsets.dtype)
        return AudioClips(audio, offsets, lengths, self.sample_rate,
                          None if self.labels is None else self.labels[indices],
                          self.class_names,
                          [self.paths[i] for i in indices] if self.paths else (),
                          self.skipped)


def list_audio_files(source, labels="auto", label_pattern=DEFAULT_LABEL_PATTERN):
    """Paths and labels from a folder (searched recursively) or a list of paths.

    Args:
        labels: "folders" (one sub-folder per class), "filename" (`label_pattern`'s
            first group, e.g. `seven_0001.flac` -> "seven"), None, or "auto": folders
            if the folder has class sub-folders, else file names if they all match.
    Returns:
        `(paths, label_names or None)`.
    """
    if isinstance(source, (str, os.PathLike)):
        # "clips/" and "clips" alike: the paths below are compared with it
        folder = os.path.normpath(os.fspath(source))
        if not os.path.isdir(folder):
            raise ValueError(f"Audio folder {folder!r} does not exist or is not a folder.")
        paths = []
        for root, _, files in sorted(os.walk(folder)):
            paths += [os.path.join(root, f) for f in sorted(files)
                      if f.lower().endswith(AUDIO_EXTENSIONS)]
        if not paths:
            raise ValueError(
                f"No audio files ({', '.join(AUDIO_EXTENSIONS)}) found in {folder!r}."
            )
    else:
        folder, paths = None, [os.fspath(p) for p in source]
        if not paths:
            raise ValueError("The list of audio files is empty.")
    if labels == "auto":
        if folder and any(os.path.dirname(p) != folder for p in paths):
            labels = "folders"
        elif all(re.match(label_pattern, os.path.basename(p)) for p in paths):
            labels = "filename"
        else:
            labels = None
    if labels is None:
        return paths, None
    if labels == "folders":
        if folder is None:
            raise ValueError('labels="folders" needs a folder, not a list of files.')
        names = [os.path.relpath(p, folder).split(os.sep)[0] for p in paths]
        if any(os.path.dirname(p) == folder for p in paths):
            raise ValueError(f"Some files in {folder!r} are not in a class sub-folder.")
        return paths, names
    if labels == "filename":
        names = []
        for p in paths:
            match = re.match(label_pattern, os.path.basename(p))
            if not match:
                raise ValueError(f"File name {os.path.basename(p)!r} does not match the "
                                 f"label pattern {label_pattern!r}.")
            names.append(match.group(1))
        return paths, names
    raise ValueError(f'labels must be "auto", "folders", "filename" or None, got {labels!r}.')


def decode_audio(path, sample_rate):
    """A mono float32 waveform at `sample_rate` (resampled if the file differs)."""
    import soundfile as sf

    try:
        data, rate = sf.read(path, dtype="float32", always_2d=True)
    except Exception as first_error:  # soundfile cannot read every MP3 build
        try:
            import librosa

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # its own "PySoundFile failed" notice
                data, rate = librosa.load(path, sr=None, mono=False)
            data = np.atleast_2d(data).T.astype("float32")
        except Exception:
            raise ValueError(f"Cannot decode audio file {path!r}: {first_error}") from None
    if data.size == 0:
        raise ValueError(f"Audio file {path!r} holds no samples.")
    mono = data.mean(axis=1)
    if rate != sample_rate:
        import librosa

        mono = librosa.resample(mono, orig_sr=rate, target_sr=sample_rate)
    if not np.all(np.isfinite(mono)):
        raise ValueError(f"Audio file {path!r} contains NaN or infinite samples.")
    return mono.astype("float32"), rate


def load_clips(source, sample_rate=16000, labels="auto", label_pattern=DEFAULT_LABEL_PATTERN,
               normalize="peak", on_error="raise", class_names=None, verbose=True):
    """Decodes audio files into `AudioClips`.

    Args:
        sample_rate: the model's rate; other rates are resampled (and reported).
        normalize: "peak" (each clip's peak to 0.95), "loudness" (each clip's RMS to
            -20 dBFS, clipped to [-1, 1]) or None.
        on_error: "raise" (name the file) or "skip" (warn with every skipped name).
        class_names: fixes the label order (e.g. a model's); else sorted names.
    """
    if on_error not in ("raise", "skip"):
        raise ValueError(f'on_error must be "raise" or "skip", got {on_error!r}.')
    paths, names = list_audio_files(source, labels, label_pattern)

    def work(path):
        try:
            return decode_audio(path, sample_rate), None
        except ValueError as e:
            if on_error == "raise":
                raise
            return None, str(e)

    from tqdm.auto import tqdm

    results = []
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        for item in tqdm(pool.map(work, paths), total=len(paths), desc="Decoding audio",
                         unit="file", disable=not verbose or len(paths) < 200):
            results.append(item)
    kept, skipped, rates = [], [], set()
    for i, ((decoded, error), path) in enumerate(zip(results, paths)):
        if decoded is None:
            skipped.append(path)
            continue
        kept.append((i, decoded[0]))
        rates.add(decoded[1])
    if skipped:
        warnings.warn(f"Skipped {len(skipped)} unreadable audio file(s): {skipped}", stacklevel=2)
    if not kept:
        raise ValueError("None of the audio files could be decoded.")
    if rates - {sample_rate}:
        warnings.warn(f"Resampled audio from {sorted(rates - {sample_rate})} Hz to "
                      f"{sample_rate} Hz.", stacklevel=2)
    clips = [_normalize(clip, normalize) for _, clip in kept]
    silent = [paths[i] for (i, _), clip in zip(kept, clips) if not np.any(clip)]
    if len(silent) == len(clips):
        raise ValueError("Every audio clip is silent (all zeros): nothing to learn from.")
    if silent:
        warnings.warn(f"{len(silent)} clip(s) are silent, e.g. {silent[:3]}.", stacklevel=2)
    lengths = np.array([len(c) for c in clips], dtype="int64")
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype("int64")
    label_ids = None
    if names is not None:
        kept_names = [names[i] for i, _ in kept]
        class_names = list(class_names) if class_names else sorted(set(kept_names))
        unknown = sorted(set(kept_names) - set(class_names))
        if unknown:
            raise ValueError(f"Labels {unknown} are not among the classes {class_names}.")
        label_ids = np.array([class_names.index(n) for n in kept_names], dtype="int32")
    return AudioClips(np.concatenate(clips), offsets, lengths, sample_rate, label_ids,
                      class_names if names is not None else None,
                      [paths[i] for i, _ in kept], skipped)


def _normalize(clip, mode):
    if mode is None:
        return clip
    if mode == "peak":
        peak = np.abs(clip).max()
        return clip * (0.95 / peak) if peak > 0 else clip
    if mode == "loudness":
        rms = np.sqrt(np.mean(clip ** 2))
        return np.clip(clip * (0.1 / rms), -1, 1) if rms > 0 else clip
    raise ValueError(f'normalize must be "peak", "loudness" or None, got {mode!r}.')


def dataset_from_clips(clips, slice_length=16384, batch_size=64, shuffle=True, seed=None,
                       drop_remainder=True, with_labels=True):
    """A dataset of float32 `[batch, slice_length]` slices (with int32 labels): a
    random crop of clips longer than the slice, zero padding for shorter ones. With
    fewer clips than `batch_size`, batches hold all of them (with a notice)."""
    n = len(clips)
    if drop_remainder:
        batch_size = fit_batch_size(n, batch_size, "clips")
    audio = tf.constant(clips.audio)
    offsets, lengths = tf.constant(clips.offsets), tf.constant(clips.lengths)
    with_labels = with_labels and clips.labels is not None
    labels = tf.constant(clips.labels) if with_labels else None

    def cut(index, crop_seed):
        start, length = offsets[index], lengths[index]
        room = tf.maximum(length - slice_length, 0)
        shift = tf.random.stateless_uniform((), crop_seed, 0, room + 1, dtype=tf.int64)
        take = tf.minimum(length, slice_length)
        piece = audio[start + shift:start + shift + take]
        piece = tf.pad(piece, [[0, slice_length - take]])
        piece = tf.ensure_shape(piece, (slice_length,))
        return (piece, labels[index]) if with_labels else piece

    seed = distribute.shuffle_seed(seed)
    indices = tf.data.Dataset.range(n)
    if shuffle:
        indices = indices.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    # New crops every epoch (a new iterator), yet repeatable for a given seed.
    crop_seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
    ds = tf.data.Dataset.zip(indices, crop_seeds).map(cut, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    return distribute.shard_by_data(ds.prefetch(tf.data.AUTOTUNE))


def dataset_from_arrays(waveforms, labels=None, slice_length=16384, batch_size=64,
                        sample_rate=16000, class_names=None, shuffle=True, seed=None):
    """A training dataset from in-memory waveforms `[n, samples]` (or a list of 1-D
    clips of any lengths), float in [-1, 1], with optional integer labels."""
    clips = clips_from_arrays(waveforms, labels, sample_rate, class_names)
    return dataset_from_clips(clips, slice_length, batch_size, shuffle, seed)


def clips_from_arrays(waveforms, labels=None, sample_rate=16000, class_names=None):
    """`AudioClips` from waveforms `[n, samples]` or a list of 1-D clips."""
    clips = [np.asarray(w, dtype="float32").reshape(-1) for w in waveforms]
    if not clips:
        raise ValueError("No waveforms: the list is empty.")
    for i, clip in enumerate(clips):
        if clip.size == 0:
            raise ValueError(f"Waveform {i} holds no samples.")
        if not np.all(np.isfinite(clip)):
            raise ValueError(f"Waveform {i} contains NaN or infinite samples.")
    label_ids = None
    if labels is not None:
        label_ids = np.asarray(labels)
        if label_ids.shape != (len(clips),) or label_ids.dtype.kind not in "iu":
            raise ValueError(f"Labels must be {len(clips)} integer class ids, got "
                             f"shape {label_ids.shape} and dtype {label_ids.dtype}.")
        label_ids = label_ids.astype("int32")
    lengths = np.array([len(c) for c in clips], dtype="int64")
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype("int64")
    return AudioClips(np.concatenate(clips), offsets, lengths, int(sample_rate), label_ids,
                      None if class_names is None else list(class_names))


def dataset_from_directory(source, slice_length=16384, sample_rate=16000, batch_size=64,
                           labels="auto", label_pattern=DEFAULT_LABEL_PATTERN, normalize="peak",
                           on_error="raise", shuffle=True, seed=None, return_clips=False):
    """Decode a folder (or a list) of audio files and return the training dataset (and,
    with `return_clips=True`, the `AudioClips`, which hold `class_names`)."""
    clips = load_clips(source, sample_rate, labels, label_pattern, normalize, on_error)
    ds = dataset_from_clips(clips, slice_length, batch_size, shuffle, seed)
    return (ds, clips) if return_clips else ds


def dataset_from_files(*args, **kwargs):
    """Deprecated name of `dataset_from_directory` (ganzoo 0.2)."""
    warnings.warn("ganzoo.audio.dataset_from_files is deprecated and goes in 0.7; use "
                  "dataset_from_directory.",
                  DeprecationWarning, stacklevel=2)
    return dataset_from_directory(*args, **kwargs)


def write_wav(path, waveform, sample_rate, overwrite=True):
    """Writes a 16-bit PCM WAV file atomically."""
    import soundfile as sf

    from ganzoo.core.io import atomic_output

    waveform = np.clip(np.asarray(waveform, dtype="float32").reshape(-1), -1.0, 1.0)
    with atomic_output(path, overwrite=overwrite) as tmp:
        sf.write(tmp, waveform, int(sample_rate), subtype="PCM_16", format="WAV")
    return path

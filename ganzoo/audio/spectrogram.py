"""SpecGAN's representation of sound (Donahue et al. 2019), in TensorFlow ops.

A one-second clip becomes a 128x128 image: the log magnitude of its STFT (window 256,
hop 128, Hann), the Nyquist bin dropped, each frequency bin normalized to zero mean and
unit variance over the training set, clipped at 3 sigma and scaled to [-1, 1]. The way
back is the inverse normalization, `exp`, and Griffin-Lim phase recovery, here a
TensorFlow loop (optionally with the "fast" momentum of Perraudin et al. 2013), so a
generator plus its inversion export as one SavedModel that needs neither ganzoo nor
librosa.
"""

import keras
import numpy as np
import tensorflow as tf

FRAME_LENGTH = 256
FRAME_STEP = 128
#: Added to magnitudes before the log (as in SpecGAN), so silence is finite.
LOG_FLOOR = 1e-6
#: Normalized values are clipped at this many standard deviations.
CLIP_SIGMAS = 3.0


def frames_for(slice_length, frame_step=FRAME_STEP):
    """STFT frames of a slice (the end is zero-padded to a whole frame step)."""
    return -(-int(slice_length) // int(frame_step))


def _stft(waveforms, frame_length, frame_step):
    return tf.signal.stft(waveforms, frame_length, frame_step, fft_length=frame_length,
                          pad_end=True)


def log_magnitude(waveforms, frame_length=FRAME_LENGTH, frame_step=FRAME_STEP):
    """float32 waveforms `[n, samples]` -> log-magnitude spectrograms
    `[n, frames, frame_length // 2]` (the Nyquist bin dropped)."""
    waveforms = tf.convert_to_tensor(waveforms, tf.float32)
    if waveforms.shape.rank != 2:
        raise ValueError(f"Expected waveforms [n, samples], got shape {waveforms.shape}.")
    if waveforms.shape[1] is not None and waveforms.shape[1] < frame_length:
        raise ValueError(f"Clips of {waveforms.shape[1]} samples are shorter than one STFT "
                         f"frame ({frame_length} samples).")
    magnitude = tf.abs(_stft(waveforms, frame_length, frame_step))[:, :, :frame_length // 2]
    return tf.math.log(magnitude + LOG_FLOOR)


def griffin_lim(magnitude, length, iterations=32, momentum=0.99, frame_length=FRAME_LENGTH,
                frame_step=FRAME_STEP, seed=0):
    """Waveforms `[n, length]` whose STFT magnitude approaches `magnitude`
    (`[n, frames, frame_length // 2]`, the Nyquist bin dropped), by Griffin-Lim phase
    recovery from random phases (repeatable for a `seed`). `momentum` > 0 is the fast
    variant (0.99 as Perraudin et al. suggest); 0 is the original algorithm."""
    magnitude = tf.convert_to_tensor(magnitude, tf.float32)
    magnitude = tf.pad(magnitude, [[0, 0], [0, 0], [0, 1]])  # the Nyquist bin, silent
    target = tf.cast(magnitude, tf.complex64)
    inverse_window = tf.signal.inverse_stft_window_fn(frame_step)
    weight = tf.constant(momentum / (1.0 + momentum), tf.complex64)

    def to_wave(spectrum):
        wave = tf.signal.inverse_stft(spectrum, frame_length, frame_step,
                                      fft_length=frame_length, window_fn=inverse_window)
        return wave[:, :length]

    def unit(spectrum):
        return spectrum / tf.cast(tf.maximum(tf.abs(spectrum), 1e-8), tf.complex64)

    phase = tf.random.stateless_uniform(tf.shape(magnitude), [seed, 0], 0.0, 2.0 * np.pi)
    angles = tf.complex(tf.cos(phase), tf.sin(phase))
    rebuilt = tf.zeros_like(target)

    def step(i, angles, rebuilt):
        previous = rebuilt
        rebuilt = _stft(to_wave(target * angles), frame_length, frame_step)
        return i + 1, unit(rebuilt - weight * previous), rebuilt

    _, angles, _ = tf.while_loop(lambda i, *_: i < iterations, step,
                                 (tf.constant(0), angles, rebuilt))
    return to_wave(target * angles)


@keras.saving.register_keras_serializable(package="ganzoo")
class SpectrogramNormalization(keras.layers.Layer):
    """Per-frequency-bin normalization of log-magnitude spectrograms `[n, frames, bins]`
    to [-1, 1] (zero mean, unit variance, clipped at 3 sigma, divided by 3), with
    `invert` for the way back. `adapt(log_magnitudes)` fits the statistics; they are
    weights of the layer (in `.keras` files and SavedModels), and `statistics()` gives
    them for a config (SpecGAN's, so generator-only presets carry them)."""

    def __init__(self, bins=FRAME_LENGTH // 2, sample_rate=16000, **kwargs):
        super().__init__(**kwargs)
        self.bins, self.sample_rate = int(bins), int(sample_rate)
        self.mean = self.add_weight(shape=(self.bins,), initializer="zeros", trainable=False,
                                    name="mean")
        self.std = self.add_weight(shape=(self.bins,), initializer="ones", trainable=False,
                                   name="std")
        self.adapted = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                       name="adapted")
        # Its state does not depend on an input's shape: built now, so that a model that
        # only ever calls `invert` (a generator-only preset) exports it.
        self.built = True

    def adapt(self, log_magnitudes, sample_rate=None):
        """Fits the statistics on `[n, frames, bins]` log magnitudes (NumPy or tf), or on a
        dataset of such batches, computed at `sample_rate` (checked against the layer's)."""
        if sample_rate is not None and int(sample_rate) != self.sample_rate:
            raise ValueError(f"These spectrograms are of {sample_rate} Hz audio; the "
                             f"normalization is for {self.sample_rate} Hz.")
        batches = log_magnitudes if isinstance(log_magnitudes, tf.data.Dataset) else [
            log_magnitudes]
        total = np.zeros(self.bins)
        squares = np.zeros(self.bins)
        count = 0
        for batch in batches:
            x = np.asarray(batch, "float64").reshape(-1, self.bins)
            total += x.sum(0)
            squares += (x * x).sum(0)
            count += len(x)
        if count == 0:
            raise ValueError("No spectrogram frames to fit the normalization on.")
        mean = total / count
        std = np.sqrt(np.maximum(squares / count - mean * mean, 0.0))
        silent = np.log(LOG_FLOOR) + 1e-3
        if np.all(std < 1e-6) or np.all(mean < silent):
            raise ValueError("The training clips are silent (every spectrogram bin is "
                             "constant): nothing to normalize or learn.")
        # Bins that never vary (e.g. far above a band-limited recording) keep scale 1.
        return self.set_statistics(mean, np.where(std < 1e-6, 1.0, std))

    def set_statistics(self, mean, std):
        """Sets fitted statistics (`[bins]` each; std positive)."""
        mean, std = np.asarray(mean, "float32"), np.asarray(std, "float32")
        if mean.shape != (self.bins,) or std.shape != (self.bins,):
            raise ValueError(f"Spectrogram statistics need {self.bins} values each, got "
                             f"mean {mean.shape} and std {std.shape}.")
        if not (np.isfinite(mean).all() and np.isfinite(std).all() and (std > 0).all()):
            raise ValueError("Spectrogram statistics must be finite, with std > 0.")
        self.mean.assign(mean)
        self.std.assign(std)
        self.adapted.assign(1.0)
        return self

    def statistics(self):
        """`{"mean": [...], "std": [...]}` once fitted, else None."""
        if not float(self.adapted.numpy()):
            return None
        return {"mean": self.mean.numpy().tolist(), "std": self.std.numpy().tolist()}

    def call(self, log_magnitude):
        z = (tf.cast(log_magnitude, tf.float32) - self.mean) / self.std
        return tf.clip_by_value(z, -CLIP_SIGMAS, CLIP_SIGMAS) / CLIP_SIGMAS

    def invert(self, normalized):
        return tf.cast(normalized, tf.float32) * CLIP_SIGMAS * self.std + self.mean

    def get_config(self):
        return {**super().get_config(), "bins": self.bins, "sample_rate": self.sample_rate}

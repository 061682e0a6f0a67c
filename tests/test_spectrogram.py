"""SpecGAN's spectrogram transform, its normalization and Griffin-Lim (TensorFlow ops)."""

import os

import numpy as np
import pytest
import tensorflow as tf

from ganzoo.audio.data import load_clips
from ganzoo.audio.spectrogram import (SpectrogramNormalization, frames_for, griffin_lim,
                                      log_magnitude)

SPOKEN = os.path.join(os.path.dirname(__file__), "data", "spoken")


def _real_clips(n=8):
    clips = load_clips(SPOKEN, 16000, verbose=False)
    return np.stack([np.pad(clips.clip(i)[:16384], (0, max(0, 16384 - clips.lengths[i])))
                     for i in range(n)]).astype("float32")


def _magnitude(waves):
    return tf.exp(log_magnitude(waves)) - 1e-6


def test_one_second_becomes_128_by_128():
    assert frames_for(16384) == 128 and frames_for(32768) == 256 and frames_for(16000) == 125
    spec = log_magnitude(np.zeros((3, 16384), "float32"))
    assert spec.shape == (3, 128, 128)
    np.testing.assert_allclose(spec.numpy(), np.log(1e-6), rtol=1e-6)  # silence is finite
    # A 1 kHz tone lands in bin 1000 / (16000 / 256) = 16.
    t = np.arange(16384) / 16000
    tone = log_magnitude(np.sin(2 * np.pi * 1000 * t)[None].astype("float32"))
    assert int(np.argmax(tone.numpy()[0, 64])) == 16
    with pytest.raises(ValueError, match="shorter than one STFT frame"):
        log_magnitude(np.zeros((2, 100), "float32"))


def test_normalization_is_per_bin_clipped_and_invertible():
    rng = np.random.default_rng(0)
    scale = np.linspace(0.5, 4.0, 128)
    x = (rng.normal(size=(64, 128, 128)) * scale + np.arange(128)).astype("float32")
    layer = SpectrogramNormalization().adapt(x)
    np.testing.assert_allclose(layer.mean.numpy(), x.reshape(-1, 128).mean(0), atol=1e-3)
    np.testing.assert_allclose(layer.std.numpy(), x.reshape(-1, 128).std(0), rtol=1e-3)
    z = layer(x).numpy()
    assert z.min() >= -1.0 and z.max() <= 1.0
    inside = np.abs(z) < 0.99
    np.testing.assert_allclose(z[inside].std(), 1 / 3, rtol=0.1)
    back = layer.invert(z).numpy()
    np.testing.assert_allclose(back[inside], x[inside], atol=1e-3)
    # by batches of a dataset, the same statistics
    again = SpectrogramNormalization().adapt(tf.data.Dataset.from_tensor_slices(x).batch(10))
    np.testing.assert_allclose(again.std.numpy(), layer.std.numpy(), rtol=1e-4)


def test_silence_and_a_wrong_rate_are_refused():
    silent = log_magnitude(np.zeros((4, 16384), "float32"))
    with pytest.raises(ValueError, match="silent"):
        SpectrogramNormalization().adapt(silent)
    with pytest.raises(ValueError, match="22050 Hz audio; the normalization is for 16000 Hz"):
        SpectrogramNormalization(sample_rate=16000).adapt(silent, sample_rate=22050)
    # A bin that never varies keeps a scale of 1 (no division by zero).
    x = np.random.default_rng(0).normal(size=(8, 4, 128)).astype("float32")
    x[..., 127] = -3.0
    layer = SpectrogramNormalization().adapt(x)
    assert layer.std.numpy()[127] == 1.0 and np.isfinite(layer(x).numpy()).all()


def test_griffin_lim_recovers_real_speech_and_momentum_helps():
    waves = _real_clips()
    magnitude = _magnitude(waves)

    def error(rebuilt):
        return float(tf.norm(_magnitude(rebuilt) - magnitude) / tf.norm(magnitude))

    plain = griffin_lim(magnitude, 16384, iterations=32, momentum=0.0)
    fast = griffin_lim(magnitude, 16384, iterations=32, momentum=0.99)
    assert plain.shape == (8, 16384)
    noise = tf.random.normal([8, 16384], seed=1) * 0.1
    assert error(fast) < error(plain) < 0.15 < error(noise)
    assert error(griffin_lim(magnitude, 16384, iterations=4, momentum=0.99)) > error(fast)
    # repeatable for a seed, and it runs inside a graph
    graph = tf.function(lambda m: griffin_lim(m, 16384, iterations=32, seed=0))
    np.testing.assert_allclose(graph(magnitude).numpy(), fast.numpy(), atol=1e-4)

"""The audio transforms of discriminator augmentation: for spectrograms (SpecGAN's
`[batch, frames, bins, 1]` in [-1, 1]) time shift and SpecAugment's time / frequency
masks; for waveforms (WaveGAN's `[batch, samples]`) time shift and gain."""

import tensorflow as tf

from ganzoo.core.augmentation import per_example, random_band_mask, shift

#: -1 is 3 standard deviations below a bin's mean level: as near to silence as the
#: normalised spectrogram gets.
SPECTROGRAM_SILENCE = -1.0


def spectrogram_time_shift(x, draws, ratio=0.125):
    """Moves each spectrogram by up to 1/8 of its frames, padding with silence."""
    return shift(x, draws, axis=1, max_shift=int(x.shape[1] * ratio + 0.5),
                 fill=SPECTROGRAM_SILENCE)


def time_mask(x, draws, ratio=0.25):
    """Sets up to a quarter of the frames, one run of them, to each bin's mean level
    (0 after normalisation)."""
    return random_band_mask(x, draws, axis=1, max_width=int(x.shape[1] * ratio + 0.5))


def frequency_mask(x, draws, ratio=0.25):
    """Sets up to a quarter of the bins, one band of them, to their mean level."""
    return random_band_mask(x, draws, axis=2, max_width=int(x.shape[2] * ratio + 0.5))


def waveform_time_shift(x, draws, ratio=0.125):
    """Moves each clip by up to 1/8 of its length, padding with silence."""
    return shift(x, draws, axis=1, max_shift=int(x.shape[1] * ratio + 0.5))


def gain(x, draws, decibels=6.0):
    """Scales each clip by a random gain within +-6 dB."""
    level = draws.uniform(minval=-decibels, maxval=decibels)
    return x * per_example(tf.pow(10.0, level / 20.0), x)


SPECTROGRAM_POLICIES = {"time_shift": spectrogram_time_shift, "time_mask": time_mask,
                        "frequency_mask": frequency_mask}
SPECTROGRAM_DEFAULT = ("time_shift", "time_mask", "frequency_mask")
WAVEFORM_POLICIES = {"time_shift": waveform_time_shift, "gain": gain}
WAVEFORM_DEFAULT = ("time_shift", "gain")

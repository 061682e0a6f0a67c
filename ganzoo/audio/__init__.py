"""Audio: WaveGAN, its input pipeline, callbacks and spectrograms."""

from ganzoo.audio.callbacks import SpectrogramGrid
from ganzoo.audio.data import (
    AudioClips,
    dataset_from_clips,
    dataset_from_files,
    list_audio_files,
    load_clips,
    write_wav,
)
from ganzoo.audio.model import WaveGAN
from ganzoo.audio.plotting import log_spectrogram, save_spectrogram_grid

__all__ = [
    "AudioClips",
    "SpectrogramGrid",
    "WaveGAN",
    "dataset_from_clips",
    "dataset_from_files",
    "list_audio_files",
    "load_clips",
    "log_spectrogram",
    "save_spectrogram_grid",
    "write_wav",
]

"""What an audio model's samples look like on disk: WAV files, in one folder per class.

`AudioSamples` is the audio side of the model contract (see `AdversarialModel`): a
model that makes float32 waveforms `[n, samples]` at `self.sample_rate` inherits how
they are written and previewed (spectrograms).
"""

from ganzoo.audio.data import write_wav
from ganzoo.audio.plotting import save_spectrogram_grid
from ganzoo.core.writers import sample_paths, write_files


def write_audio(model, samples, out, labels=None, overwrite=False, progress=True):
    """`out` ending in .wav: that one clip (16-bit PCM); else a folder of WAVs, in one
    sub-folder per class for a conditional model."""
    if out.lower().endswith(".wav"):
        if len(samples) != 1:
            raise ValueError("--out FILE.wav takes one clip (--n 1); give a folder for more.")
        return write_wav(out, samples[0], model.sample_rate, overwrite=overwrite)
    paths = sample_paths(out, labels, model.class_label, ".wav", len(samples))
    write_files(paths, lambda i, path: write_wav(path, samples[i], model.sample_rate),
                overwrite, progress)
    return out


class AudioSamples:
    """The model contract for models that make waveforms at `sample_rate`."""

    domain = "audio"
    preview_columns = 4

    def sample_facts(self):
        return {"sample_rate": self.sample_rate, "slice_length": self.slice_length}

    def write_samples(self, samples, out, labels=None, overwrite=False, progress=True):
        return write_audio(self, samples, out, labels, overwrite, progress)

    def write_preview(self, samples, path, rows=None, row_names=None, title=None):
        return save_spectrogram_grid(samples, path, self.sample_rate, rows=rows,
                                     row_names=row_names, title=title, overwrite=True)

    def sample_callback(self, directory, every=1, log_dir=None):
        from ganzoo.audio.callbacks import SpectrogramGrid

        return SpectrogramGrid(directory, every=every, log_dir=log_dir)

"""Audio callbacks."""

import os

from ganzoo.audio.data import write_wav
from ganzoo.core.training_callbacks import PeriodicSamples


class SpectrogramGrid(PeriodicSamples):
    """Every `every` epochs, writes `epoch_NNNN.png`, a grid of spectrograms from a
    fixed latent (one row per class when conditional), and `wav_previews` WAV files
    `epoch_NNNN_K[_class].wav` to listen to (also to TensorBoard with `log_dir`)."""

    def __init__(self, directory, every=1, per_class=4, n=16, seed=0, wav_previews=4,
                 log_dir=None):
        super().__init__(directory, every=every, per_class=per_class, n=n, seed=seed,
                         log_dir=log_dir)
        self.wav_previews = int(wav_previews)

    def write(self, samples, labels, rows, epoch):
        model = self.model
        names = None
        if labels is not None:
            names = [model.class_label(c) for c in range(model.num_classes)]
        path = os.path.join(self.directory, f"epoch_{epoch:04d}.png")
        written = [model.write_preview(samples, path, rows=rows, row_names=names,
                                       title=f"epoch {epoch}: spectrograms, 0-"
                                             f"{model.sample_rate / 2000:g} kHz")]
        step = max(1, len(samples) // max(self.wav_previews, 1))
        for k, i in enumerate(range(0, len(samples), step)[: self.wav_previews]):
            suffix = f"_{names[labels[i]]}" if labels is not None else ""
            wav = os.path.join(self.directory, f"epoch_{epoch:04d}_{k}{suffix}.wav")
            written.append(write_wav(wav, samples[i], model.sample_rate))
        return written

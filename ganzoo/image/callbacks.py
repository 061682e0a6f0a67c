"""Image callbacks."""

import os

from ganzoo.core.training_callbacks import PeriodicSamples


class SampleGrid(PeriodicSamples):
    """Writes `epoch_NNNN.png`, a grid of images from a fixed latent, every `every`
    epochs: one row per class for conditional models (`per_class` columns), else a
    square grid of `n` images (also to TensorBoard with `log_dir`)."""

    def write(self, samples, labels, rows, epoch):
        path = os.path.join(self.directory, f"epoch_{epoch:04d}.png")
        return [self.model.write_preview(samples, path, rows=rows)]

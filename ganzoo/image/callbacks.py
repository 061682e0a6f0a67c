"""Image callbacks."""

import os

from ganzoo.core.callbacks import PeriodicSamples
from ganzoo.core.plotting import save_image_grid


class SampleGrid(PeriodicSamples):
    """Writes `epoch_NNNN.png`, a grid of images from a fixed latent, every `every`
    epochs: one row per class for conditional models (`per_class` columns), else a
    square grid of `n` images."""

    def write(self, samples, labels, rows, epoch):
        path = os.path.join(self.directory, f"epoch_{epoch:04d}.png")
        return [save_image_grid(samples, path, rows=rows)]

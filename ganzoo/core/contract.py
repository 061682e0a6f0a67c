"""The model contract: what the command line, presets and `ganzoo.augment` ask of a model
instead of testing its type.

Every ganzoo model is a `ModelContract` (through `AdversarialModel`). A domain sets
`domain` and overrides the writers; image models get them from
`ganzoo.image.samples.ImageSamples`, audio models from `ganzoo.audio.samples.AudioSamples`.
A model also has `num_classes` and `class_names` (None when unconditional).
"""

import numpy as np


class ModelContract:
    #: "image", "audio", "table", ...: what the model's samples are.
    domain = None
    #: Samples per second of an audio model's output; None elsewhere.
    sample_rate = None
    #: Samples per row of `save_preview`.
    preview_columns = 8
    #: The discriminator augmentations that make sense for the model's samples (name ->
    #: transform, see `ganzoo.core.augmentation`), and those
    #: `discriminator_augment="default"` means.
    augmentation_policies = {}
    default_augmentation = ()

    def class_label(self, index):
        """The name of class `index`: its class name, or the index padded to the
        width of the largest (folder names that sort in class order)."""
        if self.class_names:
            return str(self.class_names[int(index)])
        return str(int(index)).zfill(len(str(self.num_classes - 1)))

    def sample_facts(self):
        """Facts about the samples that presets record (shape, rate, ...)."""
        return {}

    def write_samples(self, samples, out, labels=None, overwrite=False, progress=True):
        """Writes generated `samples` to `out` (a file or a folder with one sub-folder
        per class); returns what was written."""
        raise ValueError(f"{type(self).__name__} has no file format for its samples.")

    def write_preview(self, samples, path, rows=None, row_names=None, title=None):
        """Writes a PNG picturing `samples` (`rows` rows); returns the path(s) written."""
        raise ValueError(f"{type(self).__name__} has no preview picture.")

    def sample_callback(self, directory, every=1, log_dir=None):
        """The callback that writes previews of fixed-latent samples while training
        (and, with `log_dir`, TensorBoard summaries of them)."""
        raise ValueError(f"{type(self).__name__} has no sample callback.")

    def save_preview(self, path, seed=0):
        """A PNG of what the model makes, one row per class for a conditional model."""
        rows = self.num_classes or 4
        columns = self.preview_columns
        labels = (np.repeat(np.arange(rows), columns).astype("int32")
                  if self.num_classes else None)
        samples = self.generate(rows * columns, labels=labels, seed=seed)
        names = [self.class_label(i) for i in range(rows)] if self.num_classes else None
        self.write_preview(samples, path, rows=rows, row_names=names)
        return path

"""What an image model's samples look like on disk: grids, `.npz` arrays, PNG folders.

`ImageSamples` is the image side of the model contract (see `AdversarialModel`): a
model that makes images in [-1, 1] inherits how they are written and previewed.
"""

import os

import numpy as np

from ganzoo.core.io import atomic_output
from ganzoo.core.plotting import save_image_grid
from ganzoo.core.writers import sample_paths, write_files


def to_uint8(images):
    """Maps generator output in [-1, 1] to uint8 pixels."""
    images = np.asarray(images, dtype="float32")
    return np.clip(np.rint((images + 1.0) * 127.5), 0, 255).astype("uint8")


def write_images(model, samples, out, labels=None, overwrite=False, progress=True):
    """`out` ending in .png: one grid (a row per class when every class has as many
    samples); .npz: uint8 `images` (and `labels`); no extension: a folder of PNGs, in
    one sub-folder per class for a conditional model."""
    if out.lower().endswith(".png"):
        rows = None
        counts = None if labels is None else np.bincount(labels, minlength=model.num_classes)
        if counts is not None and counts.min() == counts.max():  # every class, as many each
            rows = model.num_classes
            order = np.argsort(labels, kind="stable")
            samples = samples[order]
        save_image_grid(samples, out, rows=rows, overwrite=overwrite)
    elif out.lower().endswith(".npz"):
        with atomic_output(out, overwrite=overwrite) as tmp:
            arrays = {"images": to_uint8(samples)}
            if labels is not None:
                arrays["labels"] = np.asarray(labels)
                if model.class_names:
                    arrays["class_names"] = np.asarray(model.class_names)
            np.savez_compressed(tmp, **arrays)
    elif os.path.splitext(out)[1] == "":
        from PIL import Image

        pixels = to_uint8(samples)
        paths = sample_paths(out, labels, model.class_label, ".png", len(samples))

        def write(i, path):
            with atomic_output(path, overwrite=True) as tmp:
                image = pixels[i][..., 0] if pixels.shape[-1] == 1 else pixels[i]
                Image.fromarray(image).save(tmp, format="PNG")

        write_files(paths, write, overwrite, progress)
    else:
        raise ValueError(f"--out must be a .png grid, an .npz file or a folder for an image "
                         f"model, got {out!r}.")
    return out


class ImageSamples:
    """The model contract for models that make images `[n, h, w, c]` in [-1, 1]."""

    domain = "image"

    def sample_facts(self):
        return {"image_shape": list(self.image_shape)}

    def write_samples(self, samples, out, labels=None, overwrite=False, progress=True):
        return write_images(self, samples, out, labels, overwrite, progress)

    def write_preview(self, samples, path, rows=None, row_names=None, title=None):
        return save_image_grid(samples, path, rows=rows, overwrite=True)

    def sample_callback(self, directory, every=1, log_dir=None):
        from ganzoo.image.callbacks import SampleGrid

        return SampleGrid(directory, every=every, log_dir=log_dir)

    def generate_uint8(self, n, labels=None, seed=None):
        """Generates `n` images as uint8 `[n, side, side, channels]` in 0..255."""
        return to_uint8(self.generate(n, labels=labels, seed=seed))

"""Pictures people would rather look at than read: sample grids and loss curves."""

import csv
import io as _io
import math
import os

import numpy as np

from ganzoo.core import io


def image_grid(images, rows=None, pad=2, scale=1):
    """Tiles images (`[n, h, w, c]`, uint8 or floats in [-1, 1]) into one uint8 image."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.dtype != np.uint8:
        images = np.clip(np.rint((images.astype("float32") + 1.0) * 127.5), 0, 255).astype("uint8")
    n, h, w, c = images.shape
    rows = rows or int(math.ceil(math.sqrt(n)))
    cols = int(math.ceil(n / rows))
    grid = np.full((rows * (h + pad) + pad, cols * (w + pad) + pad, c), 255, dtype="uint8")
    for i in range(n):
        r, col = divmod(i, cols)
        y, x = pad + r * (h + pad), pad + col * (w + pad)
        grid[y:y + h, x:x + w] = images[i]
    if scale > 1:
        grid = grid.repeat(scale, axis=0).repeat(scale, axis=1)
    return grid


def save_image_grid(images, path, rows=None, scale=2, overwrite=True):
    """Writes a PNG grid of images atomically; returns the path."""
    from PIL import Image

    grid = image_grid(images, rows=rows, scale=scale)
    mode = "L" if grid.shape[-1] == 1 else "RGB"
    buffer = _io.BytesIO()
    Image.fromarray(grid[..., 0] if mode == "L" else grid, mode=mode).save(buffer, format="PNG")
    io.write_bytes_atomic(path, buffer.getvalue(), overwrite=overwrite)
    return path


def history_to_dict(history):
    """Metric lists from a `keras.callbacks.History`, a dict or a history CSV path."""
    if hasattr(history, "history"):
        return dict(history.history)
    if isinstance(history, (str, os.PathLike)):
        with open(history, newline="") as f:
            rows = list(csv.DictReader(f))
        if not rows:
            return {}
        return {k: [float(r[k]) for r in rows] for k in rows[0] if k != "epoch"}
    return dict(history)


def plot_losses(history, path, title="Training losses", overwrite=True):
    """Writes a PNG of the adversarial losses (top) and discriminator accuracies
    (bottom) per epoch; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    logs = history_to_dict(history)
    if not logs:
        raise ValueError("The history is empty: nothing to plot.")
    longest = max(len(v) for v in logs.values())

    def epochs(values):
        return np.arange(1, len(values) + 1)

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
    for key in sorted(k for k in logs if k.endswith("loss") or k == "gradient_penalty"):
        top.plot(epochs(logs[key]), logs[key], label=key, marker="o" if longest < 30 else None)
    top.set_ylabel("loss")
    top.legend()
    top.set_title(title)
    top.grid(alpha=0.3)
    for key in sorted(k for k in logs if k.endswith("_acc")):
        bottom.plot(epochs(logs[key]), logs[key], label=key)
    bottom.set_ylim(-0.02, 1.02)
    bottom.set_ylabel("discriminator accuracy")
    bottom.set_xlabel("epoch")
    bottom.grid(alpha=0.3)
    if any(k.endswith("_acc") for k in logs):
        bottom.legend()
    return save_figure(fig, path, dpi=100, overwrite=overwrite)


def save_figure(fig, path, dpi=100, overwrite=True):
    """Writes a matplotlib figure as a PNG atomically, closes it; returns the path."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    buffer = _io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    io.write_bytes_atomic(path, buffer.getvalue(), overwrite=overwrite)
    return path

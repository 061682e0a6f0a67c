"""Callbacks shared by every domain (public as `ganzoo.callbacks`)."""

import csv
import io as _io
import json
import os

import keras
import numpy as np

from ganzoo.core import io, plotting
from ganzoo.core.distribute import is_chief


class BackupAndRestore(keras.callbacks.BackupAndRestore):
    """Keras' `BackupAndRestore`, made safe to kill and multi-worker aware.

    Each backup is a new weights file (model and optimizer state) written atomically,
    then a small JSON pointer to it, also atomic: a process killed at any moment
    leaves the previous backup intact. Only the chief writes; every worker restores
    from the same directory, so all resume at the same epoch with the same weights.
    """

    POINTER = "backup.json"

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=False):
        super().__init__(backup_dir, save_freq=save_freq, delete_checkpoint=delete_checkpoint)
        self.restored_epoch = 0

    def _pointer(self):
        path = os.path.join(self.backup_dir, self.POINTER)
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return json.load(f)

    def _load_model(self):
        pointer = self._pointer()
        if pointer is None:
            return
        # The ganzoo models build their optimizers in compile(), so this restores
        # optimizer state (step counts, moments) as well as the weights.
        self.model.load_weights(os.path.join(self.backup_dir, pointer["weights"]))
        self.model._initial_epoch = self.restored_epoch = int(pointer["epoch"])

    def on_train_begin(self, logs=None):
        self._load_model()

    def _save_model(self):
        if not is_chief():
            return
        os.makedirs(self.backup_dir, exist_ok=True)
        name = f"epoch_{self._current_epoch:05d}_batch_{self._last_batch_seen:06d}.weights.h5"
        with io.atomic_output(os.path.join(self.backup_dir, name), overwrite=True) as tmp:
            self.model.save_weights(tmp)
        io.write_text_atomic(os.path.join(self.backup_dir, self.POINTER), json.dumps(
            {"epoch": self._current_epoch, "batch": self._last_batch_seen, "weights": name}))
        for old in os.listdir(self.backup_dir):
            if old.endswith(".weights.h5") and old != name:
                os.remove(os.path.join(self.backup_dir, old))

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and is_chief() and os.path.isdir(self.backup_dir):
            import shutil

            shutil.rmtree(self.backup_dir)


class PeriodicSamples(keras.callbacks.Callback):
    """Writes samples from a *fixed* latent every `every` epochs, so successive
    outputs show how the same points evolve. Domains implement `write`.

    Args:
        directory: where outputs go (created if needed).
        every: write after every `every`-th epoch (and always after the last).
        per_class: samples per class (conditional models: one row per class).
        n: number of samples for unconditional models.
        seed: seed of the fixed latent.
        log_dir: also write what is written as TensorBoard summaries here (PNGs as
            `tf.summary.image`, WAVs as `tf.summary.audio`, step = epoch), e.g. the
            `log_dir` of a `keras.callbacks.TensorBoard`, so samples show beside the
            losses.
    """

    def __init__(self, directory, every=1, per_class=10, n=64, seed=0, log_dir=None):
        super().__init__()
        if int(every) < 1:
            raise ValueError(f"every must be a positive number of epochs, got {every}.")
        self.directory = os.fspath(directory)
        self.every = int(every)
        self.per_class = int(per_class)
        self.n = int(n)
        self.seed = seed
        self.log_dir = None if log_dir is None else os.fspath(log_dir)
        self.written = []
        self._epochs = None
        self._summary_writer = None

    def on_train_begin(self, logs=None):
        self._epochs = self.params.get("epochs") if self.params else None

    def fixed_inputs(self):
        model = self.model
        if model.conditional:
            labels = np.repeat(np.arange(model.num_classes, dtype="int32"), self.per_class)
            rows = model.num_classes
        else:
            labels, rows = None, None
        count = len(labels) if labels is not None else self.n
        return model.sample_latent(count, seed=self.seed), labels, rows

    def on_epoch_end(self, epoch, logs=None):
        last = self._epochs is not None and epoch + 1 == self._epochs
        if ((epoch + 1) % self.every and not last) or not is_chief():
            return
        z, labels, rows = self.fixed_inputs()
        samples = self.model.generate_from_latent(z, labels)
        os.makedirs(self.directory, exist_ok=True)
        written = self.write(samples, labels, rows, epoch + 1)
        self.written.extend(written)
        if self.log_dir is not None:
            self._summarize(written, epoch + 1)

    def _summarize(self, paths, epoch):
        import tensorflow as tf

        if self._summary_writer is None:
            self._summary_writer = tf.summary.create_file_writer(
                os.path.join(self.log_dir, "samples"))
        with self._summary_writer.as_default(step=epoch):
            for path in paths:
                name = os.path.splitext(os.path.basename(path))[0].split("_", 2)[-1]
                if path.endswith(".png"):
                    image = tf.image.decode_png(tf.io.read_file(path), channels=3)
                    tf.summary.image("samples", image[None])
                elif path.endswith(".wav"):
                    audio, rate = tf.audio.decode_wav(tf.io.read_file(path))
                    tf.summary.audio(f"audio/{name}", audio[None], rate)
        self._summary_writer.flush()

    def on_train_end(self, logs=None):
        if self._summary_writer is not None:
            self._summary_writer.close()
            self._summary_writer = None

    def write(self, samples, labels, rows, epoch):
        """Writes `samples` for `epoch` (1-based); returns the written paths."""
        raise NotImplementedError


class LossCurve(keras.callbacks.Callback):
    """Redraws a PNG of the losses and accuracies after every epoch and, with
    `csv_path`, keeps the per-epoch history as CSV (both written atomically).

    With `csv_path`, a resumed run (e.g. by `BackupAndRestore`) continues the
    earlier epochs' rows, so the curve covers the whole training.
    """

    def __init__(self, path, csv_path=None):
        super().__init__()
        self.path = os.fspath(path)
        self.csv_path = None if csv_path is None else os.fspath(csv_path)
        self.rows = []

    def on_train_begin(self, logs=None):
        self.rows = []
        if self.csv_path and os.path.exists(self.csv_path):
            with open(self.csv_path, newline="") as f:
                self.rows = [
                    {k: float(v) for k, v in row.items() if v not in ("", None)}
                    for row in csv.DictReader(f)
                ]

    def on_epoch_begin(self, epoch, logs=None):
        # Rows from epochs after the one being (re)run belong to a lost future.
        self.rows = [row for row in self.rows if row.get("epoch", 0) <= epoch]

    def on_epoch_end(self, epoch, logs=None):
        row = {"epoch": epoch + 1}
        row.update({k: float(v) for k, v in (logs or {}).items()})
        self.rows.append(row)
        if not is_chief():
            return
        history = {}
        for r in self.rows:
            for key, value in r.items():
                if key != "epoch":
                    history.setdefault(key, []).append(value)
        plotting.plot_losses(history, self.path)
        if self.csv_path:
            keys = ["epoch"] + sorted({k for r in self.rows for k in r} - {"epoch"})
            buffer = _io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=keys, lineterminator="\n")
            writer.writeheader()
            for r in self.rows:
                writer.writerow({**r, "epoch": int(r["epoch"])})
            io.write_text_atomic(self.csv_path, buffer.getvalue())


class EpochProgressBar(keras.callbacks.Callback):
    """One progress bar over all epochs, with the latest losses beside it: for long
    runs of many short epochs, where Keras' bar per epoch would scroll away."""

    def __init__(self, desc="Training", keys=("d_loss", "g_loss")):
        super().__init__()
        self.desc, self.keys, self.bar = desc, keys, None

    def on_train_begin(self, logs=None):
        from tqdm.auto import tqdm

        self.bar = tqdm(total=self.params.get("epochs"), desc=self.desc, unit="epoch",
                        disable=not is_chief())

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.bar.set_postfix({k: f"{logs[k]:.3f}" for k in self.keys if k in logs})
        self.bar.update(1)

    def on_train_end(self, logs=None):
        self.bar.close()

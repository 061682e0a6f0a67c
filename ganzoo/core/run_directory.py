"""A training run's directory: created, refused, overwritten or resumed in one place.

    RUN_DIR/model.keras          the trained model (written atomically at the end)
    RUN_DIR/run.json             what the run is: the model's own Keras config, how it
                                 was compiled, and the data it trains on
    RUN_DIR/backup/              BackupAndRestore: what --resume continues from
    RUN_DIR/samples/             sample grids (and audio previews) every few epochs
    RUN_DIR/loss_curve.png, history.csv

Resuming rebuilds the model from its saved config (so the architecture always matches
the backup) and reads the same data; only the schedule (epochs, ...) may change.
"""

import json
import os
import shutil

from ganzoo.core.io import write_text_atomic

#: run.json written by ganzoo 0.2 held the command's arguments by name and no format.
STATE_FORMAT = 2


class RunDirectory:
    STATE = "run.json"

    def __init__(self, path):
        self.path = os.fspath(path)

    def file(self, *parts):
        return os.path.join(self.path, *parts)

    @property
    def model_path(self):
        return self.file("model.keras")

    @property
    def backup_dir(self):
        return self.file("backup")

    @property
    def samples_dir(self):
        return self.file("samples")

    @property
    def loss_curve(self):
        return self.file("loss_curve.png")

    @property
    def history_csv(self):
        return self.file("history.csv")

    def is_empty(self):
        return not (os.path.isdir(self.path) and os.listdir(self.path))

    def prepare(self, resume=False, overwrite=False, chief=True):
        """Makes the directory ready and returns True when an earlier run continues.

        A non-empty directory is refused unless `resume` (continue it) or `overwrite`
        (delete it and start again). Only the chief creates or deletes; other workers
        of a multi-worker job trust it to.
        """
        if os.path.exists(self.path) and not os.path.isdir(self.path):
            raise FileExistsError(f"--out {self.path!r} exists and is not a directory.")
        if not chief:
            os.makedirs(self.path, exist_ok=True)
            return bool(resume)
        existing = not self.is_empty()
        if existing and not (resume or overwrite):
            raise FileExistsError(
                f"Run directory {self.path!r} is not empty. Pass --resume to continue that "
                "run or --overwrite to start again (deleting it).")
        if existing and overwrite:
            shutil.rmtree(self.path)
        os.makedirs(self.path, exist_ok=True)
        return existing and resume

    def load_state(self):
        """The saved state: a dict with `format` (2: `model`, `model_config`, `compile`,
        `data`; 1: the command-line arguments of ganzoo 0.2), or None."""
        path = self.file(self.STATE)
        if not os.path.exists(path):
            return None
        try:
            with open(path) as f:
                state = json.load(f)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ValueError(f"{path!r} is not valid JSON ({e}); cannot resume this run.") from None
        state.setdefault("format", 1)
        if state["format"] > STATE_FORMAT:
            raise ValueError(f"{path!r} was written by a newer ganzoo (format "
                             f"{state['format']}); upgrade ganzoo to resume it.")
        return state

    def save_state(self, model_name, model, compile_config, data_config, extra=None):
        """Records what the run is (atomically): enough to rebuild the model exactly."""
        import keras

        config = keras.saving.serialize_keras_object(model)
        config.pop("compile_config", None)
        state = {"format": STATE_FORMAT, "model": model_name, "model_config": config,
                 "compile": compile_config, "data": data_config, **(extra or {})}
        write_text_atomic(self.file(self.STATE), json.dumps(state, indent=2))
        return state

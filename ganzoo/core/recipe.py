"""What `ganzoo train MODEL` needs of a model: its options, its data, a fresh model.

Each trainable model has a recipe in its own folder (`ganzoo/image/recipe.py`, ...),
named in `ganzoo.models`. A recipe module imports no TensorFlow at import time, so
`ganzoo --help` lists every model's options at once.
"""

import dataclasses
from typing import Callable, Optional


@dataclasses.dataclass
class TrainingData:
    """Training data, read once: `make_dataset(batch_size, model)` builds the pipeline
    (which may need the model, e.g. SpecGAN's spectrogram statistics)."""

    description: str
    examples: int
    make_dataset: Callable
    num_classes: Optional[int] = None
    class_names: Optional[list] = None
    #: The shape of one example, where the model is built from it.
    sample_shape: Optional[tuple] = None
    #: `score(model)` -> the bundled evaluator's report on samples of the trained model,
    #: where one fits this data (None elsewhere).
    score: Optional[Callable] = None


class TrainingRecipe:
    """Subclasses set `name`, `summary`, `defaults` (values of the shared options that
    differ for this model) and `data_options` (the options that say what data the run
    trains on: `run.json` keeps them so `--resume` reads the same data), and implement
    `add_arguments`, `load_data` and `build_model`."""

    name = None
    summary = ""
    defaults = {}
    data_options = ("data", "unconditional", "seed")
    #: The auxiliary classifier's weight for class-conditional data when the command
    #: line does not give one (None: no classifier).
    class_loss_weight = None

    def add_arguments(self, group):
        """Adds this model's own options to an argparse group."""

    def load_data(self, options, verbose=True):
        """A `TrainingData` from the options."""
        raise NotImplementedError

    def build_model(self, options, data):
        """A fresh, uncompiled model for the data."""
        raise NotImplementedError

    def upgrade_legacy_options(self, saved):
        """The arguments an older ganzoo saved in run.json, under today's names."""
        # 0.2 runs had a classifier only when asked for (0: none, not the default).
        saved["class_loss_weight"] = saved.get("class_loss_weight") or 0.0
        saved.setdefault("generator_ema", None)  # and no weight average before it existed
        return saved

    def model_arguments(self, options, data):
        """The constructor arguments every model shares, from the shared options."""
        from ganzoo.core.augmentation import DEFAULT_PROBABILITY

        return {"class_names": data.class_names, "latent_dim": options.latent_dim,
                "model_size": options.model_size, "precision": options.precision,
                "seed": options.seed, "generator_ema": options.generator_ema or None,
                "class_loss_weight": self.class_loss_weight_for(options, data),
                "augment": getattr(options, "augment", None),
                "augment_p": getattr(options, "augment_p", DEFAULT_PROBABILITY)}

    def class_loss_weight_for(self, options, data):
        """`--class-loss-weight` (0 turns it off), else the recipe's default where the
        data has classes."""
        if options.class_loss_weight is not None:
            return options.class_loss_weight or None
        return self.class_loss_weight if data.num_classes else None

    def apply_defaults(self, options):
        for key, value in self.defaults.items():
            if getattr(options, key, None) is None:
                setattr(options, key, value)
        return options

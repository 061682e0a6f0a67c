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


#: Options of `ganzoo train` that are the model's constructor arguments: left out, the
#: model class's own default applies (the command line has none of its own).
MODEL_OPTIONS = ("latent_dim", "model_size", "generator_ema", "discriminator_augment",
                 "discriminator_augment_p", "r1_weight", "lecam_weight", "spectral_norm")

#: The command line's deliberate choices where the model class has another default,
#: with the reason; tests/test_defaults.py holds every other option to the class's.
COMMAND_LINE_CHOICES = {
    "precision": ("auto", "a command owns its process and picks for the machine; the "
                          "class follows Keras' global dtype policy"),
    "seed": (0, "a command repeats its run; the class draws fresh entropy"),
    "class_loss_weight": ("the recipe's, with labels", "labelled data gets the auxiliary "
                          "classifier the recipe measured; the class has none unless asked"),
}


class TrainingRecipe:
    """Subclasses set `name`, `summary`, `model` ("module:Class"), `defaults` (the
    schedule: epochs and batch size) and `data_options` (the options that say what data
    the run trains on: `run.json` keeps them so `--resume` reads the same data), and
    implement `add_arguments`, `load_data` and `build_model`."""

    name = None
    summary = ""
    model = None
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
        """The constructor arguments every model shares: the options given (the model's
        own defaults for the others) and the command line's choices."""
        given = {key: getattr(options, key, None) for key in MODEL_OPTIONS}
        arguments = {key: value for key, value in given.items() if value is not None}
        if given["generator_ema"] == 0:
            arguments["generator_ema"] = None
        return {**arguments, "class_names": data.class_names, "precision": options.precision,
                "seed": options.seed,
                "class_loss_weight": self.class_loss_weight_for(options, data)}

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

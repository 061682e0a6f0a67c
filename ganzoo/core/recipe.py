"""What `ganzoo train MODEL` needs of a model: its options, its data, a fresh model.

Each trainable model has a recipe in its own folder (`ganzoo/image/recipe.py`, ...),
named in `ganzoo.models`. A recipe module imports no TensorFlow at import time, so
`ganzoo --help` lists every model's options at once.
"""

import dataclasses
import math
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


#: A run counted in steps reports (progress bar, sample grid, backup) in rounds of this
#: many steps, or of one pass over the data where that is longer.
ROUND_STEPS = 250


@dataclasses.dataclass
class Schedule:
    """How long a run trains: `epochs` passes over the data, or (`steps_per_epoch` set)
    `epochs` rounds of that many steps over the repeated data."""

    epochs: int
    steps_per_epoch: Optional[int] = None

    @classmethod
    def of_steps(cls, steps, examples, batch_size, steps_per_execution=1):
        """About `ROUND_STEPS`-step rounds (or one pass each, where that is longer), each
        a whole number of compiled calls (Keras runs whole calls): `steps` rounded up to
        that, and the rounds equal."""
        calls = math.ceil(steps / steps_per_execution)
        longest = math.ceil(calls * steps_per_execution
                            / max(ROUND_STEPS, math.ceil(examples / batch_size)))
        rounds = max(d for d in range(1, min(longest, calls) + 1) if calls % d == 0)
        return cls(rounds, calls // rounds * steps_per_execution)

    @property
    def in_steps(self):
        return self.steps_per_epoch is not None

    def describe(self):
        if not self.in_steps:
            return f"{self.epochs} epoch" + ("s" if self.epochs != 1 else "")
        return (f"{self.epochs * self.steps_per_epoch:,} steps ({self.epochs} round"
                + ("s" if self.epochs != 1 else "") + f" of {self.steps_per_epoch})")


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
    #: Up to this many examples, the options the command line leaves out take
    #: `small_data_recipe`'s values (a schedule in "steps" among them) before `defaults`.
    small_data_size = 0
    small_data_recipe = {}

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
        arguments = {key: value for key, value in given.items()
                     if value is not None and str(value) != "none"}
        if given["generator_ema"] == 0:
            arguments["generator_ema"] = None
        # (--discriminator-augment none: the small-data recipe's augmentation turned off)
        return {**arguments, "class_names": data.class_names, "precision": options.precision,
                "seed": options.seed,
                "class_loss_weight": self.class_loss_weight_for(options, data)}

    def class_loss_weight_for(self, options, data):
        """`--class-loss-weight` (0 turns it off), else the recipe's default where the
        data has classes."""
        if options.class_loss_weight is not None:
            return options.class_loss_weight or None
        return self.class_loss_weight if data.num_classes else None

    def fill_in(self, options, examples, small_data_recipe=True):
        """Fills in what the command line left out, now that the data's size is known:
        the small-data recipe's choices where it applies (not for a run of a ganzoo that
        had none: `small_data_recipe=False`), then `defaults`. Returns the line that says
        what the small-data recipe chose ("" where it chose nothing)."""
        chosen = {}
        if small_data_recipe and examples <= self.small_data_size:
            schedule_given = options.epochs is not None or options.steps is not None
            chosen = {key: value for key, value in self.small_data_recipe.items()
                      if getattr(options, key, None) is None
                      and not (key == "steps" and schedule_given)}
            for key, value in chosen.items():
                setattr(options, key, value)
        for key, value in self.defaults.items():
            if key == "epochs" and options.steps is not None:
                continue
            if getattr(options, key, None) is None:
                setattr(options, key, value)
        if not chosen:
            return ""
        return (f"{examples:,} examples is small data (up to {self.small_data_size:,}): "
                + ", ".join(describe_choice(key, value) for key, value in chosen.items())
                + " (the small-data recipe; an option given on the command line overrides it).")

    def schedule(self, options, examples, batch_size, steps_per_execution=1):
        """The run's `Schedule` (after `fill_in`)."""
        if options.steps is not None:
            return Schedule.of_steps(options.steps, examples, batch_size, steps_per_execution)
        return Schedule(options.epochs)


def describe_choice(key, value):
    if key == "steps":
        return f"{value:,} steps"
    if key == "discriminator_augment":
        return f"discriminator augmentation ({value})"
    if key == "discriminator_augment_p":
        return f"augmentation probability {value}"
    return f"{key.replace('_', ' ')} {value}"

"""`ganzoo train MODEL`: a run directory in, a trained model and its pictures out.

The command only wires library pieces together: the model's recipe (`ganzoo.models`)
reads the data and builds the model, `RunDirectory` creates / refuses / overwrites /
resumes, and Keras' `fit` trains with ganzoo's callbacks.
"""

import argparse
import os
import sys
import warnings

from ganzoo import models

#: Options that may change when a run is resumed; everything else comes from run.json.
SCHEDULE = ("command", "model", "out", "epochs", "steps", "every", "steps_per_execution", "resume",
            "overwrite", "quiet", "verbose", "tensorboard", "workers", "tf_config")


class _Deprecated(argparse.Action):
    """An option's old name: stores the value and says what the new name is."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"ganzoo train: note: {option_string} is deprecated (ganzoo 0.6) and goes in "
              f"0.7; use --{self.dest.replace('_', '-')}.", file=sys.stderr)
        setattr(namespace, self.dest, values)


class _OnceEach:
    """An argument group that skips options another recipe already added (audio models
    share theirs)."""

    def __init__(self, parser, group):
        self.parser, self.group = parser, group

    def add_argument(self, *flags, **kwargs):
        if not any(flag in self.parser._option_string_actions for flag in flags):
            self.group.add_argument(*flags, **kwargs)


def add_parser(sub, parents):
    names = models.trainable_names()
    p = sub.add_parser(
        "train", parents=parents, help="train a model on your data (or on bundled digits)",
        description="Train a GAN. Writes RUN_DIR/model.keras, sample previews "
                    "(RUN_DIR/samples/), a loss curve (loss_curve.png) and the history "
                    "(history.csv); prints the bundled evaluator's score where one fits "
                    "the data. Models: " + "; ".join(
                        f"{n}: {models.recipe(n).summary}" for n in names) + ".")
    p.add_argument("model", choices=names, help="which model to train")
    p.add_argument("--data", help="dcgan: an .npz with `images` (and `labels`), or an image "
                   "folder (one sub-folder per class); default: the bundled MNIST digits. "
                   "Audio models: a folder of audio files (labels from sub-folders or names "
                   "like WORD_0001.flac).")
    p.add_argument("--out", required=True, help="run directory")
    length = p.add_mutually_exclusive_group()
    length.add_argument("--epochs", type=_positive, help="passes over the data (default: "
                        "dcgan 8,000 steps up to 2,000 examples (the small-data recipe), "
                        "else dcgan 20; wavegan 10, specgan 10)")
    length.add_argument("--steps", type=_positive,
                        help="training steps (batches) instead of --epochs")
    p.add_argument("--batch-size", type=int,
                   help="global batch (64); capped to the data when it has fewer examples")
    p.add_argument("--unconditional", action="store_true",
                   help="ignore labels and train an unconditional model")
    p.add_argument("--latent-dim", type=int,
                   help="size of z (the model's default: dcgan 128, wavegan 100, specgan 100)")
    p.add_argument("--model-size", type=int,
                   help="width of the networks (the model's default: dcgan 64, wavegan 32, "
                        "specgan 16)")
    p.add_argument("--filters", dest="model_size", type=int, help=argparse.SUPPRESS)
    p.add_argument("--loss", choices=("bce", "wgan-gp", "hinge"),
                   help="dcgan and specgan default bce, wavegan default wgan-gp")
    p.add_argument("--r1-weight", type=float, metavar="GAMMA",
                   help="an R1 penalty on the discriminator's gradient at real examples "
                        "(default: none)")
    p.add_argument("--spectral-norm", action="store_const", const=True, default=None,
                   help="spectral normalisation of the discriminator's layers")
    p.add_argument("--lecam-weight", type=float, metavar="W",
                   help="LeCam regularisation of the discriminator, for small data "
                        "(default: none)")
    p.add_argument("--precision", default="auto",
                   choices=("auto", "float32", "mixed_float16", "mixed_bfloat16"),
                   help="compute precision; auto: mixed 16-bit where the hardware has it")
    p.add_argument("--generator-ema", type=float, metavar="DECAY",
                   help="decay of the moving average of the generator's weights that "
                        "the saved model generates with (the model's default: 0.999; 0: none)")
    p.add_argument("--class-loss-weight", type=float, metavar="W",
                   help="conditional models: the weight of an auxiliary classifier in the "
                        "discriminator (AC-GAN), which pulls samples towards their requested "
                        "class (dcgan default 1 with labels; 0: none)")
    p.add_argument("--discriminator-augment", metavar="NAMES",
                   help="for small data: differentiable augmentation of everything the "
                        "discriminator sees (DiffAugment), comma-separated, or 'default' "
                        "(dcgan: translation,cutout,color, also flip; specgan: time_shift,"
                        "time_mask,frequency_mask; wavegan: time_shift,gain), or 'none' (default: "
                        "dcgan 'default' for small data, else none)")
    p.add_argument("--discriminator-augment-p", metavar="P|adaptive",
                   help="with --discriminator-augment: the probability of each transform, "
                        "a number or 'adaptive' (ADA: from 0, raised while the discriminator "
                        "overfits; the model's default: adaptive)")
    # The names before 0.6, until 0.7.
    p.add_argument("--augment", dest="discriminator_augment", help=argparse.SUPPRESS,
                   action=_Deprecated)
    p.add_argument("--augment-p", dest="discriminator_augment_p", help=argparse.SUPPRESS,
                   action=_Deprecated)
    for name in names:
        recipe = models.recipe(name)
        recipe.add_arguments(_OnceEach(p, p.add_argument_group(name)))
    p.add_argument("--steps-per-execution", type=int,
                   help="training steps per compiled call (default 8; 1 under multi-worker)")
    p.add_argument("--every", type=int, default=1, help="write samples every N epochs")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--tensorboard", metavar="DIR",
                   help="write TensorBoard logs (losses, sample grids, audio) to DIR")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--resume", action="store_true",
                      help="continue the run in --out from its last completed epoch")
    mode.add_argument("--overwrite", action="store_true",
                      help="delete what is in --out and start again")
    p.add_argument("--quiet", action="store_true")
    scale = p.add_argument_group(
        "multi-worker", "Train on several machines (or processes) with TensorFlow's "
        "MultiWorkerMirroredStrategy. --batch-size is the global batch; --out must be on "
        "storage every worker shares (only the chief writes; all restore from it).")
    scale.add_argument("--tf-config", metavar="JSON|FILE",
                       help="this worker's TF_CONFIG (else the TF_CONFIG environment variable)")
    scale.add_argument("--workers", type=int, default=1,
                       help="start this many worker processes on this machine (127.0.0.1)")
    p.set_defaults(run=run)


def _positive(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _worker_argv(argv):
    """The command line minus --workers, for the worker processes."""
    out, skip = [], False
    for item in argv:
        if skip:
            skip = False
        elif item == "--workers":
            skip = True
        elif not item.startswith("--workers="):
            out.append(item)
    return out


def run(args):
    if args.tf_config:
        text = args.tf_config
        if os.path.isfile(text):
            with open(text) as f:
                text = f.read()
        os.environ["TF_CONFIG"] = text
    if args.workers > 1 and "TF_CONFIG" not in os.environ:
        from ganzoo.core.distribute import launch_local_workers

        codes = launch_local_workers(args.workers, ["-m", "ganzoo.cli", *_worker_argv(args.argv)])
        failed = [i for i, code in enumerate(codes) if code]
        if failed:
            print(f"ganzoo train: worker(s) {failed} failed (exit codes {codes}); run again "
                  "with --resume to continue from the last backup.", file=sys.stderr)
            return 1
        return 0
    return train_one_worker(args)


def _options(args, recipe, state):
    """The options of this run: the command line's, or on resume the saved run's (its
    data options; a 0.2 run.json saved every argument) with today's schedule."""
    options = argparse.Namespace(**vars(args))
    if state is not None:
        saved = state.get("data", {}) if state["format"] >= 2 else \
            recipe.upgrade_legacy_options(dict(state))
        for key, value in saved.items():
            if key not in SCHEDULE:
                setattr(options, key, value)
    return options


def train_one_worker(args):
    from ganzoo.core import distribute
    from ganzoo.core.run_directory import RunDirectory

    recipe = models.recipe(args.model)
    chief = distribute.is_chief()
    run_dir = RunDirectory(args.out)
    resuming = run_dir.prepare(args.resume, args.overwrite, chief)
    state = run_dir.load_state() if resuming else None
    if state is not None and state.get("model") not in (None, args.model):
        raise ValueError(f"{args.out!r} is a {state['model']} run; resume it with "
                         f"`ganzoo train {state['model']} --resume`.")
    options = _options(args, recipe, state)
    model, data, dataset, batch_size, compile_config = _build(args, recipe, options, state,
                                                              chief)
    schedule = recipe.schedule(options, data.examples, batch_size, model.steps_per_execution)
    if schedule.in_steps:
        dataset = dataset.repeat()
    if chief:
        run_dir.save_state(args.model, model, compile_config,
                           {key: getattr(options, key) for key in
                            (*recipe.data_options, "batch_size")})
    samples = model.sample_callback(run_dir.samples_dir, every=options.every,
                                    log_dir=args.tensorboard)
    if not args.quiet and chief:
        workers = distribute.num_workers()
        print(f"Training {type(model).__name__} on {data.description}; "
              f"{schedule.describe()}, batch {batch_size}, {model.precision}"
              + (f", {workers} workers." if workers > 1 else "."))
    model.fit(dataset, epochs=schedule.epochs, steps_per_epoch=schedule.steps_per_epoch,
              callbacks=_callbacks(args, run_dir, samples),
              verbose=0 if args.quiet or not chief else 1)
    if chief:
        model.save(run_dir.model_path)
        _print_results(args, run_dir, samples, data, model)
    return 0


def _build(args, recipe, options, state, chief):
    """The run's model (new, or rebuilt from a resumed run's config), compiled under the
    strategy, with its data and pipeline."""
    import keras

    from ganzoo.core import distribute
    from ganzoo.core.pipeline import BatchSizeCapped, fit_batch_size

    keras.utils.set_random_seed(options.seed)  # a command owns its process
    strategy = distribute.strategy_for_environment()
    data = recipe.load_data(options, verbose=not args.quiet and chief)
    # A 0.2 run's model is rebuilt from its options, which had no small-data recipe.
    note = recipe.fill_in(options, data.examples,
                          small_data_recipe=state is None or state["format"] >= 2)
    if note and not args.quiet and chief:
        print(f"ganzoo train: {note}")
    with strategy.scope():
        with warnings.catch_warnings(record=True) as notices:
            warnings.simplefilter("always", BatchSizeCapped)
            batch_size = fit_batch_size(data.examples, options.batch_size, "examples")
        for notice in notices:
            print(f"ganzoo train: note: {notice.message}", file=sys.stderr)
        if state is not None and state["format"] >= 2:
            models.model_class(args.model)  # registers the class with Keras
            model = keras.saving.deserialize_keras_object(state["model_config"])
            compile_config = state["compile"]
        else:
            model = recipe.build_model(options, data)
            compile_config = {"loss": options.loss}
        dataset = data.make_dataset(batch_size, model)
        if options.steps_per_execution:
            compile_config = {**compile_config,
                              "steps_per_execution": options.steps_per_execution}
        model.compile(**compile_config)
    return model, data, dataset, batch_size, compile_config


def _callbacks(args, run_dir, samples):
    import keras

    from ganzoo import callbacks as gz_callbacks

    callbacks = [
        # First, so the epochs it restores are known to the others.
        gz_callbacks.BackupAndRestore(run_dir.backup_dir),
        samples,
        gz_callbacks.LossCurve(run_dir.loss_curve, csv_path=run_dir.history_csv),
    ]
    if args.tensorboard:
        callbacks.append(keras.callbacks.TensorBoard(args.tensorboard))
    return callbacks


def _print_results(args, run_dir, samples, data, model):
    print(f"Model:       {run_dir.model_path}")
    pictures = [path for path in samples.written if path.endswith(".png")]
    if pictures:
        # The newest preview shows what the saved model makes; the folder holds them all.
        print(f"Samples:     {pictures[-1]} (all: {run_dir.samples_dir})")
    print(f"Loss curve:  {run_dir.loss_curve}")
    print(f"History:     {run_dir.history_csv}")
    if args.tensorboard:
        print(f"TensorBoard: tensorboard --logdir {args.tensorboard}")
    if data.score is not None:
        report = data.score(model)
        print(f"Evaluator:   {report['label_accuracy']:.1%} of 1,000 generated samples "
              f"recognised as the class asked for (Frechet distance "
              f"{report['frechet_distance']:.3g}, classifier score "
              f"{report['classifier_score']:.2f}; bundled evaluator)")

"""The `ganzoo` command line: a thin layer over the library.

    ganzoo train dcgan [--data FILE.npz|DIR] --epochs N --out RUN_DIR
    ganzoo generate RUN_DIR/model.keras --n 64 [--label 3] --out grid.png|samples.npz
    ganzoo augment in.csv --rows 10000 --out synth.csv [--condition col=value] [--balance col]
"""

import argparse
import json
import os
import sys

MODELS = ("dcgan", "wavegan")


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        return args.func(args) or 0
    except (ValueError, FileExistsError, FileNotFoundError) as e:  # PresetError included
        print(f"ganzoo {args.command}: error: {e}", file=sys.stderr)
        return 2


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ganzoo", description="Train GANs and generate augmentation data."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = sub.add_parser(
        "train", help="train a model on your data (or on bundled digits)",
        description="Train a GAN. Writes RUN_DIR/model.keras, sample grids, a loss "
                    "curve (loss_curve.png) and the history (history.csv).",
    )
    train.add_argument("model", choices=MODELS, help="which model to train")
    train.add_argument("--data", help="dcgan: an .npz with `images` (and `labels`), or an image "
                       "folder (one sub-folder per class); default: the bundled MNIST digits. "
                       "wavegan: a folder of audio files (labels from sub-folders or names "
                       "like WORD_0001.flac).")
    train.add_argument("--out", required=True, help="run directory")
    train.add_argument("--epochs", type=int, default=10)
    train.add_argument("--batch-size", type=int, default=64)
    train.add_argument("--unconditional", action="store_true",
                       help="ignore labels and train an unconditional model")
    train.add_argument("--latent-dim", type=int, help="size of z (dcgan 128, wavegan 100)")
    train.add_argument("--loss", choices=("bce", "wgan-gp"),
                       help="dcgan default bce, wavegan default wgan-gp")
    train.add_argument("--precision", default="auto",
                       choices=("auto", "float32", "mixed_float16", "mixed_bfloat16"),
                       help="compute precision; auto: mixed 16-bit where the hardware has it")
    train.add_argument("--generator-ema", type=float, default=0.999, metavar="DECAY",
                       help="decay of the moving average of the generator's weights that "
                            "the saved model generates with (default 0.999; 0: none)")
    train.add_argument("--class-loss-weight", type=float, metavar="W",
                       help="conditional models: give the discriminator an auxiliary "
                            "classifier with this loss weight (AC-GAN, e.g. 1.0), which pulls "
                            "samples towards their requested class")
    image = train.add_argument_group("dcgan")
    image.add_argument("--image-size", type=int, help="resize images to this side")
    image.add_argument("--filters", type=int, default=64)
    audio = train.add_argument_group("wavegan")
    audio.add_argument("--model-size", type=int, default=32, help="d of the paper (64 there)")
    audio.add_argument("--slice-length", type=int, default=16384, choices=(16384, 32768, 65536))
    audio.add_argument("--sample-rate", type=int, default=16000)
    audio.add_argument("--on-error", choices=("raise", "skip"), default="raise",
                       help="what to do with an unreadable audio file")
    train.add_argument("--steps-per-execution", type=int, default=1)
    train.add_argument("--every", type=int, default=1, help="write a sample grid every N epochs")
    train.add_argument("--seed", type=int, default=0)
    mode = train.add_mutually_exclusive_group()
    mode.add_argument("--resume", action="store_true",
                      help="continue the run in --out from its last completed epoch")
    mode.add_argument("--overwrite", action="store_true",
                      help="delete what is in --out and start again")
    train.add_argument("--quiet", action="store_true")
    scale = train.add_argument_group(
        "multi-worker", "Train on several machines (or processes) with TensorFlow's "
        "MultiWorkerMirroredStrategy. --batch-size is the global batch; --out must be on "
        "storage every worker shares (only the chief writes; all restore from it).")
    scale.add_argument("--tf-config", metavar="JSON|FILE",
                       help="this worker's TF_CONFIG (else the TF_CONFIG environment variable)")
    scale.add_argument("--workers", type=int, default=1,
                       help="start this many worker processes on this machine (127.0.0.1)")
    train.set_defaults(func=_train)

    gen = sub.add_parser(
        "generate", help="generate samples from a preset or a trained model",
        description="Generate samples from a preset (see `ganzoo presets`) or a .keras "
                    "model. Images: a .png grid, an .npz of uint8 images (and labels), or a "
                    "folder of PNGs; audio: a folder of WAVs (or one .wav). Folders get one "
                    "sub-folder per class, ready for keras.utils.image_dataset_from_directory "
                    "/ audio_dataset_from_directory.",
    )
    gen.add_argument("model", help="a preset name, preset directory or URL, a .keras file, "
                                   "or a run directory holding model.keras")
    count = gen.add_mutually_exclusive_group()
    count.add_argument("--n", type=int, help="number of samples (default 64)")
    count.add_argument("--per-class", type=int, help="this many samples of every class")
    gen.add_argument("--label", help="class of a conditional model: an index, or a name "
                     "such as seven")
    gen.add_argument("--out", required=True, help="a .png grid or .npz (images), one .wav "
                     "(audio, --n 1), or a folder")
    gen.add_argument("--seed", type=int)
    gen.add_argument("--overwrite", action="store_true")
    gen.add_argument("--quiet", action="store_true", help="no progress bar")
    gen.set_defaults(func=_generate)

    presets = sub.add_parser(
        "presets", help="list the bundled pretrained presets",
        description="List the bundled presets (name, domain, size, parameters, scores), or "
                    "show one preset's metadata.")
    presets.add_argument("name", nargs="?", help="show this preset's full metadata")
    presets.set_defaults(func=_presets)

    aug = sub.add_parser(
        "augment", help="synthesize rows of a CSV table with a tabular GAN",
        description="Fit a conditional tabular GAN (CTGAN family) on a CSV file and write "
                    "synthetic rows. The output holds only synthetic rows unless --with-real.",
    )
    aug.add_argument("csv", help="the real table (CSV with a header row)")
    aug.add_argument("--out", required=True, help="output CSV")
    aug.add_argument("--rows", type=int, default=0, help="synthetic rows to write")
    aug.add_argument("--condition", action="append", default=[], metavar="COL=VALUE",
                     help="only rows with this value in this discrete column (repeatable)")
    aug.add_argument("--balance", metavar="COL",
                     help="add rows of the minority classes of COL until all classes are even")
    aug.add_argument("--with-real", action="store_true", help="write the real rows too, first")
    aug.add_argument("--epochs", type=int, default=300)
    aug.add_argument("--batch-size", type=int, default=500)
    aug.add_argument("--discrete", default="", help="comma-separated columns to treat as discrete")
    aug.add_argument("--save", metavar="DIR", help="also save the fitted augmenter here")
    aug.add_argument("--load", metavar="DIR", help="use a saved augmenter instead of fitting")
    aug.add_argument("--no-calibrate", action="store_true",
                     help="write the generator's own column distributions, without matching "
                          "them to the data's after training")
    aug.add_argument("--seed", type=int, default=0)
    aug.add_argument("--overwrite", action="store_true", help="replace existing --out / --save")
    aug.add_argument("--quiet", action="store_true")
    aug.set_defaults(func=_augment)
    return parser


# ------------------------------------------------------------------- train


def _prepare_run_dir(args):
    out = args.out
    exists = os.path.isdir(out) and os.listdir(out)
    if os.path.exists(out) and not os.path.isdir(out):
        raise FileExistsError(f"--out {out!r} exists and is not a directory.")
    if exists and not (args.resume or args.overwrite):
        raise FileExistsError(
            f"Run directory {out!r} is not empty. Pass --resume to continue that run "
            "or --overwrite to start again (deleting it)."
        )
    if exists and args.overwrite:
        import shutil

        shutil.rmtree(out)
    os.makedirs(out, exist_ok=True)
    return bool(exists and args.resume)


def _load_training_data(args):
    from ganzoo import datasets
    from ganzoo.image import data

    if args.data is None:
        images, labels = datasets.load_digits()
        source = "bundled MNIST digits (4,000)"
    elif os.path.isdir(args.data):
        paths, labels, names = data.list_image_files(args.data)
        images = data.load_images(paths, args.image_size, verbose=not args.quiet)
        source = f"{len(paths)} images in {args.data}" + (
            f" ({len(names)} classes)" if names else "")
    elif args.data.endswith(".npz") and os.path.isfile(args.data):
        images, labels = _read_npz(args.data)
        source = args.data
    else:
        raise ValueError(f"--data {args.data!r} is neither an .npz file nor a folder of images.")
    if args.unconditional:
        labels = None
    return images, labels, source


def _read_npz(path):
    import numpy as np
    import zipfile

    try:
        npz = np.load(path, allow_pickle=False)
        if not isinstance(npz, np.lib.npyio.NpzFile):
            raise ValueError("it holds a single array, not named arrays")
    except (OSError, zipfile.BadZipFile, EOFError, ValueError) as e:
        raise ValueError(f"Cannot read {path!r} as an .npz file: {e}") from None
    with npz:
        keys = list(npz.files)
        image_key = next((k for k in ("images", "x", "x_train", "arr_0") if k in keys), None)
        if image_key is None:
            raise ValueError(f"{path!r} holds {keys}; expected an `images` array.")
        label_key = next((k for k in ("labels", "y", "y_train") if k in keys), None)
        return npz[image_key], (npz[label_key] if label_key else None)


def _build_dcgan(args):
    from ganzoo import callbacks as gz_callbacks
    from ganzoo.image import DCGAN, dataset_from_arrays

    images, labels, source = _load_training_data(args)
    dataset = dataset_from_arrays(images, labels, batch_size=args.batch_size,
                                  image_size=args.image_size, seed=args.seed)
    spec = dataset.element_spec[0] if labels is not None else dataset.element_spec
    num_classes = int(labels.max()) + 1 if labels is not None else None
    model = DCGAN(image_shape=tuple(spec.shape[1:]), num_classes=num_classes,
                  latent_dim=args.latent_dim or 128, filters=args.filters,
                  precision=args.precision, seed=args.seed,
                  generator_ema=args.generator_ema or None,
                  class_loss_weight=args.class_loss_weight)
    samples = gz_callbacks.SampleGrid(os.path.join(args.out, "grids"), every=args.every)
    what = f"{tuple(spec.shape[1:])} images" + (f" of {num_classes} classes" if num_classes else "")
    return model, dataset, samples, f"{what} from {source}"


def _build_wavegan(args):
    from ganzoo.audio import SpectrogramGrid, WaveGAN, dataset_from_clips, load_clips

    if not args.data:
        raise ValueError("wavegan needs --data, a folder of audio files.")
    clips = load_clips(args.data, args.sample_rate, labels=None if args.unconditional else "auto",
                       on_error=args.on_error, verbose=not args.quiet)
    dataset = dataset_from_clips(clips, args.slice_length, args.batch_size, seed=args.seed)
    model = WaveGAN(slice_length=args.slice_length, sample_rate=args.sample_rate,
                    class_names=clips.class_names, model_size=args.model_size,
                    latent_dim=args.latent_dim or 100, precision=args.precision, seed=args.seed,
                    generator_ema=args.generator_ema or None,
                    class_loss_weight=args.class_loss_weight)
    samples = SpectrogramGrid(os.path.join(args.out, "samples"), every=args.every)
    classes = f" of {len(clips.class_names)} classes" if clips.class_names else ""
    return model, dataset, samples, f"{len(clips)} clips{classes} from {args.data}"


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


def _train(args):
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
    return _train_one_worker(args)


def _train_one_worker(args):
    import keras

    from ganzoo import callbacks as gz_callbacks
    from ganzoo.core import distribute
    from ganzoo.core.io import write_text_atomic

    chief = distribute.is_chief()
    if chief:
        resuming = _prepare_run_dir(args)
    else:  # the chief prepares the shared run directory
        resuming = args.resume
        os.makedirs(args.out, exist_ok=True)
    config_path = os.path.join(args.out, "run.json")
    if resuming and os.path.exists(config_path):
        with open(config_path) as f:
            saved = json.load(f)
        # The architecture must match the backup; only the schedule may change.
        for key in ("model", "data", "image_size", "unconditional", "latent_dim", "filters",
                    "model_size", "slice_length", "sample_rate", "loss", "precision", "seed",
                    "batch_size"):
            if key in saved:
                setattr(args, key, saved[key])
        # Runs from before these options kept no average and had no classifier.
        args.generator_ema = saved.get("generator_ema")
        args.class_loss_weight = saved.get("class_loss_weight")
    keras.utils.set_random_seed(args.seed)
    strategy = distribute.strategy_for_environment()
    build = {"dcgan": _build_dcgan, "wavegan": _build_wavegan}[args.model]
    with strategy.scope():
        model, dataset, samples, description = build(args)
        model.compile(loss=args.loss, steps_per_execution=args.steps_per_execution)
    run_config = {k: v for k, v in vars(args).items() if k not in ("func", "argv", "tf_config")}
    if chief:
        write_text_atomic(config_path, json.dumps(run_config, indent=2))
    curve = os.path.join(args.out, "loss_curve.png")
    history_csv = os.path.join(args.out, "history.csv")
    model_path = os.path.join(args.out, "model.keras")
    callbacks = [
        # First, so the epochs it restores are known to the others.
        gz_callbacks.BackupAndRestore(os.path.join(args.out, "backup")),
        samples,
        gz_callbacks.LossCurve(curve, csv_path=history_csv),
    ]
    workers = distribute.num_workers()
    if not args.quiet and chief:
        print(f"Training {type(model).__name__} on {description}; {args.epochs} epochs, "
              f"batch {args.batch_size}, {model.precision}"
              + (f", {workers} workers." if workers > 1 else "."))
    model.fit(dataset, epochs=args.epochs, callbacks=callbacks,
              verbose=0 if args.quiet or not chief else 1)
    if not chief:
        return 0
    model.save(model_path)
    print(f"Model:       {model_path}")
    if samples.written:
        # The newest grid shows what the saved model makes; the folder holds them all.
        print(f"Samples:     {samples.written[-1]} (all: {os.path.dirname(samples.written[-1])})")
    print(f"Loss curve:  {curve}")
    print(f"History:     {history_csv}")
    return 0


# ---------------------------------------------------------------- generate


def _load_generator_model(source):
    import keras

    import ganzoo
    from ganzoo.presets import bundled_presets

    path = source
    if os.path.isdir(path) and os.path.isfile(os.path.join(path, "model.keras")):
        path = os.path.join(path, "model.keras")
    if path.endswith(".keras"):
        if not os.path.isfile(path):
            raise FileNotFoundError(f"No model at {source!r}.")
        return keras.saving.load_model(path)
    if os.path.isdir(path) or "://" in path or source in bundled_presets() or os.sep not in path:
        return ganzoo.from_preset(source)
    raise FileNotFoundError(f"No model at {source!r} (expected a preset name or directory, "
                            "a .keras file, or a run directory).")


def _generate(args):
    import numpy as np

    from ganzoo.audio import WaveGAN

    model = _load_generator_model(args.model)
    if args.per_class is not None:
        if not model.conditional:
            raise ValueError("--per-class needs a class-conditional model.")
        if args.per_class < 1 or args.label is not None:
            raise ValueError("--per-class takes a positive count and no --label.")
        labels = np.repeat(np.arange(model.num_classes), args.per_class).astype("int32")
        n = len(labels)
    else:
        n = 64 if args.n is None else args.n
        if n < 1:
            raise ValueError(f"--n must be positive, got {n}.")
        label = args.label
        if label is not None and label.lstrip("-").isdigit() and not (
                getattr(model, "class_names", None) and label in model.class_names):
            label = int(label)
        labels = model.resolve_labels(n, label)
    args.n = n
    samples = model.generate(n, labels=labels, seed=args.seed, verbose=not args.quiet)
    if isinstance(model, WaveGAN):
        written = _write_audio(model, samples, labels, args)
    else:
        written = _write_images(model, samples, labels, args)
    print(f"Wrote {n} samples to {written}")
    return 0


def _class_folder(model, label):
    names = getattr(model, "class_names", None)
    if names:
        return str(names[label])
    return str(label).zfill(len(str(model.num_classes - 1)))


def _sample_paths(model, labels, out, extension):
    """One file per sample, in one sub-folder per class for a conditional model."""
    if os.path.isfile(out):
        raise ValueError(f"--out {out!r} is a file; give a folder.")
    paths = []
    for i in range(len(labels) if labels is not None else 0):
        paths.append(os.path.join(out, _class_folder(model, labels[i]), f"{i:05d}{extension}"))
    return paths


def _write_files(paths, write, overwrite):
    from tqdm.auto import tqdm

    clashes = [p for p in paths if os.path.exists(p)]
    if clashes and not overwrite:
        raise FileExistsError(f"{clashes[0]!r} already exists; pass --overwrite to replace it.")
    for i, path in enumerate(tqdm(paths, desc="writing", unit="file", leave=False,
                                  disable=len(paths) < 200)):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        write(i, path)


def _write_images(model, samples, labels, args):
    import numpy as np

    from ganzoo.core.io import atomic_output
    from ganzoo.core.plotting import save_image_grid
    from ganzoo.image import to_uint8

    out = args.out
    if out.lower().endswith(".png"):
        rows = None
        if labels is not None and args.label is None and args.n % model.num_classes == 0:
            rows = model.num_classes
            order = np.argsort(labels, kind="stable")
            samples, labels = samples[order], labels[order]
        save_image_grid(samples, out, rows=rows, overwrite=args.overwrite)
    elif out.lower().endswith(".npz"):
        with atomic_output(out, overwrite=args.overwrite) as tmp:
            arrays = {"images": to_uint8(samples)}
            if labels is not None:
                arrays["labels"] = labels
            np.savez_compressed(tmp, **arrays)
    elif os.path.splitext(out)[1] == "":
        from PIL import Image

        pixels = to_uint8(samples)
        names = (_sample_paths(model, labels, out, ".png") if labels is not None else
                 [os.path.join(out, f"{i:05d}.png") for i in range(len(samples))])

        def write(i, path):
            with atomic_output(path, overwrite=True) as tmp:
                image = pixels[i][..., 0] if pixels.shape[-1] == 1 else pixels[i]
                Image.fromarray(image).save(tmp, format="PNG")

        _write_files(names, write, args.overwrite)
    else:
        raise ValueError(f"--out must be a .png grid, an .npz file or a folder for an image "
                         f"model, got {out!r}.")
    return out


def _write_audio(model, samples, labels, args):
    from ganzoo.audio import write_wav

    out = args.out
    if out.lower().endswith(".wav"):
        if args.n != 1:
            raise ValueError("--out FILE.wav takes --n 1; give a folder for more clips.")
        return write_wav(out, samples[0], model.sample_rate, overwrite=args.overwrite)
    paths = (_sample_paths(model, labels, out, ".wav") if labels is not None else
             [os.path.join(out, f"{i:05d}.wav") for i in range(len(samples))])
    _write_files(paths, lambda i, path: write_wav(path, samples[i], model.sample_rate),
                 args.overwrite)
    return out


def _presets(args):
    from ganzoo.presets import bundled_presets, preset_metadata

    if args.name:
        print(json.dumps(preset_metadata(args.name), indent=2))
        return 0
    from ganzoo.core.report import format_table

    rows = []
    for name in bundled_presets():
        info = preset_metadata(name)
        size = sum(f["bytes"] for f in info["files"].values())
        params = (sum(info["parameters"].values()) if info.get("weights") == "all"
                  else info["parameters"]["generator"])
        scores = info.get("scores", {})
        gen, real = scores.get("generated", {}), scores.get("real_held_out", {})
        text = ", ".join(f"{_SCORE_NAMES.get(k, k)} {v:.3g}"
                         + (f" ({real[k]:.3g} real)" if k in real else "") for k, v in gen.items())
        rows.append([name, info.get("domain", "?"), f"{size / 1e6:.1f} MB", f"{params:,}",
                     text or "-"])
    if not rows:
        print("No bundled presets.")
        return 0
    print(format_table(["name", "domain", "size", "parameters", "evaluator scores"], rows))
    print("\nLoad one with ganzoo.from_preset(NAME); `ganzoo presets NAME` shows its metadata.")
    return 0


_SCORE_NAMES = {"frechet_distance": "FD", "classifier_score": "CS",
                "label_accuracy": "label acc"}


# ----------------------------------------------------------------- augment


def _read_csv(path):
    import pandas as pd

    if not os.path.isfile(path):
        raise FileNotFoundError(f"No CSV file at {path!r}.")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as e:
        raise ValueError(f"Cannot read {path!r} as a CSV table: {str(e).splitlines()[0]}") from None
    if frame.empty:
        raise ValueError(f"{path!r} has no data rows.")
    return frame


def _parse_conditions(augmenter, items):
    conditions = {}
    for item in items:
        column, sep, text = item.partition("=")
        if not sep:
            raise ValueError(f"--condition {item!r} must look like COLUMN=VALUE.")
        meta = augmenter.transformer.column(column)
        if meta["kind"] != "discrete":
            raise ValueError(f"--condition: column {column!r} is {meta['kind']}; "
                             "conditions can only fix discrete columns.")
        for category, kind in zip(meta["categories"], meta["category_types"]):
            if str(category) == text:
                from ganzoo.tabular.transformer import _restore_scalar

                conditions[column] = _restore_scalar(category, kind)
                break
        else:
            raise ValueError(f"--condition: value {text!r} never occurs in column {column!r}; "
                             f"seen values include {[str(c) for c in meta['categories'][:10]]}.")
    return conditions


def _augment(args):
    import pandas as pd

    from ganzoo.core.io import atomic_output
    from ganzoo.tabular import TabularAugmenter

    for path, what in ((args.out, "--out"), (args.save, "--save")):
        if path and os.path.exists(path) and not args.overwrite:
            raise FileExistsError(f"{what} {path!r} already exists; pass --overwrite to replace it.")
    if not args.rows and not args.balance:
        raise ValueError("Ask for --rows N and/or --balance COLUMN.")
    real = _read_csv(args.csv)
    if args.balance and args.balance not in real.columns:
        raise ValueError(f"--balance: unknown column {args.balance!r} in {args.csv!r}.")
    if args.load:
        augmenter = TabularAugmenter.load(args.load)
    else:
        discrete = [c for c in args.discrete.split(",") if c]
        if args.balance and args.balance not in discrete:
            discrete.append(args.balance)
        augmenter = TabularAugmenter(epochs=args.epochs, batch_size=args.batch_size,
                                     calibrate=not args.no_calibrate, seed=args.seed,
                                     verbose=not args.quiet)
        augmenter.fit(real, discrete_columns=discrete or None)
    if args.save:
        augmenter.save(args.save, overwrite=args.overwrite)
    conditions = _parse_conditions(augmenter, args.condition)
    parts = []
    if args.balance:
        balanced = augmenter.augment(real, target=args.balance, balance=True, seed=args.seed)
        parts.append(balanced.iloc[len(real):])
    if args.rows:
        parts.append(augmenter.sample(args.rows, conditions=conditions or None, seed=args.seed))
    synthetic = pd.concat(parts, ignore_index=True)
    table = pd.concat([real, synthetic], ignore_index=True) if args.with_real else synthetic
    with atomic_output(args.out, overwrite=args.overwrite) as tmp:
        table.to_csv(tmp, index=False)
    print(f"Wrote {len(synthetic)} synthetic rows"
          f"{f' and {len(real)} real rows' if args.with_real else ''} to {args.out}")
    if args.save:
        print(f"Saved the augmenter to {args.save}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

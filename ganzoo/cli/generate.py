"""`ganzoo generate`: samples from a preset, a run directory or a `.keras` file, written
the way the model says its samples are written (`model.write_samples`)."""

import os


def add_parser(sub, parents):
    p = sub.add_parser(
        "generate", parents=parents, help="generate samples from a preset or a trained model",
        description="Generate samples from a preset (see `ganzoo presets`) or a .keras "
                    "model. Images: a .png grid, an .npz of uint8 images (and labels), or a "
                    "folder of PNGs; audio: a folder of WAVs (or one .wav). Folders get one "
                    "sub-folder per class, ready for keras.utils.image_dataset_from_directory "
                    "/ audio_dataset_from_directory.")
    p.add_argument("model", help="a preset name, preset directory or URL, a .keras file, "
                                 "or a run directory holding model.keras")
    count = p.add_mutually_exclusive_group()
    count.add_argument("--n", type=int, help="number of samples (default 64)")
    count.add_argument("--per-class", type=int, help="this many samples of every class")
    p.add_argument("--label", help="class of a conditional model: an index, or a class name "
                   "such as seven")
    p.add_argument("--out", required=True, help="a .png grid or .npz (images), one .wav "
                   "(audio, --n 1), or a folder")
    p.add_argument("--seed", type=int)
    p.add_argument("--truncation", type=float, metavar="PSI",
                   help="keep every latent entry within [-PSI, PSI]: more typical, less "
                        "varied samples as PSI falls (about 0.5-2; default: no truncation)")
    p.add_argument("--overwrite", action="store_true")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=run)


def load_model(source):
    """A model from a `.keras` file, a run directory, or a preset (name, folder, URL)."""
    from ganzoo import models
    from ganzoo.presets import bundled_presets, from_preset

    path = source
    if os.path.isdir(path) and os.path.isfile(os.path.join(path, "model.keras")):
        path = os.path.join(path, "model.keras")
    if path.endswith(".keras"):
        if not os.path.isfile(path):
            raise FileNotFoundError(f"No model at {source!r}.")
        return models.load_model(path)
    if os.path.isdir(path) or "://" in path or source in bundled_presets() or os.sep not in path:
        return from_preset(source)
    raise FileNotFoundError(f"No model at {source!r} (expected a preset name or directory, "
                            "a .keras file, or a run directory).")


def _count_and_labels(model, args):
    """`(n, labels or None)` from --n / --per-class / --label."""
    import numpy as np

    if args.per_class is not None:
        if model.num_classes is None:
            raise ValueError("--per-class needs a class-conditional model.")
        if args.per_class < 1 or args.label is not None:
            raise ValueError("--per-class takes a positive count and no --label.")
        labels = np.repeat(np.arange(model.num_classes), args.per_class).astype("int32")
        return len(labels), labels
    n = 64 if args.n is None else args.n
    if n < 1:
        raise ValueError(f"--n must be positive, got {n}.")
    label = args.label
    # "3" is class 3 unless the model has a class called "3".
    if label is not None and label.lstrip("-").isdigit() and label not in (model.class_names or ()):
        label = int(label)
    return n, model.resolve_labels(n, label)


def run(args):
    model = load_model(args.model)
    n, labels = _count_and_labels(model, args)
    samples = model.generate(n, labels=labels, seed=args.seed, verbose=not args.quiet,
                             truncation=args.truncation)
    written = model.write_samples(samples, args.out, labels=labels, overwrite=args.overwrite,
                                  progress=not args.quiet)
    print(f"Wrote {n} samples to {written}")
    return 0

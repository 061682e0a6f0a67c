"""How the bundled presets `dcgan_digits` and `wavegan_digits` were trained (and how
`specgan` runs are made).

Training runs in a run directory and can be stopped at any time: every epoch ends with a
backup (optimizer state included) and an atomically written `model.keras`, and running the
same command again continues where it stopped. `--minutes` bounds one invocation, so a
long schedule can be spread over several sessions.

The presets train on the evaluator's training split only, and the held-out split is cut
in two: `--score-snapshots` scores a run's snapshots on the "select" half (to choose one),
and `--preset` writes the scores of the "report" half into the metadata, from other
generated samples (another seed), so the reported figures were not used to choose. For
digits, snapshots are chosen with a second evaluator (`selection_evaluator.py`: another
network, FD to the held-out half), so the bundled one that reports them was not tuned to.

    python examples/train_presets.py dcgan --run runs/dcgan_ac05_aug --epochs 250 \
        --generator-ema 0.999 --class-loss-weight 0.5 --discriminator-augment default --discriminator-augment-p 0.3
    python examples/train_presets.py dcgan --run runs/dcgan_ac05_aug --score-snapshots \
        --score-samples 2000 --compare dcgan_digits
    python examples/train_presets.py dcgan --run runs/dcgan_ac05_aug --score-samples 2000 \
        --model-file runs/dcgan_ac05_aug/snapshots/epoch_0175.keras \
        --preset ganzoo/presets/bundled/dcgan_digits --figure examples/gallery/dcgan_digits.png
    python examples/train_presets.py dcgan --score-report OLD_PRESET_DIR dcgan_digits \
        --score-samples 2000
    python examples/train_presets.py wavegan --run runs/wavegan_digits --epochs 400 --minutes 90
    python examples/train_presets.py specgan --run runs/specgan_digits --model-size 16 \
        --batch-size 32 --loss bce --class-loss-weight 1 --generator-ema 0.999 --epochs 1000 \
        --minutes 112
    python examples/train_presets.py specgan --run runs/specgan_digits --score-snapshots
"""

import argparse
import os
import re
import time

import numpy as np
import keras

import ganzoo
from ganzoo import callbacks as gz_callbacks
from ganzoo.core.io import atomic_output

from evaluator_splits import digit_splits, spoken_clips, waveforms



class EpochDeadline(keras.callbacks.Callback):
    """Stops at the first epoch end after the deadline, so every stop lands on a backup."""

    def __init__(self, seconds):
        super().__init__()
        self.deadline = time.time() + seconds

    def on_epoch_end(self, epoch, logs=None):
        if time.time() > self.deadline:
            self.model.stop_training = True


class SaveModel(keras.callbacks.Callback):
    """The latest model every epoch, and a snapshot every `keep_every` epochs (GAN quality
    is not monotone in training time, so earlier models stay comparable)."""

    def __init__(self, run, keep_every=25):
        super().__init__()
        self.run, self.keep_every = run, keep_every

    def on_epoch_end(self, epoch, logs=None):
        # Atomically: a scorer may read the latest model while training goes on.
        with atomic_output(os.path.join(self.run, "model.keras"), overwrite=True) as tmp:
            self.model.save(tmp)
        if (epoch + 1) % self.keep_every == 0:
            with atomic_output(os.path.join(self.run, "snapshots",
                                            f"epoch_{epoch + 1:04d}.keras"), overwrite=True) as tmp:
                self.model.save(tmp)


def build(args):
    if args.model == "dcgan":
        from ganzoo.image import DCGAN, SampleGrid, dataset_from_arrays

        (x, y), _ = digit_splits()
        dataset = dataset_from_arrays(x, y, batch_size=args.batch_size, seed=args.seed)
        model = DCGAN(image_shape=(28, 28, 1), num_classes=10, precision=args.precision,
                      seed=args.seed, generator_ema=args.generator_ema or None,
                      class_loss_weight=args.class_loss_weight,
                      discriminator_augment=args.augment, **augment_p(args))
        return model, dataset, SampleGrid(os.path.join(args.run, "samples"), every=args.every)
    from ganzoo.audio import SpectrogramGrid, WaveGAN, dataset_from_clips
    from ganzoo.audio.evaluator import WORDS

    clips, is_val = spoken_clips()
    if args.model == "specgan":
        from ganzoo.audio import SpecGAN, spectrogram_dataset

        model = SpecGAN(class_names=list(WORDS), model_size=args.model_size,
                        precision=args.precision, seed=args.seed,
                        generator_ema=args.generator_ema or None,
                        class_loss_weight=args.class_loss_weight,
                        discriminator_augment=args.augment, **augment_p(args))
        # Fits the spectrogram statistics on the training split only.
        dataset = spectrogram_dataset(model, clips.subset(np.flatnonzero(~is_val)),
                                      batch_size=args.batch_size, seed=args.seed)
        return model, dataset, SpectrogramGrid(os.path.join(args.run, "samples"),
                                               every=args.every)
    dataset = dataset_from_clips(clips.subset(np.flatnonzero(~is_val)),
                                 batch_size=args.batch_size, seed=args.seed)
    model = WaveGAN(class_names=list(WORDS), model_size=args.model_size,
                    precision=args.precision, seed=args.seed,
                    generator_ema=args.generator_ema or None,
                    class_loss_weight=args.class_loss_weight)
    return model, dataset, SpectrogramGrid(os.path.join(args.run, "samples"), every=args.every)


def augment_p(args):
    """The augmentation probability if given, so the model's default is the only one."""
    return {} if args.augment_p is None else {"discriminator_augment_p": args.augment_p}


def copy_layer_weights(source, target):
    """Copies weights layer by layer, in order; a layer only the target has (an
    auxiliary classifier added to a warm-started discriminator) keeps its initial ones."""
    sources = [layer for layer in source.layers if layer.weights]
    source_has_head = any(layer.name == "class_logits" for layer in sources)
    targets = [layer for layer in target.layers
               if layer.weights and (source_has_head or layer.name != "class_logits")]
    if len(sources) != len(targets):
        raise ValueError(f"{source.name}: {len(sources)} layers with weights, "
                         f"{target.name}: {len(targets)}; not the same network.")
    for src, dst in zip(sources, targets):
        dst.set_weights(src.get_weights())


def train(args):
    os.makedirs(args.run, exist_ok=True)
    keras.utils.set_random_seed(args.seed)
    model, dataset, samples = build(args)
    optimizers = {}
    if args.g_lr or args.d_lr:  # e.g. a slower discriminator when it wins too easily
        base = 1e-4 if args.loss == "wgan-gp" else 2e-4
        beta_2 = 0.9 if args.loss == "wgan-gp" else 0.999
        optimizers = {f"{net}_optimizer": keras.optimizers.Adam(lr or base, 0.5, beta_2)
                      for net, lr in (("g", args.g_lr), ("d", args.d_lr))}
    model.compile(loss=args.loss, n_critic=args.n_critic, **optimizers)
    if args.init_from and not os.path.isdir(os.path.join(args.run, "backup")):
        # Warm start: the networks of another run (e.g. switching the loss mid-way).
        source = ganzoo.load_model(args.init_from)
        model.generator.set_weights(source.generator.get_weights())
        copy_layer_weights(source.discriminator, model.discriminator)
    callbacks = [
        keras.callbacks.BackupAndRestore(os.path.join(args.run, "backup"),
                                         delete_checkpoint=False),
        samples,
        gz_callbacks.LossCurve(os.path.join(args.run, "loss_curve.png"),
                               csv_path=os.path.join(args.run, "history.csv")),
        SaveModel(args.run),
        EpochDeadline(args.minutes * 60),
    ]
    start = time.time()
    model.fit(dataset, epochs=args.epochs, callbacks=callbacks, verbose=2)
    print(f"trained {time.time() - start:.0f} s this run; generator steps so far: "
          f"{int(model.g_optimizer.iterations)}", flush=True)


#: Which half of the held-out split, and which generation seed, each use scores on.
SPLITS = {"select": (0, 1), "report": (1, 2)}


from ganzoo.core.evaluator import held_out_half  # noqa: E402


def score(model, args, split):
    """The evaluator's scores against one half of the held-out split: FD, classifier
    score, label accuracy, and on the same features precision / recall (k=3) and density
    / coverage (k=5), which FD alone cannot tell apart (a sharp collapsed generator from
    a varied blurry one)."""
    from ganzoo.core.evaluator import score_against
    from ganzoo.metrics import density_coverage, precision_recall

    n = args.score_samples
    want = np.arange(n, dtype="int32") % 10
    fake = model.generate(n, labels=want, seed=SPLITS[split][1])
    if args.model == "dcgan":
        from ganzoo.image.evaluator import default_evaluator, score_digits

        _, (x_val, y_val) = digit_splits()
        half = held_out_half(len(x_val), split)
        real_examples, real_labels = x_val[half], y_val[half]
        other = held_out_half(len(x_val), "report" if split == "select" else "select")
        other_half = x_val[other], y_val[other]
        gen, real = score_digits(fake, want), score_digits(real_examples, real_labels)
    else:
        from ganzoo.audio.evaluator import default_evaluator, score_spoken_digits

        clips, is_val = spoken_clips()
        held_out = np.flatnonzero(is_val)
        chosen = held_out[held_out_half(len(held_out), split)]
        real_examples, real_labels = waveforms(clips, chosen), clips.labels[chosen]
        other = held_out[held_out_half(len(held_out),
                                       "report" if split == "select" else "select")]
        other_half = waveforms(clips, other), clips.labels[other]
        gen = score_spoken_digits(fake, want)
        real = score_spoken_digits(real_examples, real_labels)
    real_features = default_evaluator().features_and_logits(real_examples)[0]
    fake_features = default_evaluator().features_and_logits(fake)[0]
    gen.update(precision_recall(real_features, fake_features, k=3))
    gen.update(density_coverage(real_features, fake_features, k=5))
    keep = ("frechet_distance", "classifier_score", "label_accuracy")
    # The second opinion snapshots are chosen with, of another kind than the bundled one.
    second_evaluator = second_opinion(args.model)
    second_real = second_evaluator.features_and_logits(real_examples)[0]
    second = score_against(second_evaluator, fake, want, second_real)
    second.update(precision_recall(second_real,
                                   second_evaluator.features_and_logits(fake)[0], k=3))
    gen.update({f"selection_{k}": v for k, v in second.items()})
    # Its real-vs-real floor: the other half's examples against this half's.
    other_examples, other_labels = other_half
    floor = score_against(second_evaluator, other_examples, other_labels, second_real)
    real.update({f"selection_{k}": v for k, v in floor.items()})
    return ({k: round(float(v), 4) for k, v in gen.items() if k in keep + MANIFOLD + SECOND},
            {k: round(float(v), 4) for k, v in real.items() if k in keep + SECOND},
            n, len(real_labels))


#: Precision / recall and density / coverage: how much of the generated samples lies
#: on the real examples' manifold, and how much of it they cover.
MANIFOLD = ("precision", "recall", "density", "coverage")
#: The second evaluator's (examples/selection_evaluator.py for digits,
#: spoken_selection_evaluator.py for spoken digits) FD to the held-out half, label
#: accuracy and precision / recall: snapshots are chosen on these, on the 'select' half.
SECOND = ("selection_frechet_distance", "selection_label_accuracy", "selection_precision",
          "selection_recall")


def second_opinion(model):
    """The second evaluator of the model's domain (trained into runs/ on first use)."""
    if model == "dcgan":
        from selection_evaluator import selection_evaluator

        return selection_evaluator()
    from spoken_selection_evaluator import selection_spoken_evaluator

    return selection_spoken_evaluator()


def write_preset(args):
    import tempfile

    model = ganzoo.load_model(args.model_file or os.path.join(args.run, "model.keras"))
    history = os.path.join(args.run, "history.csv")
    epochs = sum(1 for _ in open(history)) - 1 if os.path.exists(history) else None
    if args.model_file and re.search(r"epoch_(\d+)", args.model_file):  # a snapshot
        epochs = int(re.search(r"epoch_(\d+)", args.model_file).group(1))
    data = ("mnist8k: 6,400 real MNIST digits (the digit evaluator's training split)"
            if args.model == "dcgan" else
            "2,400 one-second 16 kHz spoken digits zero..nine (the spoken-digit "
            "evaluator's training split)")
    metadata = {
        "description": args.description or {
            "dcgan": "Class-conditional DCGAN, 28x28 grey handwritten digits 0-9",
            "wavegan": "Class-conditional WaveGAN, one-second 16 kHz spoken digits zero..nine",
            "specgan": "Class-conditional SpecGAN (128x128 log-magnitude spectrograms "
                       "inverted with Griffin-Lim), one-second 16 kHz spoken digits "
                       "zero..nine"}[args.model],
        "training_data": data,
        "training": {"epochs": epochs, "generator_steps": int(model.g_optimizer.iterations),
                     "loss": model.adversarial_loss.name, "batch_size": args.batch_size,
                     "recipe": "examples/train_presets.py"
                               + (f"; {args.training_note}" if args.training_note else "")},
        "licence": "Apache-2.0 (weights); trained on MNIST (CC BY-SA 3.0) and spoken digits "
                   "(CC BY 4.0)",
    }
    # Generator only, stored as float16: what generating needs, at a quarter of the size.
    # The scores are those of the preset as users load it, float16 weights included.
    options = dict(weights="generator", weights_dtype="float16", precision="auto")
    with tempfile.TemporaryDirectory() as tmp:
        ganzoo.save_preset(model, os.path.join(tmp, "p"), metadata=metadata, **options)
        loaded = ganzoo.from_preset(os.path.join(tmp, "p"))
    scores, real_scores, n, n_real = score(loaded, args, "report")
    metadata["scores"] = {
        "evaluator": "ganzoo.metrics (bundled evaluator), held-out split, 'report' half "
                     f"({n_real} real examples, generation seed {SPLITS['report'][1]}); "
                     "snapshots were compared on the other half"
                     + "; selection_*: the second evaluator of examples/"
                     + ("selection_evaluator.py" if args.model == "dcgan"
                        else "spoken_selection_evaluator.py") + ", FD to the same half",
        "samples": n, "generated": scores, "real_held_out": real_scores}
    ganzoo.save_preset(loaded, args.preset, overwrite=True, metadata=metadata, **options)
    print(f"preset written to {args.preset}: {scores} (real held-out: {real_scores})")
    if args.figure:
        with atomic_output(args.figure, overwrite=True) as tmp:
            ganzoo.presets.save_preview(loaded, tmp)


def score_snapshots(args):
    """The evaluator's scores of every snapshot of a run (and of the latest model), and
    of --compare's presets or files, on the 'select' half: the table to choose from."""
    folder = os.path.join(args.run, "snapshots")
    paths = [os.path.join(folder, f) for f in sorted(os.listdir(folder))] if os.path.isdir(
        folder) else []
    paths.append(os.path.join(args.run, "model.keras"))
    # The run's own files by name; --compare's by the path given.
    named = [(os.path.basename(path), path) for path in paths]
    score_table(named + [(path, path) for path in args.compare], args, "select",
                f"{args.run}: ")


def score_table(named_paths, args, split, title):
    """Scores `(label, preset or .keras path)` pairs on one half of the held-out split."""
    from ganzoo.core.report import print_table

    columns = ("frechet_distance", "classifier_score", "label_accuracy", *MANIFOLD, *SECOND)

    def cells(scores):
        # Blank where a row has no such score (the real row has no manifold scores).
        return ["" if k not in scores else f"{scores[k]:.3f}"
                if k.endswith(("accuracy", *MANIFOLD)) else f"{scores[k]:.2f}"
                for k in columns]

    rows = []
    for label, path in named_paths:
        model = (ganzoo.from_preset(path) if not path.endswith(".keras")
                 else ganzoo.load_model(path))
        scores, real, n, n_real = score(model, args, split)
        rows.append([label, *cells(scores)])
        print(" | ".join(rows[-1]), flush=True)
    rows.append(["real held-out", *cells(real)])
    print_table(f"{title}{n} samples each (generation seed {SPLITS[split][1]}), against the "
                f"'{split}' half of the held-out split ({n_real} real)",
                ["model", "FD", "CS", "label acc", *MANIFOLD, "2nd FD", "2nd acc",
                 "2nd precision", "2nd recall"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", choices=("dcgan", "wavegan", "specgan"))
    parser.add_argument("--run", help="run directory (resumes when it exists)")
    parser.add_argument("--epochs", type=int, default=60, help="total epochs of the schedule")
    parser.add_argument("--minutes", type=float, default=1e9,
                        help="stop at the first epoch end after this long (resume later)")
    parser.add_argument("--loss", default=None, choices=("bce", "wgan-gp"))
    parser.add_argument("--n-critic", type=int, default=None)
    parser.add_argument("--init-from", help="start from this .keras model's weights")
    parser.add_argument("--g-lr", type=float, help="generator learning rate")
    parser.add_argument("--d-lr", type=float, help="discriminator learning rate")
    parser.add_argument("--model-size", type=int, default=16,
                        help="wavegan d, specgan width")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--generator-ema", type=float, default=0.0,
                        help="decay of a generator weight average (0: none; dcgan_digits "
                             "used 0.999, wavegan_digits none; keep it when resuming a run)")
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--class-loss-weight", type=float, default=None,
                        help="add an auxiliary classifier (AC-GAN) with this loss weight")
    parser.add_argument("--discriminator-augment", dest="augment",
                        help="dcgan, specgan: discriminator augmentation policies (e.g. "
                             "default, or translation,cutout)")
    parser.add_argument("--discriminator-augment-p", dest="augment_p",
                        help="a probability or 'adaptive' (default: the model's)")
    parser.add_argument("--every", type=int, default=10, help="sample previews every N epochs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--preset", help="instead of training, write the run's model as a "
                                         "preset directory here, with its scores")
    parser.add_argument("--model-file", help="with --preset: a snapshot instead of the latest")
    parser.add_argument("--description")
    parser.add_argument("--training-note", help="with --preset: how the run was made")
    parser.add_argument("--figure", help="with --preset: also write a preview PNG here")
    parser.add_argument("--score-samples", type=int, default=1000)
    parser.add_argument("--score-snapshots", action="store_true",
                        help="instead of training, score the run's snapshots")
    parser.add_argument("--compare", nargs="*", default=[],
                        help="with --score-snapshots: also score these presets or .keras files")
    parser.add_argument("--score-report", nargs="+", metavar="PRESET",
                        help="instead of training, score these presets or .keras files on "
                             "the 'report' half (after choosing, to compare old and new)")
    args = parser.parse_args()
    if args.score_report:
        score_table([(path, path) for path in args.score_report], args, "report", "")
    elif not args.run:
        parser.error("--run is required (except with --score-report)")
    elif args.score_snapshots:
        score_snapshots(args)
    elif args.preset:
        write_preset(args)
    else:
        train(args)


if __name__ == "__main__":
    main()

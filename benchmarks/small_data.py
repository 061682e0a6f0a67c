"""Discriminator augmentation with little data, measured: the conditional DCGAN trained on
100, 500 and 2,000 real digits, without augmentation, with DiffAugment's fixed policy and
with ADA's adaptive probability.

Every variant trains for the same number of steps at the same batch size, from the same
seed, on the same balanced subset of the digit evaluator's training split. Each trained
generator writes 1,000 samples (seed 1, 100 per class), scored by the bundled evaluator
against its held-out split (1,600 real digits none of the runs saw): the Frechet
distance of the evaluator's features to the held-out digits', classifier score, label
accuracy, and on the same features precision / recall (k=3) and density / coverage (k=5),
which tell a sharp collapsed generator from a varied blurry one; and the discriminator's
mean logit sign on the digits it trained on vs as many held-out ones (ADA's overfitting
measure: a gap means it memorised them). Ratios are against "none" at the same size and
step count, in the same run; `--score-at` scores every variant at several step counts of
one run.

    python small_data.py                        # 100, 500, 2,000 digits (~20 min, 2 cores)
    python small_data.py --sizes 500 --steps 16000 --variants none,DiffAugment --fixed-p 0.3  # ~16 min
    python small_data.py --sizes 500 --steps 20000 --score-at 8000,12000,16000,20000 \
        --variants none,DiffAugment --fixed-p 0.3 --seed 1       # ~19 min: FD along the way
    python small_data.py --sizes 500 --steps 500
    python small_data.py --sizes 500,2000 --steps 8000 --variants none,hinge,R1,LeCam,SN  # the toolbox
    python small_data.py --sizes 500 --variants DiffAugment,LeCam+DA,R1+DA --fixed-p 0.3
"""

import argparse
import math
import time

import numpy as np

# The evaluators' train / held-out splits, as the examples and presets use them.
from report import digit_splits, print_table

def variants(policy, fixed_p=1.0):
    """(name, augmentation policy, p) of the augmentation variants."""
    return (("none", None, 1.0), ("DiffAugment", policy, fixed_p),
            ("adaptive", policy, "adaptive"))


def toolbox(args):
    """name -> (model arguments, compile arguments) of the toolbox's variants, each
    without augmentation (`none` plus one term) and, with "+DA", on top of DiffAugment
    at --fixed-p."""
    terms = {"hinge": ({}, {"loss": "hinge"}),
             "R1": ({"r1_weight": args.r1_weight, "r1_every": args.r1_every}, {}),
             "LeCam": ({"lecam_weight": args.lecam_weight}, {}),
             "SN": ({"spectral_norm": True}, {})}
    return {**terms, **{f"{name}+DA": settings for name, settings in terms.items()}}


def balanced_subset(labels, n, seed=0):
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.choice(np.flatnonzero(labels == c), n // 10, replace=False)
                           for c in range(10)])


def train(x, y, augment, augment_p, args, checkpoint, model_kwargs=None, compile_kwargs=None):
    """Trains for `args.steps` steps, calling `checkpoint(gan, step, p, seconds)` after each step
    count of `args.score_at` (scoring inside one run: the data order and the noise are
    those of a run that stops there; `seconds` of training so far, scoring excluded)."""
    import keras

    from ganzoo.image import DCGAN, dataset_from_arrays

    keras.utils.set_random_seed(args.seed)
    gan = DCGAN(image_shape=(28, 28, 1), num_classes=10, model_size=args.model_size,
                class_loss_weight=args.class_loss_weight or None, seed=args.seed,
                discriminator_augment=augment, discriminator_augment_p=augment_p,
                **({} if args.augment_target is None else
                   {"discriminator_augment_target": args.augment_target}),
                **(model_kwargs or {}))
    gan.compile(**(compile_kwargs or {}))
    data = dataset_from_arrays(x, y, batch_size=args.batch_size, seed=args.seed).repeat()
    epoch_steps = math.gcd(*args.score_at)
    scoring = []

    class Checkpoints(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            step = (epoch + 1) * epoch_steps
            if step in args.score_at:
                begin = time.perf_counter()
                checkpoint(gan, step, float(gan.augmentation.current_p())
                           if gan.augmentation is not None else float("nan"),
                           begin - start - sum(scoring))
                scoring.append(time.perf_counter() - begin)

    start = time.perf_counter()
    gan.fit(data, steps_per_epoch=epoch_steps, epochs=args.steps // epoch_steps, verbose=0,
            callbacks=[Checkpoints()])


def score(gan, real_features, seed=1):
    from ganzoo.image.evaluator import default_evaluator, score_digits
    from ganzoo.metrics import density_coverage, frechet_distance, precision_recall

    wanted = np.arange(1000, dtype="int32") % 10
    images = gan.generate(1000, labels=wanted, seed=seed)
    scores = score_digits(images, labels=wanted)
    features, _ = default_evaluator().features_and_logits(images)
    scores["frechet_distance"] = frechet_distance(real_features, features)
    scores.update(precision_recall(real_features, features, k=3))
    scores.update(density_coverage(real_features, features, k=5))
    return scores


def real_sign(gan, images, labels):
    """ADA's overfitting measure, the mean sign of the discriminator's logits on real
    digits (-1..1): on the digits it trained on vs held-out ones, the gap is how much it
    memorised."""
    import tensorflow as tf

    x = tf.constant(images[..., None].astype("float32") / 127.5 - 1.0)
    logits = gan.discriminate(x, tf.constant(labels, tf.int32), training=False)[0]
    return float(tf.reduce_mean(tf.sign(logits)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--class-loss-weight", type=float, default=1.0,
                        help="the auxiliary classifier's weight (0: none)")
    parser.add_argument("--policy", default="translation,cutout,color")
    parser.add_argument("--variants", default="none,DiffAugment,adaptive")
    parser.add_argument("--augment-target", type=float,
                        help="the adaptive variant's target mean sign of the real logits "
                             "(default: the library's; ADA's own is 0.6)")
    parser.add_argument("--score-at", default="",
                        help="step counts at which to score, e.g. 8000,16000 (default: "
                             "--steps only); every variant is scored at each")
    parser.add_argument("--fixed-p", type=float, default=1.0,
                        help="the DiffAugment variant's probability (1: DiffAugment's)")
    parser.add_argument("--r1-weight", type=float, default=1.0, help="the R1 variants' gamma")
    parser.add_argument("--r1-every", type=int, default=16, help="the R1 variants' lazy interval")
    parser.add_argument("--lecam-weight", type=float, default=0.3,
                        help="the LeCam variants' weight (Tseng et al.'s 0.3)")
    args = parser.parse_args()
    args.score_at = sorted({int(s) for s in args.score_at.split(",")} if args.score_at
                           else {args.steps})
    if args.score_at[0] < 1 or args.score_at[-1] != args.steps:
        parser.error(f"--score-at takes positive step counts ending at --steps "
                     f"({args.steps}), got {args.score_at}.")
    from ganzoo.image.evaluator import default_evaluator

    (x_pool, y_pool), (x_real, y_real) = digit_splits()
    real_features, _ = default_evaluator().features_and_logits(x_real)
    ran = args.variants.split(",")
    rows = []
    begin = time.perf_counter()
    for size in (int(s) for s in args.sizes.split(",")):
        pick = balanced_subset(y_pool, size, args.seed)
        baseline = {}
        extras = toolbox(args)
        runs = [(name, augment, augment_p, ({}, {}))
                for name, augment, augment_p in variants(args.policy, args.fixed_p)]
        runs += [(name, args.policy if name.endswith("+DA") else None, args.fixed_p, settings)
                 for name, settings in extras.items()]
        unknown = sorted(set(ran) - {run[0] for run in runs})
        if unknown:
            parser.error(f"unknown variant(s) {unknown}; known: {[run[0] for run in runs]}")
        for name, augment, augment_p, (model_kwargs, compile_kwargs) in runs:
            if name not in ran:
                continue

            def checkpoint(gan, step, p, seconds):
                s = score(gan, real_features)
                seen = real_sign(gan, x_pool[pick], y_pool[pick])
                unseen = real_sign(gan, x_real[:len(pick)], y_real[:len(pick)])
                if name == "none":
                    baseline[step] = s["frechet_distance"]
                rows.append([str(size), name, str(step), f"{s['frechet_distance']:.2f}",
                             f"{s['frechet_distance'] / baseline[step]:.2f}x"
                             if step in baseline else "n/a",
                             f"{s['classifier_score']:.2f}", f"{s['label_accuracy']:.3f}",
                             f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                             f"{s['density']:.3f}", f"{s['coverage']:.3f}",
                             f"{seen:+.2f} / {unseen:+.2f}",
                             "" if augment_p != "adaptive" else f"{p:.2f}",
                             f"{seconds:.0f}"])
                print(" | ".join(rows[-1]), flush=True)

            train(x_pool[pick], y_pool[pick], augment, augment_p, args, checkpoint,
                  model_kwargs, compile_kwargs)
    # Only the settings of the variants that ran.
    augmentation = [f"policy {args.policy}"]
    if "DiffAugment" in ran:
        augmentation.append(f"fixed p {args.fixed_p:g}")
    if "adaptive" in ran:
        from ganzoo.core.augmentation import DEFAULT_TARGET

        target = DEFAULT_TARGET if args.augment_target is None else args.augment_target
        augmentation.append(f"adaptive target {target:g}")
    if any(name.startswith("R1") for name in ran):
        augmentation.append(f"R1 gamma {args.r1_weight:g} every {args.r1_every}")
    if any(name.startswith("LeCam") for name in ran):
        augmentation.append(f"LeCam {args.lecam_weight:g}")
    print_table(
        f"Conditional DCGAN (model_size {args.model_size}, "
        f"{'auxiliary classifier ' + str(args.class_loss_weight) if args.class_loss_weight else 'no auxiliary classifier'}"
        f", weight average; augmentation {', '.join(augmentation)}), "
        f"{args.steps} steps of batch {args.batch_size} for every variant, seed "
        f"{args.seed}; 1,000 samples scored against the 1,600 held-out real digits "
        f"({(time.perf_counter() - begin) / 60:.1f} min in all)",
        ["real digits", "augmentation", "steps", "FD", "FD vs none", "CS", "label acc", "precision",
         "recall", "density", "coverage", "D sign seen / unseen", "final p", "train s"], rows)


if __name__ == "__main__":
    main()

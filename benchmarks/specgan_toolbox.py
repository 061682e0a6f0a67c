"""The GAN toolbox on SpecGAN: the spoken-digit SpecGAN of `specgan_digits`' recipe
(model_size 16, batch 32, BCE, auxiliary classifier weight 1, weight average 0.999)
trained on the spoken-digit evaluator's training split (or a balanced subset of it),
against the same with one change or several.

A variant is terms joined by "+": `none` (the recipe), `hinge`, `SN` (spectral
normalisation of the discriminator), `R1` (gamma --r1-weight, lazily every --r1-every
steps), `LeCam` (--lecam-weight), `DA` (discriminator augmentation: time shift and
SpecAugment masks at ADA's adaptive probability), `acW` (auxiliary classifier weight W;
`ac0` for projection conditioning alone). E.g. `ac0.3+DA+hinge`.

Every variant trains the same steps from the same seed on the same clips. At each
--score-at step count its generator makes 1,000 clips (seed 1, 100 per word), scored
against the held-out split's "select" half (300 clips no run trains on) by the bundled
evaluator (a log-mel CNN: FD, label accuracy, precision / recall k=3) and by the second
evaluator of another kind (dense network on MFCC statistics: FD, label accuracy). The
"report" half stays unseen: choose here, report elsewhere. Ratios are FD against `none`
at the same step count, in the same run; "ms / step" is training time over steps,
scoring excluded (compare it within one run only).

    python specgan_toolbox.py --steps 3000 --score-at 1500,3000 \\
        --variants none,hinge,SN,R1,LeCam,DA,ac0.3,ac0.3+DA          # ~2.5 h on 2 cores
    python specgan_toolbox.py --clips 500 --steps 3000 --variants none,DA   # small data
    python specgan_toolbox.py --steps 30 --variants none,hinge        # a smoke run
"""

import argparse
import os
import sys
import time

import numpy as np

from report import print_table, spoken_clips

TERMS = ("hinge", "SN", "R1", "LeCam", "DA")


def settings(variant, args):
    """(model arguments, compile arguments) of one variant, on top of the recipe."""
    model = {"class_loss_weight": args.class_loss_weight}
    compiled = {"loss": "bce"}
    for term in variant.split("+"):
        if term == "none":
            continue
        if term == "hinge":
            compiled["loss"] = "hinge"
        elif term == "SN":
            model["spectral_norm"] = True
        elif term == "R1":
            model.update(r1_weight=args.r1_weight, r1_every=args.r1_every)
        elif term == "LeCam":
            model["lecam_weight"] = args.lecam_weight
        elif term == "DA":
            model["discriminator_augment"] = "default"
        elif term.startswith("ac"):
            try:
                weight = float(term[2:])
            except ValueError:
                weight = -1.0
            if weight < 0:
                raise ValueError(f"{term!r}: acW takes a weight >= 0, e.g. ac0.3.")
            model["class_loss_weight"] = weight or None
        else:
            raise ValueError(f"unknown term {term!r} in variant {variant!r}; terms: "
                             f"none, {', '.join(TERMS)}, acW")
    return model, compiled


def second_evaluator():
    """The second evaluator of examples/spoken_selection_evaluator.py (trained into
    runs/ on first use, on the training split)."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                    "examples"))
    from spoken_selection_evaluator import selection_spoken_evaluator

    return selection_spoken_evaluator()


def train(variant, clips, args, checkpoint):
    """Trains one variant, calling `checkpoint(model, step, seconds)` at each --score-at."""
    import math

    import keras

    from ganzoo.audio import SpecGAN, spectrogram_dataset
    from ganzoo.audio.evaluator import WORDS

    model_kwargs, compile_kwargs = settings(variant, args)
    gan = SpecGAN(class_names=list(WORDS), model_size=16, seed=args.seed,
                  generator_ema=0.999, **model_kwargs)
    gan.compile(**compile_kwargs)
    data = spectrogram_dataset(gan, clips, batch_size=32, seed=args.seed).repeat()
    epoch_steps = math.gcd(*args.score_at)
    scoring = []

    class Checkpoints(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            step = (epoch + 1) * epoch_steps
            if step in args.score_at:
                begin = time.perf_counter()
                checkpoint(gan, step, begin - start - sum(scoring))
                scoring.append(time.perf_counter() - begin)

    start = time.perf_counter()
    gan.fit(data, steps_per_epoch=epoch_steps, epochs=args.steps // epoch_steps, verbose=0,
            callbacks=[Checkpoints()])


def score(gan, evaluators, reals):
    from ganzoo.core.evaluator import score_against
    from ganzoo.metrics import precision_recall

    wanted = np.arange(1000, dtype="int32") % 10
    clips = np.asarray(gan.generate(1000, labels=wanted, seed=1)).reshape(1000, -1)
    out = {}
    for name, evaluator in evaluators.items():
        scores = score_against(evaluator, clips, wanted, reals[name])
        if name == "bundled":
            scores.update(precision_recall(
                reals[name], evaluator.features_and_logits(clips)[0], k=3))
        out.update({f"{name} {key}": value for key, value in scores.items()})
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="none,hinge,SN,R1,LeCam,DA")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--score-at", default="",
                        help="step counts at which to score (default: --steps only)")
    parser.add_argument("--clips", type=int, default=0,
                        help="a balanced subset of this many training clips (0: all 2,400)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--class-loss-weight", type=float, default=1.0,
                        help="the recipe's auxiliary classifier weight")
    parser.add_argument("--r1-weight", type=float, default=1.0)
    parser.add_argument("--r1-every", type=int, default=16)
    parser.add_argument("--lecam-weight", type=float, default=0.3)
    args = parser.parse_args()
    args.score_at = sorted({int(s) for s in args.score_at.split(",")} if args.score_at
                           else {args.steps})
    if args.score_at[0] < 1 or args.score_at[-1] != args.steps:
        parser.error(f"--score-at takes positive step counts ending at --steps "
                     f"({args.steps}), got {args.score_at}.")
    variants = args.variants.split(",")
    for variant in variants:
        try:
            settings(variant, args)
        except ValueError as error:
            parser.error(str(error))
    from ganzoo.audio.evaluator import default_evaluator
    from ganzoo.core.evaluator import held_out_half

    clips, held_out = spoken_clips()
    train_ids = np.flatnonzero(~held_out)
    if args.clips:
        rng = np.random.default_rng(args.seed)
        labels = clips.labels[train_ids]
        train_ids = np.concatenate([
            rng.choice(train_ids[labels == word], args.clips // 10, replace=False)
            for word in np.unique(labels)])
    held = np.flatnonzero(held_out)
    select = held[held_out_half(len(held), "select")]
    evaluators = {"bundled": default_evaluator(), "second": second_evaluator()}
    reals = {name: evaluator.features_and_logits(clips.waveforms(select))[0]
             for name, evaluator in evaluators.items()}
    baseline, rows = {}, []
    begin = time.perf_counter()
    for variant in variants:
        def checkpoint(gan, step, seconds):
            s = score(gan, evaluators, reals)
            if variant == "none":
                baseline[step] = (s["bundled frechet_distance"], s["second frechet_distance"])
            ratios = [f"{s[f'{name} frechet_distance'] / baseline[step][i]:.2f}x"
                      if step in baseline else "n/a"
                      for i, name in enumerate(("bundled", "second"))]
            rows.append([variant, str(step), f"{s['bundled frechet_distance']:.2f}",
                         ratios[0], f"{s['bundled label_accuracy']:.3f}",
                         f"{s['bundled precision']:.3f}", f"{s['bundled recall']:.3f}",
                         f"{s['second frechet_distance']:.2f}", ratios[1],
                         f"{s['second label_accuracy']:.3f}", f"{1000 * seconds / step:.0f}"])
            print(" | ".join(rows[-1]), flush=True)

        train(variant, clips.subset(train_ids), args, checkpoint)
    print_table(
        f"SpecGAN (specgan_digits' recipe) on {len(train_ids)} training clips, seed "
        f"{args.seed}; 1,000 clips per row against the {len(select)} 'select' held-out "
        f"clips; ratios vs none at the same steps ({(time.perf_counter() - begin) / 60:.1f} "
        "min in all)",
        ["variant", "steps", "FD", "vs none", "label acc", "precision", "recall",
         "2nd FD", "vs none", "2nd acc", "ms / step"], rows)


if __name__ == "__main__":
    main()

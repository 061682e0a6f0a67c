"""Small data through the command line, measured as a user runs it: `ganzoo train dcgan
--data d500.npz --out RUN` with every default (the small-data recipe), against ganzoo
0.6.0's defaults for the same data (20 epochs of batch 64, model_size 64, no
augmentation: 160 steps) in the same run.

For each seed: a balanced 500-digit subset of the evaluators' training split (another
subset per seed), written to an .npz; the command runs in a fresh process (wall time
from start to exit, the data read and the model saved included) with `--seed S`; the
saved model writes 1,000 samples (seed 2, 100 per class). Two evaluators of different
kinds score them against the 1,600 held-out real digits none of the runs saw: the
bundled one (Frechet distance of its pooled CNN features, label accuracy, precision /
recall k=3) and the selection evaluator (`ganzoo.image.selection`: dense features over
the whole 7x7 map, trained here on the training split; FD and label accuracy).

Seed 0 chose the recipe (`benchmarks/results/small_data_schedule.txt`); the default
seeds 1-5 chose nothing.

    python cli_small_data.py                       # seeds 1-5 (~45 min, 2 cores)
    python cli_small_data.py --seeds 1 --variants "today's defaults"
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from report import digit_splits, print_table
from small_data import balanced_subset

VARIANTS = {
    "today's defaults": [],
    "0.6.0 defaults": ["--epochs", "20", "--batch-size", "64", "--model-size", "64",
                       "--discriminator-augment", "none"],
    "recipe, no augmentation": ["--discriminator-augment", "none"],
}


def selection_evaluator():
    """The second evaluator, trained on the training split into runs/ on first use."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "examples"))
    from selection_evaluator import selection_evaluator as build

    return build()


def real_row(images, labels, bundled_real, second, second_real):
    """The scores' columns for real digits: what a perfect generator would get."""
    from ganzoo.image.evaluator import default_evaluator, score_digits
    from ganzoo.image.selection import score_against
    from ganzoo.metrics import frechet_distance, precision_recall

    features, _ = default_evaluator().features_and_logits(images)
    pr = precision_recall(bundled_real, features, k=3)
    other = score_against(second, images, labels, second_real)
    return [f"{frechet_distance(bundled_real, features):.2f}", "",
            f"{score_digits(images, labels=labels)['label_accuracy']:.3f}",
            f"{pr['precision']:.3f}", f"{pr['recall']:.3f}",
            f"{other['frechet_distance']:.2f}", f"{other['label_accuracy']:.3f}"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--size", type=int, default=500)
    parser.add_argument("--variants", default="today's defaults,0.6.0 defaults",
                        help=f"comma-separated, of: {', '.join(VARIANTS)}")
    args = parser.parse_args()
    variants = [name.strip() for name in args.variants.split(",")]
    unknown = [name for name in variants if name not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant(s) {unknown}; known: {list(VARIANTS)}")

    import ganzoo
    from ganzoo.image.evaluator import default_evaluator
    from ganzoo.image.selection import score_against
    from small_data import score

    (x_pool, y_pool), (x_real, y_real) = digit_splits()
    bundled_real, _ = default_evaluator().features_and_logits(x_real)
    second = selection_evaluator()
    second_real, _ = second.features_and_logits(x_real)
    wanted = np.arange(1000, dtype="int32") % 10
    rows, begin = [], time.perf_counter()
    rows.append(["", "1,000 real training digits", "", ""]
                + real_row(x_pool[:1000], y_pool[:1000], bundled_real, second, second_real))
    with tempfile.TemporaryDirectory() as tmp:
        for seed in (int(s) for s in args.seeds.split(",")):
            pick = balanced_subset(y_pool, args.size, seed)
            data = os.path.join(tmp, f"d{args.size}_{seed}.npz")
            np.savez(data, images=x_pool[pick], labels=y_pool[pick])
            baseline = None
            for name in variants:
                out = os.path.join(tmp, f"run_{seed}_{variants.index(name)}")
                command = [sys.executable, "-m", "ganzoo", "train", "dcgan", "--data", data,
                           "--out", out, "--seed", str(seed), "--quiet", *VARIANTS[name]]
                start = time.perf_counter()
                result = subprocess.run(command, capture_output=True, text=True)
                seconds = time.perf_counter() - start
                if result.returncode:
                    raise SystemExit(result.stderr)
                model = ganzoo.load_model(os.path.join(out, "model.keras"))
                bundled = score(model, bundled_real, seed=2)
                other = score_against(second, model.generate(1000, labels=wanted, seed=2),
                                      wanted, second_real)
                baseline = baseline or bundled["frechet_distance"]
                rows.append([str(seed), name, f"{int(model.g_optimizer.iterations):,}",
                             f"{seconds:.0f}", f"{bundled['frechet_distance']:.2f}",
                             f"{bundled['frechet_distance'] / baseline:.2f}x",
                             f"{bundled['label_accuracy']:.3f}", f"{bundled['precision']:.3f}",
                             f"{bundled['recall']:.3f}", f"{other['frechet_distance']:.2f}",
                             f"{other['label_accuracy']:.3f}"])
                print(" | ".join(rows[-1]), flush=True)
    print_table(
        f"`ganzoo train dcgan --data d{args.size}.npz` ({args.size} real digits, balanced, "
        f"another subset per seed), 1,000 samples (seed 2) scored against the 1,600 held-out "
        f"real digits by the bundled evaluator and the selection evaluator; ratios against "
        f"the first variant of the same seed ({(time.perf_counter() - begin) / 60:.1f} min "
        f"in all)",
        ["seed", "variant", "steps", "wall s", "FD", "FD vs first", "label acc", "precision",
         "recall", "2nd FD", "2nd label acc"], rows)


if __name__ == "__main__":
    main()

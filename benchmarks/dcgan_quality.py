"""Quality of a conditional DCGAN trained on ../shared/data/mnist8k.npz for a fixed
budget, scored by the bundled digit evaluator, next to real digits and an untrained
generator.

    python benchmarks/dcgan_quality.py --epochs 30 --grid dcgan_quality.png
"""

import argparse
import os
import time

import numpy as np
import keras

from common import load_mnist8k, print_table

from ganzoo.core.plotting import save_image_grid
from ganzoo.image import DCGAN, dataset_from_arrays
from ganzoo.image.evaluator import ASSETS, REFERENCE, score_digits


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--samples", type=int, default=1600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--grid", help="write a 10x10 sample grid PNG here")
    args = parser.parse_args()

    images, labels = load_mnist8k()
    with np.load(os.path.join(ASSETS, REFERENCE)) as ref:
        held_out = ref["validation_index"]  # digits the evaluator never trained on
    n = min(args.samples, len(held_out))
    want = np.arange(n, dtype="int32") % 10

    keras.utils.set_random_seed(args.seed)
    gan = DCGAN(image_shape=(28, 28, 1), num_classes=10, precision=args.precision,
                seed=args.seed)
    gan.compile()
    untrained = score_digits(gan.generate(n, labels=want, seed=1), labels=want)
    start = time.perf_counter()
    gan.fit(dataset_from_arrays(images, labels, batch_size=args.batch_size, seed=args.seed),
            epochs=args.epochs, verbose=2)
    minutes = (time.perf_counter() - start) / 60
    samples = gan.generate(n, labels=want, seed=1)
    trained = score_digits(samples, labels=want)
    real = score_digits(images[held_out[:n]], labels=labels[held_out[:n]])
    if args.grid:
        grid_labels = np.repeat(np.arange(10, dtype="int32"), 10)
        save_image_grid(gan.generate(100, labels=grid_labels, seed=2), args.grid, rows=10)

    def row(name, s):
        hist = np.asarray(s["class_histogram"])
        return [name, f"{s['frechet_distance']:.2f}", f"{s['classifier_score']:.2f}",
                f"{s.get('label_accuracy', float('nan')):.3f}",
                f"{hist.min():.3f}-{hist.max():.3f}"]

    print_table(
        f"Conditional DCGAN on mnist8k: {args.epochs} epochs, batch {args.batch_size}, "
        f"{gan.precision}, {minutes:.1f} min of training on this machine; {n} samples each",
        ["samples", "Frechet distance", "classifier score", "label accuracy",
         "class share min-max"],
        [row("real held-out digits", real), row("ganzoo DCGAN (trained)", trained),
         row("untrained generator", untrained)],
    )
    print(f"\nFD ratio trained / real-vs-real: {trained['frechet_distance'] / real['frechet_distance']:.2f}x; "
          f"untrained / trained: {untrained['frechet_distance'] / trained['frechet_distance']:.1f}x")


if __name__ == "__main__":
    main()

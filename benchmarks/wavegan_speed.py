"""WaveGAN speed: training clips/s (ganzoo vs the classic two-model recipe with the same
networks, with and without XLA) and generation as a real-time factor.

    python benchmarks/wavegan_speed.py                      # d = 16 and 64
    python benchmarks/wavegan_speed.py --sizes 16 --steps 4

Training is compared with the BCE loss, the one the classic recipe can express; the
ganzoo WGAN-GP iteration (5 critic + 1 generator updates) is timed beside it.
"""

import argparse
import time

import numpy as np
import tensorflow as tf
import keras

from common import ClassicRecipe, print_table

from ganzoo.audio import WaveGAN

BATCH = 64
LENGTH = 16384
RATE = 16000


def real_batch(seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(LENGTH) / RATE
    freqs = rng.uniform(100, 2000, size=(BATCH, 1))
    waves = 0.5 * np.sin(2 * np.pi * freqs * t) * np.exp(-3 * t)
    return waves.astype("float32"), (np.arange(BATCH) % 10).astype("int32")


def model(size, precision="float32"):
    keras.utils.set_random_seed(0)
    return WaveGAN(num_classes=10, model_size=size, precision=precision, seed=0)


def fit_speed(gan, steps, loss, jit=False, spe=1):
    gan.compile(loss=loss, jit_compile=jit, steps_per_execution=spe)
    x, y = real_batch()
    ds = tf.data.Dataset.from_tensors((x, y)).repeat()
    gan.fit(ds, epochs=1, steps_per_epoch=spe, verbose=0)  # trace
    start = time.perf_counter()
    gan.fit(ds, epochs=1, steps_per_epoch=steps, verbose=0)
    seconds = (time.perf_counter() - start) / steps
    return BATCH / seconds, seconds


def classic_speed(size, steps):
    gan = model(size)
    recipe = ClassicRecipe(gan.generator, gan.discriminator, gan.latent_dim)
    x, y = real_batch()
    recipe.check_learning(x, y)
    start = time.perf_counter()
    for _ in range(steps):
        recipe.step(x, y)
    seconds = (time.perf_counter() - start) / steps
    return BATCH / seconds, seconds


def generation_rtf(size, precision, repeats=3):
    gan = model(size, precision)
    z = gan.sample_latent(BATCH, seed=0)
    labels = np.arange(BATCH, dtype="int32") % 10
    gan.generate_from_latent(z, labels, batch_size=BATCH)  # trace
    best = min(_timed(lambda: gan.generate_from_latent(z, labels, batch_size=BATCH))
               for _ in range(repeats))
    return BATCH * LENGTH / RATE / best


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="16,64")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--generation-only", action="store_true",
                        help="only the real-time factor table")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    for size in sizes if not args.generation_only else []:
        classic, classic_s = classic_speed(size, args.steps)
        rows.append((f"d={size} classic recipe (BCE, train_on_batch)", classic, classic_s))
        for label, kwargs in [("ganzoo BCE float32", dict(loss="bce")),
                              ("ganzoo BCE float32 + XLA", dict(loss="bce", jit=True)),
                              ("ganzoo BCE mixed_bfloat16", dict(loss="bce", precision="mixed_bfloat16")),
                              ("ganzoo WGAN-GP (5+1) float32", dict(loss="wgan-gp")),
                              ("ganzoo WGAN-GP (5+1) mixed_bfloat16",
                               dict(loss="wgan-gp", precision="mixed_bfloat16"))]:
            precision = kwargs.pop("precision", "float32")
            speed, seconds = fit_speed(model(size, precision), args.steps, **kwargs)
            rows.append((f"d={size} {label}", speed, seconds))
        base = rows[-6][1]
        for row in rows[-6:]:
            row_list = list(row)
            rows[rows.index(row)] = (*row_list, row[1] / base)
    if rows:
        print_table(f"WaveGAN training, batch {BATCH}, {LENGTH} samples, conditional "
                    f"(10 classes), {args.steps} timed iterations",
                    ["variant", "clips/s", "s/iteration", "vs classic"],
                    [(n, f"{c:,.1f}", f"{s:.2f}", f"{r:.2f}x") for n, c, s, r in rows])
    gen_rows = []
    for size in sorted(set(sizes) | ({32} if not args.generation_only else set())):
        f32 = generation_rtf(size, "float32")
        bf16 = generation_rtf(size, "mixed_bfloat16")
        gen_rows.append((f"d={size}", f"{f32:,.0f}x", f"{bf16:,.0f}x", f"{bf16 / f32:.2f}x"))
    print_table(f"WaveGAN generation speed, batch {BATCH}: seconds of audio per second of wall "
                "clock (real-time factor)",
                ["model size", "float32", "mixed_bfloat16", "bf16 / f32"], gen_rows)


if __name__ == "__main__":
    main()

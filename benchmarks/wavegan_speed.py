"""WaveGAN speed: training clips/s (ganzoo vs the classic two-model recipe with the same
networks, with and without XLA) and generation as a real-time factor.

    python benchmarks/wavegan_speed.py                      # d = 16 and 64
    python benchmarks/wavegan_speed.py --sizes 16 --steps 4
    python benchmarks/wavegan_speed.py --layers             # per-layer convolution methods

Training is compared with the BCE loss, the one the classic recipe can express; the
ganzoo WGAN-GP iteration (5 critic + 1 generator updates) is timed beside it. The classic
recipe computes its convolutions as Keras does (`conv_method="native"`); ganzoo rows use
the default `"auto"` unless they say otherwise. `--layers` times one forward + backward
pass of each strided convolution of the networks with each method, the measurements
behind the `"auto"` rule in `ganzoo/audio/layers.py`.
"""

import argparse
import time

import numpy as np
import tensorflow as tf
import keras

from common import ClassicRecipe, print_table

from ganzoo.audio import WaveGAN
from ganzoo.audio import layers
from ganzoo.audio.layers import choose_method

BATCH = 64
LENGTH = 16384
RATE = 16000


def real_batch(seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(LENGTH) / RATE
    freqs = rng.uniform(100, 2000, size=(BATCH, 1))
    waves = 0.5 * np.sin(2 * np.pi * freqs * t) * np.exp(-3 * t)
    return waves.astype("float32"), (np.arange(BATCH) % 10).astype("int32")


def model(size, precision="float32", conv_method="auto"):
    keras.utils.set_random_seed(0)
    return WaveGAN(num_classes=10, model_size=size, precision=precision, seed=0,
                   conv_method=conv_method)


def fit_speed(gan, steps, loss, jit=False, spe=1):
    gan.compile(loss=loss, jit_compile=jit, steps_per_execution=spe)
    x, y = real_batch()
    ds = tf.data.Dataset.from_tensors((x, y)).repeat()
    gan.fit(ds, epochs=1, steps_per_epoch=spe, verbose=0)  # trace
    start = time.perf_counter()
    gan.fit(ds, epochs=1, steps_per_epoch=steps, verbose=0)
    seconds = (time.perf_counter() - start) / steps
    return BATCH / seconds, seconds


def classic_speed(size, steps, conv_method="native"):
    gan = model(size, conv_method=conv_method)
    recipe = ClassicRecipe(gan.generator, gan.discriminator, gan.latent_dim)
    x, y = real_batch()
    recipe.check_learning(x, y)
    start = time.perf_counter()
    for _ in range(steps):
        recipe.step(x, y)
    seconds = (time.perf_counter() - start) / steps
    return BATCH / seconds, seconds


def generation_rtf(size, precision, repeats=3, conv_method="auto"):
    gan = model(size, precision, conv_method)
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


def layer_shapes(size):
    """(name, transposed?, coarse length, channels in, channels out) of each strided
    convolution of the 16,384-sample networks."""
    d = size
    shapes = [(f"G{i + 1}", True, 16 * 4 ** i, cin, cout) for i, (cin, cout) in
              enumerate([(16 * d, 8 * d), (8 * d, 4 * d), (4 * d, 2 * d), (2 * d, d), (d, 1)])]
    shapes += [(f"D{i + 1}", False, 4096 // 4 ** i, cin, cout) for i, (cin, cout) in
               enumerate([(1, d), (d, 2 * d), (2 * d, 4 * d), (4 * d, 8 * d), (8 * d, 16 * d)])]
    return shapes


def layer_seconds(transposed, coarse, cin, cout, method, precision, repeats=3):
    """One forward + backward pass (input and weight gradients) of one layer, batch 64."""
    policy = keras.DTypePolicy(precision)
    if transposed:
        layer = layers.Conv1DTranspose(cout, 25, strides=4, padding="same", method=method,
                                       dtype=policy)
        shape = (BATCH, coarse, cin)
    else:
        layer = layers.Conv1D(cout, 25, strides=4, padding="same", method=method, dtype=policy)
        shape = (BATCH, coarse * 4, cin)
    layer.build(shape)
    x = tf.random.normal(shape)

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cast(layer(x), "float32")
            loss = tf.reduce_sum(y * y)
        return tape.gradient(loss, [x] + layer.trainable_variables)

    step(x)
    return min(_timed(lambda: step(x)[0].numpy()) for _ in range(repeats))


def layer_table(sizes, precision):
    rows = []
    for size in sizes:
        for name, transposed, coarse, cin, cout in layer_shapes(size):
            times = {m: layer_seconds(transposed, coarse, cin, cout, m, precision)
                     for m in ("native", "phase", "matmul")}
            best = min(times, key=times.get)
            rows.append((f"d={size} {name}", f"{coarse}", f"{cin}->{cout}",
                         *(f"{times[m] * 1000:.1f} ({times['native'] / times[m]:.2f}x)"
                           for m in ("native", "phase", "matmul")),
                         best, choose_method("auto", coarse, cin, cout)))
    print_table(f"Strided convolutions, kernel 25, stride 4, batch {BATCH}, {precision}: ms per "
                "forward + backward (speed-up vs native)",
                ["layer", "coarse length", "channels", "native", "phase", "matmul", "fastest",
                 "auto picks"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="16,64")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--no-xla", action="store_true",
                        help="skip the XLA row (120 s per iteration at d=64 on 2 cores)")
    parser.add_argument("--generation-only", action="store_true",
                        help="only the real-time factor table")
    parser.add_argument("--layers", action="store_true",
                        help="only the per-layer convolution-method table")
    parser.add_argument("--precision", default="mixed_bfloat16",
                        help="compute precision of the --layers table")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.layers:
        layer_table(sizes, args.precision)
        return
    rows = []
    for size in sizes if not args.generation_only else []:
        variants = [("classic recipe (BCE, train_on_batch)", None),
                    ("classic recipe, ganzoo's conv_method='auto'", "classic-auto"),
                    ("ganzoo BCE float32", dict(loss="bce")),
                    ("ganzoo BCE float32 + XLA", dict(loss="bce", jit=True)),
                    ("ganzoo BCE mixed_bfloat16, conv_method='native'",
                     dict(loss="bce", precision="mixed_bfloat16", conv_method="native")),
                    ("ganzoo BCE mixed_bfloat16", dict(loss="bce", precision="mixed_bfloat16")),
                    ("ganzoo WGAN-GP (5+1) float32", dict(loss="wgan-gp")),
                    ("ganzoo WGAN-GP (5+1) mixed_bfloat16, conv_method='native'",
                     dict(loss="wgan-gp", precision="mixed_bfloat16", conv_method="native")),
                    ("ganzoo WGAN-GP (5+1) mixed_bfloat16",
                     dict(loss="wgan-gp", precision="mixed_bfloat16"))]
        if args.no_xla:
            variants = [v for v in variants if "XLA" not in v[0]]
        first = len(rows)
        for label, kwargs in variants:
            if kwargs is None:
                speed, seconds = classic_speed(size, args.steps)
            elif kwargs == "classic-auto":
                speed, seconds = classic_speed(size, args.steps, conv_method="auto")
            else:
                precision = kwargs.pop("precision", "float32")
                conv_method = kwargs.pop("conv_method", "auto")
                speed, seconds = fit_speed(model(size, precision, conv_method), args.steps,
                                           **kwargs)
            rows.append([f"d={size} {label}", speed, seconds])
        for row in rows[first:]:
            row.append(row[1] / rows[first][1])
    if rows:
        print_table(f"WaveGAN training, batch {BATCH}, {LENGTH} samples, conditional "
                    f"(10 classes), {args.steps} timed iterations",
                    ["variant", "clips/s", "s/iteration", "vs classic"],
                    [(n, f"{c:,.1f}", f"{s:.2f}", f"{r:.2f}x") for n, c, s, r in rows])
    gen_rows = []
    for size in sorted(set(sizes) | ({32} if not args.generation_only else set())):
        native = generation_rtf(size, "float32", conv_method="native")
        f32 = generation_rtf(size, "float32")
        bf16 = generation_rtf(size, "mixed_bfloat16")
        gen_rows.append((f"d={size}", f"{native:,.0f}x", f"{f32:,.0f}x", f"{bf16:,.0f}x",
                         f"{bf16 / native:.2f}x"))
    print_table(f"WaveGAN generation speed, batch {BATCH}: seconds of audio per second of wall "
                "clock (real-time factor)",
                ["model size", "float32 native convs", "float32", "mixed_bfloat16",
                 "bf16 / f32 native"], gen_rows)


if __name__ == "__main__":
    main()

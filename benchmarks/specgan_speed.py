"""SpecGAN speed and its quality ceiling.

    python benchmarks/specgan_speed.py                 # all four tables
    python benchmarks/specgan_speed.py --clips 200 --steps 10

1. Griffin-Lim: ganzoo's TensorFlow loop (a batch of clips at once) vs librosa's
   `griffinlim` (one clip at a time, as it takes them) on the same magnitudes, both
   with momentum 0.99 (the fast variant), at 16 / 32 / 64 iterations: ms per clip.
2. The quality ceiling: real held-out spoken digits through the spectrogram (statistics
   fitted on the training split, 3-sigma clipping) and back, scored by the bundled
   spoken-digit evaluator, next to the real clips themselves.
3. End-to-end generation (generator + inversion) as a real-time factor.
4. Training clips/s of SpecGAN vs WaveGAN with generators of about equal size (BCE).
"""

import argparse
import time

import numpy as np
import tensorflow as tf
import keras

from report import print_table, spoken_clips

from ganzoo.audio import SpecGAN, WaveGAN
from ganzoo.audio.evaluator import score_spoken_digits
from ganzoo.audio.spectrogram import (FRAME_LENGTH, FRAME_STEP, LOG_FLOOR, griffin_lim,
                                      log_magnitude)

ITERATIONS = (16, 32, 64)
LENGTH = 16384
RATE = 16000


def best_of(fn, repeats=3):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def inversion_table(magnitude, librosa_clips):
    import librosa

    rows = []
    with_nyquist = np.pad(magnitude.numpy(), ((0, 0), (0, 0), (0, 1)))
    for iterations in ITERATIONS:
        invert = tf.function(lambda m, k=iterations: griffin_lim(m, LENGTH, k, 0.99))
        ours = best_of(lambda: invert(magnitude).numpy()) / len(magnitude)

        def theirs():
            # librosa's uncentred STFT of 16,384 samples has 127 frames (ours pads a 128th).
            for spectrum in with_nyquist[:librosa_clips, :127]:
                librosa.griffinlim(spectrum.T, n_iter=iterations, hop_length=FRAME_STEP,
                                   n_fft=FRAME_LENGTH, window="hann", center=False,
                                   momentum=0.99, length=LENGTH, random_state=0)

        reference = best_of(theirs, repeats=2) / librosa_clips
        rows.append([iterations, f"{ours * 1e3:.1f}", f"{reference * 1e3:.1f}",
                     f"{reference / ours:.1f}x"])
    print_table(f"Griffin-Lim, ms per one-second clip (ganzoo: {len(magnitude)} clips per "
                f"call; librosa {librosa.__version__}: one at a time), momentum 0.99",
                ["iterations", "ganzoo (TF)", "librosa", "librosa / ganzoo"], rows)


def ceiling_table(train_waves, held_waves, held_labels):
    gan = SpecGAN(model_size=2, latent_dim=4)  # only its statistics and inversion are used
    gan.adapt(train_waves)
    specs = gan.spectrograms(held_waves)
    real = score_spoken_digits(held_waves, held_labels)
    rows = [["real clips", "-", f"{real['label_accuracy']:.3f}",
             f"{real['frechet_distance']:.2f}", f"{real['classifier_score']:.2f}"]]
    for iterations in ITERATIONS:
        gan.griffin_lim_iterations = iterations
        rebuilt = np.concatenate([gan.postprocess(specs[i:i + 100]).numpy()
                                  for i in range(0, len(specs), 100)])
        s = score_spoken_digits(rebuilt, held_labels)
        rows.append(["spectrogram -> Griffin-Lim", iterations, f"{s['label_accuracy']:.3f}",
                     f"{s['frechet_distance']:.2f}", f"{s['classifier_score']:.2f}"])
    print_table(f"Quality ceiling: {len(held_waves)} real held-out clips through SpecGAN's "
                "spectrogram and back, bundled spoken-digit evaluator",
                ["clips", "iterations", "label accuracy", "FD", "classifier score"], rows)


def generation_table(train_waves, model_size):
    gan = SpecGAN(num_classes=10, model_size=model_size, seed=0)
    gan.adapt(train_waves[:256])
    z = gan.sample_latent(64, seed=0)
    labels = (np.arange(64) % 10).astype("int32")
    rows = []
    for iterations in ITERATIONS:
        gan.griffin_lim_iterations = iterations
        seconds = best_of(lambda: gan.generate_from_latent(z, labels, batch_size=64))
        rows.append([iterations, f"{64 * LENGTH / RATE / seconds:.0f}x"])
    spec_only = best_of(lambda: gan.generate_from_latent(z, labels, 64, postprocess=False))
    rows.append(["(spectrograms only)", f"{64 * LENGTH / RATE / spec_only:.0f}x"])
    print_table(f"SpecGAN generation (model_size {model_size}, batches of 64), real-time "
                "factor: seconds of audio per second", ["Griffin-Lim iterations",
                                                        "real-time factor"], rows)


def training_table(train_waves, model_size, steps, batch):
    keras.utils.set_random_seed(0)
    spec = SpecGAN(num_classes=10, model_size=model_size, seed=0)
    spec.adapt(train_waves[:256])
    target = spec.generator.count_params()
    sizes = {d: WaveGAN(num_classes=10, model_size=d).generator.count_params()
             for d in (8, 12, 16, 20, 24)}
    d = min(sizes, key=lambda k: abs(sizes[k] - target))
    wave = WaveGAN(num_classes=10, model_size=d, seed=0)
    labels = (np.arange(batch) % 10).astype("int32")
    x_wave = train_waves[:batch]
    x_spec = spec.spectrograms(x_wave).numpy()
    rows = []
    for name, gan, x in (("WaveGAN d=%d" % d, wave, x_wave),
                         ("SpecGAN model_size %d" % model_size, spec, x_spec)):
        gan.compile(loss="bce")
        ds = tf.data.Dataset.from_tensors((x, labels)).repeat()
        gan.fit(ds, epochs=1, steps_per_epoch=8, verbose=0)  # trace
        seconds = best_of(lambda: gan.fit(ds, epochs=1, steps_per_epoch=steps, verbose=0),
                          repeats=2) / steps
        rows.append([name, f"{gan.generator.count_params():,}", f"{batch / seconds:.1f}",
                     f"{seconds:.2f}"])
    base = float(rows[0][2])
    for row in rows:
        row.append(f"{float(row[2]) / base:.2f}x")
    print_table(f"Training, BCE steps of batch {batch}, precision "
                f"{spec.precision}", ["model", "generator parameters", "clips/s",
                                      "s/step", "vs WaveGAN"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=300, help="held-out clips to score")
    parser.add_argument("--librosa-clips", type=int, default=4)
    parser.add_argument("--model-size", type=int, default=16)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    clips, is_val = spoken_clips()
    rng = np.random.default_rng(0)
    train = np.flatnonzero(~is_val)
    held = rng.choice(np.flatnonzero(is_val), size=min(args.clips, int(is_val.sum())),
                      replace=False)
    train_waves = clips.waveforms(train)
    held_waves = clips.waveforms(held)
    magnitude = tf.exp(log_magnitude(held_waves[:64])) - LOG_FLOOR
    inversion_table(magnitude, args.librosa_clips)
    ceiling_table(train_waves, held_waves, clips.labels[held])
    generation_table(train_waves, args.model_size)
    training_table(train_waves, args.model_size, args.steps, args.batch)


if __name__ == "__main__":
    main()

"""Quality of a conditional WaveGAN trained on ../shared/data/spoken_digits for a fixed
CPU budget, scored by the bundled spoken-digit evaluator, next to real held-out clips
and the untrained generator.

    python benchmarks/wavegan_quality.py --minutes 20 --model-size 16 --loss bce
"""

import argparse
import os
import time

import numpy as np
import keras

from common import SHARED, print_table

from ganzoo.audio import SpectrogramGrid, WaveGAN, dataset_from_clips, load_clips
from ganzoo.audio.evaluator import ASSETS, REFERENCE, WORDS, score_spoken_digits


class TimeBudget(keras.callbacks.Callback):
    def __init__(self, seconds):
        super().__init__()
        self.seconds = seconds

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        if time.perf_counter() - self.start > self.seconds:
            self.model.stop_training = True


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--model-size", type=int, default=16)
    parser.add_argument("--loss", default="bce", choices=("bce", "wgan-gp"))
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--precision", default="auto")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--out", help="write spectrograms and WAV previews here")
    args = parser.parse_args()

    folder = os.path.join(SHARED, "spoken_digits")
    clips = load_clips(folder, 16000, labels="filename", class_names=WORDS, verbose=False)
    with np.load(os.path.join(ASSETS, REFERENCE)) as ref:
        held_out = set(ref["validation_files"].tolist())
    is_val = np.array([os.path.basename(p) in held_out for p in clips.paths])
    # A random draw of the held-out clips: in file order the first ones miss whole words.
    chosen = np.random.default_rng(0).permutation(np.flatnonzero(is_val))[:args.samples]
    real = np.stack([np.pad(clips.clip(i)[:16384], (0, max(0, 16384 - clips.lengths[i])))
                     for i in chosen])
    real_labels = clips.labels[chosen]
    n = len(real)
    want = np.arange(n, dtype="int32") % 10

    keras.utils.set_random_seed(0)
    gan = WaveGAN(class_names=list(WORDS), model_size=args.model_size, precision=args.precision,
                  seed=0)
    gan.compile(loss=args.loss)
    untrained = score_spoken_digits(gan.generate(n, labels=want, seed=1), labels=want)
    callbacks = [TimeBudget(args.minutes * 60)]
    if args.out:
        callbacks.append(SpectrogramGrid(args.out, every=10**6))
    start = time.perf_counter()
    history = gan.fit(dataset_from_clips(clips, batch_size=args.batch_size, seed=0),
                      epochs=10**6, callbacks=callbacks, verbose=2)
    minutes = (time.perf_counter() - start) / 60
    trained = score_spoken_digits(gan.generate(n, labels=want, seed=1), labels=want)
    reference = score_spoken_digits(real, labels=real_labels)

    def row(name, s):
        hist = np.asarray(s["class_histogram"])
        return [name, f"{s['frechet_distance']:.2f}", f"{s['classifier_score']:.2f}",
                f"{s['label_accuracy']:.3f}", f"{hist.min():.3f}-{hist.max():.3f}"]

    print_table(
        f"Conditional WaveGAN d={args.model_size}, {args.loss}, {gan.precision}, "
        f"{minutes:.1f} min ({int(gan.g_optimizer.iterations)} generator steps, "
        f"{len(history.epoch)} epochs) on this machine; {n} clips each",
        ["clips", "Frechet distance", "classifier score", "label accuracy", "class share min-max"],
        [row("real held-out clips", reference), row("ganzoo WaveGAN (trained)", trained),
         row("untrained generator", untrained)])


if __name__ == "__main__":
    main()

"""Does generated data help a classifier that has little real data? Measured, not assumed.

A small classifier learns from N real examples (100 or 500 digits, clips or table rows)
and is tested on real examples that neither it nor any generator saw (the evaluators'
held-out splits; for tables a fixed 20% of benefits.csv). Training data, per row:

  (a) the N real examples alone;
  (b) the N real + samples of a GAN trained on only those N (your situation: no other
      data): the conditional model with an auxiliary classifier, a weight average and
      discriminator augmentation at the library's default probability (`--augment-p`,
      "adaptive" for ADA), retrained for every seed's N;
  (c) the N real + samples of the bundled preset, which learned from thousands of other
      labelled examples (knowledge the user does not have; images and audio only);
  (d) the N real with classic augmentation only (random shifts / rotations of digits,
      time shifts and SpecAugment masks of spoken digits, Gaussian jitter of the
      numeric columns of tables): what a user tries first;
  (e) (b) and (d) together;
  (f) (c) and (d) together: the arrays of `ganzoo.augment.images` / `audio`, and a
      classifier with classic augmentation layers (what the API gave before 0.7);
  (g) the library's training data: `ganzoo.augment.image_dataset(x, y)` /
      `audio_dataset(waves, labels)` at their defaults (real and generated examples
      mixed in every batch, classic augmentation in the pipeline; log-mel features mapped
      over the clips afterwards), for a classifier without augmentation layers. `--share 0.25,0.5 --weight 1,0.5
      --truncation none,1 --teacher none,auto` compare other settings (one row each);
  (k) (g) at the share `ganzoo.augment.check(x, y)` recommends from the N alone (0: the
      dataset with classic augmentation only): does following its advice pay?

Every variant trains for the same number of classifier steps (tables: a gradient-boosting
classifier at its defaults); three seeds (each a different N and a different GAN) give the
mean and the spread.

    python examples/augment_low_data.py images                 # ~25 min on 2 cores
    python examples/augment_low_data.py tables                 # ~3 min
    python examples/augment_low_data.py tables-imbalanced      # report only, ~10 min
    python examples/augment_low_data.py audio --sizes 500 --seeds 1
    python examples/augment_low_data.py images --variants a,c  # only some rows
"""

import argparse
import os
import time

import numpy as np
import keras
from keras import layers

import ganzoo
from ganzoo.core.report import print_table

from evaluator_splits import SHARED, digit_splits, new_voice_splits, spoken_clips, waveforms

VARIANTS = {
    "a": "N real",
    "b": "N real + GAN trained on these N",
    "c": "N real + bundled preset",
    "d": "N real, classic augmentation",
    "e": "N real + GAN on these N, classic aug.",
    "f": "N real + preset, classic aug.",
    "g": "ganzoo.augment dataset (preset)",
    "k": "(g) at the share ganzoo.augment.check picks",
}


def balanced_subset(y, n, seed):
    rng = np.random.default_rng(seed)
    per = n // 10
    return np.concatenate([rng.choice(np.flatnonzero(y == c), per, replace=False)
                           for c in range(10)])


def rare_class(seed):
    return seed % 10


def imbalanced_subset(y, common, rare, seed):
    """`common` examples of nine classes and `rare` of one (class `seed % 10`)."""
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.choice(np.flatnonzero(y == c),
                                      rare if c == rare_class(seed) else common, replace=False)
                           for c in range(10)])


# -------------------------------------------------------------------- images


def image_classifier(classic=False):
    # Classic augmentation layers only act while training.
    jitter = [layers.RandomRotation(0.03, fill_mode="constant"),
              layers.RandomTranslation(0.1, 0.1, fill_mode="constant")] if classic else []
    return keras.Sequential([
        keras.Input((28, 28)), layers.Rescaling(1 / 255.0), layers.Reshape((28, 28, 1)),
        *jitter,
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dropout(0.3), layers.Dense(10)])


def image_gan(x, y, steps, seed, augment_p):
    """A conditional DCGAN trained on only `x, y`."""
    from ganzoo.image import DCGAN, dataset_from_arrays

    keras.utils.set_random_seed(seed)
    gan = DCGAN(image_shape=(28, 28, 1), num_classes=10, model_size=32, class_loss_weight=1.0,
                generator_ema=0.999, discriminator_augment="default",
                discriminator_augment_p=augment_p, seed=seed)
    gan.compile()
    data = dataset_from_arrays(x, y, batch_size=32, seed=seed).repeat()
    gan.fit(data, steps_per_epoch=steps // 10, epochs=10, verbose=0)
    return gan


# --------------------------------------------------------------------- audio


def spoken_splits():
    clips, test = spoken_clips()
    waves = waveforms(clips, np.arange(len(clips)))
    return (waves[~test], clips.labels[~test]), (waves[test], clips.labels[test])


def log_mel(waves):
    """Log-mel features, computed once: the classifier then trains on [63, 40] maps."""
    from ganzoo.audio.features import LogMel

    layer = LogMel(16000, frame_step=256)
    return np.concatenate([layer(waves[i:i + 256]).numpy() for i in range(0, len(waves), 256)])


class SpecAugment(layers.Layer):
    """While training: each log-mel map shifted by up to 6 frames, with one time and one
    frequency band set to the mean level (SpecAugment, Park et al. 2019)."""

    def call(self, x, training=None):
        import tensorflow as tf

        from ganzoo.audio.augmentation import frequency_mask, time_mask
        from ganzoo.core.augmentation import Draws, shift

        if not training:
            return x
        draws = Draws(tf.shape(x)[0], tf.random.uniform([2], maxval=2 ** 30, dtype="int32"))
        return frequency_mask(time_mask(shift(x, draws, axis=1, max_shift=6), draws), draws)


def audio_classifier(classic=False):
    # Flattened, not globally pooled: the order of the sounds in a word matters. (ganzoo
    # 0.3's version pooled two small convolutions' features and reached 0.37 even with
    # 1,000 real clips: too weak to tell whether more data helps.)
    return keras.Sequential([
        keras.Input((63, 40)), layers.Reshape((63, 40, 1)), layers.BatchNormalization(),
        *([SpecAugment()] if classic else []),
        layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dropout(0.5), layers.Dense(10)])


def audio_gan(x, y, steps, seed, augment_p):
    """A conditional SpecGAN (width 16) trained on only `x, y`."""
    from ganzoo.audio import SpecGAN, clips_from_arrays, spectrogram_dataset
    from ganzoo.audio.evaluator import WORDS

    keras.utils.set_random_seed(seed)
    gan = SpecGAN(class_names=list(WORDS), model_size=16, class_loss_weight=1.0,
                  generator_ema=0.999, discriminator_augment="default",
                  discriminator_augment_p=augment_p, seed=seed)
    gan.compile()
    clips = clips_from_arrays(x, y, sample_rate=16000, class_names=list(WORDS))
    data = spectrogram_dataset(gan, clips, batch_size=32, seed=seed).repeat()
    gan.fit(data, steps_per_epoch=steps // 10, epochs=10, verbose=0)
    return gan


# ------------------------------------------------------------------ training


def train_on_dataset(build, data, x_test, y_test, steps, seed):
    """Trains a fresh classifier without augmentation layers for `steps` steps of
    `data` (batches with sample weights); returns its predictions of the test set."""
    keras.utils.set_random_seed(seed)
    model = build(False)
    model.compile(keras.optimizers.Adam(1e-3),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(data.repeat(), steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
    return model.predict(x_test, batch_size=256, verbose=0).argmax(axis=1)


def dataset_settings(args):
    """(row name, settings of the dataset builder) for variant (g)."""
    from ganzoo.augment import defaults

    def values(text, default, parse):
        return [default] if text is None else [
            None if v.strip() == "none" else parse(v) for v in text.split(",")]

    rows = []
    default_share = defaults.IMAGE_SHARE if args.domain == "images" else defaults.AUDIO_SHARE
    default_pool = defaults.IMAGE_POOL if args.domain == "images" else defaults.AUDIO_POOL
    for share in values(args.share, default_share, float):
        for weight in values(args.weight, defaults.WEIGHT, float):
            for psi in values(args.truncation, defaults.TRUNCATION, float):
                for teacher in values(args.teacher, defaults.TEACHER, str):
                    for classes in values(args.class_shares, defaults.CLASS_SHARES, str):
                        for pool in values(args.pool, default_pool, int):
                            name = f"g share={share:g} weight={weight:g} truncation={psi}"
                            if teacher is not None:
                                name += (f" teacher={teacher} "
                                         f"confidence={defaults.CONFIDENCE:g}")
                            if classes != defaults.CLASS_SHARES:
                                name += f" classes={classes}"
                            if args.pool is not None:
                                name += f" pool={pool}"
                            rows.append((name, {"share": share, "weight": weight,
                                                "truncation": psi, "teacher": teacher,
                                                "class_shares": classes, "pool": pool}))
    return rows


def train_and_test(build, classic, x, y, x_test, y_test, steps, seed, batch_size=64):
    """Trains a fresh classifier for `steps` steps; returns its predictions of the test set."""
    keras.utils.set_random_seed(seed)
    model = build(classic)
    model.compile(keras.optimizers.Adam(1e-3),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    epochs = max(1, int(np.ceil(steps * batch_size / len(x))))
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, shuffle=True)
    return model.predict(x_test, batch_size=256, verbose=0).argmax(axis=1)


def run_signals(args):
    """Images or audio: the table of accuracies per N and variant."""
    if args.domain == "images":
        (x_pool, y_pool), (x_test, y_test) = digit_splits()
        preset, build, steps = args.preset or "dcgan_digits", image_classifier, args.steps or 800
        augment, features, make_gan = ganzoo.augment.images, (lambda x: x), image_gan
        gan_steps = args.gan_steps or 4000
    else:
        if args.voices == "new":
            (x_pool, y_pool), (x_test, y_test), _ = new_voice_splits()
        else:
            (x_pool, y_pool), (x_test, y_test) = spoken_splits()
        preset, build, steps = args.preset or "specgan_digits", audio_classifier, args.steps or 600
        augment, features, make_gan = ganzoo.augment.audio, log_mel, audio_gan
        gan_steps = args.gan_steps or 2000
    if args.domain == "images":
        make_dataset = ganzoo.augment.image_dataset
    else:
        from ganzoo.audio.features import LogMel

        mel = LogMel(16000, frame_step=256)

        def make_dataset(*args, **kwargs):
            # As a user with a features layer of their own: waveforms from the dataset
            # (shifted, gained, a run silenced), log-mel mapped over them.
            return ganzoo.augment.audio_dataset(*args, **kwargs).map(
                lambda waves, labels, weights: (mel(waves), labels, weights))
    x_test = features(x_test)
    settings = {}
    wanted = []
    for v in args.variants:
        if v == "g":
            for name, values in dataset_settings(args):
                settings[name] = values
                wanted.append(name)
        else:
            wanted.append(v)
    generator = (ganzoo.from_preset(preset) if {"c", "f", "g", "k"} & set(args.variants)
                 else None)
    rows, start = [], time.time()
    imbalanced = args.imbalanced is not None
    sizes = [f"{9 * args.imbalanced[0] + args.imbalanced[1]} (9x{args.imbalanced[0]} + "
             f"1x{args.imbalanced[1]})"] if imbalanced else args.sizes
    rare_rows = []
    for size in sizes:
        accuracy = {v: [] for v in wanted}
        rare_recall = {v: [] for v in wanted}
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            pick = (imbalanced_subset(y_pool, *args.imbalanced, seed) if imbalanced
                    else balanced_subset(y_pool, size, seed))
            x, y = x_pool[pick], y_pool[pick]
            data = {}
            if {"a", "d"} & set(wanted):
                data["a"] = data["d"] = (features(x), y)
            if {"b", "e"} & set(wanted):
                gan = make_gan(x, y, gan_steps, seed, args.augment_p)
                x_b, y_b = augment(x, y, per_class=args.per_class, preset=gan, seed=seed,
                                   verbose=False)
                data["b"] = data["e"] = (features(x_b), y_b)
            if {"c", "f"} & set(wanted):
                x_c, y_c = augment(x, y, per_class=args.per_class, preset=generator, seed=seed,
                                   verbose=False)
                data["c"] = data["f"] = (features(x_c), y_c)
            if "k" in wanted:
                verdict = ganzoo.augment.check(x, y, preset=generator, verbose=False, seed=seed)
                chosen = verdict.best["share"]
                print(f"  N={size} seed {seed}: check picks share {chosen:g} ("
                      + ", ".join(f"{name} {np.mean(a):.3f}"
                                  for name, a in verdict.accuracy.items()) + ")", flush=True)
            for v in wanted:
                if v == "k":
                    ds = make_dataset(x, y, preset=generator, batch_size=64, seed=seed,
                                      share=chosen)
                    predicted = train_on_dataset(build, ds, x_test, y_test, steps, seed)
                elif v.startswith("g"):
                    ds = make_dataset(x, y, preset=generator, batch_size=64, seed=seed,
                                      **settings[v])
                    predicted = train_on_dataset(build, ds, x_test, y_test, steps, seed)
                else:
                    predicted = train_and_test(build, v in "def", *data[v], x_test, y_test,
                                               steps, seed)
                recall = [np.mean(predicted[y_test == c] == c) for c in range(10)]
                # Balanced: accuracy; imbalanced: macro accuracy (the mean recall).
                accuracy[v].append(float(np.mean(recall)) if imbalanced
                                   else float(np.mean(predicted == y_test)))
                rare_recall[v].append(float(recall[rare_class(seed)]))
            print(f"  N={size} seed {seed}: " + ", ".join(
                f"({v}) {accuracy[v][-1]:.3f}" for v in wanted), flush=True)
        rows += table_rows(size, accuracy)
        rare_rows += table_rows(size, rare_recall)
    generated = 10 * args.per_class
    where = " (new voices: the N from 7, the test from 7 others)" if (
        args.domain == "audio" and args.voices == "new") else ""
    print_table(f"{args.domain}{where}: accuracy on {len(x_test)} held-out real examples; "
                f"{generated} generated examples in (b), (c), (e); (b) GANs trained "
                f"{gan_steps} steps on the N, augment_p {args.augment_p}; (c) preset {preset}; {steps} classifier steps "
                f"per run, seeds {args.first_seed}-{args.first_seed + args.seeds - 1} "
                f"({(time.time() - start) / 60:.1f} min)",
                ["N", "training data", ("macro accuracy" if imbalanced else "accuracy")
                 + " mean +- std", "vs (a)", "per seed"], rows)
    if imbalanced:
        print_table("the rare class's recall (class seed % 10)",
                    ["N", "training data", "rare recall mean +- std", "vs (a)", "per seed"],
                    rare_rows)


def table_rows(size, scores, fmt="{:.3f}"):
    base = np.mean(scores["a"]) if "a" in scores else None
    rows = []
    for v, values in scores.items():
        gain = "" if base is None or v == "a" else f"{np.mean(values) - base:+.3f}"
        name = f"({v}) {VARIANTS[v]}" if v in VARIANTS else f"(g) {v[2:]}"
        rows.append([str(size) if not rows else "", name,
                     f"{np.mean(values):.3f} +- {np.std(values):.3f}", gain,
                     " ".join(fmt.format(a) for a in values)])
    return rows


# -------------------------------------------------------------------- tables


def benefits_split():
    """benefits.csv, its fixed 80% pool / 20% test split, its discrete columns (the
    target `ui` among them) and `prepare(frame)`: the features of a gradient-boosting
    classifier of `ui` (discrete columns as pandas categoricals)."""
    import pandas as pd

    frame = pd.read_csv(os.path.join(SHARED, "tabular", "benefits.csv"))
    target = "ui"
    order = np.random.default_rng(0).permutation(len(frame))
    cut = int(0.8 * len(frame))
    pool, test = frame.iloc[order[:cut]], frame.iloc[order[cut:]]
    discrete = [c for c in frame.columns
                if not pd.api.types.is_numeric_dtype(frame[c]) or c == target]

    def prepare(f):
        x = f.drop(columns=[target]).copy()
        for c in discrete:
            if c != target:
                x[c] = pd.Categorical(x[c].astype(str),
                                      categories=sorted(frame[c].astype(str).unique()))
        return x

    return frame, target, pool, test, discrete, prepare


def run_tables(args):
    """benefits.csv: a gradient-boosting classifier of `ui` on N real rows, with and
    without synthetic rows, macro F1 on a fixed real 20% test split."""
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import f1_score

    from ganzoo.tabular import TabularAugmenter

    frame, target, pool, test, discrete, prepare = benefits_split()
    numeric = [c for c in frame.columns if c not in discrete]

    def f1(train, seed):
        model = HistGradientBoostingClassifier(categorical_features="from_dtype",
                                               random_state=seed)
        model.fit(prepare(train), train[target].astype(str))
        return f1_score(test[target].astype(str), model.predict(prepare(test)),
                        average="macro")

    def jittered(real, n, seed):
        # Copies of real rows, each numeric value moved by 10% of its column's spread
        # (integer columns stay integers): the tabular analogue of random shifts.
        rng = np.random.default_rng(seed)
        copies = real.iloc[rng.integers(0, len(real), n)].reset_index(drop=True)
        for c in numeric:
            moved = copies[c] + rng.normal(0, 0.1 * real[c].std(), n)
            if pd.api.types.is_integer_dtype(real[c]):
                moved = moved.round().astype(real[c].dtype)
            copies[c] = moved
        return copies

    rows, start = [], time.time()
    wanted = [v for v in args.variants if v != "c"]
    for size in args.sizes:
        scores = {v: [] for v in wanted}
        for seed in range(args.seeds):
            real = pool.sample(size, random_state=seed).reset_index(drop=True)
            n_synth = args.rows_per_real * size
            data = {"a": real, "d": pd.concat([real, jittered(real, n_synth, seed)],
                                              ignore_index=True)}
            if {"b", "e"} & set(wanted):
                gan = TabularAugmenter(epochs=args.table_epochs, seed=seed, verbose=False)
                gan.fit(real, discrete_columns=discrete)
                synth = gan.sample(n_synth, seed=seed)
                data["b"] = pd.concat([real, synth], ignore_index=True)
                data["e"] = pd.concat([data["d"], synth], ignore_index=True)
            for v in wanted:
                scores[v].append(f1(data[v], seed))
            print(f"  N={size} seed {seed}: " + ", ".join(
                f"({v}) {scores[v][-1]:.3f}" for v in wanted), flush=True)
        rows += table_rows(size, scores)
    print_table(f"tables: benefits.csv, macro F1 of a gradient-boosting classifier of "
                f"'{target}' on {len(test)} held-out real rows; {args.rows_per_real} x N "
                f"synthetic / jittered rows added; TabularAugmenter "
                f"{args.table_epochs or 'default'} epochs on the N rows; {args.seeds} seeds "
                f"({(time.time() - start) / 60:.1f} min)",
                ["N", "training data", "macro F1 mean +- std", "vs (a)", "per seed"], rows)


def run_tables_imbalanced(args):
    """benefits.csv with its minority class ('no' of `ui`) cut to `--minority` of the
    training rows: the classic fixes for an imbalanced target against synthetic rows of
    the minority class (report only). A gradient-boosting classifier; macro F1 and the
    minority's recall on the fixed real 20% test split (its natural class shares)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import f1_score, recall_score
    from sklearn.model_selection import cross_val_predict

    from ganzoo.tabular import TabularAugmenter

    frame, target, pool, test, discrete, prepare = benefits_split()
    minority = "no"

    def classifier(seed, weighted=False):
        return HistGradientBoostingClassifier(
            categorical_features="from_dtype", random_state=seed,
            class_weight="balanced" if weighted else None)

    def scores(predicted):
        truth = test[target].astype(str)
        return (f1_score(truth, predicted, average="macro"),
                recall_score(truth, predicted, pos_label=minority))

    def tuned(train, seed):
        # The threshold on P(minority) that maximises macro F1 in 5-fold
        # cross-validated predictions of the training rows.
        x, y = prepare(train), train[target].astype(str)
        p = cross_val_predict(classifier(seed), x, y, cv=5, method="predict_proba")
        column = sorted(y.unique()).index(minority)
        grid = np.linspace(0.05, 0.95, 37)
        best = max(grid, key=lambda t: f1_score(
            y, np.where(p[:, column] >= t, minority, "yes"), average="macro"))
        model = classifier(seed).fit(x, y)
        proba = model.predict_proba(prepare(test))[:, list(model.classes_).index(minority)]
        return np.where(proba >= best, minority, "yes")

    names = {"a": "real rows", "w": "real, class weights", "t": "real, tuned threshold",
             "s": "real + synthetic minority rows (augment(balance=True))",
             "st": "(s) with a tuned threshold"}
    results = {k: [] for k in names}
    start = time.time()
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        rng = np.random.default_rng(seed)
        is_minority = (pool[target] == minority).to_numpy()
        majority_rows = np.flatnonzero(~is_minority)
        keep = int(round(args.minority / (1 - args.minority) * len(majority_rows)))
        rows = np.concatenate([majority_rows, rng.choice(np.flatnonzero(is_minority), keep,
                                                         replace=False)])
        train = pool.iloc[rng.permutation(rows)].reset_index(drop=True)
        x, y = prepare(train), train[target].astype(str)
        results["a"].append(scores(classifier(seed).fit(x, y).predict(prepare(test))))
        results["w"].append(scores(classifier(seed, True).fit(x, y).predict(prepare(test))))
        results["t"].append(scores(tuned(train, seed)))
        gan = TabularAugmenter(seed=seed, verbose=False)
        balanced = gan.augment(train, target=target, balance=True, seed=seed)
        xb, yb = prepare(balanced), balanced[target].astype(str)
        results["s"].append(scores(classifier(seed).fit(xb, yb).predict(prepare(test))))
        results["st"].append(scores(tuned(balanced, seed)))
        print(f"  seed {seed}: " + ", ".join(f"({k}) {v[-1][0]:.3f}/{v[-1][1]:.3f}"
                                           for k, v in results.items()), flush=True)
    rows = [[f"({k}) {names[k]}",
             f"{np.mean([r[0] for r in v]):.3f} +- {np.std([r[0] for r in v]):.3f}",
             f"{np.mean([r[1] for r in v]):.3f} +- {np.std([r[1] for r in v]):.3f}",
             " ".join(f"{r[0]:.3f}/{r[1]:.3f}" for r in v)] for k, v in results.items()]
    print_table(f"tables, imbalanced: benefits.csv, '{minority}' of '{target}' cut to "
                f"{args.minority:.0%} of the training rows; a gradient-boosting classifier, "
                f"{len(test)} held-out real rows; seeds {args.first_seed}-"
                f"{args.first_seed + args.seeds - 1} ({(time.time() - start) / 60:.1f} min)",
                ["training data", "macro F1", f"recall of '{minority}'",
                 "per seed (F1/recall)"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("domain", choices=("images", "audio", "tables", "tables-imbalanced"))
    parser.add_argument("--sizes", default="100,500", help="real training examples")
    parser.add_argument("--variants", default="a,b,c,d,e,f,g,k", help="rows of the table, a..k")
    parser.add_argument("--per-class", type=int, default=500,
                        help="generated per class (images, audio)")
    parser.add_argument("--rows-per-real", type=int, default=5,
                        help="tables: synthetic rows per real row")
    parser.add_argument("--steps", type=int, default=None, help="classifier steps per run")
    parser.add_argument("--gan-steps", type=int, default=None,
                        help="steps of the GAN of (b) (images 4,000, audio 2,000)")
    parser.add_argument("--table-epochs", type=int, default=None,
                        help="tables: TabularAugmenter epochs (default: its own schedule)")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0,
                        help="seeds FIRST..FIRST+SEEDS-1 (choose on 0-1, report on 2-6)")
    parser.add_argument("--minority", type=float, default=0.05,
                        help="tables-imbalanced: the minority class's share of training rows")
    parser.add_argument("--imbalanced", metavar="COMMON,RARE",
                        help="instead of --sizes: COMMON examples of nine classes and RARE of "
                             "one (class seed %% 10), e.g. 200,10 (digits) or 30,3 (audio); "
                             "macro accuracy and the rare class's recall")
    parser.add_argument("--voices", choices=("shared", "new"), default="shared",
                        help="audio: the spoken_digits voices the presets learned from "
                             "(held-out clips), or 14 new ones, split by voice: the N from "
                             "7 voices, the test clips from the other 7")
    parser.add_argument("--share", help="(g): generated shares to compare, e.g. 0.25,0.5")
    parser.add_argument("--weight", help="(g): generated examples' loss weights, e.g. 1,0.5")
    parser.add_argument("--truncation", help="(g): latent truncations, e.g. none,1")
    parser.add_argument("--pool", help="(g): generated pools, e.g. none,5000 (none: fresh)")
    parser.add_argument("--class-shares", help="(g): classes of the generated examples, e.g. "
                                               "uniform,balance")
    parser.add_argument("--teacher", help="(g): curation, e.g. none,auto (a teacher trained "
                                          "on the N)")
    parser.add_argument("--preset", default=None)
    parser.add_argument("--augment-p", default=None,
                        help="discriminator augmentation of (b)'s GAN: a probability or "
                             "'adaptive' (default: the library's, 0.3)")
    args = parser.parse_args()
    from ganzoo.core.augmentation import DEFAULT_PROBABILITY

    if args.augment_p is None:
        args.augment_p = DEFAULT_PROBABILITY
    elif args.augment_p != "adaptive":
        args.augment_p = float(args.augment_p)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    if args.imbalanced:
        args.imbalanced = [int(v) for v in args.imbalanced.split(",")]
    args.variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = sorted(set(args.variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variant {unknown[0]!r}; choose from {', '.join(VARIANTS)}")
    run = {"tables": run_tables, "tables-imbalanced": run_tables_imbalanced}
    run.get(args.domain, run_signals)(args)


if __name__ == "__main__":
    main()

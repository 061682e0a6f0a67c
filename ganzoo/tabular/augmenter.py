"""`TabularAugmenter`: more rows, more rows of a rare class, or a synthetic copy of a
DataFrame, with a conditional tabular GAN (CTGAN family) on ganzoo's adversarial core.

    aug = TabularAugmenter(epochs=300).fit(df)
    synthetic = aug.sample(1000, conditions={"workclass": "Private"})
    bigger = aug.augment(df, target="label", balance=True)
"""

import json
import os
import warnings

import numpy as np
import pandas as pd

from ganzoo._version import __version__
from ganzoo.core.io import atomic_output
from ganzoo.core import random_state
from ganzoo.core.threads import use_small_op_threads
from ganzoo.tabular import defaults
from ganzoo.tabular.calibration import MarginalCalibrator
from ganzoo.tabular.sampler import ConditionalSampler
from ganzoo.tabular.transformer import DataTransformer, check_dataframe

STATE_FILE = "augmenter.json"
WEIGHTS_FILE = "model.weights.h5"
#: Generated rows that measure the generator's marginals for calibration: as many as
#: the table has, within these bounds (256 quantiles per column need no more).
CALIBRATION_ROWS = 20_000
MAX_CALIBRATION_ROWS = 50_000


#: The default schedule trains for at least this many generator steps.
MIN_STEPS = 6000


def auto_epochs(steps_per_epoch, minimum=300):
    """The default number of epochs: CTGAN's 300, or enough for `MIN_STEPS` steps."""
    return max(minimum, -(-MIN_STEPS // int(steps_per_epoch)))


def private_epochs(steps_per_epoch):
    """The default number of epochs of a private fit: `defaults.PRIVATE_STEPS` steps or
    `defaults.PRIVATE_EPOCHS` passes, whichever is longer."""
    return max(-(-defaults.PRIVATE_STEPS // int(steps_per_epoch)), defaults.PRIVATE_EPOCHS)


class TabularAugmenter:
    """Args:
        epochs: passes over the table; None (default): 300 (CTGAN's) or as many as
            make `MIN_STEPS` generator steps, whichever is more.
        batch_size: rows per step; a multiple of `pac` (reduced for small tables).
        latent_dim, generator_dims, discriminator_dims, pac: the networks (CTGAN's
            defaults).
        discriminator_dropout: dropout after each of the discriminator's hidden layers.
        loss: "wgan-gp" (default, as CTGAN) or "bce" (with label smoothing).
        learning_rate: of both Adam optimizers.
        n_critic: critic updates per generator update (WGAN-GP).
        share_fakes: those critic updates judge one generated batch (default) instead
            of one each.
        max_modes: mixture modes per continuous column ("mode" encoding).
        continuous_encoding: "quantile" (a Gaussian-copula transform) or "mode"
            (CTGAN's mode-specific normalization).
        generator_ema: decay of the generator's weight average, which generates
            (None: the last step's weights).
        calibrate: after training, match the generated columns' distributions to the
            training data's (`ganzoo.tabular.calibration`).
        precision: compute precision (see `ganzoo.core.precision`).
        jit_compile: compile the training step with XLA.
        epsilon, delta: train with differential privacy at this budget (docs/privacy.md):
            the column statistics come from one noisy release (`ganzoo.tabular.private`),
            the discriminator trains with DP-SGD, and `privacy_report` says what was
            spent. delta defaults to `defaults.private_delta(rows)`. Under privacy the
            defaults of `loss`, `pac` and `epochs` are `defaults.PRIVATE_*`.
        l2_norm_clip: the bound of one row's discriminator gradient (private fits).
        preprocessing_share: share of epsilon the column statistics spend alone.
        bounds: `{column: (low, high)}` of continuous columns, public knowledge: values
            outside are clipped; a private fit then needs no budget to find the range.
        categories: `{column: [values]}`, public knowledge: a private fit releases
            counts of these values (a discrete column's values are otherwise released
            only where many rows hold them).
        target: a column the synthetic rows will train a model to predict (CTAB-GAN+'s
            downstream loss): a model fitted on the real rows predicts it from the other
            columns, and the generator is asked for rows that model predicts well
            (`target_loss_weight` weighs it; docs/tables.md says what it buys). Not with
            epsilon: the downstream model reads the rows outside the accounting.
        cpu_threads: None (default) leaves TensorFlow's thread pools alone; "auto"
            lets `fit` set them for this step's many small ops where TensorFlow has
            not started yet, runs no GPU and nobody chose them (`ganzoo.core.threads`).
            The pools belong to the whole process.
        seed: makes fitting and sampling repeatable.
        verbose: show a progress bar with the losses while fitting.

    Defaults live in `ganzoo.tabular.defaults`; what each was chosen on is in
    docs/tables.md.
    """

    def __init__(self, epochs=None, batch_size=500, latent_dim=128, generator_dims=(256, 256),
                 discriminator_dims=(256, 256), pac=None,
                 discriminator_dropout=defaults.DISCRIMINATOR_DROPOUT,
                 loss=None, learning_rate=defaults.LEARNING_RATE,
                 n_critic=defaults.N_CRITIC, share_fakes=True, max_modes=10,
                 continuous_encoding=defaults.CONTINUOUS_ENCODING,
                 calibrate=True, generator_ema=defaults.GENERATOR_EMA, precision=None,
                 jit_compile=False, cpu_threads=None, seed=None, verbose=True,
                 epsilon=None, delta=None, l2_norm_clip=defaults.PRIVATE_L2_NORM_CLIP,
                 preprocessing_share=defaults.PRIVATE_PREPROCESSING_SHARE, bounds=None,
                 categories=None, target=None,
                 target_loss_weight=defaults.TARGET_LOSS_WEIGHT):
        private = epsilon is not None
        if target is not None and private:
            raise ValueError("target= is not private: its downstream model reads the rows "
                             "outside differential privacy's accounting. Leave out target "
                             "or epsilon.")
        if private:
            from ganzoo.core.accounting import check_budget

            check_budget(epsilon, 0.5 if delta is None else delta)
            if continuous_encoding != "quantile":
                raise ValueError('A private fit encodes continuous columns by their noisy '
                                 'histograms: continuous_encoding must be "quantile".')
            if not 0 < float(preprocessing_share) < 1:
                raise ValueError(f"preprocessing_share must be in (0, 1), got "
                                 f"{preprocessing_share}.")
        elif delta is not None or bounds or categories:
            raise ValueError("delta, bounds and categories are settings of a private fit: "
                             "give epsilon too.")
        pac = int(pac if pac is not None else defaults.PRIVATE_PAC if private else defaults.PAC)
        loss = loss or (defaults.PRIVATE_LOSS if private else defaults.LOSS)
        if int(batch_size) % int(pac):
            raise ValueError(f"batch_size ({batch_size}) must be a multiple of pac ({pac}).")
        from ganzoo.core.weight_average import check_decay

        generator_ema = check_decay(generator_ema)
        if not 0.0 <= float(discriminator_dropout) < 1.0:
            raise ValueError(
                f"discriminator_dropout must be in [0, 1), got {discriminator_dropout}.")
        if cpu_threads not in ("auto", None):
            raise ValueError(f'cpu_threads must be "auto" or None, got {cpu_threads!r}.')
        self.params = {
            "epochs": None if epochs is None else int(epochs), "batch_size": int(batch_size),
            "latent_dim": int(latent_dim),
            "generator_dims": [int(d) for d in generator_dims],
            "discriminator_dims": [int(d) for d in discriminator_dims], "pac": int(pac),
            "discriminator_dropout": float(discriminator_dropout),
            "loss": loss, "learning_rate": float(learning_rate), "n_critic": int(n_critic),
            "share_fakes": bool(share_fakes),
            "max_modes": int(max_modes), "continuous_encoding": continuous_encoding,
            "calibrate": bool(calibrate),
            "generator_ema": generator_ema,
            "precision": precision,
            "jit_compile": bool(jit_compile), "cpu_threads": cpu_threads,
            "seed": seed if seed is None else int(seed),
            "epsilon": None if epsilon is None else float(epsilon),
            "delta": None if delta is None else float(delta),
            "l2_norm_clip": float(l2_norm_clip),
            "preprocessing_share": float(preprocessing_share),
            "bounds": {k: list(v) for k, v in (bounds or {}).items()} or None,
            "categories": {k: list(v) for k, v in (categories or {}).items()} or None,
            "target": None if target is None else str(target),
            "target_loss_weight": float(target_loss_weight),
        }
        self.verbose = verbose
        self.transformer = None
        self.model = None
        self.sampler = None
        self.calibrator = None
        self.history = None
        self.privacy_report = None  # a private fit's budget, spent and planned
        self._release = None  # a private fit's plan and release (saved, for audit)

    @property
    def fitted(self):
        return self.model is not None

    # ------------------------------------------------------------------ fit

    def fit(self, data, discrete_columns=None, epochs=None, callbacks=None):
        """Fits the transformer and trains the GAN on `data` (a DataFrame); `callbacks`
        are Keras callbacks for the GAN's `fit` (e.g. a timer or an early stop). The
        process's global random generators are left as they were."""
        data = check_dataframe(data)
        if self.params["cpu_threads"] == "auto":
            use_small_op_threads()  # before TensorFlow's first op, or never
        seed = random_state.seed_or_fresh(self.params["seed"])
        # Keras draws its initializers' seeds from Python's generator: a scoped one.
        with random_state.scoped(seed):
            self._fit(data, discrete_columns, seed, epochs, callbacks)
        return self

    def _fit(self, data, discrete_columns, seed, epochs, callbacks):
        from ganzoo.core.privacy import BudgetStop
        from ganzoo.core.training_callbacks import EpochProgressBar
        from ganzoo.tabular.data import dataset_from_arrays, steps_per_epoch
        from ganzoo.tabular.model import TabularGAN

        p = self.params
        batch_size = self._batch_size_for(len(data))
        steps = steps_per_epoch(len(data), batch_size)
        epochs = int(epochs or p["epochs"] or (
            private_epochs(steps) if p["epsilon"] else auto_epochs(steps)))
        privacy, frequencies = None, None
        if p["epsilon"] is not None:
            self.transformer, privacy = self._private_transformer(
                data, discrete_columns, seed, batch_size, epochs * steps)
            frequencies = self._discrete_frequencies()
            callbacks = list(callbacks or []) + [BudgetStop()]
        else:
            self.transformer = DataTransformer(max_modes=p["max_modes"], seed=seed,
                                               continuous_encoding=p["continuous_encoding"])
            self.transformer.fit(data, discrete_columns)
        matrix = self.transformer.transform(data)
        spans = self.transformer.output_spans
        target_index = self._target_index(data)
        # A private fit draws rows uniformly and its conditions from the released
        # frequencies; training-by-sampling would draw rows by their categories.
        self.sampler = ConditionalSampler(None if privacy else matrix, spans, seed=seed,
                                          frequencies=frequencies)
        conditional = self.sampler.has_conditions
        self.model = TabularGAN(
            spans=[(s.kind, s.size) for s in spans],
            discrete_index=self.sampler.discrete_data_index() if conditional else (),
            latent_dim=p["latent_dim"], generator_dims=p["generator_dims"],
            discriminator_dims=p["discriminator_dims"], pac=p["pac"],
            discriminator_dropout=p["discriminator_dropout"],
            precision=p["precision"], seed=seed,
            generator_ema=p["generator_ema"], privacy=privacy,
            condition_frequencies=frequencies if conditional else None,
            target_index=target_index, target_loss_weight=p["target_loss_weight"],
        )
        if target_index:
            self.model.fit_target_model(matrix, seed)
        dataset = dataset_from_arrays(matrix, self.sampler, batch_size, seed=seed,
                                      uniform=privacy is not None)
        del matrix  # the dataset holds its own copy; training needs no other
        # A whole epoch per compiled call: small tables have few, cheap steps.
        self._compile(steps_per_execution=steps)
        callbacks = list(callbacks or []) + (
            [EpochProgressBar("Fitting tabular GAN")] if self.verbose else [])
        self.history = self.model.fit(dataset, epochs=epochs,
                                      steps_per_epoch=steps, verbose=0, callbacks=callbacks)
        if privacy is not None:
            self._report_spent()
        self.calibrator = None
        if p["calibrate"]:
            self.calibrator = self._fit_calibrator(data, seed)

    def _target_index(self, data):
        """The matrix columns of the declared target (none without one)."""
        target = self.params["target"]
        if target is None:
            return []
        if target not in data.columns:
            raise ValueError(f"target {target!r} is not a column of the table (columns: "
                             f"{', '.join(map(str, data.columns))}).")
        if data.shape[1] < 2:
            raise ValueError(f"target {target!r} is the table's only column: nothing to "
                             "predict it from.")
        index = self.transformer.matrix_columns(target)
        if not index:
            raise ValueError(f"target {target!r} is left out of the model (an identifier "
                             "or constant column): it cannot be a target.")
        return index

    def _private_transformer(self, data, discrete_columns, seed, batch_size, steps):
        """The transformer from a noisy release of the columns' histograms, and the
        discriminator's DP-SGD settings: the budget split between them."""
        from ganzoo.core import accounting
        from ganzoo.core.privacy import DifferentialPrivacy
        from ganzoo.tabular import private

        p, rows = self.params, len(data)
        delta = p["delta"] if p["delta"] is not None else defaults.private_delta(rows)
        accounting.check_budget(p["epsilon"], delta, examples=rows)
        plan = private.plan_columns(data, discrete_columns, p["categories"], p["bounds"])
        undeclared = private.undeclared_columns(plan)
        threshold_delta = delta * private.THRESHOLD_DELTA_SHARE if undeclared else 0.0
        critic_steps = p["n_critic"] if p["loss"] in ("wgan-gp", "wgan_gp") else 1
        rate = batch_size / rows
        z, sigma = accounting.split_budget(p["epsilon"], delta - threshold_delta, rate, steps,
                                           critic_steps, p["preprocessing_share"])
        noise_std = z * len(plan) ** 0.5  # each row is in every column's histogram
        threshold = private.threshold(noise_std, threshold_delta, undeclared)
        release, notes = private.measure(data, plan, noise_std, threshold,
                                         np.random.default_rng())  # OS entropy
        for name, note in notes.items():  # for the data holder: counts, never saved
            warnings.warn(f"Column {name!r}: {note}.", stacklevel=4)
        encoders = private.encoders_from_release(plan, release, rows, noise_std, p["epsilon"])
        self._release = {"plan": plan, "release": release, "rows": rows,
                         "count_noise_std": noise_std}
        self.privacy_report = {
            "epsilon": p["epsilon"], "delta": delta, "rows": rows,
            "statistics": {
                "noise_multiplier": z, "count_noise_std": noise_std,
                "epsilon_alone": accounting.gaussian_epsilon(z, delta - threshold_delta),
                "release_threshold": threshold if undeclared else None,
                "threshold_delta": threshold_delta},
            "training": {
                "noise_multiplier": sigma, "l2_norm_clip": p["l2_norm_clip"],
                "sampling_rate": rate, "steps": steps, "critic_steps": critic_steps,
                "epsilon_alone": accounting.epsilon(sigma, rate, steps,
                                                    delta - threshold_delta, critic_steps)},
        }
        if self.verbose:
            r = self.privacy_report
            print(f"Privacy budget epsilon={p['epsilon']:g}, delta={delta:.3g}: column "
                  f"statistics epsilon {r['statistics']['epsilon_alone']:.3g} alone (noise "
                  f"{noise_std:.1f} rows per count), training epsilon "
                  f"{r['training']['epsilon_alone']:.3g} alone (noise multiplier "
                  f"{sigma:.3g}, {steps} steps); together {p['epsilon']:g} by the accountant.")
        privacy = DifferentialPrivacy(p["l2_norm_clip"], sigma, max_steps=steps * critic_steps)
        return DataTransformer.from_encoders(encoders, seed=seed), privacy

    def _report_spent(self):
        """The epsilon the finished fit spent (less than planned if it stopped early)."""
        from ganzoo.core import accounting

        r = self.privacy_report
        training, statistics = r["training"], r["statistics"]
        done = min(int(self.model.d_optimizer.iterations) // training["critic_steps"],
                   training["steps"])
        r["steps_done"] = done
        r["epsilon_spent"] = accounting.composed_epsilon(
            statistics["noise_multiplier"], training["noise_multiplier"],
            training["sampling_rate"], done, r["delta"] - statistics["threshold_delta"],
            training["critic_steps"])

    def _fit_calibrator(self, data, seed, rows=CALIBRATION_ROWS):
        """Measures the trained generator's marginals on `rows` generated rows, and
        matches them to the training data's (to the released ones, after a private
        fit: then `data` is not read)."""
        transformer = self.transformer
        rows = min(max(rows, len(data)), MAX_CALIBRATION_ROWS)
        matrix = self._generate(rows, np.random.default_rng(seed))
        calibrator = MarginalCalibrator().fit_categories(transformer.category_frequencies(),
                                                         transformer.category_blocks(matrix))
        # Continuous values are measured on the rows as calibrated categories leave them
        # (a missing-value indicator decides which values exist).
        matrix = transformer.with_categories_chosen(matrix, calibrator.choose)
        real = (transformer.encoded_numbers(len(data)) if self.params["epsilon"] is not None
                else transformer.data_numbers(data))
        return calibrator.fit(real, transformer.continuous_numbers(matrix))

    def _calibrated(self, matrix, fixed=()):
        """Generated rows with the calibrated category choices; `fixed` columns (those
        a condition asks for) keep the generator's own choice."""
        if self.calibrator is None:
            return matrix
        choose = self.calibrator.choose
        return self.transformer.with_categories_chosen(
            matrix, lambda key, block: block.argmax(axis=1) if key in fixed else choose(key, block))

    def _compile(self, steps_per_execution=1):
        loss = self.params["loss"]
        self.model.compile(learning_rate=self.params["learning_rate"], loss=loss,
                           n_critic=self.params["n_critic"] if loss == "wgan-gp" else None,
                           share_fakes=self.params["share_fakes"],
                           steps_per_execution=steps_per_execution,
                           jit_compile=self.params["jit_compile"])

    def _batch_size_for(self, n_rows):
        batch, pac = self.params["batch_size"], self.params["pac"]
        if n_rows >= batch:
            return batch
        smaller = (n_rows // pac) * pac
        if smaller == 0:
            raise ValueError(
                f"The table has {n_rows} rows; at least pac={pac} rows are needed."
            )
        warnings.warn(f"batch_size {batch} > {n_rows} rows: using {smaller}.", stacklevel=3)
        return smaller

    # --------------------------------------------------------------- sample

    def sample(self, n, conditions=None, seed=None, max_tries=50, truncation=None):
        """`n` synthetic rows as a DataFrame.

        `conditions` maps discrete columns to values; every returned row has exactly
        those values (the generator is conditioned on the first, and rows that miss
        any are discarded and regenerated). `truncation=psi` keeps the generator's
        latents within [-psi, psi], as `generate` does for the other models.
        """
        from ganzoo.core.generation import check_truncation

        self._check_fitted()
        n = int(n)
        if n < 1:
            raise ValueError(f"n must be a positive number of rows, got {n}.")
        if truncation is not None:
            check_truncation(truncation)
        # Every random source of sampling (latents, conditions, Gumbel noise, new
        # identifiers, calibration ties) restarts from `seed`.
        rng = np.random.default_rng(seed)
        inverse_rng = np.random.default_rng(None if seed is None else [seed, 1])
        if seed is not None:
            self._sampler_for_generation().rng = np.random.default_rng(seed)
            self._reseed_gumbel(seed)
        wanted = self._resolve_conditions(conditions or {})
        if not wanted:
            matrix = self._calibrated(self._generate(n, rng, truncation=truncation))
            return self.transformer.inverse_transform(matrix, self.calibrator, inverse_rng)
        kept, made = [], 0
        batch = max(n, 256)
        for _ in range(max_tries):
            matrix = self._calibrated(self._generate(batch, rng, condition=wanted[0],
                                                     truncation=truncation),
                                      fixed={w[0] for w in wanted})
            ok = np.ones(len(matrix), dtype=bool)
            for start, size, index in (w[2] for w in wanted):
                ok &= matrix[:, start:start + size].argmax(axis=1) == index
            kept.append(matrix[ok])
            made += int(ok.sum())
            if made >= n:
                break
            # Ask for more at once when few rows match.
            batch = min(max(batch, int(2 * (n - made) / max(ok.mean(), 1e-3))), 200_000)
        if made < n:
            raise ValueError(
                f"Only {made} of {n} generated rows matched the conditions {conditions} after "
                f"{max_tries} rounds: that combination is too rare for this model."
            )
        return self.transformer.inverse_transform(np.concatenate(kept)[:n], self.calibrator,
                                                  inverse_rng)

    def _generate(self, n, rng, condition=None, truncation=None):
        sampler = self._sampler_for_generation()
        if not sampler.has_conditions:
            cond = None
        elif condition is None:
            cond = sampler.sample_original(n)
        else:
            cond = sampler.condition_on(condition[0], condition[1], n)
        return self.model.generate_rows(cond, n=n, seed=int(rng.integers(2**31 - 1)),
                                        truncation=truncation)

    def parse_conditions(self, items):
        """`{column: value}` from `["COLUMN=VALUE", ...]` (e.g. a command line's)."""
        self._check_fitted()
        return dict(self.transformer.parse_condition(item) for item in items)

    def _resolve_conditions(self, conditions):
        """[(column, category index, (matrix start, size, category index)), ...]"""
        if not isinstance(conditions, dict):
            raise ValueError("conditions must be a dict of {column: value}.")
        starts, offset = {}, 0
        for span in self.transformer.output_spans:
            if span.discrete:
                starts[span.column] = (offset, span.size)
            offset += span.size
        resolved = []
        for column, value in conditions.items():
            index = self.transformer.category_index(column, value)
            start, size = starts[column]
            resolved.append((column, index, (start, size, index)))
        return resolved

    def _sampler_for_generation(self):
        if self.sampler is None:
            self.sampler = ConditionalSampler(None, self.transformer.output_spans,
                                              frequencies=self._discrete_frequencies())
        return self.sampler

    def _discrete_frequencies(self):
        """Each discrete column's category frequencies, in the conditions' order."""
        return [m["frequencies"] for m in self.transformer.columns if m["kind"] == "discrete"]

    def _reseed_gumbel(self, seed):
        for layer in self.model.generator.layers:
            generator = getattr(layer, "seed_generator", None)
            if generator is not None:
                generator.state.assign(np.array([seed, 0], dtype=generator.state.dtype))

    # -------------------------------------------------------------- augment

    def augment(self, data, n_rows=None, target=None, balance=False, seed=None):
        """Real rows followed by synthetic ones.

        Args:
            data: the real DataFrame (fitted on first if this augmenter is unfitted).
            n_rows: how many synthetic rows to add (besides any balancing rows).
            target: the class column, for `balance`.
            balance: add rows of each minority class of `target` until every class
                has as many rows as the largest one.
        """
        data = check_dataframe(data)
        if not balance and not n_rows:
            raise ValueError("Ask for n_rows, or balance=True with a target column.")
        if balance and target is None:
            raise ValueError("balance=True needs target=, the class column to balance.")
        if target is not None and target not in data.columns:
            raise ValueError(f"Unknown target column {target!r}.")
        if not self.fitted:
            self.fit(data, discrete_columns=[target] if target is not None else None)
        parts = [data]
        if balance:
            counts = data[target].value_counts(dropna=False)
            for value, count in counts.items():
                missing = int(counts.max() - count)
                if missing:
                    parts.append(self.sample(missing, conditions={target: value}, seed=seed))
        if n_rows:
            parts.append(self.sample(int(n_rows), seed=seed))
        return pd.concat(parts, ignore_index=True)

    # ---------------------------------------------------------- save / load

    def save(self, path, overwrite=False):
        """Writes a directory: `augmenter.json` (parameters and the transformer's
        state, plain JSON) and `model.weights.h5` (Keras weights). No pickle."""
        self._check_fitted()
        state = {
            "format": "ganzoo.TabularAugmenter", "ganzoo_version": __version__,
            "params": self.params, "transformer": self.transformer.get_state(),
            "calibrator": None if self.calibrator is None else self.calibrator.get_state(),
            "model_config": self.model.get_config(),
            "privacy": None if self.privacy_report is None else {
                "report": self.privacy_report, **self._release},
        }
        with atomic_output(path, overwrite=overwrite) as tmp:
            os.makedirs(tmp)
            with open(os.path.join(tmp, STATE_FILE), "w") as f:
                json.dump(state, f, indent=1, default=_json_default)
            self.model.save_weights(os.path.join(tmp, WEIGHTS_FILE))
        return path

    @classmethod
    def load(cls, path):
        from ganzoo.tabular.model import TabularGAN

        state_path = os.path.join(path, STATE_FILE)
        if not os.path.isfile(state_path):
            raise FileNotFoundError(f"{path!r} is not a saved TabularAugmenter (no {STATE_FILE}).")
        with open(state_path) as f:
            state = json.load(f)
        if state.get("format") != "ganzoo.TabularAugmenter":
            raise ValueError(f"{state_path!r} is not a TabularAugmenter state file.")
        # Settings that files of ganzoo <= 0.4 lack had these values then.
        params = {"generator_ema": None, "discriminator_dropout": 0.5, "share_fakes": False,
                  "jit_compile": False, "continuous_encoding": "mode", **state["params"]}
        # The thread pools are the process's, not the model's: a loaded augmenter that
        # fits again leaves them alone (files of <= 0.5 stored that default, "auto").
        params["cpu_threads"] = None
        augmenter = cls(**params, verbose=False)
        augmenter.transformer = DataTransformer.from_state(state["transformer"])
        if state.get("calibrator") is not None:
            augmenter.calibrator = MarginalCalibrator.from_state(state["calibrator"])
        if state.get("privacy") is not None:
            privacy = dict(state["privacy"])
            augmenter.privacy_report = privacy.pop("report")
            augmenter._release = privacy
        augmenter.model = TabularGAN.from_config(state["model_config"])
        augmenter._compile()
        augmenter.model.load_weights(os.path.join(path, WEIGHTS_FILE))
        return augmenter

    def _check_fitted(self):
        if not self.fitted:
            raise ValueError("This TabularAugmenter is not fitted yet: call fit(df) first.")


def _json_default(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"Cannot store {type(value).__name__} in JSON.")

"""The tabular GAN: the shared adversarial core with CTGAN-family networks, plus the
conditional cross-entropy term that makes the generator honour its condition and, with a
declared target column, the downstream term that keeps the target consistent with the
other columns."""

import keras
import numpy as np
import tensorflow as tf

from ganzoo.core import random_state, terms
from ganzoo.core.adversarial import AdversarialModel
from ganzoo.core.precision import resolve_policy
from ganzoo.tabular import defaults, networks


class ConditionalCrossEntropy(terms.LossTerm):
    """CTGAN's conditional loss, a term of the generator's: the cross-entropy between the
    category each row was asked for and the one the generator made."""

    name = "condition_loss"

    def __init__(self, discrete_index):
        super().__init__(1.0)
        self.discrete_index = list(discrete_index)

    def per_row(self, rows, condition):
        chosen = tf.gather(tf.cast(rows, tf.float32), self.discrete_index, axis=1)
        return -tf.reduce_sum(condition * tf.math.log(chosen + 1e-8), axis=1)

    def generator(self, model, judged):
        if judged.condition is None:
            return None
        return model.average(self.per_row(judged.generated, judged.condition))


class TargetLoss(terms.LossTerm):
    """The downstream loss (CTAB-GAN+, Zhao et al. 2022), a term of the generator's: a
    fixed model trained on the real rows (`TabularGAN.fit_target_model`) predicts the
    target column's encoding from the other columns of each generated row; the term is
    its error against the target the generator made. Without it nothing asks the
    generator for the target's dependence on the other columns beyond what the critic
    happens to notice. Category choices are taken as given (the generator answers by its
    other columns, as in CTAB-GAN+), a number's encoding is not."""

    name = "target_loss"

    def generator(self, model, judged):
        rows = tf.cast(judged.generated, tf.float32)
        predicted = model.target_model(rows * model.target_input_mask, training=False)
        return model.average(model.target_error(predicted, rows))


def adam(learning_rate=defaults.LEARNING_RATE):
    """The tabular GAN's optimizer (one per network)."""
    return keras.optimizers.Adam(learning_rate, **defaults.ADAM)


@keras.saving.register_keras_serializable(package="ganzoo")
class TabularGAN(AdversarialModel):
    """Args:
        spans: `[(kind, size), ...]` of the transformed matrix ("scalar" / "onehot").
        discrete_index: matrix columns of the discrete spans, in condition order; the
            condition vector (one-hot categories) has that width (`condition_dim`).
        latent_dim, generator_dims, discriminator_dims, pac: as in CTGAN (the networks'
            widths are lists of hidden-layer sizes, as there).
        discriminator_dropout: dropout after each of the discriminator's hidden layers
            (`ganzoo.tabular.defaults`).
        target_index: matrix columns of a declared target column's encoding: a
            downstream model predicts them from the others, and the generator is asked
            for rows it predicts well (`TargetLoss`, weight `target_loss_weight`). Call
            `fit_target_model` on the real matrix before `fit`.
    """

    default_loss = defaults.LOSS
    domain = "table"
    builds_own_networks = True

    def __init__(self, spans, discrete_index=(), latent_dim=128, generator_dims=(256, 256),
                 discriminator_dims=(256, 256), pac=defaults.PAC,
                 discriminator_dropout=defaults.DISCRIMINATOR_DROPOUT,
                 precision=None, seed=None, condition_dim=None,
                 generator_ema=defaults.GENERATOR_EMA, condition_frequencies=None,
                 target_index=(), target_loss_weight=defaults.TARGET_LOSS_WEIGHT, **kwargs):
        self.spans = [(str(k), int(s)) for k, s in spans]
        self.condition_frequencies = (None if condition_frequencies is None else
                                      [[float(p) for p in f] for f in condition_frequencies])
        self.discrete_index = [int(i) for i in discrete_index]
        self.generator_dims = tuple(int(d) for d in generator_dims)
        self.discriminator_dims = tuple(int(d) for d in discriminator_dims)
        self.pac = int(pac)
        self.discriminator_dropout = float(discriminator_dropout)
        if not 0.0 <= self.discriminator_dropout < 1.0:
            raise ValueError(
                f"discriminator_dropout must be in [0, 1), got {discriminator_dropout}.")
        policy = resolve_policy(precision)
        self.precision = policy.name
        cond_dim = len(self.discrete_index)
        if condition_dim is not None and int(condition_dim) != cond_dim:
            raise ValueError(f"condition_dim {condition_dim} does not match the "
                             f"{cond_dim} discrete_index columns.")
        data_dim = sum(size for _, size in self.spans)
        seed = random_state.keras_style_seed() if seed is None else int(seed)
        super().__init__(
            generator=networks.build_generator(self.spans, cond_dim, latent_dim,
                                               self.generator_dims, seed=seed, dtype=policy),
            discriminator=networks.build_discriminator(data_dim, cond_dim,
                                                       self.discriminator_dims, self.pac,
                                                       dropout=self.discriminator_dropout,
                                                       dtype=policy),
            latent_dim=latent_dim,
            condition_dim=cond_dim or None,
            seed=seed,
            generator_ema=generator_ema,
            **kwargs,
        )
        self.target_index = [int(i) for i in target_index]
        self.target_loss_weight = float(target_loss_weight)
        self.target_model = None
        if self.target_index:
            if self.privacy is not None:
                raise ValueError("A target column's downstream model reads the rows outside "
                                 "differential privacy's accounting: a private fit takes no "
                                 "target.")
            self._target_layout(data_dim)
            self.target_model = networks.build_target_model(
                data_dim, len(self.target_index), defaults.TARGET_MODEL_DIMS)
        if self.privacy is not None and cond_dim and self.condition_frequencies is None:
            raise ValueError("A private TabularGAN needs condition_frequencies (each discrete "
                             "column's category frequencies, private ones) to draw its "
                             "generator's conditions from.")

    def compile(self, g_optimizer=None, d_optimizer=None, loss=None, n_critic=None,
                learning_rate=defaults.LEARNING_RATE, **kwargs):
        """Defaults: WGAN-GP as CTGAN, with `defaults.N_CRITIC` critic steps per
        generator step and `adam(learning_rate)` for each network."""
        loss = loss or self.default_loss
        if n_critic is None and loss in ("wgan-gp", "wgan_gp"):
            n_critic = defaults.N_CRITIC
        super().compile(g_optimizer=g_optimizer or adam(learning_rate),
                        d_optimizer=d_optimizer or adam(learning_rate),
                        loss=loss, n_critic=n_critic, **kwargs)

    def domain_terms(self):
        found = [ConditionalCrossEntropy(self.discrete_index)] if self.discrete_index else []
        if self.target_index and self.target_loss_weight:
            found.append(TargetLoss(self.target_loss_weight))
        return found

    # ------------------------------------------------------- the target column

    def _target_layout(self, data_dim):
        """The target's spans within its matrix columns, and the mask that hides them."""
        starts = np.cumsum([0] + [size for _, size in self.spans])
        inside = set(self.target_index)
        self._target_spans = []  # (kind, offset within the target's columns, size)
        offset = 0
        for (kind, size), start in zip(self.spans, starts[:-1]):
            columns = set(range(start, start + size))
            if columns & inside:
                if not columns <= inside:
                    raise ValueError("target_index must cover whole spans.")
                self._target_spans.append((kind, offset, size))
                offset += size
        if offset != len(self.target_index):
            raise ValueError("target_index must list whole spans, in order.")
        mask = np.ones(data_dim, "float32")
        mask[self.target_index] = 0.0
        self.target_input_mask = tf.constant(mask)

    def target_error(self, predicted, rows, smoothing=0.0):
        """Per row: the downstream model's error on the target's encoding (squared error
        on scalars, cross-entropy on one-hot spans, whose choices are taken as given;
        their labels smoothed by `smoothing`)."""
        target = tf.gather(tf.cast(rows, tf.float32), self.target_index, axis=1)
        total = 0.0
        for kind, offset, size in self._target_spans:
            guess, truth = predicted[:, offset:offset + size], target[:, offset:offset + size]
            if kind == "scalar":
                total += tf.reduce_sum(tf.square(tf.tanh(guess) - truth), axis=1)
            else:
                labels = tf.stop_gradient(truth) * (1.0 - smoothing) + smoothing / size
                total += tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=guess)
        return total

    def fit_target_model(self, matrix, seed, max_epochs=defaults.TARGET_MODEL_EPOCHS,
                         batch_size=256):
        """Trains the downstream model on the real rows' matrix (a fifth held out to stop
        it before it learns the rows by heart), then freezes it."""
        rng = np.random.default_rng(seed)
        matrix = np.asarray(matrix, "float32")[rng.permutation(len(matrix))]
        cut = max(int(0.8 * len(matrix)), 1)
        model = self.target_model
        model.trainable = True
        model.compile(optimizer=keras.optimizers.Adam(1e-3),
                      loss=lambda rows, predicted: self.target_error(
                          predicted, rows, defaults.TARGET_MODEL_SMOOTHING))
        inputs = matrix * self.target_input_mask.numpy()
        # fit(shuffle=True) would shuffle by TensorFlow's global seed: a seeded fit
        # would then depend on the caller's global state.
        from ganzoo.tabular.data import shuffled_rows

        batch_size = min(batch_size, cut)
        pairs = tf.constant(inputs[:cut]), tf.constant(matrix[:cut])
        train = shuffled_rows(cut, seed).batch(batch_size, drop_remainder=True).map(
            lambda rows: (tf.gather(pairs[0], rows), tf.gather(pairs[1], rows)))
        held_out = cut < len(matrix)
        stop = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
        history = model.fit(train, steps_per_epoch=cut // batch_size, epochs=max_epochs,
                            validation_data=(inputs[cut:], matrix[cut:]) if held_out else None,
                            verbose=0, callbacks=[stop] if held_out else [])
        model.trainable = False
        return history

    def prior_conditions(self, batch_size, step):
        """Conditions of a private generator update, from `condition_frequencies` (each
        discrete column's category frequencies, private ones under differential
        privacy): a column uniformly, then a category by its frequency."""
        if self.condition_frequencies is None:
            raise ValueError("A private TabularGAN needs condition_frequencies (the "
                             "discrete columns' category frequencies) for its generator's "
                             "conditions.")
        from ganzoo.core import noise
        from ganzoo.tabular.sampler import category_logits, draw_conditions

        sizes = [len(f) for f in self.condition_frequencies]
        starts = np.r_[0, np.cumsum(sizes)[:-1]].astype("int64")
        seeds = tf.random.experimental.stateless_split(tf.random.experimental.stateless_fold_in(
            noise.stream_seed(self.seed, noise.GENERATOR, step), noise.PRIOR_CONDITIONS), 2)
        cond, _, _ = draw_conditions(tf.constant(category_logits(self.condition_frequencies)),
                                     tf.constant(starts), len(self.discrete_index), batch_size,
                                     seeds[0], seeds[1])
        return cond

    def generate_rows(self, condition=None, n=None, seed=None, batch_size=1000,
                      truncation=None):
        """Generated rows of the transformed matrix for the given condition vectors."""
        n = len(condition) if condition is not None else int(n)
        z = self.sample_latent(n, seed, truncation)
        return self.generate_from_latent(z, condition, batch_size=batch_size)

    def get_config(self):
        return {**super().get_config(), "spans": self.spans,
                "discrete_index": self.discrete_index,
                "generator_dims": list(self.generator_dims),
                "discriminator_dims": list(self.discriminator_dims), "pac": self.pac,
                "discriminator_dropout": self.discriminator_dropout,
                "precision": self.precision,
                "condition_frequencies": self.condition_frequencies,
                "target_index": self.target_index,
                "target_loss_weight": self.target_loss_weight}

    @classmethod
    def upgrade_config(cls, config):
        config = super().upgrade_config(config)
        if "condition_dim" not in config:  # ganzoo 0.2 called the condition width num_classes
            config.pop("num_classes", None)
        config.setdefault("discriminator_dropout", 0.5)  # ganzoo <= 0.4: always CTGAN's
        return config

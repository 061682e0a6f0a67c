"""The tabular GAN: the shared adversarial core with CTGAN-family networks, plus the
conditional cross-entropy term that makes the generator honour its condition."""

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
    """

    default_loss = defaults.LOSS
    domain = "table"
    builds_own_networks = True

    def __init__(self, spans, discrete_index=(), latent_dim=128, generator_dims=(256, 256),
                 discriminator_dims=(256, 256), pac=defaults.PAC,
                 discriminator_dropout=defaults.DISCRIMINATOR_DROPOUT,
                 precision=None, seed=None, condition_dim=None,
                 generator_ema=defaults.GENERATOR_EMA, condition_frequencies=None, **kwargs):
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
        return [ConditionalCrossEntropy(self.discrete_index)] if self.discrete_index else []

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

    def generate_rows(self, condition=None, n=None, seed=None, batch_size=1000):
        """Generated rows of the transformed matrix for the given condition vectors."""
        n = len(condition) if condition is not None else int(n)
        z = self.sample_latent(n, seed)
        return self.generate_from_latent(z, condition, batch_size=batch_size)

    def get_config(self):
        return {**super().get_config(), "spans": self.spans,
                "discrete_index": self.discrete_index,
                "generator_dims": list(self.generator_dims),
                "discriminator_dims": list(self.discriminator_dims), "pac": self.pac,
                "discriminator_dropout": self.discriminator_dropout,
                "precision": self.precision,
                "condition_frequencies": self.condition_frequencies}

    @classmethod
    def upgrade_config(cls, config):
        config = super().upgrade_config(config)
        if "condition_dim" not in config:  # ganzoo 0.2 called the condition width num_classes
            config.pop("num_classes", None)
        config.setdefault("discriminator_dropout", 0.5)  # ganzoo <= 0.4: always CTGAN's
        return config

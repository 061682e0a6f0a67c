"""Adversarial losses.

Every loss returns *per-example* values; the adversarial core reduces them over the
global batch, so the same loss is correct on one device and under `tf.distribute`.
"""

import tensorflow as tf


class AdversarialLoss:
    """Base class: how a discriminator and a generator are scored from logits."""

    name = None
    #: Discriminator updates per generator update.
    n_critic = 1
    #: Weight of the gradient penalty on the discriminator (0 means none).
    gradient_penalty_weight = 0.0

    def discriminator_loss(self, real_logits, fake_logits):
        raise NotImplementedError

    def generator_loss(self, fake_logits):
        raise NotImplementedError

    def get_config(self):
        return {"n_critic": self.n_critic}


class BinaryCrossEntropy(AdversarialLoss):
    """The classic (non-saturating) GAN loss with one-sided label smoothing.

    Real examples get the target `1 - label_smoothing`, fakes get 0 (smoothing the
    fake targets too would reward the generator for staying where it is), and the
    generator is trained towards the target 1.
    """

    name = "bce"

    def __init__(self, label_smoothing=0.1, n_critic=1):
        if not 0.0 <= float(label_smoothing) < 0.5:
            raise ValueError(
                f"label_smoothing must be in [0, 0.5), got {label_smoothing}."
            )
        self.label_smoothing = float(label_smoothing)
        self.n_critic = _check_n_critic(n_critic)

    def discriminator_loss(self, real_logits, fake_logits):
        real_target = tf.fill(tf.shape(real_logits), 1.0 - self.label_smoothing)
        real = tf.nn.sigmoid_cross_entropy_with_logits(real_target, real_logits)
        fake = tf.nn.sigmoid_cross_entropy_with_logits(
            tf.zeros_like(fake_logits), fake_logits
        )
        return tf.reshape(real + fake, [-1])

    def generator_loss(self, fake_logits):
        loss = tf.nn.sigmoid_cross_entropy_with_logits(
            tf.ones_like(fake_logits), fake_logits
        )
        return tf.reshape(loss, [-1])

    def get_config(self):
        return {"label_smoothing": self.label_smoothing, "n_critic": self.n_critic}


class WassersteinGP(AdversarialLoss):
    """WGAN-GP (Gulrajani et al. 2017): a critic with a gradient penalty.

    The critic maximises D(real) - D(fake); the penalty pulls the norm of the
    critic's gradient at points between real and fake examples towards 1.
    """

    name = "wgan-gp"

    def __init__(self, gradient_penalty_weight=10.0, n_critic=5):
        if float(gradient_penalty_weight) <= 0:
            raise ValueError(
                "gradient_penalty_weight must be positive, "
                f"got {gradient_penalty_weight}."
            )
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        self.n_critic = _check_n_critic(n_critic)

    def discriminator_loss(self, real_logits, fake_logits):
        return tf.reshape(fake_logits - real_logits, [-1])

    def generator_loss(self, fake_logits):
        return tf.reshape(-fake_logits, [-1])

    def get_config(self):
        return {
            "gradient_penalty_weight": self.gradient_penalty_weight,
            "n_critic": self.n_critic,
        }


class Hinge(AdversarialLoss):
    """The hinge loss (Lim & Ye 2017; SNGAN, BigGAN, StyleGAN-XL's discriminators): the
    discriminator is penalised for real logits below 1 and fake logits above -1, the
    generator is asked for high logits."""

    name = "hinge"

    def __init__(self, n_critic=1):
        self.n_critic = _check_n_critic(n_critic)

    def discriminator_loss(self, real_logits, fake_logits):
        return tf.reshape(tf.nn.relu(1.0 - real_logits) + tf.nn.relu(1.0 + fake_logits), [-1])

    def generator_loss(self, fake_logits):
        return tf.reshape(-fake_logits, [-1])


def _check_n_critic(n_critic):
    if int(n_critic) != n_critic or int(n_critic) < 1:
        raise ValueError(f"n_critic must be a positive integer, got {n_critic}.")
    return int(n_critic)


_LOSSES = {cls.name: cls for cls in (BinaryCrossEntropy, WassersteinGP, Hinge)}
_ALIASES = {"binary_crossentropy": "bce", "wgan_gp": "wgan-gp", "wgangp": "wgan-gp"}


def get(identifier, **overrides):
    """Returns an `AdversarialLoss` from a name (`"bce"`, `"wgan-gp"`) or instance.

    `overrides` (e.g. `label_smoothing=0.2`, `n_critic=3`) are passed to the loss;
    `None` values are ignored so callers can forward optional arguments.
    """
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if isinstance(identifier, AdversarialLoss):
        if overrides:
            return type(identifier)(**{**identifier.get_config(), **overrides})
        return identifier
    if isinstance(identifier, dict):
        return get(identifier["name"], **{**identifier.get("config", {}), **overrides})
    name = _ALIASES.get(str(identifier).lower(), str(identifier).lower())
    if name not in _LOSSES:
        raise ValueError(
            f"Unknown adversarial loss {identifier!r}; choose one of {sorted(_LOSSES)}."
        )
    cls = _LOSSES[name]
    if cls is WassersteinGP:
        overrides.pop("label_smoothing", None)  # a critic has no labels to smooth
    if cls is Hinge:
        for option in ("label_smoothing", "gradient_penalty_weight"):
            if option in overrides:
                raise ValueError(f"The hinge loss has no {option} (that is "
                                 f"{'bce' if option == 'label_smoothing' else 'wgan-gp'}'s); "
                                 "for a penalty on the discriminator use r1_weight=.")
    return cls(**overrides)


def serialize(loss):
    return {"name": loss.name, "config": loss.get_config()}


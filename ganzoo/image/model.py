"""The image DCGAN: the shared adversarial core with DCGAN networks."""

import keras
import numpy as np

from ganzoo.core.adversarial import AdversarialModel
from ganzoo.core.precision import resolve_policy
from ganzoo.image import networks


@keras.saving.register_keras_serializable(package="ganzoo")
class DCGAN(AdversarialModel):
    """Deep convolutional GAN for images, optionally class-conditional.

    Args:
        image_shape: `(side, side, channels)`; side in
            `ganzoo.image.networks.SUPPORTED_SIDES`, 1 or 3 channels.
        num_classes: make the model class-conditional on integer labels.
        latent_dim: size of z.
        filters: width of the last generator / first discriminator layer; the
            other layers double it.
        precision: `"float32"`, `"mixed_float16"`, `"mixed_bfloat16"`, or None
            for Keras' global dtype policy.
        seed: seed of the training noise (see `AdversarialModel`).
        generator_ema: decay of the generator's weight average that generation uses
            (see `AdversarialModel`); None for the last step's weights.
        class_loss_weight: give the conditional discriminator an auxiliary classifier
            with this loss weight (AC-GAN; see `AdversarialModel`). None: projection only.

    Example:
        >>> gan = DCGAN(image_shape=(28, 28, 1), num_classes=10)
        >>> gan.compile()
        >>> gan.fit(ganzoo.image.dataset_from_arrays(x, y), epochs=5)
        >>> images = gan.generate(100, labels=3)    # float32 in [-1, 1]
    """

    def __init__(self, image_shape=(28, 28, 1), num_classes=None, latent_dim=128,
                 filters=64, precision=None, seed=None, generator_ema=0.999,
                 class_loss_weight=None, generator=None, discriminator=None, **kwargs):
        self.image_shape = networks.check_image_shape(image_shape)
        self.filters = int(filters)
        policy = resolve_policy(precision)
        self.precision = policy.name
        if num_classes is not None and int(num_classes) < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}.")
        # Rebuilt from the arguments; a saved config never carries the networks.
        del generator, discriminator
        super().__init__(
            generator=networks.build_generator(
                self.image_shape, latent_dim, num_classes, self.filters, dtype=policy
            ),
            discriminator=networks.build_discriminator(
                self.image_shape, num_classes, self.filters, dtype=policy,
                auxiliary_classifier=class_loss_weight is not None,
            ),
            latent_dim=latent_dim,
            num_classes=num_classes,
            seed=seed,
            generator_ema=generator_ema,
            class_loss_weight=class_loss_weight,
            **kwargs,
        )

    def generate_uint8(self, n, labels=None, seed=None):
        """Generates `n` images as uint8 `[n, side, side, channels]` in 0..255."""
        return to_uint8(self.generate(n, labels=labels, seed=seed))

    def get_config(self):
        config = keras.Model.get_config(self)
        config.update(
            {
                "image_shape": list(self.image_shape),
                "num_classes": self.num_classes,
                "latent_dim": self.latent_dim,
                "filters": self.filters,
                "precision": self.precision,
                "seed": self.seed,
                "generator_ema": self.generator_ema,
                "class_loss_weight": self.class_loss_weight,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        # Models saved before `generator_ema` existed kept no average.
        return cls(**{"generator_ema": None, **config})


def to_uint8(images):
    """Maps generator output in [-1, 1] to uint8 pixels."""
    images = np.asarray(images, dtype="float32")
    return np.clip(np.rint((images + 1.0) * 127.5), 0, 255).astype("uint8")

"""The image DCGAN: the shared adversarial core with DCGAN networks."""

import warnings

import keras

from ganzoo.core import conditioning
from ganzoo.core.adversarial import AdversarialModel
from ganzoo.core.precision import resolve_policy
from ganzoo.image import augmentation, networks
from ganzoo.image.samples import ImageSamples, to_uint8  # noqa: F401  (to_uint8: old home)


@keras.saving.register_keras_serializable(package="ganzoo")
class DCGAN(ImageSamples, AdversarialModel):
    """Deep convolutional GAN for images, optionally class-conditional.

    Args:
        image_shape: `(side, side, channels)`; side in
            `ganzoo.image.networks.SUPPORTED_SIDES`, 1 or 3 channels.
        num_classes / class_names: make the model class-conditional on integer labels
            (named, with `class_names`, e.g. the sub-folders of an image folder).
        latent_dim: size of z.
        model_size: width of the last generator / first discriminator layer; the
            other layers double it (`filters` in ganzoo 0.2, deprecated).
        precision: `"float32"`, `"mixed_float16"`, `"mixed_bfloat16"`, `"auto"`, or
            None for Keras' global dtype policy.
        seed, generator_ema, class_loss_weight: see `AdversarialModel` (a positive
            `class_loss_weight` adds the auxiliary classifier, AC-GAN).
        discriminator_augment, discriminator_augment_p, ...: discriminator
            augmentation (`AdversarialModel`), of
            `ganzoo.image.augmentation.POLICIES`; "default" is translation, cutout, color.

    Example:
        >>> gan = DCGAN(image_shape=(28, 28, 1), num_classes=10)
        >>> gan.compile()
        >>> gan.fit(ganzoo.image.dataset_from_arrays(x, y), epochs=5)
        >>> images = gan.generate(100, labels=3)    # float32 in [-1, 1]
    """

    builds_own_networks = True
    augmentation_policies = augmentation.POLICIES
    default_augmentation = augmentation.DEFAULT

    def __init__(self, image_shape=(28, 28, 1), num_classes=None, latent_dim=128,
                 model_size=64, precision=None, *, class_names=None, class_loss_weight=None,
                 filters=None, **kwargs):
        if filters is not None:
            warnings.warn("DCGAN(filters=...) is deprecated and goes in 0.7; use model_size=.",
                          DeprecationWarning, stacklevel=2)
            model_size = filters
        self.image_shape = networks.check_image_shape(image_shape)
        self.model_size = int(model_size)
        policy = resolve_policy(precision)
        self.precision = policy.name
        num_classes, class_names = conditioning.check_classes(num_classes, class_names)
        super().__init__(
            generator=networks.build_generator(
                self.image_shape, latent_dim, num_classes, self.model_size, dtype=policy),
            discriminator=networks.build_discriminator(
                self.image_shape, num_classes, self.model_size, dtype=policy,
                auxiliary_classifier=class_loss_weight is not None),
            latent_dim=latent_dim, num_classes=num_classes, class_names=class_names,
            class_loss_weight=class_loss_weight, **kwargs)

    @property
    def filters(self):
        """Deprecated name of `model_size`."""
        return self.model_size

    def get_config(self):
        return {**super().get_config(), "image_shape": list(self.image_shape),
                "model_size": self.model_size, "precision": self.precision}

    @classmethod
    def upgrade_config(cls, config):
        config = super().upgrade_config(config)
        if "filters" in config:  # ganzoo 0.2
            config["model_size"] = config.pop("filters")
        return config

"""WaveGAN: the shared adversarial core with WaveGAN networks."""

import keras

from ganzoo.audio import augmentation
from ganzoo.audio import layers as wave_layers
from ganzoo.audio import networks
from ganzoo.audio.samples import AudioSamples
from ganzoo.core import conditioning
from ganzoo.core.adversarial import AdversarialModel
from ganzoo.core.precision import resolve_policy


@keras.saving.register_keras_serializable(package="ganzoo")
class WaveGAN(AudioSamples, AdversarialModel):
    """Raw-waveform GAN for one-shot sounds, optionally class-conditional.

    Args:
        slice_length: samples per clip, 16384 (~1 s at 16 kHz), 32768 or 65536.
        sample_rate: the rate the clips are played at (any; 16000, 22050, 44100, ...).
        num_classes / class_names: make the model class-conditional; `class_names`
            lets `generate(labels="seven")` take names.
        model_size: `d` of the paper (64 there; 32 by default, which trains on a CPU).
        latent_dim: size of z (100 in the paper).
        phase_shuffle: phase-shuffle radius in the discriminator (2 in the paper).
        precision: "float32", "mixed_float16", "mixed_bfloat16", "auto" or None
            (Keras' global policy).
        seed, generator_ema: see `AdversarialModel`.
        conv_method: how the strided convolutions are computed: "auto" (the fastest
            measured for each layer's shape on this kind of device), "native",
            "phase" or "matmul" (see `ganzoo.audio.layers`); weights and results are
            the same whichever is used.
        class_loss_weight: give the conditional discriminator an auxiliary classifier
            with this loss weight (AC-GAN; see `AdversarialModel`). None: projection only.
        discriminator_augment, discriminator_augment_p, ...: discriminator
            augmentation (`AdversarialModel`), of
            `ganzoo.audio.augmentation.WAVEFORM_POLICIES`; "default" is time_shift, gain.

    The default loss is WGAN-GP (lambda 10, 5 critic steps, Adam(1e-4, 0.5, 0.9)) as in
    the paper; `compile(loss="bce")` selects the shared BCE with label smoothing.
    """

    default_loss = "wgan-gp"

    builds_own_networks = True
    augmentation_policies = augmentation.WAVEFORM_POLICIES
    default_augmentation = augmentation.WAVEFORM_DEFAULT

    def __init__(self, slice_length=16384, sample_rate=16000, num_classes=None,
                 class_names=None, model_size=32, latent_dim=100, phase_shuffle=2,
                 precision=None, seed=None, conv_method="auto", class_loss_weight=None,
                 **kwargs):
        self.slice_length = networks.check_slice_length(slice_length)
        self.sample_rate = int(sample_rate)
        if self.sample_rate < 1000:
            raise ValueError(f"sample_rate must be in Hz (e.g. 16000), got {sample_rate}.")
        num_classes, class_names = conditioning.check_classes(num_classes, class_names)
        self.model_size = int(model_size)
        self.phase_shuffle = int(phase_shuffle)
        self.conv_method = wave_layers.check_method(conv_method)
        policy = resolve_policy(precision)
        self.precision = policy.name
        classifier = class_loss_weight is not None
        super().__init__(
            generator=networks.build_generator(self.slice_length, latent_dim, self.model_size,
                                               num_classes, dtype=policy,
                                               conv_method=self.conv_method),
            discriminator=networks.build_discriminator(self.slice_length, self.model_size,
                                                       num_classes, self.phase_shuffle,
                                                       dtype=policy, seed=seed,
                                                       conv_method=self.conv_method,
                                                       auxiliary_classifier=classifier),
            latent_dim=latent_dim, num_classes=num_classes, class_names=class_names, seed=seed,
            class_loss_weight=class_loss_weight, **kwargs,
        )

    def get_config(self):
        return {**super().get_config(), "slice_length": self.slice_length,
                "sample_rate": self.sample_rate, "model_size": self.model_size,
                "phase_shuffle": self.phase_shuffle, "precision": self.precision,
                "conv_method": self.conv_method}

"""The tabular GAN's training settings, in one place (imports no TensorFlow): the
network, `TabularGAN.compile` and `TabularAugmenter` take their defaults from here.
Why each value: docs/tables.md."""

#: Adam for both networks: CTGAN's betas and weight decay, at CTGAN's 2e-4 raised to 3e-4.
LEARNING_RATE = 3e-4
ADAM = {"beta_1": 0.5, "beta_2": 0.9, "weight_decay": 1e-6}
#: Critic updates per generator update under WGAN-GP (CTGAN: 1).
N_CRITIC = 3
#: Dropout after each of the discriminator's hidden layers (CTGAN: 0.5).
DISCRIMINATOR_DROPOUT = 0.0
#: How continuous columns are encoded: "quantile" (Gaussian copula) or "mode" (CTGAN's).
CONTINUOUS_ENCODING = "quantile"
#: Decay of the generator's weight average.
GENERATOR_EMA = 0.99

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
#: The adversarial loss (CTGAN's).
LOSS = "wgan-gp"
#: Rows per PacGAN group of the discriminator (CTGAN's).
PAC = 10
#: With a declared target column (`TabularAugmenter(target=...)`): the weight of the
#: downstream term, the downstream model's hidden layers and its longest training.
TARGET_LOSS_WEIGHT = 1.0
TARGET_MODEL_DIMS = (256, 256)
TARGET_MODEL_EPOCHS = 100
TARGET_MODEL_SMOOTHING = 0.1

# Under differential privacy (`TabularAugmenter(epsilon=...)`, docs/privacy.md):
#: BCE: WGAN-GP's penalty differentiates with respect to the rows, which forces whole
#: per-row gradients (10-16x the step, benchmarks/privacy_cost.py).
PRIVATE_LOSS = "bce"
#: One row per unit: DP-SGD's noise is divided by the units in a batch, 10x fewer packs.
PRIVATE_PAC = 1
#: A private fit's default schedule: at least this many generator steps (the noise
#: grows with them) and at least this many passes over the table (a larger table
#: spends less per step: diamonds' 8,000 rows learn more pair trends in 2,000 steps).
PRIVATE_STEPS = 1000
PRIVATE_EPOCHS = 125
#: The largest L2 norm of one row's discriminator gradient.
PRIVATE_L2_NORM_CLIP = 1.0
#: Share of epsilon the column statistics spend by themselves (ganzoo.tabular.private).
PRIVATE_PREPROCESSING_SHARE = 0.2


def private_delta(rows):
    """The default delta of a table of `rows` rows: 1 / (rows * sqrt(rows)), well below
    1 / rows (smartnoise-synth's DP-CTGAN default, and the range its MST and AIM
    recommend)."""
    return 1.0 / (rows * rows ** 0.5)

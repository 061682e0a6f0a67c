"""Privacy accounting of DP-SGD training (`ganzoo.core.privacy`), with Google's
`dp-accounting` package (`pip install ganzoo[privacy]`).

One training step samples a batch (accounted as Poisson sampling at rate
`sampling_rate` = batch size / examples: see `ganzoo.core.privacy` for the gap) and makes
`critic_steps` discriminator updates on it, each a Gaussian mechanism of noise
multiplier sigma: together one Gaussian of multiplier sigma / sqrt(critic_steps) on the
sampled batch. The Renyi DP accountant (TF Privacy's and Opacus' default) composes
`steps` of them; the neighbouring relation is adding or removing one example (one row).
(The tighter privacy loss distribution accountant needs memory that grows without bound
as the noise shrinks, which calibration explores.)
"""

import math


def _dp_accounting():
    try:
        import dp_accounting
    except ImportError:
        raise ImportError("Differential privacy accounting needs the dp-accounting package: "
                          "pip install 'ganzoo[privacy]' (or pip install dp-accounting).") from None
    return dp_accounting


def check_budget(epsilon, delta, examples=None):
    """`(epsilon, delta)` as floats; refuses a budget that means nothing."""
    epsilon, delta = float(epsilon), float(delta)
    if not epsilon > 0 or math.isinf(epsilon):
        raise ValueError(f"epsilon must be a positive number, got {epsilon}.")
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}.")
    if examples is not None and delta >= 1.0 / examples:
        raise ValueError(f"delta must be below 1 / examples = {1.0 / examples:.3g} "
                         f"({examples} examples), got {delta}: a larger delta allows a "
                         "mechanism that publishes some examples outright.")
    return epsilon, delta


def _check_schedule(sampling_rate, steps, critic_steps):
    if not 0 < sampling_rate <= 1:
        raise ValueError(f"sampling_rate must be in (0, 1], got {sampling_rate}.")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps}.")
    if int(critic_steps) != critic_steps or critic_steps < 1:
        raise ValueError(f"critic_steps must be a positive whole number, got {critic_steps}.")


def training_event(noise_multiplier, sampling_rate, steps, critic_steps=1):
    """The `dp_accounting.DpEvent` of a DP-SGD training run."""
    dp = _dp_accounting()
    _check_schedule(sampling_rate, steps, critic_steps)
    per_batch = dp.GaussianDpEvent(noise_multiplier / math.sqrt(critic_steps))
    return dp.SelfComposedDpEvent(dp.PoissonSampledDpEvent(sampling_rate, per_batch), int(steps))


#: Renyi orders: dp-accounting's defaults from 1.5 up (its orders 1.1-1.4 fail to
#: converge, with a warning each, at the sampling rates small tables have, and only
#: matter for budgets far above any a private release would use).
ORDERS = [1 + x / 10 for x in range(5, 100)] + list(range(11, 64)) + [128, 256, 512, 1024]


def _accountant():
    from dp_accounting.rdp import RdpAccountant

    return RdpAccountant(ORDERS)


def epsilon(noise_multiplier, sampling_rate, steps, delta, critic_steps=1):
    """The epsilon spent by `steps` training steps at this delta."""
    if int(steps) == 0:
        return 0.0
    if noise_multiplier <= 0:
        return math.inf
    accountant = _accountant()
    accountant.compose(training_event(noise_multiplier, sampling_rate, steps, critic_steps))
    return float(accountant.get_epsilon(delta))


def gaussian_epsilon(noise_multiplier, delta):
    """The epsilon of one Gaussian mechanism of this multiplier (noise standard
    deviation over L2 sensitivity), by the same accountant."""
    accountant = _accountant()
    accountant.compose(_dp_accounting().GaussianDpEvent(noise_multiplier))
    return float(accountant.get_epsilon(delta))


def composed_epsilon(preprocessing_noise, training_noise, sampling_rate, steps, delta,
                     critic_steps=1):
    """The epsilon of a Gaussian mechanism (multiplier `preprocessing_noise`: the
    statistics read before training) followed by a DP-SGD training run."""
    dp = _dp_accounting()
    accountant = _accountant()
    accountant.compose(dp.GaussianDpEvent(preprocessing_noise))
    if int(steps):
        accountant.compose(training_event(training_noise, sampling_rate, steps, critic_steps))
    return float(accountant.get_epsilon(delta))


def split_budget(target_epsilon, delta, sampling_rate, steps, critic_steps=1,
                 preprocessing_share=0.2):
    """`(preprocessing noise multiplier, training noise multiplier)`: the statistics'
    Gaussian mechanism alone spends `preprocessing_share` of `target_epsilon`; the
    training's noise is the smallest with which both together spend at most
    `target_epsilon` (composed by the accountant, which gives back part of what adding
    the two epsilons would waste)."""
    dp = _dp_accounting()
    check_budget(target_epsilon, delta)
    _check_schedule(sampling_rate, steps, critic_steps)
    if not 0 < preprocessing_share < 1:
        raise ValueError(f"preprocessing_share must be in (0, 1), got {preprocessing_share}.")
    z = float(dp.calibrate_dp_mechanism(
        _accountant, dp.GaussianDpEvent, preprocessing_share * target_epsilon, delta,
        dp.LowerEndpointAndGuess(0.05, 1.0), tol=1e-3))
    sigma = float(dp.calibrate_dp_mechanism(
        _accountant, lambda s: dp.ComposedDpEvent(
            [dp.GaussianDpEvent(z), training_event(s, sampling_rate, steps, critic_steps)]),
        target_epsilon, delta, dp.LowerEndpointAndGuess(0.1, 1.0), tol=1e-3))
    return z, sigma


def noise_multiplier(target_epsilon, delta, sampling_rate, steps, critic_steps=1):
    """The smallest noise multiplier whose `steps` training steps spend at most
    `target_epsilon` at `delta`."""
    dp = _dp_accounting()
    check_budget(target_epsilon, delta)
    _check_schedule(sampling_rate, steps, critic_steps)
    sigma = dp.calibrate_dp_mechanism(
        _accountant, lambda s: training_event(s, sampling_rate, steps, critic_steps),
        target_epsilon, delta, dp.LowerEndpointAndGuess(0.1, 1.0), tol=1e-3)
    return float(sigma)


__all__ = ["check_budget", "composed_epsilon", "epsilon", "gaussian_epsilon", "noise_multiplier",
           "split_budget", "training_event"]

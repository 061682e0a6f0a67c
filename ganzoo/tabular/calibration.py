"""Marginal calibration: generated columns get the training data's distributions.

Continuous columns: a monotone map per column. Categorical choices (discrete columns,
missing-value indicators): a log-odds offset per category.

A GAN gets the relations between columns roughly right long before it gets each
column's exact shape (a skewed tail, a spike at zero). After training, the generator's
own distribution of each continuous column is measured on a large sample and matched,
quantile by quantile, to the training data's: `value -> real_quantile(generated_cdf(value))`.
The map is increasing, so the order of values, and with it every rank correlation
and which rows are large or small, is kept; only the marginal shape moves.

Categories are matched by offsets on the generator's log-probabilities of each
category, fitted so that its choices come out at the training frequencies: rows the
generator was sure of keep their category, rows close to a boundary may cross it.

Only a few hundred quantiles of each column are kept (never more than one per
`MIN_ROWS_PER_QUANTILE` training rows), so a saved model does not hold the training
values themselves, and calibrated values fall between real ones, not on them.
"""

import numpy as np

#: Quantiles kept per column.
QUANTILES = 256
#: Small tables get fewer quantiles: each must summarise at least this many rows.
MIN_ROWS_PER_QUANTILE = 20
#: Largest log-odds offset of a category: a category the generator never makes
#: is not forced into existence at any cost to the rows it would take over.
MAX_BIAS = 30.0


class MarginalCalibrator:
    """Per-column quantile maps from generated values to real ones, and per-choice
    category offsets.

    `fit(real, generated)` takes two dicts `{column: 1-D float array}` (missing values
    as NaN, ignored); `apply(column, values)` maps generated values of one column.
    `fit_categories(frequencies, blocks)` and `choose(key, block)` do the same for
    categorical choices. Columns not fitted pass through unchanged.
    """

    def __init__(self, maps=None, biases=None):
        # column -> (generated quantiles, real quantiles), both increasing
        self.maps = {name: (np.asarray(g, "float64"), np.asarray(r, "float64"))
                     for name, (g, r) in (maps or {}).items()}
        # categorical choice -> log-odds added to the generator's choice
        self.biases = {key: np.asarray(b, "float64") for key, b in (biases or {}).items()}

    def fit_categories(self, frequencies, blocks, rounds=100):
        """Finds, per categorical choice, log-odds offsets under which the generator's
        choices on `blocks` (its soft one-hot outputs) occur at the training
        `frequencies`: iterative proportional fitting on one generated sample.

        A generated row keeps its category unless it was close to another one, so
        what the generator learned about the rows of each category is kept.
        """
        self.biases = {}
        for key, target in frequencies.items():
            block = blocks.get(key)
            if block is None or len(block) == 0:
                continue
            target = np.asarray(target, "float64")
            log_block = _log(block)
            bias = np.zeros(len(target))
            for _ in range(rounds):
                chosen = np.bincount((log_block + bias).argmax(axis=1),
                                     minlength=len(target)) / len(block)
                step = np.log((target + 1e-4) / (chosen + 1e-4))
                if np.abs(chosen - target).max() < 2e-3:
                    break
                bias = np.clip(bias + 0.5 * step, -MAX_BIAS, MAX_BIAS)
            self.biases[key] = bias - bias.mean()
        return self

    def choose(self, key, block):
        """The category index of each row of one categorical `block`."""
        block = np.asarray(block)
        if key not in self.biases:
            return block.argmax(axis=1)
        return (_log(block) + self.biases[key]).argmax(axis=1)

    def fit(self, real, generated):
        self.maps = {}
        for name, real_values in real.items():
            real_values = _present(real_values)
            generated_values = _present(generated.get(name, ()))
            if len(real_values) < 2 * MIN_ROWS_PER_QUANTILE or len(generated_values) < 2:
                continue  # too few values to say anything about the shape
            count = int(min(QUANTILES, len(real_values) // MIN_ROWS_PER_QUANTILE))
            levels = np.linspace(0.0, 1.0, count)
            self.maps[name] = (np.quantile(generated_values, levels),
                               np.quantile(real_values, levels))
        return self

    def apply(self, name, values, rng=None):
        """Maps one column's generated values; `rng` breaks ties (see below)."""
        if name not in self.maps:
            return values
        generated_q, real_q = self.maps[name]
        values = np.asarray(values, "float64")
        levels = np.linspace(0.0, 1.0, len(generated_q))
        level = np.interp(values, _strictly_increasing(generated_q), levels)
        # A generator that piles values on one spot (a saturated tanh) makes several
        # quantiles equal; the pile then stands for a range of levels, and its values
        # are spread over that range rather than all sent to its first real quantile.
        first = np.searchsorted(generated_q, values, side="left")
        last = np.searchsorted(generated_q, values, side="right") - 1
        piled = last > first
        if piled.any():
            rng = rng if rng is not None else np.random.default_rng(0)
            low, high = levels[first[piled]], levels[last[piled]]
            level[piled] = low + rng.random(int(piled.sum())) * (high - low)
        mapped = np.interp(level, levels, real_q)
        return np.where(np.isnan(values), np.nan, mapped)

    def __contains__(self, name):
        return name in self.maps

    def get_state(self):
        # JSON keys are strings: tuple keys such as (column, "missing") go as lists.
        return {
            "quantile_maps": [[name, g.tolist(), r.tolist()] for name, (g, r) in self.maps.items()],
            "category_biases": [[list(key) if isinstance(key, tuple) else key, b.tolist()]
                                for key, b in self.biases.items()],
        }

    @classmethod
    def from_state(cls, state):
        state = state or {}
        return cls({name: (g, r) for name, g, r in state.get("quantile_maps", [])},
                   {tuple(key) if isinstance(key, list) else key: b
                    for key, b in state.get("category_biases", [])})


def _log(block):
    # The generator's outputs are Gumbel-softmax probabilities: their logs are its
    # (noisy) logits up to a constant, and offsets add to those.
    return np.log(np.asarray(block, "float64") + 1e-12)


def _present(values):
    values = np.asarray(values, "float64").reshape(-1)
    return values[~np.isnan(values)]


def _strictly_increasing(points):
    """`np.interp` needs increasing x points: ties get a negligible step."""
    span = max(float(points[-1] - points[0]), 1.0)
    step = span * 1e-9
    return np.maximum.accumulate(points) + step * np.arange(len(points))


__all__ = ["MarginalCalibrator", "QUANTILES"]

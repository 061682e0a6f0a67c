"""One encoder per kind of column: fit, transform, inverse and state.

`DataTransformer` composes them, one per column in the table's order:

- `OneHotEncoder`: a discrete column (strings, booleans, categoricals, few distinct
  integers), missing values as a category of their own;
- `IdentifierEncoder`: a column whose values are (nearly) all different: left out of the
  model, new unique values on the way back;
- `ContinuousEncoder`: a numeric or datetime column, made of three pieces: its values
  (`NumberValues` or `DatetimeValues`: to float64 numbers and back, rounded, clipped to
  the observed range, in the column's dtype), their encoding (`ModeEncoder`, CTGAN's
  mode-specific normalization, or `QuantileEncoder`, a Gaussian-copula transform) and,
  where values are missing, a `MissingIndicator`.

An encoder's state is a plain JSON dict (the same dict files of ganzoo 0.2-0.5 hold per
column), so saved transformers load whichever version wrote them.
"""

import warnings

import numpy as np
import pandas as pd

MISSING = "__ganzoo_missing__"
#: Rows used to fit each column's mixture; the modes of a column are clear long
#: before 50k rows, and the fit is most of a transformer's time.
MIXTURE_SAMPLE = 5000
#: Points of a column's distribution kept by the quantile encoding.
QUANTILES = 1001
#: The quantile encoding's scalar is z / 4: standard-normal values within +-3.96.
Z_SCALE = 4.0


class ColumnSpan:
    """One block of the transformed matrix: `kind` is "scalar" (tanh, 1 column) or
    "onehot" (softmax over `size` columns); `discrete` marks one-hot blocks that
    encode a discrete column's categories (what conditions can ask for)."""

    def __init__(self, column, kind, size, discrete=False):
        self.column, self.kind, self.size, self.discrete = column, kind, size, discrete

    def __repr__(self):
        return f"ColumnSpan({self.column!r}, {self.kind!r}, {self.size}, discrete={self.discrete})"


class ColumnEncoder:
    """A column's encoder. `kind` is what the column is ("discrete", "continuous",
    "identifier"); `state` is its JSON state."""

    kind = None

    def __init__(self, state):
        self.state = state

    @property
    def name(self):
        return self.state["name"]

    def spans(self):
        """The column's blocks of the matrix."""
        return []

    def transform(self, series, rng):
        """The column's blocks (float32 `[n, size]` each) for `series`."""
        return []

    def inverse(self, block, rng, calibrator=None):
        """The column's values for its block of a matrix (float64 `[n, width]`)."""
        raise NotImplementedError

    @staticmethod
    def from_state(state):
        kind = state["kind"]
        if kind == "discrete":
            return OneHotEncoder(state)
        if kind == "identifier":
            return IdentifierEncoder(state)
        if kind == "continuous":
            return ContinuousEncoder(state)
        raise ValueError(f"Unknown column kind {kind!r} in a saved transformer.")


# ------------------------------------------------------------------ discrete


class OneHotEncoder(ColumnEncoder):
    """Categories as a one-hot block; missing values are a category (`MISSING`), and
    values come back with their exact type and spelling."""

    kind = "discrete"

    @classmethod
    def fit(cls, name, series):
        """The encoder of a discrete column, or an `IdentifierEncoder` where nearly every
        row has a value of its own (one-hot encoding it would cost rows x rows floats and
        teach nothing)."""
        values = series.astype(object).where(series.notna(), MISSING)
        counts = values.value_counts(sort=False)
        categories = list(counts.index)
        if len(categories) > 0.9 * len(series) and len(series) > 50:
            warnings.warn(
                f"Column {name!r} looks like an identifier ({len(categories)} distinct values "
                f"in {len(series)} rows): it is left out of the model, and synthetic rows "
                "get new unique identifiers.", stacklevel=3)
            return IdentifierEncoder({"name": name, "kind": "identifier",
                                      "dtype": _dtype_name(series)})
        gaps = series[series.isna()]
        return cls({
            "name": name, "kind": "discrete", "dtype": _dtype_name(series),
            # Object columns may mark gaps with None rather than NaN: give back the same.
            "missing_is_none": bool(len(gaps) and gaps.iloc[0] is None),
            "categorical_dtype": (
                {"categories": [_to_json_scalar(c) for c in series.cat.categories],
                 "ordered": bool(series.cat.ordered)}
                if isinstance(series.dtype, pd.CategoricalDtype) else None),
            "categories": [_to_json_scalar(c) for c in categories],
            "category_types": [type(c).__name__ for c in categories],
            "frequencies": (counts.to_numpy() / counts.sum()).tolist(),
        })

    @property
    def categories(self):
        return self.state["categories"]

    @property
    def frequencies(self):
        return list(self.state["frequencies"])

    def spans(self):
        return [ColumnSpan(self.name, "onehot", len(self.categories), True)]

    def transform(self, series, rng=None):
        values = series.astype(object).where(series.notna(), MISSING)
        lookup = {_restore_scalar(c, kind): i for i, (c, kind) in
                  enumerate(zip(self.categories, self.state["category_types"]))}
        index = values.map(lookup)
        if index.isna().any() and "unknown_category" in self.state:
            # A private column's values that were never released (`ganzoo.tabular.private`)
            index = index.fillna(self.state["unknown_category"])
        if index.isna().any():
            bad = values[index.isna()].iloc[0]
            raise ValueError(f"Column {self.name!r} has value {bad!r} not seen when fitting.")
        onehot = np.zeros((len(series), len(self.categories)), dtype="float32")
        onehot[np.arange(len(series)), index.to_numpy(dtype="int64")] = 1.0
        return [onehot]

    def inverse(self, block, rng=None, calibrator=None):
        index = block.argmax(axis=1)
        values = np.array([_restore_scalar(c, k) for c, k in
                           zip(self.categories, self.state["category_types"])],
                          dtype=object)[index]
        if MISSING in self.categories:
            values[values == MISSING] = None if self.state.get("missing_is_none") else np.nan
        return _cast(pd.Series(values, dtype=object), self.state["dtype"],
                     self.state.get("categorical_dtype"))

    def index_of(self, value):
        """The index of `value` among the categories (an exact match)."""
        for i, (category, kind) in enumerate(zip(self.categories, self.state["category_types"])):
            if _same_value(category, kind, value):
                return i
        raise ValueError(f"Value {value!r} never occurs in column {self.name!r}; seen values "
                         f"include {self.categories[:10]}.")

    def parse(self, text):
        """The category whose spelling is `text` (as typed on a command line), as the
        column stores it."""
        for category, kind in zip(self.categories, self.state["category_types"]):
            if str(category) == text:
                return _restore_scalar(category, kind)
        raise ValueError(f"Value {text!r} never occurs in column {self.name!r}; seen values "
                         f"include {[str(c) for c in self.categories[:10]]}.")


class IdentifierEncoder(ColumnEncoder):
    """A column of unique values: nothing reaches the model; new values come back."""

    kind = "identifier"

    def inverse(self, block, rng, calibrator=None):
        return [f"synthetic-{h:012x}" for h in rng.integers(0, 2**48, size=len(block))]


# ---------------------------------------------------------------- continuous


class NumberValues:
    """A numeric column's values: float64 numbers and back (integers rounded)."""

    def __init__(self, state):
        self.state = state

    @staticmethod
    def fit_state(series, present):
        return {"is_datetime": False, "tz": None, "resolution_ns": None,
                "integer": bool(np.all(np.mod(present, 1) == 0))}

    def restore(self, x, missing):
        state = self.state
        x = np.clip(x, state["min"], state["max"])
        if state["integer"]:
            x = np.rint(x)
        values = pd.Series(x)
        if missing is not None:
            values[missing] = np.nan
        if state["integer"] and not values.isna().any():
            return values.astype(state["dtype"])
        if state["integer"]:
            return values.astype("Int64") if state["dtype"].startswith(("int", "Int")) else values
        return values.astype(state["dtype"]) if state["dtype"].startswith("float") else values


class DatetimeValues(NumberValues):
    """A datetime column's values: nanoseconds and back, at the column's resolution
    (dates stay dates, whole seconds stay whole seconds) and time zone."""

    @staticmethod
    def fit_state(series, present):
        return {"is_datetime": True,
                "tz": str(series.dt.tz) if series.dt.tz is not None else None,
                "resolution_ns": _time_resolution(present), "integer": False}

    def restore(self, x, missing):
        state = self.state
        x = np.clip(x, state["min"], state["max"])
        x = np.rint(x / state["resolution_ns"]) * state["resolution_ns"]
        values = pd.Series(x)
        if missing is not None:
            values[missing] = np.nan
        stamps = pd.to_datetime(values, unit="ns")
        if state.get("tz"):
            return stamps.dt.tz_localize("UTC").dt.tz_convert(state["tz"])
        return stamps.astype(state["dtype"])


class ModeEncoder:
    """CTGAN's mode-specific normalization: a Bayesian Gaussian mixture finds the
    column's modes; a value becomes a scalar in [-1, 1] (its place within a mode) and a
    one-hot mode indicator, the mode sampled from the value's posterior (values between
    modes are spread over both)."""

    def __init__(self, state):
        self.state = state

    @staticmethod
    def fit_state(sample, rng, max_modes, weight_threshold):
        """`means`, `stds` and `weights` of the modes of a standardized `sample`."""
        from sklearn.mixture import BayesianGaussianMixture

        if len(sample) > MIXTURE_SAMPLE:
            sample = rng.choice(sample, MIXTURE_SAMPLE, replace=False)
        mixture = BayesianGaussianMixture(
            n_components=min(max_modes, len(np.unique(sample))),
            weight_concentration_prior_type="dirichlet_process",
            weight_concentration_prior=0.001, max_iter=100, n_init=1,
            random_state=int(rng.integers(2**31 - 1)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence warnings on easy columns
            mixture.fit(sample.reshape(-1, 1))
        keep = mixture.weights_ > weight_threshold
        if not keep.any():
            keep[np.argmax(mixture.weights_)] = True
        weights = mixture.weights_[keep]
        return {"means": mixture.means_[keep, 0].tolist(),
                "stds": np.sqrt(mixture.covariances_[keep].reshape(-1)).tolist(),
                "weights": (weights / weights.sum()).tolist()}

    def spans(self, name):
        return [ColumnSpan(name, "scalar", 1), ColumnSpan(name, "onehot", len(self.state["means"]))]

    def encode(self, x, rng):
        means, stds = np.asarray(self.state["means"]), np.asarray(self.state["stds"])
        weights = np.asarray(self.state["weights"])
        log_p = (np.log(weights + 1e-12) - np.log(stds)
                 - 0.5 * ((x[:, None] - means) / stds) ** 2)
        log_p -= log_p.max(axis=1, keepdims=True)
        p = np.exp(log_p)
        p /= p.sum(axis=1, keepdims=True)
        u = rng.random((len(x), 1))
        mode = np.minimum((p.cumsum(axis=1) < u).sum(axis=1), len(means) - 1)
        scalar = np.clip((x - means[mode]) / (4 * stds[mode]), -0.99, 0.99)
        onehot = np.zeros((len(x), len(means)), dtype="float32")
        onehot[np.arange(len(x)), mode] = 1.0
        return [scalar[:, None], onehot]

    def decode(self, block):
        means, stds = np.asarray(self.state["means"]), np.asarray(self.state["stds"])
        mode = block[:, 1:1 + len(means)].argmax(axis=1)
        return np.clip(block[:, 0], -1, 1) * 4 * stds[mode] + means[mode]


class QuantileEncoder:
    """A Gaussian-copula transform (as SDV's CopulaGAN and GaussianCopula use): a value
    becomes the standard-normal quantile of its place in the column's distribution
    (divided by `Z_SCALE`), so monotone relations between columns become nearly linear
    and every column's marginal is the same. At most `QUANTILES` points are stored."""

    def __init__(self, state):
        self.state = state

    @staticmethod
    def fit_state(sample):
        # Up to QUANTILES rows: every value itself, so values round-trip.
        return {"quantiles": np.quantile(
            sample, np.linspace(0, 1, min(QUANTILES, len(sample)))).tolist()}

    def spans(self, name):
        return [ColumnSpan(name, "scalar", 1)]

    def encode(self, x, rng):
        """A value that many rows share (a point mass) gets a random place within its
        share, so the encoded column has no spikes for the generator to learn."""
        from scipy.special import ndtri

        grid = np.asarray(self.state["quantiles"])
        levels = _quantile_levels(len(grid))
        values, first = np.unique(grid, return_index=True)
        last = np.r_[first[1:] - 1, len(grid) - 1]
        low, high = levels[first], levels[last]
        j = np.clip(np.searchsorted(values, x), 0, len(values) - 1)
        on_grid = np.isclose(values[j], x, rtol=0, atol=1e-12)
        left, right = np.maximum(j - 1, 0), j
        span = values[right] - values[left]
        t = np.where(span > 0, (x - values[left]) / np.where(span > 0, span, 1), 0.5)
        between = np.where(x <= values[0], low[0], np.where(
            x >= values[-1], high[-1], high[left] + t * (low[right] - high[left])))
        jitter = low[j] + rng.random(len(x)) * (high[j] - low[j])
        u = np.where(on_grid, jitter, between)
        return [np.clip(ndtri(u) / Z_SCALE, -0.99, 0.99)[:, None]]

    def decode(self, block):
        from scipy.special import ndtr

        grid = np.asarray(self.state["quantiles"])
        u = ndtr(np.clip(block[:, 0], -1, 1) * Z_SCALE)
        return np.interp(u, _quantile_levels(len(grid)), grid)


class MissingIndicator:
    """Whether a value is present or missing, as a two-way one-hot block."""

    def spans(self, name):
        return [ColumnSpan(name, "onehot", 2)]

    def encode(self, is_missing):
        return [np.stack([~is_missing, is_missing], axis=1).astype("float32")]

    @staticmethod
    def decode(block):
        return block.argmax(axis=1) == 1


class ContinuousEncoder(ColumnEncoder):
    """A numeric or datetime column: its values, their encoding and, where values are
    missing, a missing-value indicator (the last two columns of its block)."""

    kind = "continuous"

    def __init__(self, state):
        super().__init__(state)
        self.values = (DatetimeValues if state["is_datetime"] else NumberValues)(state)
        # The state tells its encoding: stored quantiles, or modes.
        self.encoding = (QuantileEncoder if "quantiles" in state else ModeEncoder)(state)
        self.missing = MissingIndicator() if state["has_missing"] else None

    @classmethod
    def fit(cls, name, series, encoding, rng, max_modes, weight_threshold):
        is_datetime = pd.api.types.is_datetime64_any_dtype(series)
        numbers = as_numbers(series)
        present = numbers[~np.isnan(numbers)]
        if len(present) == 0:
            raise ValueError(f"Column {name!r} has no values (all missing).")
        std = float(present.std())
        state = {"name": name, "kind": "continuous", "dtype": _dtype_name(series),
                 "min": float(present.min()), "max": float(present.max())}
        state.update((DatetimeValues if is_datetime else NumberValues).fit_state(series, present))
        state.update({"has_missing": bool(np.isnan(numbers).any()),
                      "missing_rate": float(np.isnan(numbers).mean())})
        # Standardize first: datetimes in nanoseconds would defeat the mixture fit.
        center, scale = float(present.mean()), std if std > 0 else 1.0
        state["center"], state["scale"] = center, scale
        sample = (present - center) / scale
        if std == 0:  # one value: one mode
            state.update(means=[0.0], stds=[1.0], weights=[1.0])
        elif encoding == "quantile":
            state.update(QuantileEncoder.fit_state(sample))
        else:
            state.update(ModeEncoder.fit_state(sample, rng, max_modes, weight_threshold))
        return cls(state)

    def spans(self):
        return self.encoding.spans(self.name) + (
            self.missing.spans(self.name) if self.missing else [])

    def transform(self, series, rng):
        numbers = as_numbers(series)
        is_missing = np.isnan(numbers)
        center, scale = self.state["center"], self.state["scale"]
        x = (np.where(is_missing, center, numbers) - center) / scale
        missing_block = self.missing.encode(is_missing) if self.missing else []
        return self.encoding.encode(x, rng) + missing_block

    def numbers(self, block):
        """`(values in the column's units, missing mask or None)` of its block, before
        clipping and rounding."""
        x = self.encoding.decode(block)
        missing = self.missing.decode(block[:, -2:]) if self.missing else None
        return x * self.state["scale"] + self.state["center"], missing

    def inverse(self, block, rng, calibrator=None):
        x, missing = self.numbers(block)
        if calibrator is not None:
            x = calibrator.apply(self.name, x, rng=rng)
        return self.values.restore(x, missing)

    @property
    def missing_rate(self):
        return self.state["missing_rate"]


# ------------------------------------------------------------------- helpers


def _quantile_levels(n):
    """The distribution levels of `n` stored quantiles: the middles of n equal shares,
    so the smallest and largest values stay inside (0, 1) and come back exactly."""
    return (np.arange(n) + 0.5) / n


def as_numbers(series):
    """A numeric or datetime column as float64 (datetimes as UTC nanoseconds, NaN where
    missing)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        if series.dt.tz is not None:
            series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        gaps = series.isna().to_numpy()
        values = series.astype("datetime64[ns]").astype("int64").to_numpy(dtype="float64")
        values[gaps] = np.nan
        return values
    return pd.to_numeric(series, errors="raise").to_numpy(dtype="float64")


def _time_resolution(nanoseconds):
    """The coarsest of day / hour / minute / second / ms / us / ns that every
    timestamp is a whole multiple of."""
    stamps = nanoseconds.astype("int64")
    for unit in (86_400 * 10**9, 3_600 * 10**9, 60 * 10**9, 10**9, 10**6, 10**3):
        if np.all(stamps % unit == 0):
            return unit
    return 1


def _dtype_name(series):
    return str(series.dtype)


def _to_json_scalar(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _restore_scalar(value, kind):
    if kind == "Timestamp":
        return pd.Timestamp(value)
    if kind in ("int64", "int32", "int"):
        return int(value)
    if kind in ("float64", "float32", "float"):
        return float(value)
    if kind in ("bool", "bool_"):
        return bool(value)
    return value


def _same_value(category, kind, value):
    try:
        return bool(_restore_scalar(category, kind) == value)
    except (TypeError, ValueError):
        return False


def _cast(values, dtype, categorical=None):
    if dtype == "category":
        return values.astype(pd.CategoricalDtype(categorical["categories"], categorical["ordered"]))
    if dtype == "bool" and not values.isna().any():
        return values.astype(bool)
    if dtype.startswith(("int", "uint")) and not values.isna().any():
        return values.astype(dtype)
    if dtype.startswith("float"):
        return values.astype(dtype)
    if dtype in ("string", "str"):
        return values.astype(dtype)
    if dtype == "object":
        return values.astype(object)
    return values

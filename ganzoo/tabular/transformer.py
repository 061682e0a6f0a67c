"""Turns a DataFrame into the matrix a tabular GAN trains on, and back.

Continuous columns get mode-specific normalization (Xu et al. 2019, CTGAN): a
Bayesian Gaussian mixture per column finds its modes; a value becomes a one-hot
mode indicator plus a scalar in [-1, 1] giving its place within that mode. Or, with
`continuous_encoding="quantile"`, a Gaussian-copula transform (as SDV's CopulaGAN
and GaussianCopula use): a value becomes one scalar, the standard-normal quantile of
its place in the column's distribution (divided by 4), so monotone relations between
columns become nearly linear ones and every column's marginal is the same. Discrete
columns become one-hot vectors. Missing values get their own category (discrete) or
indicator (continuous) and come back as missing. Datetimes are handled as numbers;
integers come back as integers inside the observed range; strings come back exactly;
column order and dtypes are restored.

The transformer's state is plain JSON (no pickle), see `get_state` / `from_state`.
"""

import json
import warnings

import numpy as np
import pandas as pd

from ganzoo.tabular import defaults

MISSING = "__ganzoo_missing__"
#: Rows used to fit each column's mixture; the modes of a column are clear long
#: before 50k rows, and the fit is most of a transformer's time.
MIXTURE_SAMPLE = 5000
#: Points of a column's distribution kept by the quantile encoding.
QUANTILES = 1001
#: The quantile encoding's scalar is z / 4: standard-normal values within +-3.96.
Z_SCALE = 4.0
ENCODINGS = ("mode", "quantile")


class ColumnSpan:
    """One block of the transformed matrix: `kind` is "scalar" (tanh, 1 column) or
    "onehot" (softmax over `size` columns); `discrete` marks one-hot blocks that
    encode a discrete column's categories (what conditions can ask for)."""

    def __init__(self, column, kind, size, discrete=False):
        self.column, self.kind, self.size, self.discrete = column, kind, size, discrete

    def __repr__(self):
        return f"ColumnSpan({self.column!r}, {self.kind!r}, {self.size}, discrete={self.discrete})"


class DataTransformer:
    """Fits on a DataFrame; `transform` gives float32 `[n, output_dim]`, and
    `inverse_transform` gives a DataFrame like the one it was fitted on.

    Args:
        max_modes: mixture components per continuous column (CTGAN uses 10).
        weight_threshold: modes with less weight than this are dropped.
        max_categories_for_integers: integer columns with at most this many
            distinct values are treated as discrete.
        seed: seed of the mixture fits and of mode sampling.
        continuous_encoding: "mode" (mode-specific normalization) or "quantile" (the
            Gaussian-copula transform).
    """

    def __init__(self, max_modes=10, weight_threshold=0.005, max_categories_for_integers=20,
                 seed=0, continuous_encoding=defaults.CONTINUOUS_ENCODING):
        if continuous_encoding not in ENCODINGS:
            raise ValueError(f"continuous_encoding must be one of {ENCODINGS}, got "
                             f"{continuous_encoding!r}.")
        self.continuous_encoding = continuous_encoding
        self.max_modes = int(max_modes)
        self.weight_threshold = float(weight_threshold)
        self.max_categories_for_integers = int(max_categories_for_integers)
        self.seed = seed
        self.columns = []  # one dict of metadata per column, in the original order
        self._rng = np.random.default_rng(seed)

    # ------------------------------------------------------------------ fit

    def fit(self, data, discrete_columns=None):
        data = check_dataframe(data)
        discrete_columns = set(discrete_columns or ())
        unknown = discrete_columns - set(data.columns)
        if unknown:
            raise ValueError(f"discrete_columns names unknown column(s): {sorted(map(str, unknown))}.")
        self.columns = []
        for name in data.columns:
            series = data[name]
            kind = "discrete" if name in discrete_columns else self._detect(series)
            if kind == "discrete":
                meta = self._fit_discrete(name, series)
            else:
                meta = self._fit_continuous(name, series)
            self.columns.append(meta)
        return self

    def _detect(self, series):
        name = series.name
        if pd.api.types.is_bool_dtype(series) or isinstance(series.dtype, pd.CategoricalDtype):
            return "discrete"
        if pd.api.types.is_datetime64_any_dtype(series):
            return "continuous"
        if pd.api.types.is_numeric_dtype(series):
            values = series.dropna()
            if np.isinf(values.to_numpy(dtype="float64")).any():
                raise ValueError(f"Column {name!r} contains infinite values; replace or drop them.")
            whole = np.all(np.mod(values.to_numpy(dtype="float64"), 1) == 0)
            if whole and values.nunique() <= self.max_categories_for_integers:
                return "discrete"
            return "continuous"
        kinds = {type(v) for v in series.dropna().head(10_000)}
        if len(kinds) > 1 and str in kinds:
            raise ValueError(
                f"Column {name!r} mixes types {sorted(k.__name__ for k in kinds)}; "
                "convert it to one type (e.g. df[col].astype(str))."
            )
        return "discrete"

    def _fit_discrete(self, name, series):
        values = series.astype(object).where(series.notna(), MISSING)
        counts = values.value_counts(sort=False)
        categories = list(counts.index)
        if len(categories) > 0.9 * len(series) and len(series) > 50:
            # One-hot encoding it would cost rows x rows floats and teach nothing.
            warnings.warn(
                f"Column {name!r} looks like an identifier ({len(categories)} distinct values "
                f"in {len(series)} rows): it is left out of the model, and synthetic rows "
                "get new unique identifiers.",
                stacklevel=3,
            )
            return {"name": name, "kind": "identifier", "dtype": _dtype_name(series)}
        gaps = series[series.isna()]
        return {
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
        }

    def _fit_continuous(self, name, series):
        from sklearn.mixture import BayesianGaussianMixture

        is_datetime = pd.api.types.is_datetime64_any_dtype(series)
        numbers = _as_numbers(series)
        present = numbers[~np.isnan(numbers)]
        if len(present) == 0:
            raise ValueError(f"Column {name!r} has no values (all missing).")
        low, high = float(present.min()), float(present.max())
        std = float(present.std())
        meta = {
            "name": name, "kind": "continuous", "dtype": _dtype_name(series),
            "is_datetime": bool(is_datetime), "min": low, "max": high,
            "tz": str(series.dt.tz) if is_datetime and series.dt.tz is not None else None,
            "resolution_ns": _time_resolution(present) if is_datetime else None,
            "integer": bool(not is_datetime and np.all(np.mod(present, 1) == 0)),
            "has_missing": bool(np.isnan(numbers).any()),
            "missing_rate": float(np.isnan(numbers).mean()),
        }
        # Scale before the mixture fit: datetimes in nanoseconds would defeat it.
        center, scale = float(present.mean()), std if std > 0 else 1.0
        meta["center"], meta["scale"] = center, scale
        if std == 0:
            meta.update(means=[0.0], stds=[1.0], weights=[1.0])
            return meta
        sample = (present - center) / scale
        if self.continuous_encoding == "quantile":
            # "quantiles" marks the encoding. Up to QUANTILES rows: every value itself,
            # so values round-trip.
            meta["quantiles"] = np.quantile(
                sample, np.linspace(0, 1, min(QUANTILES, len(sample)))).tolist()
            return meta
        if len(sample) > MIXTURE_SAMPLE:
            sample = self._rng.choice(sample, MIXTURE_SAMPLE, replace=False)
        mixture = BayesianGaussianMixture(
            n_components=min(self.max_modes, len(np.unique(sample))),
            weight_concentration_prior_type="dirichlet_process",
            weight_concentration_prior=0.001, max_iter=100, n_init=1,
            random_state=int(self._rng.integers(2**31 - 1)),
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence warnings on easy columns
            mixture.fit(sample.reshape(-1, 1))
        keep = mixture.weights_ > self.weight_threshold
        if not keep.any():
            keep[np.argmax(mixture.weights_)] = True
        weights = mixture.weights_[keep]
        meta.update(
            means=mixture.means_[keep, 0].tolist(),
            stds=np.sqrt(mixture.covariances_[keep].reshape(-1)).tolist(),
            weights=(weights / weights.sum()).tolist(),
        )
        return meta

    # ---------------------------------------------------------------- spans

    @property
    def output_spans(self):
        spans = []
        for meta in self.columns:
            if meta["kind"] == "identifier":
                continue
            if meta["kind"] == "discrete":
                spans.append(ColumnSpan(meta["name"], "onehot", len(meta["categories"]), True))
            else:
                spans.append(ColumnSpan(meta["name"], "scalar", 1))
                if "quantiles" not in meta:
                    spans.append(ColumnSpan(meta["name"], "onehot", len(meta["means"])))
                if meta["has_missing"]:
                    spans.append(ColumnSpan(meta["name"], "onehot", 2))
        return spans

    @property
    def output_dim(self):
        return sum(span.size for span in self.output_spans)

    @property
    def discrete_columns(self):
        return [m["name"] for m in self.columns if m["kind"] == "discrete"]

    def column(self, name):
        for meta in self.columns:
            if meta["name"] == name:
                return meta
        raise ValueError(
            f"Unknown column {name!r}; the table's columns are {[m['name'] for m in self.columns]}."
        )

    def _condition_column(self, name):
        """The metadata of discrete column `name`, the only kind a condition can fix."""
        meta = self.column(name)
        if meta["kind"] != "discrete":
            raise ValueError(
                f"Column {name!r} is {meta['kind']}; conditions can only fix discrete columns."
            )
        return meta

    def category_index(self, name, value):
        """Index of `value` among discrete column `name`'s categories (exact match)."""
        meta = self._condition_column(name)
        for i, (category, kind) in enumerate(zip(meta["categories"], meta["category_types"])):
            if _same_value(category, kind, value):
                return i
        shown = meta["categories"][:10]
        raise ValueError(
            f"Value {value!r} never occurs in column {name!r}; seen values include {shown}."
        )

    def parse_condition(self, text):
        """`(column, value)` from `"COLUMN=VALUE"` as typed on a command line: the value
        as the column stores it (a number, a string with its exact spelling, ...)."""
        column, sep, value = text.partition("=")
        if not sep:
            raise ValueError(f"Condition {text!r} must look like COLUMN=VALUE.")
        meta = self._condition_column(column)
        for category, kind in zip(meta["categories"], meta["category_types"]):
            if str(category) == value:
                return column, _restore_scalar(category, kind)
        raise ValueError(f"Value {value!r} never occurs in column {column!r}; seen values "
                         f"include {[str(c) for c in meta['categories'][:10]]}.")

    # ------------------------------------------------------------ transform

    def transform(self, data):
        data = check_dataframe(data)
        missing = [m["name"] for m in self.columns if m["name"] not in data.columns]
        if missing:
            raise ValueError(f"The data lacks column(s) {missing} seen when fitting.")
        # Each column's blocks go straight into one float32 matrix: the transform never
        # holds more than the matrix and one column's intermediates.
        matrix = np.empty((len(data), self.output_dim), dtype="float32")
        for meta, start, size in self._column_layout():
            if meta["kind"] == "identifier":
                continue
            series = data[meta["name"]]
            blocks = ([self._transform_discrete(meta, series)] if meta["kind"] == "discrete"
                      else self._transform_continuous(meta, series))
            for block in blocks:
                matrix[:, start:start + block.shape[1]] = block
                start += block.shape[1]
        return matrix

    def _transform_discrete(self, meta, series):
        values = series.astype(object).where(series.notna(), MISSING)
        lookup = {}
        for i, (c, kind) in enumerate(zip(meta["categories"], meta["category_types"])):
            lookup[_restore_scalar(c, kind)] = i
        index = values.map(lookup)
        if index.isna().any():
            bad = values[index.isna()].iloc[0]
            raise ValueError(f"Column {meta['name']!r} has value {bad!r} not seen when fitting.")
        onehot = np.zeros((len(series), len(meta["categories"])), dtype="float32")
        onehot[np.arange(len(series)), index.to_numpy(dtype="int64")] = 1.0
        return onehot

    def _transform_continuous(self, meta, series):
        numbers = _as_numbers(series)
        is_missing = np.isnan(numbers)
        x = (np.where(is_missing, meta["center"], numbers) - meta["center"]) / meta["scale"]
        missing_block = ([np.stack([~is_missing, is_missing], axis=1).astype("float32")]
                         if meta["has_missing"] else [])
        if "quantiles" in meta:
            return [self._copula_scalar(meta, x)[:, None]] + missing_block
        means, stds = np.asarray(meta["means"]), np.asarray(meta["stds"])
        weights = np.asarray(meta["weights"])
        # Posterior of each mode, then one mode sampled per value (as CTGAN does), so
        # values between modes are spread over both.
        log_p = (np.log(weights + 1e-12) - np.log(stds)
                 - 0.5 * ((x[:, None] - means) / stds) ** 2)
        log_p -= log_p.max(axis=1, keepdims=True)
        p = np.exp(log_p)
        p /= p.sum(axis=1, keepdims=True)
        u = self._rng.random((len(x), 1))
        mode = np.minimum((p.cumsum(axis=1) < u).sum(axis=1), len(means) - 1)
        scalar = np.clip((x - means[mode]) / (4 * stds[mode]), -0.99, 0.99)
        onehot = np.zeros((len(x), len(means)), dtype="float32")
        onehot[np.arange(len(x)), mode] = 1.0
        return [scalar[:, None], onehot] + missing_block

    def _copula_scalar(self, meta, x):
        """Each value's place in the column's distribution, as a standard-normal quantile
        / Z_SCALE. A value that many rows share (a point mass) gets a random place
        within its share, so the encoded column has no spikes for the generator to
        learn."""
        from scipy.special import ndtri

        grid = np.asarray(meta["quantiles"])
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
        jitter = low[j] + self._rng.random(len(x)) * (high[j] - low[j])
        u = np.where(on_grid, jitter, between)
        return np.clip(ndtri(u) / Z_SCALE, -0.99, 0.99)

    def inverse_transform(self, matrix, calibrator=None, rng=None):
        """The DataFrame a transformed matrix stands for. `calibrator` (a
        `MarginalCalibrator`) remaps continuous values before they are clipped to the
        observed range and rounded. `rng` (a NumPy Generator) draws the new identifiers
        and breaks the calibration's ties; the transformer's own when None."""
        rng = self._rng if rng is None else rng
        out = {}
        for meta, block in self._column_blocks(matrix):
            if meta["kind"] == "identifier":
                out[meta["name"]] = [f"synthetic-{h:012x}" for h in
                                     rng.integers(0, 2**48, size=len(matrix))]
            elif meta["kind"] == "discrete":
                out[meta["name"]] = self._restore_discrete(meta, block.argmax(axis=1))
            else:
                x, missing = self._continuous_numbers(meta, block)
                if calibrator is not None:
                    x = calibrator.apply(meta["name"], x, rng=rng)
                out[meta["name"]] = self._restore_continuous(meta, x, missing)
        return pd.DataFrame(out, columns=[m["name"] for m in self.columns])

    def continuous_numbers(self, matrix):
        """`{column: float64 values}` of every continuous column, in the column's
        units (datetimes as nanoseconds) before clipping and rounding; NaN where
        missing. What `MarginalCalibrator` is fitted on."""
        numbers = {}
        for meta, block in self._column_blocks(matrix):
            if meta["kind"] == "continuous":
                x, missing = self._continuous_numbers(meta, block)
                numbers[meta["name"]] = x if missing is None else np.where(missing, np.nan, x)
        return numbers

    def data_numbers(self, data):
        """`{column: float64 values}` of every continuous column of a DataFrame, in the
        units of `continuous_numbers`."""
        return {m["name"]: _as_numbers(data[m["name"]]) for m in self.columns
                if m["kind"] == "continuous"}

    def category_frequencies(self):
        """`{key: training frequencies}` of every categorical choice the generator
        makes: each discrete column's categories (key: the column name) and each
        continuous column's present / missing indicator (key: `(name, "missing")`)."""
        frequencies = {}
        for meta in self.columns:
            if meta["kind"] == "discrete":
                frequencies[meta["name"]] = list(meta["frequencies"])
            elif meta["kind"] == "continuous" and meta["has_missing"]:
                frequencies[(meta["name"], "missing")] = [1 - meta["missing_rate"],
                                                          meta["missing_rate"]]
        return frequencies

    def category_blocks(self, matrix):
        """`{key: block of matrix}` for the keys of `category_frequencies`."""
        return {key: matrix[:, start:start + size]
                for key, start, size in self._category_slices()}

    def with_categories_chosen(self, matrix, choose):
        """A copy of `matrix` whose categorical blocks are exact one-hots of
        `choose(key, block)` (e.g. `MarginalCalibrator.choose`)."""
        matrix = np.array(matrix, dtype="float32")
        for key, start, size in self._category_slices():
            index = choose(key, matrix[:, start:start + size])
            matrix[:, start:start + size] = np.eye(size, dtype="float32")[index]
        return matrix

    def _category_slices(self):
        for meta, start, size in self._column_layout():
            if meta["kind"] == "discrete":
                yield meta["name"], start, size
            elif meta["kind"] == "continuous" and meta["has_missing"]:
                yield (meta["name"], "missing"), start + size - 2, 2  # the last two columns

    def _column_layout(self):
        """(column metadata, first matrix column, width) in column order: the widths
        of each column's `output_spans`, so the layout is defined in one place."""
        widths = {}
        for span in self.output_spans:
            widths[span.column] = widths.get(span.column, 0) + span.size
        start = 0
        for meta in self.columns:
            size = widths.get(meta["name"], 0)  # identifiers have no span
            yield meta, start, size
            start += size

    def _column_blocks(self, matrix):
        """(column metadata, its block of `matrix`) in column order."""
        matrix = np.asarray(matrix)
        if matrix.ndim != 2 or matrix.shape[1] != self.output_dim:
            raise ValueError(
                f"Expected a matrix of shape [n, {self.output_dim}], got {matrix.shape}."
            )
        for meta, start, size in self._column_layout():  # float64 one block at a time
            yield meta, np.asarray(matrix[:, start:start + size], dtype="float64")

    @staticmethod
    def _continuous_numbers(meta, block):
        if "quantiles" in meta:
            from scipy.special import ndtr

            grid = np.asarray(meta["quantiles"])
            u = ndtr(np.clip(block[:, 0], -1, 1) * Z_SCALE)
            x = np.interp(u, _quantile_levels(len(grid)), grid)
            missing = block[:, 1:3].argmax(axis=1) == 1 if meta["has_missing"] else None
            return x * meta["scale"] + meta["center"], missing
        means, stds = np.asarray(meta["means"]), np.asarray(meta["stds"])
        size = len(means)
        mode = block[:, 1:1 + size].argmax(axis=1)
        x = np.clip(block[:, 0], -1, 1) * 4 * stds[mode] + means[mode]
        missing = block[:, 1 + size:3 + size].argmax(axis=1) == 1 if meta["has_missing"] else None
        return x * meta["scale"] + meta["center"], missing

    def _restore_discrete(self, meta, index):
        values = np.array([_restore_scalar(c, k) for c, k in
                           zip(meta["categories"], meta["category_types"])], dtype=object)[index]
        if MISSING in meta["categories"]:
            values[values == MISSING] = None if meta.get("missing_is_none") else np.nan
        return _cast(pd.Series(values, dtype=object), meta["dtype"], meta.get("categorical_dtype"))

    def _restore_continuous(self, meta, x, missing):
        x = np.clip(x, meta["min"], meta["max"])
        if meta["is_datetime"]:
            # Dates stay dates, whole seconds stay whole seconds.
            x = np.rint(x / meta["resolution_ns"]) * meta["resolution_ns"]
        elif meta["integer"]:
            x = np.rint(x)
        values = pd.Series(x)
        if missing is not None:
            values[missing] = np.nan
        if meta["is_datetime"]:
            stamps = pd.to_datetime(values, unit="ns")
            if meta.get("tz"):
                return stamps.dt.tz_localize("UTC").dt.tz_convert(meta["tz"])
            return stamps.astype(meta["dtype"])
        if meta["integer"] and not values.isna().any():
            return values.astype(meta["dtype"])
        if meta["integer"]:
            return values.astype("Int64") if meta["dtype"].startswith(("int", "Int")) else values
        return values.astype(meta["dtype"]) if meta["dtype"].startswith("float") else values

    # ---------------------------------------------------------------- state

    def get_state(self):
        return {
            "max_modes": self.max_modes, "weight_threshold": self.weight_threshold,
            "max_categories_for_integers": self.max_categories_for_integers,
            "seed": self.seed, "continuous_encoding": self.continuous_encoding,
            "columns": self.columns,
        }

    @classmethod
    def from_state(cls, state):
        state = json.loads(json.dumps(state))
        columns = state.pop("columns")
        state.setdefault("continuous_encoding", "mode")  # states of ganzoo <= 0.2
        transformer = cls(**state)
        transformer.columns = columns
        return transformer


# -------------------------------------------------------------------- helpers


def _quantile_levels(n):
    """The distribution levels of `n` stored quantiles: the middles of n equal shares,
    so the smallest and largest values stay inside (0, 1) and come back exactly."""
    return (np.arange(n) + 0.5) / n


def check_dataframe(data):
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"Expected a pandas DataFrame, got {type(data).__name__}.")
    if data.shape[1] == 0:
        raise ValueError("The table has no columns.")
    if len(data) == 0:
        raise ValueError("The table has no rows.")
    if data.columns.duplicated().any():
        raise ValueError(f"Duplicate column names: {list(data.columns[data.columns.duplicated()])}.")
    for name in data.columns:
        if data[name].isna().all():
            raise ValueError(f"Column {name!r} is entirely missing (all NaN); drop it.")
    return data


def _as_numbers(series):
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

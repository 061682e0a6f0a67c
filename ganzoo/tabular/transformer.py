"""Turns a DataFrame into the matrix a tabular GAN trains on, and back.

Each column gets an encoder of its kind (`ganzoo.tabular.encoders`): discrete columns
become one-hot blocks, identifiers are left out, and continuous columns (numbers and
datetimes) become a scalar, with CTGAN's mode indicator (`continuous_encoding="mode"`)
or through a Gaussian copula (`"quantile"`), plus a missing-value indicator where values
are missing. The transformer detects each column's kind, lays the encoders' blocks out
side by side, and restores column order and dtypes on the way back.

The transformer's state is plain JSON (no pickle), see `get_state` / `from_state`.
"""

import json

import numpy as np
import pandas as pd

from ganzoo.tabular import defaults
from ganzoo.tabular.encoders import (MISSING, ColumnEncoder, ColumnSpan,  # noqa: F401
                                     ContinuousEncoder, OneHotEncoder, _quantile_levels,
                                     as_numbers)

ENCODINGS = ("mode", "quantile")


class DataTransformer:
    """Fits on a DataFrame; `transform` gives float32 `[n, output_dim]`, and
    `inverse_transform` gives a DataFrame like the one it was fitted on.

    Args:
        max_modes: mixture components per continuous column (CTGAN uses 10).
        weight_threshold: modes with less weight than this are dropped.
        max_categories_for_integers: integer columns with at most this many
            distinct values are treated as discrete.
        seed: seed of the mixture fits and of the encodings' sampling.
        continuous_encoding: "quantile" (the Gaussian-copula transform) or "mode"
            (mode-specific normalization).
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
        self.encoders = []  # one per column, in the table's order
        self._rng = np.random.default_rng(seed)

    @property
    def columns(self):
        """Every column's state (a JSON dict: its name, kind and what its encoder
        learned), in the table's order."""
        return [encoder.state for encoder in self.encoders]

    # ------------------------------------------------------------------ fit

    def fit(self, data, discrete_columns=None):
        data = check_dataframe(data)
        discrete_columns = set(discrete_columns or ())
        unknown = discrete_columns - set(data.columns)
        if unknown:
            raise ValueError(f"discrete_columns names unknown column(s): {sorted(map(str, unknown))}.")
        self.encoders = []
        for name in data.columns:
            series = data[name]
            if name in discrete_columns or self._detect(series) == "discrete":
                encoder = OneHotEncoder.fit(name, series)
            else:
                encoder = ContinuousEncoder.fit(name, series, self.continuous_encoding,
                                                self._rng, self.max_modes, self.weight_threshold)
            self.encoders.append(encoder)
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
                "convert it to one type (e.g. df[col].astype(str)).")
        return "discrete"

    # ---------------------------------------------------------------- spans

    @property
    def output_spans(self):
        return [span for encoder in self.encoders for span in encoder.spans()]

    @property
    def output_dim(self):
        return sum(span.size for span in self.output_spans)

    @property
    def discrete_columns(self):
        return [e.name for e in self.encoders if e.kind == "discrete"]

    def encoder(self, name):
        for encoder in self.encoders:
            if encoder.name == name:
                return encoder
        raise ValueError(f"Unknown column {name!r}; the table's columns are "
                         f"{[e.name for e in self.encoders]}.")

    def column(self, name):
        """The state of column `name`."""
        return self.encoder(name).state

    def matrix_columns(self, name):
        """The matrix columns that encode column `name` (none for a column left out)."""
        encoder = self.encoder(name)  # an unknown name raises here
        return next(list(range(start, start + size))
                    for e, start, size in self._layout() if e is encoder)

    def _condition_column(self, name):
        """The encoder of discrete column `name`, the only kind a condition can fix."""
        encoder = self.encoder(name)
        if encoder.kind != "discrete":
            raise ValueError(
                f"Column {name!r} is {encoder.kind}; conditions can only fix discrete columns.")
        return encoder

    def category_index(self, name, value):
        """Index of `value` among discrete column `name`'s categories (exact match)."""
        return self._condition_column(name).index_of(value)

    def parse_condition(self, text):
        """`(column, value)` from `"COLUMN=VALUE"` as typed on a command line: the value
        as the column stores it (a number, a string with its exact spelling, ...)."""
        column, sep, value = text.partition("=")
        if not sep:
            raise ValueError(f"Condition {text!r} must look like COLUMN=VALUE.")
        return column, self._condition_column(column).parse(value)

    # ------------------------------------------------------------ transform

    def transform(self, data):
        data = check_dataframe(data)
        missing = [e.name for e in self.encoders if e.name not in data.columns]
        if missing:
            raise ValueError(f"The data lacks column(s) {missing} seen when fitting.")
        # Each column's blocks go straight into one float32 matrix: the transform never
        # holds more than the matrix and one column's intermediates.
        matrix = np.empty((len(data), self.output_dim), dtype="float32")
        for encoder, start, _ in self._layout():
            for block in encoder.transform(data[encoder.name], self._rng):
                matrix[:, start:start + block.shape[1]] = block
                start += block.shape[1]
        return matrix

    def inverse_transform(self, matrix, calibrator=None, rng=None):
        """The DataFrame a transformed matrix stands for. `calibrator` (a
        `MarginalCalibrator`) remaps continuous values before they are clipped to the
        observed range and rounded. `rng` (a NumPy Generator) draws the new identifiers
        and breaks the calibration's ties; the transformer's own when None."""
        rng = self._rng if rng is None else rng
        out = {encoder.name: encoder.inverse(block, rng, calibrator)
               for encoder, block in self._blocks(matrix)}
        return pd.DataFrame(out, columns=[e.name for e in self.encoders])

    def continuous_numbers(self, matrix):
        """`{column: float64 values}` of every continuous column, in the column's
        units (datetimes as nanoseconds) before clipping and rounding; NaN where
        missing. What `MarginalCalibrator` is fitted on."""
        numbers = {}
        for encoder, block in self._blocks(matrix):
            if encoder.kind == "continuous":
                x, missing = encoder.numbers(block)
                numbers[encoder.name] = x if missing is None else np.where(missing, np.nan, x)
        return numbers

    def data_numbers(self, data):
        """`{column: float64 values}` of every continuous column of a DataFrame, in the
        units of `continuous_numbers`."""
        return {e.name: as_numbers(data[e.name]) for e in self.encoders
                if e.kind == "continuous"}

    def encoded_numbers(self, rows):
        """`{column: float64 values}` of every quantile-encoded continuous column:
        `rows` values spread evenly over the distribution its encoding stores (all a
        private transformer keeps of the data's marginals)."""
        numbers = {}
        for encoder in self.encoders:
            if encoder.kind == "continuous" and "quantiles" in encoder.state:
                grid = np.asarray(encoder.state["quantiles"])
                z = np.interp((np.arange(rows) + 0.5) / rows, _quantile_levels(len(grid)), grid)
                numbers[encoder.name] = z * encoder.state["scale"] + encoder.state["center"]
        return numbers

    # ---------------------------------------------------------- categories

    def category_frequencies(self):
        """`{key: training frequencies}` of every categorical choice the generator
        makes: each discrete column's categories (key: the column name) and each
        continuous column's present / missing indicator (key: `(name, "missing")`)."""
        frequencies = {}
        for encoder in self.encoders:
            if encoder.kind == "discrete":
                frequencies[encoder.name] = encoder.frequencies
            elif encoder.kind == "continuous" and encoder.missing:
                frequencies[(encoder.name, "missing")] = [1 - encoder.missing_rate,
                                                          encoder.missing_rate]
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
        for encoder, start, size in self._layout():
            if encoder.kind == "discrete":
                yield encoder.name, start, size
            elif encoder.kind == "continuous" and encoder.missing:
                yield (encoder.name, "missing"), start + size - 2, 2  # the last two columns

    # -------------------------------------------------------------- layout

    def _layout(self):
        """(encoder, first matrix column, width) in column order."""
        start = 0
        for encoder in self.encoders:
            size = sum(span.size for span in encoder.spans())
            yield encoder, start, size
            start += size

    def _blocks(self, matrix):
        """(encoder, its block of `matrix`, float64) in column order."""
        matrix = np.asarray(matrix)
        if matrix.ndim != 2 or matrix.shape[1] != self.output_dim:
            raise ValueError(
                f"Expected a matrix of shape [n, {self.output_dim}], got {matrix.shape}.")
        for encoder, start, size in self._layout():  # float64 one block at a time
            yield encoder, np.asarray(matrix[:, start:start + size], dtype="float64")

    # ---------------------------------------------------------------- state

    def get_state(self):
        return {
            "max_modes": self.max_modes, "weight_threshold": self.weight_threshold,
            "max_categories_for_integers": self.max_categories_for_integers,
            "seed": self.seed, "continuous_encoding": self.continuous_encoding,
            "columns": self.columns,
        }

    @classmethod
    def from_encoders(cls, encoders, seed=0):
        """A fitted transformer of given encoders (a private release's:
        `ganzoo.tabular.private`)."""
        transformer = cls(seed=seed, continuous_encoding="quantile")
        transformer.encoders = list(encoders)
        return transformer

    @classmethod
    def from_state(cls, state):
        state = json.loads(json.dumps(state))
        columns = state.pop("columns")
        state.setdefault("continuous_encoding", "mode")  # states of ganzoo <= 0.2
        transformer = cls(**state)
        transformer.encoders = [ColumnEncoder.from_state(column) for column in columns]
        return transformer


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

"""What a private `TabularAugmenter` reads from its table besides DP-SGD's gradients.

Everything the transformer, the conditional sampler and the calibration learn comes from
one release: a histogram per column, all released at once by one Gaussian mechanism.
Each row adds one to one bin of every column's histogram, so adding or removing a row
moves the whole vector by sqrt(columns) in L2 norm; the noise's standard deviation is
the mechanism's multiplier times that. `measure` is the only function that reads the
rows; `encoders_from_release` builds the columns' encoders from the release alone
(the test suite rebuilds a fitted transformer from a saved release and compares).

- A discrete column whose values are public (a boolean or pandas Categorical dtype, or
  values declared with `categories=`): a count per value and one of missing values.
- A discrete column whose values are not public (strings; integers named in
  `discrete_columns`): counts of the values that occur, each released only above a
  threshold, so a value few rows hold is never published (the Gaussian sparse
  histogram: a value one row holds is released with probability at most
  `threshold_delta / columns`, which adds to delta; Wilkins et al. 2024). Rows whose
  value was not released become missing values. A column whose released values cover
  less than half the rows is an identifier: left out, new values made up on the way
  back (declare its values with `categories=` to keep it).
- A continuous column (numbers, datetimes): a histogram over a fixed partition of the
  real line (`BINS_PER_OCTAVE` bins per power of two on each side of zero, a bin for
  zero and one for missing values). Its range is the span of the runs of octaves
  whose noisy counts stand clear of the noise (`clear_span`), or the `bounds=`
  declared; values outside are clipped (and counted); the quantile encoding follows
  the noisy histogram.

What is public: the column names and dtypes (so whether a column is a number, a date or
text, and whether a column of integers can hold missing values), the number of rows
(as in TF Privacy and Opacus, whose accounting uses it), and what the user declares.
"""

import math
import warnings

import numpy as np
import pandas as pd

from ganzoo.tabular.encoders import (MISSING, QUANTILES, ContinuousEncoder,
                                     IdentifierEncoder, OneHotEncoder, _dtype_name,
                                     _quantile_levels, _restore_scalar, _to_json_scalar,
                                     as_numbers)

#: Bins per power of two of a continuous column's histogram.
BINS_PER_OCTAVE = 8
#: The powers of two the partition spans on each side of zero: |x| below 2**MIN_EXPONENT
#: counts as zero, above 2**(MAX_EXPONENT + 1) is clipped (datetimes in nanoseconds
#: are about 2**61).
MIN_EXPONENT, MAX_EXPONENT = -30, 70
#: A range of bins (a run of octaves, a missing-value count) counts as present when its
#: noisy count exceeds this many standard deviations of its noise: about one false run
#: in 10**4 over the partition's 202 octaves and the widths below.
PRESENT_SIGMAS = 4.5
#: Widths, in octaves, of the runs tested for standing clear, narrowest first: a column
#: spread over many powers of two (years of tenure, 1-40) may hold too few rows in any
#: one of them at a small epsilon, but enough in four.
RUN_OCTAVES = (1, 2, 4, 8)
#: Share of delta spent on releasing values of columns whose values are not public.
THRESHOLD_DELTA_SHARE = 0.1
#: A column of undeclared values is an identifier when its released values cover less
#: than this share of the rows.
IDENTIFIER_COVERAGE = 0.5
#: Whole seconds: the resolution of a private datetime column (reading the data's own
#: would look at every value).
TIME_RESOLUTION_NS = 10**9


class BudgetTooSmall(ValueError):
    """The noise hides what a column needs (its range, its values)."""


# ------------------------------------------------------------------ plan


def plan_columns(data, discrete_columns=(), categories=None, bounds=None):
    """Each column's kind and what is public about it, from dtypes and declarations
    only: `[{"name", "kind": "discrete" | "continuous", "domain" (list or None),
    "bounds" (pair or None), "dtype", ...}]`."""
    categories, bounds = dict(categories or {}), dict(bounds or {})
    for name in set(categories) | set(bounds) | set(discrete_columns or ()):
        if name not in data.columns:
            raise ValueError(f"Column {name!r} is declared (categories=, bounds= or "
                             "discrete_columns) but the table has no such column.")
    plan = []
    for name in data.columns:
        series = data[name]
        entry = {"name": name, "dtype": _dtype_name(series)}
        is_bool = pd.api.types.is_bool_dtype(series)
        is_categorical = isinstance(series.dtype, pd.CategoricalDtype)
        numeric = (pd.api.types.is_numeric_dtype(series) and not is_bool) or \
            pd.api.types.is_datetime64_any_dtype(series)
        if name in bounds:
            if not numeric or name in categories or name in (discrete_columns or ()):
                raise ValueError(f"bounds= names column {name!r}, which is not a continuous "
                                 "(numeric or datetime) column.")
            low, high = (float(v) for v in as_numbers(pd.Series(bounds[name])))
            if not low < high:
                raise ValueError(f"bounds for {name!r} must be (low, high) with low < high, "
                                 f"got {bounds[name]}.")
            entry.update(kind="continuous", bounds=[low, high])
        elif name in categories:
            values = list(categories[name])
            if not values:
                raise ValueError(f"categories for {name!r} is empty.")
            entry.update(kind="discrete", domain=values)
        elif is_bool:
            entry.update(kind="discrete", domain=[False, True])
        elif is_categorical:
            entry.update(kind="discrete", domain=list(series.cat.categories))
        elif numeric and name not in (discrete_columns or ()):
            entry.update(kind="continuous", bounds=None)
        else:
            entry.update(kind="discrete", domain=None)
        if entry["kind"] == "continuous":
            entry.update(is_datetime=bool(pd.api.types.is_datetime64_any_dtype(series)),
                         tz=str(series.dt.tz) if pd.api.types.is_datetime64_any_dtype(series)
                         and series.dt.tz is not None else None,
                         integer=bool(pd.api.types.is_integer_dtype(series)),
                         # numpy integers and booleans cannot hold a missing value
                         can_miss=not (series.dtype.kind in "iub"))
        else:
            entry.update(categorical_dtype=(
                {"categories": [_to_json_scalar(c) for c in series.cat.categories],
                 "ordered": bool(series.cat.ordered)} if is_categorical else None))
            if entry["domain"] is not None:
                entry["domain"] = [_to_json_scalar(v) for v in entry["domain"]]
                entry["domain_types"] = [type(v).__name__ for v in
                                         (categories.get(name) or entry["domain"])]
        plan.append(entry)
    return plan


def undeclared_columns(plan):
    """How many discrete columns have values that are not public."""
    return sum(1 for c in plan if c["kind"] == "discrete" and c["domain"] is None)


# -------------------------------------------------------------- partition


def _octave_edges():
    """The partition's bin edges, increasing: negative octaves, the zero bin, positive."""
    fractions = 1 + np.arange(BINS_PER_OCTAVE) / BINS_PER_OCTAVE
    exponents = np.arange(MIN_EXPONENT, MAX_EXPONENT + 1)
    positive = (2.0 ** exponents[:, None] * fractions[None, :]).ravel()
    positive = np.r_[positive, 2.0 ** (MAX_EXPONENT + 1)]
    return np.r_[-positive[::-1], positive]  # the bin between -2**MIN and 2**MIN is zero


EDGES = _octave_edges()
BINS = len(EDGES) - 1
ZERO_BIN = BINS // 2


def _octave_of_bin(index):
    """Octave number of each bin (the zero bin is an octave of its own)."""
    index = np.asarray(index)
    return np.where(index < ZERO_BIN, index // BINS_PER_OCTAVE,
                    np.where(index == ZERO_BIN, ZERO_BIN // BINS_PER_OCTAVE,
                             (index - 1) // BINS_PER_OCTAVE + 1))


OCTAVES = _octave_of_bin(np.arange(BINS))  # each bin's octave
OCTAVE_WIDTHS = np.bincount(OCTAVES)  # bins per octave


def bin_of(x):
    """Each value's bin of the partition (values beyond it fall in the outer bins)."""
    return np.clip(np.searchsorted(EDGES, x, side="right") - 1, 0, BINS - 1)


# ---------------------------------------------------------------- measure


def measure(data, plan, noise_std, threshold, rng):
    """The release: every column's noisy histogram (the one place the rows are read).
    `noise_std`: the Gaussian noise of every count; `threshold`: the noisy count above
    which an undeclared value is released. Returns `(release, notes)`: `notes` are
    counts for the data holder's eyes (values clipped or not released), never saved."""
    release, notes = [], {}
    for column in plan:
        series = data[column["name"]]
        if column["kind"] == "continuous":
            numbers = as_numbers(series)
            missing = np.isnan(numbers)
            present = numbers[~missing]
            if column["bounds"] is not None:
                low, high = column["bounds"]
                outside = int(((present < low) | (present > high)).sum())
                if outside:
                    notes[column["name"]] = f"{outside} values outside the declared bounds, clipped"
                present = np.clip(present, low, high)
            counts = np.bincount(bin_of(present), minlength=BINS).astype("float64")
            noisy = counts + rng.normal(0, noise_std, BINS)
            noisy_missing = float(missing.sum() + rng.normal(0, noise_std))
            span = clear_span(noisy, noise_std)
            entry = {"name": column["name"], "missing": noisy_missing}
            if span is not None:
                first = int(np.flatnonzero(OCTAVES == span[0])[0])
                last = int(np.flatnonzero(OCTAVES == span[1])[-1])
                entry.update(first_bin=first, counts=noisy[first:last + 1].tolist())
            elif column["bounds"] is not None:
                inside = np.flatnonzero((EDGES[1:] > column["bounds"][0]) &
                                        (EDGES[:-1] < column["bounds"][1]))
                entry.update(first_bin=int(inside[0]),
                             counts=noisy[inside[0]:inside[-1] + 1].tolist())
            else:
                entry.update(first_bin=None, counts=[])
            release.append(entry)
        else:
            values = series.astype(object).where(series.notna(), MISSING)
            if column["domain"] is not None:
                lookup = {v: i for i, v in enumerate(_domain_values(column))}
                index = values.map(lookup)
                unknown = index.isna() & (values != MISSING)
                if unknown.any():
                    notes[column["name"]] = (f"{int(unknown.sum())} values outside the "
                                             "declared categories, counted as missing")
                index = index.fillna(len(lookup)).to_numpy(dtype="int64")
                counts = np.bincount(index, minlength=len(lookup) + 1).astype("float64")
                noisy = counts + rng.normal(0, noise_std, len(counts))
                release.append({"name": column["name"], "counts": noisy[:-1].tolist(),
                                "missing": float(noisy[-1])})
            else:
                counts = values.value_counts(sort=False)
                missing = float(counts.pop(MISSING)) if MISSING in counts.index else 0.0
                noisy = counts.to_numpy(dtype="float64") + rng.normal(0, noise_std, len(counts))
                keep = noisy > threshold
                kept = [v for v, k in zip(counts.index, keep) if k]
                not_released = int(counts.to_numpy()[~keep].sum())
                if not_released:
                    notes[column["name"]] = (f"{not_released} rows hold values below the "
                                             "release threshold, made missing")
                release.append({"name": column["name"],
                                "values": [_to_json_scalar(v) for v in kept],
                                "types": [type(v).__name__ for v in kept],
                                "counts": noisy[keep].tolist(),
                                "missing": missing + float(rng.normal(0, noise_std))})
    return release, notes


def clear_span(noisy, noise_std):
    """The first and last octave a continuous column keeps, from its noisy histogram
    alone, or None. Runs of octaves are tested narrowest first (`RUN_OCTAVES`); the
    octaves of a run that stands clear are kept when their own noisy count is positive,
    and count as zero in the wider runs, so that a wide run never stands clear on the
    strength of octaves already kept. The span is from the first kept octave to the last."""
    sums = np.bincount(OCTAVES, weights=noisy)
    kept = np.zeros(len(sums), bool)
    for width in RUN_OCTAVES:
        run_sums = np.convolve(np.where(kept, 0.0, sums), np.ones(width), "valid")
        run_bins = np.convolve(OCTAVE_WIDTHS, np.ones(width), "valid")
        for start in np.flatnonzero(run_sums > PRESENT_SIGMAS * noise_std * np.sqrt(run_bins)):
            kept[start:start + width] |= sums[start:start + width] > 0
    if not kept.any():
        return None
    present = np.flatnonzero(kept)
    return int(present[0]), int(present[-1])


def _domain_values(column):
    return [_restore_scalar(v, t) for v, t in zip(column["domain"], column["domain_types"])]


# ------------------------------------------------------- encoders from release


def encoders_from_release(plan, release, rows, noise_std, epsilon=None):
    """Each column's encoder, from the plan (public) and the release alone."""
    encoders = []
    for column, released in zip(plan, release):
        if column["kind"] == "continuous":
            encoders.append(_continuous(column, released, rows, noise_std, epsilon))
        else:
            encoders.append(_discrete(column, released, rows, noise_std))
    return encoders


def _continuous(column, released, rows, noise_std, epsilon):
    name = column["name"]
    if released["first_bin"] is None:
        # For the widest run to stand out if half the rows fall in it; the noise
        # shrinks about in proportion as epsilon grows (the Gaussian mechanism).
        width = RUN_OCTAVES[-1]
        needed = rows / 2 / (PRESENT_SIGMAS * (width * BINS_PER_OCTAVE) ** 0.5)
        hint = (f" (roughly epsilon {epsilon * noise_std / needed:.2g} with this "
                "preprocessing_share)" if epsilon else "")
        raise BudgetTooSmall(
            f"Column {name!r}: no range of values stands clear of the noise (standard "
            f"deviation {noise_std:.1f} rows per bin; with {rows} rows, {width} powers of two "
            f"holding half of them need it below {needed:.1f}). Declare its range "
            f"(bounds={{{name!r}: (low, high)}}), or give a larger epsilon{hint}.")
    first = released["first_bin"]
    masses = np.maximum(np.asarray(released["counts"], "float64"), 0.0)
    edges = EDGES[first:first + len(masses) + 1].copy()
    if column["bounds"] is not None:
        edges = np.clip(edges, *column["bounds"])
        low, high = column["bounds"]
    else:
        low, high = float(edges[0]), float(edges[-1])
    # Every bin keeps a little mass, so the distribution function increases strictly.
    masses = masses + max(masses.sum(), 1.0) * 1e-4 / len(masses)
    cdf = np.r_[0.0, np.cumsum(masses)] / masses.sum()
    quantile = lambda levels: np.interp(levels, cdf, edges)  # noqa: E731
    center = float(quantile(0.5))
    scale = float(quantile(0.8413) - quantile(0.1587)) / 2 or (high - low) / 4 or 1.0
    grid = (quantile(_quantile_levels(QUANTILES)) - center) / scale
    noisy_missing = max(released["missing"], 0.0)
    has_missing = bool(column["can_miss"] and noisy_missing > PRESENT_SIGMAS * noise_std)
    present = masses.sum()
    state = {"name": name, "kind": "continuous", "dtype": column["dtype"],
             "min": low, "max": high, "is_datetime": column["is_datetime"],
             "tz": column["tz"],
             "resolution_ns": TIME_RESOLUTION_NS if column["is_datetime"] else None,
             "integer": column["integer"], "has_missing": has_missing,
             "missing_rate": noisy_missing / (noisy_missing + present) if has_missing else 0.0,
             "center": center, "scale": scale, "quantiles": grid.tolist()}
    return ContinuousEncoder(state)


def _discrete(column, released, rows, noise_std):
    name = column["name"]
    counts = np.maximum(np.asarray(released["counts"], "float64"), 0.0)
    if column["domain"] is not None:
        categories, types = list(column["domain"]), list(column["domain_types"])
        missing = max(released["missing"], 0.0)
    else:
        categories, types = list(released["values"]), list(released["types"])
        # Rows whose value was not released are missing values too.
        missing = max(released["missing"], 0.0) + max(rows - counts.sum()
                                                      - max(released["missing"], 0.0), 0.0)
        if counts.sum() < IDENTIFIER_COVERAGE * rows:
            warnings.warn(
                f"Column {name!r}: its released values cover {counts.sum() / rows:.0%} of the "
                "rows, so it is treated as an identifier (left out; synthetic rows get new "
                f"values). Declare its values (categories={{{name!r}: [...]}}) to keep it.",
                stacklevel=4)
            return IdentifierEncoder({"name": name, "kind": "identifier",
                                      "dtype": column["dtype"]})
    if missing > PRESENT_SIGMAS * noise_std:
        categories, types = categories + [MISSING], types + ["str"]
        counts = np.r_[counts, missing]
    if counts.sum() <= 0:
        counts = np.ones(len(categories))
    frequencies = counts / counts.sum()
    state = {"name": name, "kind": "discrete", "dtype": column["dtype"],
             "missing_is_none": False, "categorical_dtype": column["categorical_dtype"],
             "categories": categories, "category_types": types,
             "frequencies": frequencies.tolist(),
             # Values not among the categories (not released, or missing where missing
             # values were too few to keep) take this one.
             "unknown_category": int(len(categories) - 1 if categories[-1] == MISSING
                                     else np.argmax(frequencies))}
    return OneHotEncoder(state)


def threshold(noise_std, delta, undeclared):
    """The noisy count above which an undeclared value is released: a value one row
    holds (count 1) passes with probability at most delta / undeclared columns."""
    from scipy.stats import norm

    if undeclared == 0:
        return math.inf
    return 1.0 + noise_std * float(norm.isf(delta / undeclared))


__all__ = ["BudgetTooSmall", "clear_span", "encoders_from_release", "measure", "plan_columns",
           "threshold"]

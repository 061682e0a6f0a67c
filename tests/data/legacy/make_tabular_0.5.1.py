"""Wrote the saved TabularAugmenters of ganzoo 0.5.1 (main at 0393ad5) that
tests/test_tabular_legacy.py loads: `python make_tabular_0.5.1.py OUT_DIR` with that
version installed. Each folder holds what `save` wrote and the rows `sample(200, seed=3)`
gave then (CSV, with the dtypes in JSON)."""
import json
import os
import sys
import numpy as np, pandas as pd
from ganzoo.tabular import TabularAugmenter
import ganzoo
out = sys.argv[1]
rng = np.random.default_rng(0)
n = 300
a = rng.lognormal(1.0, 0.5, n)
df = pd.DataFrame({
    "amount": np.where(rng.random(n) < 0.1, np.nan, a),
    "count": rng.integers(0, 500, n),
    "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D"),
    "group": rng.choice(["north", "south", "east"], n),
    "flag": rng.random(n) < 0.3,
    "level": pd.Categorical(rng.choice(["low", "mid", "high"], n), categories=["low", "mid", "high"], ordered=True),
    "note": np.where(rng.random(n) < 0.2, None, rng.choice(["a", "b"], n)).astype(object),
    "id": [f"row-{i:05d}" for i in range(n)],
    "constant": 7.5,
})
df.to_csv(os.path.join(out, "tabular_0.5.1_table.csv"), index=False)
for encoding in ("quantile", "mode"):
    aug = TabularAugmenter(epochs=2, batch_size=50, generator_dims=(16,), discriminator_dims=(16,),
                           continuous_encoding=encoding, seed=0, verbose=False).fit(df)
    path = os.path.join(out, f"tabular_{ganzoo.__version__}_{encoding}")
    aug.save(path)
    sample = aug.sample(200, seed=3)
    sample.to_csv(os.path.join(path, "expected_sample.csv"), index=False)
    with open(os.path.join(path, "expected_dtypes.json"), "w") as f:
        json.dump({c: str(t) for c, t in sample.dtypes.items()}, f, indent=1)
print(ganzoo.__version__, "written")

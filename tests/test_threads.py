"""TensorFlow's thread pools for the tabular GAN: set only when asked
(`cpu_threads="auto"`, which the `ganzoo augment` command asks for), before TensorFlow
starts, never over the user's choice. Each case needs a fresh interpreter (the pools are
process-wide and fixed once TensorFlow runs), so each runs in a subprocess."""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from ganzoo.core.threads import available_cores, small_op_threads
from ganzoo.tabular import TabularAugmenter

pytestmark = pytest.mark.slow  # every test starts processes

FIT_TINY = """
import numpy as np, pandas as pd
from ganzoo.tabular import TabularAugmenter
rng = np.random.default_rng(0)
df = pd.DataFrame({"a": rng.normal(size=120), "b": rng.choice(["x", "y"], 120)})
def fit(**options):
    return TabularAugmenter(epochs=1, batch_size=60, generator_dims=(16,), discriminator_dims=(16,),
                            calibrate=False, verbose=False, seed=0, **options).fit(df)
"""
REPORT = """
import tensorflow as tf
t = tf.config.threading
print("POOLS", t.get_inter_op_parallelism_threads(), t.get_intra_op_parallelism_threads())
"""


def pools_after(script, env=None):
    environment = {k: v for k, v in os.environ.items() if k not in ("TF_NUM_INTEROP_THREADS",
                                                                    "TF_NUM_INTRAOP_THREADS")}
    environment.update(env or {}, CUDA_VISIBLE_DEVICES="-1", TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([sys.executable, "-c", FIT_TINY + script + REPORT], env=environment,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    line = [s for s in result.stdout.splitlines() if s.startswith("POOLS")][-1]
    return tuple(int(n) for n in line.split()[1:])


def test_small_op_threads_split_the_cores_between_two_ops():
    assert small_op_threads(1) == (2, 1)
    assert small_op_threads(2) == (2, 1)
    assert small_op_threads(16) == (2, 8)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert available_cores() == cores
    assert small_op_threads() == (2, max(1, cores // 2))


def test_fit_leaves_the_pools_alone_by_default():
    assert pools_after("fit()") == (0, 0)


def test_fit_sets_the_pools_when_asked_before_tensorflow_starts():
    # a second augmenter in the same process, with the default, still fits
    assert pools_after("fit(cpu_threads='auto'); fit()") == small_op_threads()


def test_asked_for_pools_are_left_alone_when_too_late_or_chosen():
    # TensorFlow already ran an op: the pools are fixed, fit goes on without them
    assert pools_after("import tensorflow as tf; tf.constant(1.0) + 1; "
                       "fit(cpu_threads='auto')") == (0, 0)
    # the user chose through TensorFlow's own environment variables
    assert pools_after("fit(cpu_threads='auto')", env={"TF_NUM_INTRAOP_THREADS": "2"}) == (0, 0)


def test_cli_augment_fits_with_the_small_op_pools(tmp_path):
    csv, out = tmp_path / "in.csv", tmp_path / "out.csv"
    rng = np.random.default_rng(0)
    pd.DataFrame({"a": rng.normal(size=120), "b": rng.choice(["x", "y"], 120)}).to_csv(csv, index=False)
    script = (f"from ganzoo.cli import main\n"
              f"main(['augment', {str(csv)!r}, '--rows', '30', '--out', {str(out)!r}, "
              f"'--epochs', '1', '--batch-size', '60', '--quiet'])\n")
    assert pools_after(script) == small_op_threads()
    assert len(pd.read_csv(out)) == 30


def test_cpu_threads_must_be_auto_or_none():
    with pytest.raises(ValueError, match="cpu_threads"):
        TabularAugmenter(cpu_threads=4)

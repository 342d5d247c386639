"""HardLSTMCell against a NumPy reference, and the shared cell checks."""

import keras
import numpy as np
import pytest

from snnzoo import cells
from snnzoo import testing
from tests import reference as ref
from tests.cells.common import B
from tests.cells.common import M
from tests.cells.common import N
from tests.cells.common import T
from tests.cells.common import run


@pytest.mark.parametrize("cell_clip", [None, 1.0])
def test_hard_lstm(rng, fast, cell_clip):
    x = rng.uniform(-1, 1, size=(B, T, M)).astype("float32")
    w = {"kernel": rng.normal(0, 1.5, (M, 4 * N)),
         "recurrent_kernel": rng.normal(0, 1.5, (N, 4 * N)),
         "bias": rng.normal(0, 1, (4 * N,))}
    out, (h, c) = run(cells.HardLSTMCell(N, cell_clip=cell_clip), x, w, fast)
    exp, (eh, ec) = ref.hard_lstm(x, w["kernel"], w["recurrent_kernel"],
                                  w["bias"], cell_clip=cell_clip)
    np.testing.assert_allclose(out, exp, atol=1e-5)
    np.testing.assert_allclose(c, ec, atol=1e-5)
    if cell_clip:
        assert np.abs(c).max() <= cell_clip + 1e-6


def test_hard_lstm_init_and_weight_clip():
    cell = cells.HardLSTMCell(4, weight_clip=1.0)
    layer = keras.layers.RNN(cell)
    layer.build((None, 3, 2))
    b = np.asarray(cell.bias)
    np.testing.assert_array_equal(b, [0] * 4 + [1] * 4 + [0] * 8)
    assert cell.kernel.shape == (2, 16) and cell.recurrent_kernel.shape == (4, 16)
    cell.kernel.assign(np.full((2, 16), 5.0, "float32"))
    clipped = cell.kernel_constraint(cell.kernel)
    assert float(np.max(np.asarray(clipped))) == 1.0


def test_hard_lstm_cell_passes_the_shared_cell_checks(tmp_path):
    testing.run_cell_test(cells.HardLSTMCell, {"units": 4}, directory=tmp_path)

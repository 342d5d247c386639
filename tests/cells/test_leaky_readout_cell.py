"""LeakyReadoutCell against a NumPy reference, and the shared cell checks."""

import numpy as np

from snnzoo import cells
from snnzoo import testing
from tests import reference as ref
from tests.cells.common import B
from tests.cells.common import M
from tests.cells.common import N
from tests.cells.common import T
from tests.cells.common import run


def test_leaky_readout(rng, fast):
    x = rng.normal(size=(B, T, M)).astype("float32")
    w = {"kernel": rng.normal(size=(M, N)), "bias": rng.normal(size=(N,)),
         "beta": np.array([0.9, 0.5, 1.2, -0.2, 0.99])}
    out, _ = run(cells.LeakyReadoutCell(N), x, w, fast)
    exp, _ = ref.leaky_readout(x, w["kernel"], w["bias"], w["beta"])
    np.testing.assert_allclose(out, exp, atol=1e-4, rtol=1e-5)


def test_leaky_readout_cell_passes_the_shared_cell_checks(tmp_path):
    testing.run_cell_test(cells.LeakyReadoutCell, {"units": 4}, directory=tmp_path)

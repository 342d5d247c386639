"""AdaptiveLIFCell against a NumPy reference, and the shared cell checks."""

import numpy as np

from snnzoo import cells
from snnzoo import testing
from tests import reference as ref
from tests.cells.common import N
from tests.cells.common import check_spikes
from tests.cells.common import run
from tests.cells.common import spike_input
from tests.cells.common import weights


def test_adaptive_lif(rng, fast):
    x = spike_input(rng)
    w = weights(rng, scale=3.0)
    w["tau_membrane"] = np.array([2.0, 5.0, 20.0, 3.0, 8.0])
    w["tau_adaptation"] = np.array([10.0, 50.0, 200.0, 30.0, 5.0])
    cell = cells.AdaptiveLIFCell(N)
    out, states = run(cell, x, w, fast)
    exp, v = ref.adaptive_lif(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                              w["tau_membrane"], w["tau_adaptation"])
    check_spikes(out, exp)
    np.testing.assert_allclose(states[0], v, atol=1e-5)


def test_adaptive_lif_cell_passes_the_shared_cell_checks(tmp_path):
    testing.run_cell_test(cells.AdaptiveLIFCell, {"units": 4, "surrogate": "fast_sigmoid",
                                                   "tau_membrane_initializer": 2.0},
                           directory=tmp_path)

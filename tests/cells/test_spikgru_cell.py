"""SpikGRUCell against a NumPy reference, and the shared cell checks."""

import numpy as np
import pytest

from snnzoo import cells
from snnzoo import testing
from tests import reference as ref
from tests.cells.common import N
from tests.cells.common import check_spikes
from tests.cells.common import run
from tests.cells.common import spike_input
from tests.cells.common import weights


@pytest.mark.parametrize("ternary", [False, True])
def test_spikgru(rng, fast, ternary):
    x = spike_input(rng)
    w = weights(rng, gates=2, scale=1.5)
    w["alpha"] = np.array([0.9, 0.2, 1.3, -0.1, 0.7])
    cell = cells.SpikGRUCell(N, ternary=ternary)
    out, states = run(cell, x, w, fast)
    exp, v = ref.spikgru(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                         w["alpha"], ternary=ternary)
    check_spikes(out, exp)
    np.testing.assert_allclose(states[1], v, atol=1e-5)


def test_spikgru_cell_passes_the_shared_cell_checks(tmp_path):
    testing.run_cell_test(cells.SpikGRUCell, {"units": 4, "surrogate": "fast_sigmoid"}, directory=tmp_path)

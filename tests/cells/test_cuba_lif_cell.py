"""CubaLIFCell against a NumPy reference, surrogate gradients, and the shared cell checks."""

import keras
import numpy as np
import pytest

from snnzoo import cells
from snnzoo import layers
from snnzoo import testing
from tests import reference as ref
from tests.cells.common import M
from tests.cells.common import N
from tests.cells.common import T
from tests.cells.common import check_spikes
from tests.cells.common import grads
from tests.cells.common import run
from tests.cells.common import spike_input
from tests.cells.common import weights


@pytest.mark.parametrize("ternary", [False, True])
def test_cuba_lif(rng, fast, ternary):
    x = spike_input(rng)
    w = weights(rng, scale=1.5)
    w["alpha"] = np.array([0.9, 0.2, 1.3, -0.1, 0.7])
    w["beta"] = np.array([0.9, 0.6, 0.3, 1.1, 0.5])
    cell = cells.CubaLIFCell(N, ternary=ternary, current_clip=3.0,
                             membrane_clip=(-2.0, 2.0))
    out, states = run(cell, x, w, fast)
    exp, v = ref.cuba_lif(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                          w["alpha"], w["beta"], ternary=ternary,
                          iclip=(-3.0, 3.0), vclip=(-2.0, 2.0))
    check_spikes(out, exp)
    np.testing.assert_allclose(states[1], v, atol=1e-5)


def test_go_backwards_matches_generic_loop(rng):
    x = spike_input(rng)
    w = weights(rng, scale=1.5)
    w["alpha"] = np.full(N, 0.8)
    w["beta"] = np.full(N, 0.7)
    outs = []
    for cls in (layers.SpikingRNN, keras.layers.RNN):
        layer = cls(cells.CubaLIFCell(N), return_sequences=True,
                    go_backwards=True)
        layer.build(x.shape)
        testing.set_weights_by_name(layer, w)
        outs.append(np.asarray(layer(x)))
    np.testing.assert_array_equal(outs[0], outs[1])


def test_surrogate_gradient_reaches_weights_and_time_constants(rng):
    x = spike_input(rng)
    cell = cells.CubaLIFCell(N, surrogate="fast_sigmoid")
    model = keras.Sequential([keras.Input((T, M)),
                              layers.SpikingRNN(cell, return_sequences=True),
                              layers.TimeReduce("mean")])
    w = weights(rng, scale=1.5)
    testing.set_weights_by_name(model.layers[0], w)
    variables = model.trainable_variables
    names = [v.name for v in variables]
    assert names == ["kernel", "recurrent_kernel", "bias", "alpha", "beta"]
    for name, g in zip(names, grads(model, x, variables)):
        assert np.isfinite(g).all() and np.abs(g).sum() > 0, name


def test_cuba_lif_cell_passes_the_shared_cell_checks(tmp_path):
    testing.run_cell_test(cells.CubaLIFCell, {"units": 4, "surrogate": "fast_sigmoid",
                                              "current_clip": 8.0}, directory=tmp_path)

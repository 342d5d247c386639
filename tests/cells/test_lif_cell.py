"""LIFCell against a NumPy reference of its equations, and the shared cell checks."""

import numpy as np
import pytest

from snnzoo import cells
from snnzoo import layers
from snnzoo import testing
from tests import reference as ref
from tests.cells.common import B
from tests.cells.common import N
from tests.cells.common import T
from tests.cells.common import check_spikes
from tests.cells.common import run
from tests.cells.common import spike_input
from tests.cells.common import weights


@pytest.mark.parametrize("ternary", [False, True])
def test_lif(rng, fast, ternary):
    x = spike_input(rng)
    w = weights(rng)
    w["beta"] = np.array([0.9, 0.5, -0.3, 1.4, 0.0])  # clip -> [0, 1]
    cell = cells.LIFCell(N, ternary=ternary)
    out, states = run(cell, x, w, fast)
    exp, v = ref.lif(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                     w["beta"], ternary=ternary)
    check_spikes(out, exp)
    np.testing.assert_allclose(states[0], v, atol=1e-5)
    if ternary:
        assert (out < 0).any()


def test_lif_membrane_clip_and_return_membrane(rng, fast):
    x = spike_input(rng)
    w = weights(rng, scale=1.5)
    w["beta"] = np.full(N, 0.95)
    cell = cells.LIFCell(N, membrane_clip=(-0.5, 1.2), return_membrane=True)
    out, _ = run(cell, x, w, fast)
    assert out.shape == (B, T, 2 * N)
    exp_s, _ = ref.lif(x, w["kernel"], w["recurrent_kernel"], w["bias"],
                       w["beta"], vclip=(-0.5, 1.2))
    check_spikes(out[..., :N], exp_s)
    assert out[..., N:].min() >= -0.5 - 1e-6 and out[..., N:].max() <= 1.2 + 1e-6


def test_feedforward_lif_has_no_recurrent_kernel(rng):
    cell = cells.LIFCell(N, recurrent=False)
    layer = layers.SpikingRNN(cell, return_sequences=True)
    x = spike_input(rng)
    layer.build(x.shape)
    assert sorted(v.name for v in layer.weights) == ["beta", "bias", "kernel"]
    w = weights(rng)
    w.pop("recurrent_kernel")
    w["beta"] = np.full(N, 0.8)
    testing.set_weights_by_name(layer, w)
    exp, _ = ref.lif(x, w["kernel"], np.zeros((N, N)), w["bias"], w["beta"])
    check_spikes(np.asarray(layer(x)), exp)


def test_lif_cell_passes_the_shared_cell_checks(tmp_path):
    testing.run_cell_test(cells.LIFCell, {"units": 4, "surrogate": "fast_sigmoid"}, directory=tmp_path)

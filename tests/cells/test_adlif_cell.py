"""AdLIFCell (Bittar & Garner 2022; SE-adLIF, Baronig et al. 2024) against
numbers computed by hand, and the shared cell checks.

One neuron, no recurrence, kernel 1, bias 0, threshold 1, input current
I = 3, 0, 2, 4, and alpha = beta = a = 0.5, b = 1 (bounds opened to [0, 1]
so that the hand arithmetic stays in halves).

Bittar (w first, then v with the leak on the reset membrane):
  t1: w = 0                          v = .5*(0 - 0) + .5*(3 - 0)       = 1.5       s = 1
  t2: w = 0 + .5*1.5 + 1*1 = 1.75    v = .5*(1.5 - 1) + .5*(0 - 1.75)  = -0.625    s = 0
  t3: w = .875 - .3125 = 0.5625      v = -.3125 + .5*(2 - .5625)       = 0.40625   s = 0
  t4: w = .28125 + .203125 = .484375 v = .203125 + .5*(4 - .484375)    = 1.9609375 s = 1

Symplectic (v first with the old w, reset to 0, then w with the new v):
  t1: v^ = .5*3 = 1.5            s = 1  v = 0        w = .5*(0 + 1)               = 0.5
  t2: v^ = .5*(0 - .5) = -0.25   s = 0  v = -0.25    w = .25 + .5*(.5*-.25)       = 0.1875
  t3: v^ = -.125 + .5*(2 - .1875) = 0.78125  s = 0   w = .09375 + .5*(.5*.78125)  = 0.2890625
  t4: v^ = .390625 + .5*(4 - .2890625) = 2.24609375  s = 1  v = 0
                                                     w = .14453125 + .5*(0 + 1)   = 0.64453125
"""

import numpy as np
import pytest

from snnzoo import cells
from snnzoo import testing
from tests.cells.common import run

X = np.array([[[3.0], [0.0], [2.0], [4.0]]], "float32")
OPEN = dict(alpha_bounds=(0.0, 1.0), beta_bounds=(0.0, 1.0), a_bounds=(-1.0, 1.0),
            b_bounds=(0.0, 2.0))
HAND = {
    "bittar": {"s": [1, 0, 0, 1], "v": [1.5, -0.625, 0.40625, 1.9609375], "w": 0.484375},
    "symplectic": {"s": [1, 0, 0, 1], "v": [0.0, -0.25, 0.78125, 0.0], "w": 0.64453125},
}


def _weights(a=0.5):
    return {"kernel": np.ones((1, 1)), "bias": np.zeros(1), "alpha": np.full(1, 0.5),
            "beta": np.full(1, 0.5), "a": np.full(1, a), "b": np.full(1, 1.0)}


@pytest.mark.parametrize("discretization", ["bittar", "symplectic"])
def test_adlif_matches_the_hand_computed_steps(fast, discretization):
    cell = cells.AdLIFCell(1, discretization=discretization, recurrent=False,
                           return_membrane=True, **OPEN)
    out, states = run(cell, X, _weights(), fast)
    hand = HAND[discretization]
    np.testing.assert_array_equal(out[0, :, 0], hand["s"])
    np.testing.assert_allclose(out[0, :, 1], hand["v"], atol=1e-6)
    np.testing.assert_allclose(states[1][0, 0], hand["w"], atol=1e-6)


def test_adlif_clips_each_coefficient_to_its_bounds(fast):
    # a = 3 outside a_bounds (-0.5, 0.5) steps exactly as a = 0.5.
    bounds = dict(OPEN, a_bounds=(-0.5, 0.5))
    clipped = cells.AdLIFCell(1, recurrent=False, return_membrane=True, **bounds)
    out, _ = run(clipped, X, _weights(a=3.0), fast)
    np.testing.assert_allclose(out[0, :, 1], HAND["bittar"]["v"], atol=1e-6)


def test_adlif_draws_its_coefficients_inside_the_papers_bounds():
    cell = cells.AdLIFCell(64)
    cell.build((None, 3))
    for name, (lo, hi) in (("alpha", cells.adlif_cell.ALPHA_BOUNDS),
                           ("beta", cells.adlif_cell.BETA_BOUNDS),
                           ("a", (-1.0, 1.0)), ("b", (0.0, 2.0))):
        values = np.asarray(getattr(cell, name))
        assert values.min() >= lo and values.max() <= hi, name
        assert values.std() > 0, f"{name} is not drawn per neuron"
    assert np.isclose(cells.adlif_cell.ALPHA_BOUNDS[0], np.exp(-1 / 5))


@pytest.mark.parametrize("bad", [dict(discretization="euler"), dict(a_bounds=(1.0, -1.0)),
                                 dict(alpha_bounds=(0.5, 1.5)), dict(ternary=True),
                                 dict(adaptation_scale=0.0)])
def test_adlif_rejects_bad_arguments(bad):
    with pytest.raises(ValueError, match="`"):
        cells.AdLIFCell(4, **bad)


@pytest.mark.parametrize("discretization", ["bittar", "symplectic"])
def test_adlif_passes_the_shared_cell_checks(tmp_path, discretization):
    # Threshold 0.3: with the (1 - alpha) input and the same-step reset the
    # neurons rarely fire on the shared input at 1.0, and with no spike no
    # gradient reaches the recurrent kernel.
    testing.run_cell_test(cells.AdLIFCell, {"units": 4, "discretization": discretization,
                                             "surrogate": "fast_sigmoid", "threshold": 0.3},
                          directory=tmp_path)


def test_adlif_current_clip_bounds_the_adaptation(fast):
    """current_clip=(0, 1), Bittar form, by hand:
      t2: w = 1.75 -> 1     v = .5*(1.5 - 1) + .5*(0 - 1)       = -0.25
      t3: w = .5 - .125 = .375   v = -.125 + .5*(2 - .375)      = 0.6875
      t4: w = .1875 + .34375 = .53125   v = .34375 + .5*(4 - .53125) = 2.078125"""
    cell = cells.AdLIFCell(1, recurrent=False, return_membrane=True, current_clip=(0.0, 1.0),
                           **OPEN)
    out, states = run(cell, X, _weights(), fast)
    np.testing.assert_array_equal(out[0, :, 0], [1, 0, 0, 1])
    np.testing.assert_allclose(out[0, :, 1], [1.5, -0.25, 0.6875, 2.078125], atol=1e-6)
    np.testing.assert_allclose(states[1][0, 0], 0.53125, atol=1e-6)

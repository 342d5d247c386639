"""What every cell refuses, and the export call argument, across cells."""

import numpy as np
import pytest

from snnzoo import cells


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="units"):
        cells.LIFCell(0)
    with pytest.raises(ValueError, match="threshold"):
        cells.CubaLIFCell(3, threshold=-1)
    with pytest.raises(ValueError, match="membrane_clip"):
        cells.LIFCell(3, membrane_clip=(1.0, -1.0))
    with pytest.raises(ValueError, match="Unknown surrogate"):
        cells.SpikGRUCell(3, surrogate="sigmoidish")


@pytest.mark.parametrize("cell", [cells.LIFCell, cells.AdaptiveLIFCell])
def test_an_option_the_cell_ignores_raises(cell):
    with pytest.raises(ValueError, match=rf"current_clip.*{cell.__name__} has none"):
        cell(3, current_clip=2.0)
    assert cells.CubaLIFCell(3, current_clip=2.0).current_clip == (-2.0, 2.0)


@pytest.mark.parametrize("make", [
    lambda: cells.LIFCell(5, ternary=True, membrane_clip=(-4.0, 2.0)),
    lambda: cells.CubaLIFCell(5, current_clip=3.0),
    lambda: cells.SpikGRUCell(5),
    lambda: cells.AdaptiveLIFCell(5),
    lambda: cells.HybridLSTMCell(5, timesteps=8),
    lambda: cells.SpikingLSTMCell(5, timesteps=2),
])
def test_export_call_argument_gives_identical_steps(rng, make):
    """The explicit export mode (a call argument, no global) only changes
    how spikes are traced, never a value."""
    cell = make()
    x = rng.uniform(-1, 1, (3, 4)).astype("float32")
    cell.build((None, 4))
    states = [rng.uniform(-1, 1, (3, n)).astype("float32") for n in cell.state_size]
    out_a, new_a = cell(x, states)
    out_b, new_b = cell(x, states, export=True)
    np.testing.assert_array_equal(np.asarray(out_a), np.asarray(out_b))
    for a, b in zip(new_a, new_b):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))

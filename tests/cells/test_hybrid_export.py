"""The hybrid LSTM's membrane floor (hand-computed) and its int8/TFLM export
form, which must give the same rates as the cell's own loop."""

import keras
import numpy as np
import pytest
from keras import ops

from snnzoo.cells import HybridLSTMCell


def _cell(floor, T=4, initial_membrane="zero"):
    cell = HybridLSTMCell(1, timesteps=T, initial_membrane=initial_membrane,
                          membrane_floor=floor)
    cell.build((None, 1))
    return cell


@pytest.mark.parametrize("export", [False, True], ids=["loop", "export_rates"])
def test_membrane_floor_by_hand(export):
    """u = [x, h] = [0.5, 0]: the generator fires at t = 2 and 4. The i gate
    has kernel 20 and bias -14, so its drive is -14 + 2 = -12 per step and
    +20 when a spike arrives (threshold 4):
    unbounded: v = -12, -4, -16, -8: no spike, rate 0;
    floor 4:   v = -12 -> -4, -4 + 8 = 4 (spike, 0), -12 -> -4, 4 (spike, 0): rate 2/4."""
    for floor, expected in ((None, 0.0), (4.0, 0.5)):
        cell = _cell(floor)
        cell.kernel.assign(np.array([[20.0, 0.0, 0.0, 0.0]], "float32"))
        cell.recurrent_kernel.assign(np.zeros((1, 4), "float32"))
        cell.bias.assign(np.array([-14.0, 0.0, 0.0, 0.0], "float32"))
        u = ops.convert_to_tensor(np.array([[0.5, 0.0]], "float32"))
        rates = np.asarray(cell.export_rates(u) if export else cell.fc_rates(u))
        assert rates[0, 0] == pytest.approx(expected)


@pytest.mark.parametrize("floor", [None, 1.0])
@pytest.mark.parametrize("initial_membrane", ["zero", "half"])
def test_export_rates_equal_the_cell_loop(floor, initial_membrane):
    """Thresholds divided out (exact for 4 and 2), generator stepped instead
    of its closed form, inputs beyond [-1, 1] included: identical rates."""
    cell = HybridLSTMCell(8, timesteps=16, initial_membrane=initial_membrane,
                          membrane_floor=floor)
    cell.build((None, 5))
    rng = np.random.default_rng(0)
    for w in cell.weights:
        w.assign(rng.normal(0, 1.0, w.shape).astype("float32"))
    u = ops.convert_to_tensor(rng.uniform(-1.2, 1.2, (64, 13)).astype("float32"))
    np.testing.assert_array_equal(np.asarray(cell.export_rates(u)),
                                  np.asarray(cell.fc_rates(u)))


def test_membrane_floor_config_and_errors(tmp_path):
    cell = _cell(4.0)
    again = HybridLSTMCell.from_config(cell.get_config())
    assert again.membrane_floor == 4.0
    for bad in (0, -1.0, "x"):
        with pytest.raises((ValueError, TypeError), match="membrane_floor"):
            HybridLSTMCell(2, membrane_floor=bad)
    with pytest.raises(ValueError, match="integer=True"):
        HybridLSTMCell(2, integer=True).export_rates(ops.zeros((1, 3)))


def test_floor_membranes_copies_hybrid_models():
    from snnzoo import conversion
    from snnzoo import models
    from snnzoo.quantization.int8 import floor_membranes

    keras.utils.set_random_seed(0)
    ann = models.build("hard_lstm", (5, 3), 2, units=4)
    hybrid = conversion.convert(ann, "hybrid", 8)
    floored = floor_membranes(hybrid, 3.0)
    cells = [getattr(layer, "cell", None) for layer in floored.layers]
    assert [c.membrane_floor for c in cells if isinstance(c, HybridLSTMCell)] == [3.0]
    assert all(getattr(getattr(layer, "cell", None), "membrane_floor", None) is None
               for layer in hybrid.layers)  # the original is untouched
    with pytest.raises(ValueError, match="HybridLSTMCell"):
        floor_membranes(ann)

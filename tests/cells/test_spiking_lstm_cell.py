"""SpikingLSTMCell's export form by hand, and the shared cell checks."""

import keras
import numpy as np

from snnzoo import cells
from snnzoo import testing


def test_spiking_lstm_export_recurrent_drive_sums_the_same_spikes():
    """The export form multiplies the spike vector by U stacked T times (no
    int8 SUM, see `SpikingLSTMCell.recurrent_drive`); it is the same mean of
    the T spike frames times U, by hand for T = 3."""
    cell = cells.SpikingLSTMCell(4, timesteps=3)
    cell.build((None, 6))
    u = np.arange(4 * 16, dtype="float32").reshape(4, 16) / 50.0 - 0.6
    cell.recurrent_kernel.assign(u)
    spikes = (np.random.default_rng(0).random((5, 3 * 4)) < 0.4).astype("float32")
    expected = spikes.reshape(5, 3, 4).sum(axis=1) @ u / 3.0
    for export in (False, True, "int8"):
        got = keras.ops.convert_to_numpy(cell.recurrent_drive(spikes, export=export))
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def test_spiking_lstm_cell_passes_the_shared_cell_checks(tmp_path):
    testing.run_cell_test(cells.SpikingLSTMCell, {"units": 4, "timesteps": 2, "surrogate": "fast_sigmoid"},
                           directory=tmp_path)

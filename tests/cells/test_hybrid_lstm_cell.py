"""HybridLSTMCell: the shared cell checks (its equations are tested in tests/conversion)."""


from snnzoo import cells
from snnzoo import testing


def test_hybrid_lstm_cell_passes_the_shared_cell_checks(tmp_path):
    testing.run_cell_test(cells.HybridLSTMCell, {"units": 4, "timesteps": 4}, directory=tmp_path,
                           check_gradients=False)  # converted, not trained by gradient

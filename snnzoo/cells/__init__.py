"""Recurrent cells (Keras RNN-cell protocol, explicit state, `keras.ops` only)."""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.cells.adaptive_lif_cell import AdaptiveLIFCell
from snnzoo.cells.adlif_cell import AdLIFCell
from snnzoo.cells.cuba_lif_cell import CubaLIFCell
from snnzoo.cells.hard_lstm_cell import HardLSTMCell
from snnzoo.cells.hybrid_lstm_cell import HybridLSTMCell
from snnzoo.cells.leaky_readout_cell import LeakyReadoutCell
from snnzoo.cells.lif_cell import LIFCell
from snnzoo.cells.recurrent_cell import RecurrentCell
from snnzoo.cells.spiking_cell import SpikingCell
from snnzoo.cells.spikgru_cell import SpikGRUCell
from snnzoo.cells.spiking_lstm_cell import SpikingLSTMCell

__all__ = [
    "AdLIFCell",
    "AdaptiveLIFCell",
    "CubaLIFCell",
    "HardLSTMCell",
    "HybridLSTMCell",
    "LIFCell",
    "LeakyReadoutCell",
    "RecurrentCell",
    "SpikGRUCell",
    "SpikingCell",
    "SpikingLSTMCell",
]

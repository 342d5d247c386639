"""Layers: the spiking RNN wrapper, encoders, normalization, readouts, monitors.

For unit-norm embeddings (Ponghiran's constraint for NMT) use Keras' own
`keras.layers.UnitNormalization`.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.layers.max_abs_normalization import MaxAbsNormalization
from snnzoo.layers.spike_encoder import SpikeEncoder
from snnzoo.layers.spike_monitor import SpikeMonitor
from snnzoo.layers.spike_monitor import spike_statistics
from snnzoo.layers.spike_monitor import record_spikes
from snnzoo.layers.spiking_rnn import SpikingRNN
from snnzoo.layers.time_reduce import TimeReduce

__all__ = [
    "MaxAbsNormalization",
    "SpikeEncoder",
    "SpikeMonitor",
    "SpikingRNN",
    "TimeReduce",
    "record_spikes",
    "spike_statistics",
]

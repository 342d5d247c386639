"""Regularizers for spiking networks: `SpikeRateRegularizer` (activity)."""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.regularizers.spike_rate import SpikeRateRegularizer

__all__ = ["SpikeRateRegularizer"]

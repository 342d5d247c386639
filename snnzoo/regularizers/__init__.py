"""Regularizers for spiking networks: `SpikeRateRegularizer` (activity)."""

from snnzoo.regularizers.spike_rate import SpikeRateRegularizer

__all__ = ["SpikeRateRegularizer"]

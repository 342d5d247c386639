"""Stateless neuron dynamics shared by cells and converters (`keras.ops` only)."""

from snnzoo.neurons.encoders import bernoulli_encode
from snnzoo.neurons.encoders import direct_encode
from snnzoo.neurons.encoders import ternary_spike_generator
from snnzoo.neurons.integrate_and_fire import dual_threshold_if
from snnzoo.neurons.integrate_and_fire import integrate_and_fire
from snnzoo.neurons.lif import leaky_integrate_and_fire
from snnzoo.neurons.lif import spike

__all__ = [
    "bernoulli_encode",
    "direct_encode",
    "dual_threshold_if",
    "integrate_and_fire",
    "leaky_integrate_and_fire",
    "spike",
    "ternary_spike_generator",
]

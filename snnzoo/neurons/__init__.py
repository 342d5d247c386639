"""Stateless neuron dynamics shared by cells and converters (`keras.ops` only).

The one home of snnzoo's neuron equations: the cells form inputs and leaks
and call these functions for the membrane update, the spike and the reset.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.neurons.encoders import bernoulli_encode
from snnzoo.neurons.encoders import direct_encode
from snnzoo.neurons.encoders import ternary_spike_generator
from snnzoo.neurons.integrate_and_fire import dual_threshold_if
from snnzoo.neurons.integrate_and_fire import fire
from snnzoo.neurons.integrate_and_fire import integrate_and_fire
from snnzoo.neurons.lif import leaky_integrate_and_fire
from snnzoo.neurons.lif import spike
from snnzoo.neurons.lif import synaptic_current

__all__ = [
    "bernoulli_encode",
    "direct_encode",
    "dual_threshold_if",
    "fire",
    "integrate_and_fire",
    "leaky_integrate_and_fire",
    "spike",
    "synaptic_current",
    "ternary_spike_generator",
]

"""snnzoo: spiking recurrent networks for edge devices, on Keras 3.

Subpackages: `activations` (hard sigmoid/tanh, surrogate gradients),
`neurons` (stateless IF/LIF dynamics and spike encoders), `cells` (Keras RNN
cells: HardLSTM, LIF, Cuba-LIF, SpikGRU, adaptive LIF, leaky readout),
`layers` (SpikingRNN, encoders, normalization, monitors), `losses`, and
`nir` (the NIR bridge to neuromorphic tools and snnTorch).
"""

from snnzoo import activations
from snnzoo import backend
from snnzoo import cells
from snnzoo import constraints
from snnzoo import conversion
from snnzoo import data
from snnzoo import energy
from snnzoo import initializers
from snnzoo import io
from snnzoo import layers
from snnzoo import losses
from snnzoo import metrics
from snnzoo import models
from snnzoo import neurons
from snnzoo import nir
from snnzoo import plots
from snnzoo import presets
from snnzoo import regularizers
from snnzoo import training
from snnzoo.version import __version__

load_preset = presets.load

__all__ = [
    "__version__",
    "activations",
    "backend",
    "cells",
    "constraints",
    "conversion",
    "data",
    "energy",
    "initializers",
    "io",
    "layers",
    "losses",
    "metrics",
    "models",
    "neurons",
    "nir",
    "plots",
    "presets",
    "load_preset",
    "regularizers",
    "training",
]

"""snnzoo: spiking recurrent networks for edge devices, on Keras 3.

Subpackages: `activations` (hard sigmoid/tanh, surrogate gradients),
`neurons` (stateless IF/LIF dynamics and spike encoders), `cells` (Keras RNN
cells: HardLSTM, LIF, Cuba-LIF, SpikGRU, adaptive LIF, leaky readout),
`layers` (SpikingRNN, encoders, normalization, monitors), `losses`,
`conversion` (LSTM -> SNN), `quantization` (int8 preparation, QAT),
`export` (LiteRT/TFLM), `energy`, `nir` (the NIR bridge), `presets` (the
pretrained zoo, `load_preset`) and `zoo` (the tooling that builds it).

The top level is lazy (PEP 562): `import snnzoo` loads no ML framework;
each subpackage is imported on first use. `snnzoo.load_model(path)` loads a
`.keras` file with snnzoo layers (it registers the classes first). When snnzoo is the first to
import Keras/TensorFlow, it does so without their C++ log lines
(`snnzoo.quiet.quiet_framework_import`); the caller's environment is left
as it was.
"""

from snnzoo.version import __version__

SUBPACKAGES = ("activations", "backend", "cells", "constraints", "conversion", "data",
               "energy", "export", "initializers", "io", "layers", "losses", "metrics",
               "models", "neurons", "nir", "plots", "presets", "quantization",
               "regularizers", "streaming", "training", "validation", "zoo")
#: Top-level names that live in a subpackage: name -> (module, attribute).
SHORTCUTS = {"load_preset": ("snnzoo.presets", "load"),
             "load_model": ("snnzoo.presets.store", "load_model")}

__all__ = ["__version__", "load_model", "load_preset", *SUBPACKAGES]


def __getattr__(name):
    from snnzoo.quiet import quiet_framework_import

    if name in SUBPACKAGES:
        return quiet_framework_import(f"snnzoo.{name}")
    if name in SHORTCUTS:
        module, attribute = SHORTCUTS[name]
        return getattr(quiet_framework_import(module), attribute)
    raise AttributeError(f"module 'snnzoo' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))

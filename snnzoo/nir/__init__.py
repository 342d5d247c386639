"""NIR bridge: snnzoo models to and from the Neuromorphic Intermediate
Representation (PyPI `nir`), the format snnTorch, Norse, SpikingJelly,
Rockpool, Sinabs, Lava-DL and SpiNNaker2 read and write.

- `export(model, path=None, dt=1e-4, form="portable", gain="neuron")`:
  a `nir.NIRGraph` (and a `.nir` file) of a network of `Dense` and
  `SpikingRNN` layers with `LIFCell`, `CubaLIFCell` and `LeakyReadoutCell`.
- `load(graph_or_path, dt=None, reset=None, readout=None)`: a Keras model
  of such a graph; `snnzoo.export.export_tflite` and `snnzoo.energy`
  take it like any model.
- `simulate(graph, x, dt=None)`: NIR's semantics (forward Euler) stepped
  in NumPy, the reference the bridge is tested against.
- `CONVENTIONS`: what NIR cannot state exactly (reset, update order,
  `>=` vs `>`, recurrence delay); every exported graph carries them in its
  metadata. `snnzoo.nir.mapping` derives the parameter mapping.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.nir.conventions import CONVENTIONS
from snnzoo.nir.reader import load
from snnzoo.nir.simulate import simulate
from snnzoo.nir.writer import export
from snnzoo.nir.writer import write

__all__ = ["CONVENTIONS", "export", "load", "simulate", "write"]

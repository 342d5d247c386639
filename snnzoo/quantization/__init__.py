"""Quantization: int8 preparation and quantization-aware training.

- `prepare_for_int8(model, x, y)`: bounded membranes (and currents) for a
  spiking model, fine-tuned so that one per-tensor int8 grid holds them;
  `bound_membranes`, `floor_membranes` (hybrid LSTM) are its parts;
- `qat_fine_tune(model, x, y)`: fine-tuning through Keras fake
  quantization of the one-frame step graph (`FakeQuantStreaming`), with the
  ranges the int8 converter will use (`calibration_ranges`).

Training owns the runs; export owns the converter; this sits between.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.quantization.fake_quant_streaming import FakeQuantStreaming
from snnzoo.quantization.int8 import bound_membranes
from snnzoo.quantization.int8 import calibration_ranges
from snnzoo.quantization.int8 import floor_membranes
from snnzoo.quantization.int8 import prepare_for_int8
from snnzoo.quantization.int8 import qat_fine_tune

__all__ = ["FakeQuantStreaming", "bound_membranes", "calibration_ranges", "floor_membranes",
           "prepare_for_int8", "qat_fine_tune"]

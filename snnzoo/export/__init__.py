"""Edge export: LiteRT (TFLite) graphs of every snnzoo model.

- `export_tflite(model, path, quantization, mode, representative_data)`:
  float32 / float16 / dynamic_range / int8 (full integer), as a fixed-length
  `sequence` graph (batch 1) or a one-frame `step` graph whose recurrent
  states are explicit inputs and outputs. Runs under the TensorFlow backend.
- `run_tflite(path, x)` and `StreamingRunner(path)` (the LiteRT interpreter
  from `ai_edge_litert`, int8 (de)quantization from the tensor details).
- `StepGraph(model)`: the one-step form of a sequence model.
- `verify`, `spike_agreement`: artifact vs Keras; `manifest`: the
  `exported_models/manifest.json` entries; `write_c_array` for TFLite Micro.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.export.bundle import manifest
from snnzoo.export.bundle.c_array import write_c_array
from snnzoo.export.runtime.streaming_runner import StreamingRunner
from snnzoo.export.runtime.interpreter import describe
from snnzoo.export.runtime.litert import run_tflite
from snnzoo.models.step_graph import StepGraph
from snnzoo.export.signature import MODES
from snnzoo.export.signature import QUANTIZATIONS
from snnzoo.export.tflite import export_tflite
from snnzoo.export.runtime.verify import spike_agreement
from snnzoo.export.runtime.verify import verify

__all__ = ["MODES", "QUANTIZATIONS", "StepGraph", "StreamingRunner", "describe",
           "export_tflite", "manifest", "run_tflite", "spike_agreement", "verify",
           "write_c_array"]

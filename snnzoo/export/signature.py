"""The writer-reader contract of snnzoo's LiteRT files.

`export_tflite` writes graphs with these quantizations, modes and tensor
names, and every runtime (LiteRT, TFLite Micro, the MCU bundle) reads them
by these names. Nothing here imports a framework.

- step graphs: inputs `x` (1, features) and `state_00...`; outputs
  `output` and `new_state_00...`;
- sequence graphs: input `x` (1, time, features), output `output`;
- stateful graphs: inputs `x` and `reset` (1, 1), output `output`.
"""

QUANTIZATIONS = ("float32", "float16", "dynamic_range", "int8")
"""The `quantization` values `export_tflite` takes: "float32", "float16",
"dynamic_range" (int8 weights, float activations) and "int8" (full integer,
calibrated)."""
MODES = ("sequence", "step", "stateful")
"""The `mode` values `export_tflite` takes: "sequence" (the whole sequence
in one invoke), "step" (one frame, states as inputs and outputs) and
"stateful" (one frame, states in resource variables)."""
INPUT_NAME = "x"
OUTPUT_NAME = "output"
RESET_NAME = "reset"


def state_input_name(k):
    """The name of state input `k` of a step graph: `state_00`, ..."""
    return f"state_{k:02d}"


def state_output_name(k):
    """The name of the new-state output `k` of a step graph: `new_state_00`, ..."""
    return f"new_state_{k:02d}"


def is_stateful(input_names):
    """Whether a graph with these inputs is a `mode="stateful"` graph."""
    return sorted(input_names) == sorted([INPUT_NAME, RESET_NAME])

"""TensorFlow Lite Micro: the runtime microcontrollers run int8 step graphs on.

`MicroStreamingRunner(path)` streams a `mode="step"` int8 file through the
TFLM interpreter of PyPI's `tflite-micro` (the reference kernels an MCU
runs, here on the host). States stay int8 from frame to frame: a state
whose input shares its output's scale and zero point is copied as it is
(what a device does with a memcpy); a state whose scales differ is
re-quantized, and the runner reports those pairs in `retied_states`.

TFLM aborts the process on some graphs it cannot run (unsupported kernels,
comparison inputs with scale >= 1), so `micro_loads(path)` asks a child
process first.
"""

import sys

import numpy as np

from snnzoo.export import checks
from snnzoo.export.runner import interpreter
from snnzoo.export.tflite import INPUT_NAME
from snnzoo.export.tflite import OUTPUT_NAME

PROBE = """
import sys
import numpy as np
from tflite_micro.python.tflite_micro import runtime
m = runtime.Interpreter.from_file(sys.argv[2])
for i in range(int(sys.argv[1])):
    d = m.get_input_details(i)
    m.set_input(np.zeros(d["shape"], d["dtype"]), i)
m.invoke()
print("ok")
"""


def micro_loads(path):
    """`(True, "")` if TFLM allocates and invokes `path` in a child process,
    else `(False, reason)`."""
    path = checks.check_tflite(path)
    inputs = len(interpreter(path, check=False).get_input_details())
    try:
        checks.probe(path, command=[sys.executable, "-c", PROBE, str(inputs)],
                     runtime="TFLM")
    except ValueError as err:
        return False, str(err)
    return True, ""


def _names(lite):
    """Signature names of the subgraph's inputs and outputs, by position."""
    full = lite._get_full_signature_list()["serving_default"]
    by_index_in = {v: k for k, v in full["inputs"].items()}
    outputs = [d["index"] for d in lite.get_output_details()]
    by_index_out = {}
    for name, index in full["outputs"].items():
        by_index_out.setdefault(index, []).append(name)
    return ([by_index_in[d["index"]] for d in lite.get_input_details()],
            [by_index_out[i] for i in outputs])


def _quant(details):
    params = details["quantization_parameters"]
    return float(params["scales"][0]), int(params["zero_points"][0])


class MicroStreamingRunner:
    """A step graph streamed frame by frame in TFLM with int8 states.

    Args:
        path: an int8 `mode="step"` file from `snnzoo.export.export_tflite`.
        arena_size: TFLM tensor arena in bytes (default: TFLM's heuristic).
    """

    def __init__(self, path, arena_size=None):
        from tflite_micro.python.tflite_micro import runtime

        path = checks.check_tflite(path)
        lite = interpreter(path, check=False)
        self.input_names, output_names = _names(lite)
        if INPUT_NAME not in self.input_names or len(self.input_names) < 2:
            raise ValueError(f"`path`: expected an int8 step graph; {path} has inputs "
                             f"{self.input_names}.")
        self.micro = runtime.Interpreter.from_file(path, arena_size=arena_size)
        self.inputs = [self.micro.get_input_details(i) for i in range(len(self.input_names))]
        if any(np.dtype(d["dtype"]) != np.int8 for d in self.inputs):
            raise ValueError(f"`path`: expected int8 inputs; {path} is not a full-int8 graph.")
        self.output_position = {n: j for j, names in enumerate(output_names) for n in names}
        self.outputs = [self.micro.get_output_details(j) for j in range(len(output_names))]
        self.retied_states = sorted(
            n for n in self.input_names if n != INPUT_NAME
            and _quant(self.inputs[self.input_names.index(n)])
            != _quant(self.outputs[self.output_position["new_" + n]]))
        self.reset()

    def reset(self):
        """Every state at zero (its zero point), as a new sequence starts."""
        self.states = {n: np.full(d["shape"], _quant(d)[1], np.int8)
                       for n, d in zip(self.input_names, self.inputs) if n != INPUT_NAME}

    def step(self, frame):
        """One frame `(features,)`; returns the dequantized output."""
        for i, (name, d) in enumerate(zip(self.input_names, self.inputs)):
            if name == INPUT_NAME:
                scale, zero = _quant(d)
                q = np.round(np.asarray(frame, "float64").reshape(d["shape"]) / scale) + zero
                self.micro.set_input(np.clip(q, -128, 127).astype(np.int8), i)
            else:
                self.micro.set_input(self.states[name], i)
        self.micro.invoke()
        for name in self.states:
            j = self.output_position["new_" + name]
            new = self.micro.get_output(j)
            if name in self.retied_states:  # scales differ: re-quantize via float
                s_out, z_out = _quant(self.outputs[j])
                s_in, z_in = _quant(self.inputs[self.input_names.index(name)])
                real = (new.astype("float64") - z_out) * s_out
                new = np.clip(np.round(real / s_in) + z_in, -128, 127).astype(np.int8)
            self.states[name] = new
        j = self.output_position[OUTPUT_NAME]
        scale, zero = _quant(self.outputs[j])
        return ((self.micro.get_output(j).astype("float32") - zero) * scale)[0]

    def run(self, sequence):
        self.reset()
        out = None
        for frame in np.asarray(sequence, "float32"):
            out = self.step(frame)
        return out

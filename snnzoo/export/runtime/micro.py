"""TensorFlow Lite Micro: the runtime microcontrollers run int8 graphs on.

- `micro_facts(path)`: does TFLM (PyPI `tflite-micro`, the reference
  kernels an MCU runs, here on the host) allocate and invoke the file, and
  how many arena bytes does its recording allocator report. TFLM aborts the
  process on graphs it cannot run, so this asks a child process.
- `smallest_arena(path)`: the smallest tensor arena in which TFLM allocates
  and invokes the file, found by bisection (each try in a forked child).
  The recording allocator's total is below it on every shipped file: it
  leaves out the allocator's own alignment and bookkeeping.
- `MicroStreamingRunner(path)`: a step graph streamed frame by frame in
  TFLM, int8 states copied from each new-state output to its input as they
  are (a memcpy on a device; `export_tflite` ties every pair's scale).
- `run_micro(path, x)`: predictions of a step or sequence graph in TFLM.
"""

import os
import re
import sys

import numpy as np

from snnzoo import validation
from snnzoo.export import checks
from snnzoo.export.runtime.interpreter import interpreter
from snnzoo.export.runtime.interpreter import quantize_int8_frames
from snnzoo.export.runtime.interpreter import standardize_frames
from snnzoo.export.runtime.interpreter import stream
from snnzoo.export.runtime.litert import run_tflite
from snnzoo.export.signature import INPUT_NAME
from snnzoo.export.signature import is_stateful
from snnzoo.export.signature import OUTPUT_NAME
from snnzoo.export.signature import RESET_NAME
from snnzoo.export.tflm_rules import macs_per_invoke

PROBE = """
import os
import sys
import numpy as np
from tflite_micro.python.tflite_micro import runtime
arena = None if sys.argv[2] == "default" else int(sys.argv[2])
m = runtime.Interpreter.from_file(sys.argv[3], arena_size=arena)
for i in range(int(sys.argv[1])):
    d = m.get_input_details(i)
    m.set_input(np.zeros(d["shape"], d["dtype"]), i)
m.invoke()
sys.stdout.flush()
os.dup2(1, 2)  # the allocator report goes to stderr
m.print_allocations()
print("ok")
"""
ARENA = re.compile(r"Arena allocation total (\d+) bytes")

# Bisection for the smallest arena: one process imports TFLM, then forks a
# child per arena size (a failed allocation may abort the child, never it).
SMALLEST = """
import os
import sys
import numpy as np
from tflite_micro.python.tflite_micro import runtime
inputs, path = int(sys.argv[1]), sys.argv[2]
def runs(size):
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        try:
            m = runtime.Interpreter.from_file(path, arena_size=size)
            for i in range(inputs):
                d = m.get_input_details(i)
                m.set_input(np.zeros(d["shape"], d["dtype"]), i)
            m.invoke()
            os._exit(0)
        except BaseException:
            os._exit(1)
    return os.waitpid(pid, 0)[1] == 0
low, high = 0, 1024
while not runs(high):
    if high > 1 << 30:
        sys.exit("no arena up to 1 GiB runs " + path)
    low, high = high, 2 * high
while high - low > 1:
    middle = (low + high) // 2
    low, high = (low, middle) if runs(middle) else (middle, high)
print(high)
print("ok")
"""


def micro_facts(path, arena_size=None):
    """`{"loads", "arena_bytes", "reason"}` for `path` in TFLM: whether a
    child process allocates and invokes it (in an arena of `arena_size`
    bytes, default TFLM's own size), and the tensor-arena bytes TFLM's
    `RecordingMicroAllocator` reports (on this 64-bit host; a 32-bit MCU
    needs somewhat less: its pointers are half the size)."""
    path = checks.check_tflite(path)
    inputs = len(interpreter(path, check=False).get_input_details())
    arena = "default" if arena_size is None else str(arena_size)
    try:
        out = checks.probe(path, command=[sys.executable, "-c", PROBE, str(inputs), arena],
                           runtime="TFLM")
    except ValueError as err:
        return {"loads": False, "arena_bytes": None, "reason": str(err)}
    arena = ARENA.search(out)
    return {"loads": True, "arena_bytes": int(arena.group(1)) if arena else None,
            "reason": ""}


def smallest_arena(path):
    """The smallest tensor arena, in bytes, in which TFLM allocates `path`
    and invokes it once (zero inputs), on this 64-bit host: found by
    bisection to the byte, each size tried in a forked child process. A
    32-bit MCU's build of the same TFLM needs no more (its pointers are half
    the size). Raises `ValueError` if TFLM cannot run the file at all."""
    path = checks.check_tflite(path)
    inputs = len(interpreter(path, check=False).get_input_details())
    out = checks.probe(path, command=[sys.executable, "-c", SMALLEST, str(inputs)],
                       runtime="TFLM")
    return int(out.split()[-2])


def checked_arena(path, arena_size):
    """`arena_size` (None: TFLM's default) after a child process has run
    `path` in an arena of that size: TFLM kills the process that allocates
    a graph in too small an arena, so a size it cannot use is refused here
    with the size the file needs."""
    if arena_size is None:
        return None
    arena_size = validation.number(arena_size, "arena_size", low=1, integer=True)
    facts = micro_facts(path, arena_size)
    if not facts["loads"]:
        try:
            needed = f"at least the {smallest_arena(path):,} bytes TFLM needs for {path}"
        except ValueError:
            needed = "an arena TFLM can run the file in"
        validation.fail("arena_size", needed, arena_size)
    return arena_size


def micro_loads(path):
    """`(True, "")` if TFLM allocates and invokes `path`, else `(False, reason)`."""
    facts = micro_facts(path)
    return facts["loads"], facts["reason"]


def signature_names(lite):
    """Signature names of a LiteRT interpreter's subgraph inputs and
    outputs, by position (TFLM addresses tensors by position only)."""
    full = lite._get_full_signature_list()["serving_default"]
    by_index_in = {v: k for k, v in full["inputs"].items()}
    by_index_out = {}
    for name, index in full["outputs"].items():
        by_index_out.setdefault(index, []).append(name)
    return ([by_index_in[d["index"]] for d in lite.get_input_details()],
            [by_index_out[d["index"]] for d in lite.get_output_details()])


def grid(details):
    """`(scale, zero point)` of a TFLM or LiteRT tensor detail."""
    params = details["quantization_parameters"]
    return float(params["scales"][0]), int(params["zero_points"][0])


def _quantize(x, details):
    scale, zero = grid(details)
    q = np.round(np.asarray(x, "float64").reshape(details["shape"]) / scale) + zero
    return np.clip(q, -128, 127).astype(np.int8)


class MicroStreamingRunner:
    """An int8 step graph streamed frame by frame in TFLM, states int8.

    Args:
        path: an int8 `mode="step"` file from `snnzoo.export.export_tflite`
            (every state pair on one scale and zero point).
        arena_size: TFLM tensor arena in bytes (default: TFLM's heuristic).
        standardization: None, or `(mean, scale)` per feature (see
            `StreamingRunner`).
    """

    def __init__(self, path, arena_size=None, standardization=None):
        from tflite_micro.python.tflite_micro import runtime

        path = checks.check_tflite(path)
        self.input_names, output_names = signature_names(interpreter(path, check=False))
        if INPUT_NAME not in self.input_names or len(self.input_names) < 2:
            validation.fail("path", "an int8 step graph", f"{path} with inputs "
                            f"{self.input_names}")
        arena_size = checked_arena(path, arena_size)
        self.micro = runtime.Interpreter.from_file(path, arena_size=arena_size)
        self.inputs = [self.micro.get_input_details(i) for i in range(len(self.input_names))]
        if any(np.dtype(d["dtype"]) != np.int8 for d in self.inputs):
            validation.fail("path", "int8 inputs (a full-int8 graph)", path)
        position = {n: j for j, names in enumerate(output_names) for n in names}
        self.output = self.micro.get_output_details(position[OUTPUT_NAME])
        self.output_position = position[OUTPUT_NAME]
        self.frame_position = self.input_names.index(INPUT_NAME)
        self.standardization = validation.standardization(
            standardization, int(self.inputs[self.frame_position]["shape"][-1]))
        self.pairs = [(i, position["new_" + n]) for i, n in enumerate(self.input_names)
                      if n != INPUT_NAME]
        self.state_inputs = [self.input_names[i] for i, _ in self.pairs]  # `states` order
        untied = [self.input_names[i] for i, j in self.pairs
                  if grid(self.inputs[i]) != grid(self.micro.get_output_details(j))]
        if untied:
            raise ValueError(f"`path`: expected every state input on its new-state output's "
                             f"scale and zero point; {path} differs for {untied}. Re-export "
                             "it with this snnzoo (export_tflite ties them).")
        self.reset()

    def reset(self):
        """Every state at zero (its zero point), as a new sequence starts."""
        self.states = [np.full(self.inputs[i]["shape"], grid(self.inputs[i])[1], np.int8)
                       for i, _ in self.pairs]

    def step(self, frame):
        """One frame `(features,)`, float or int8 already on the frame
        grid (quantized as `StreamingRunner` does); returns the dequantized
        output."""
        features = int(self.inputs[self.frame_position]["shape"][-1])
        return self._step(validation.frames(frame, "frame", features))

    def quantize_frame(self, frame):
        """A float frame on the frame input's int8 grid (standardized
        first when the runner has a standardization), as `step` feeds it."""
        detail = self.inputs[self.frame_position]
        frame = validation.frames(frame, "frame", int(detail["shape"][-1]))
        if frame.dtype == np.int8:
            return frame
        return quantize_int8_frames(standardize_frames(frame, self.standardization),
                                    *grid(detail))

    def int8_sequences(self, x):
        """Float sequences `(n, time, features)` on the frame grid, as int8
        (what a device gets, `quantize_frame` frame by frame)."""
        x = validation.array(x, "x", ndim=3, dtype=None)
        return np.stack([np.stack([self.quantize_frame(f).reshape(-1) for f in seq]) for seq in x])

    def stream_raw(self, frames):
        """int8 sequences `(n, time, features)` streamed from zero states:
        `(outputs, states)`, the raw int8 output `(n * time, size)` and one
        `(n * time, size)` array per state, every frame."""
        outputs, states = [], [[] for _ in self.pairs]
        for sequence in frames:
            self.reset()
            for frame in sequence:
                outputs.append(self.step_raw(frame).copy())
                for k, s in enumerate(self.states):
                    states[k].append(np.asarray(s).ravel().copy())
        return np.array(outputs), [np.array(s) for s in states]

    def step_raw(self, frame):
        """One int8 frame (on the frame grid) in, the raw int8 output out."""
        detail = self.inputs[self.frame_position]
        self.micro.set_input(np.asarray(frame, np.int8).reshape(detail["shape"]),
                             self.frame_position)
        for (i, _), state in zip(self.pairs, self.states):
            self.micro.set_input(state, i)
        self.micro.invoke()
        self.states = [self.micro.get_output(j) for _, j in self.pairs]
        return self.micro.get_output(self.output_position)[0]

    def state_grids(self):
        """`[(scale, zero point)]` of the states, in `states` order."""
        return [grid(self.inputs[i]) for i, _ in self.pairs]

    def _step(self, frame):
        detail = self.inputs[self.frame_position]
        if frame.dtype != np.int8:
            frame = quantize_int8_frames(standardize_frames(frame, self.standardization),
                                         *grid(detail))
        self.micro.set_input(frame.reshape(detail["shape"]), self.frame_position)
        for (i, _), state in zip(self.pairs, self.states):
            self.micro.set_input(state, i)
        self.micro.invoke()
        self.states = [self.micro.get_output(j) for _, j in self.pairs]
        scale, zero = grid(self.output)
        return ((self.micro.get_output(self.output_position).astype("float32") - zero)
                * scale)[0]

    def run(self, sequence):
        """Stream a whole `(time, features)` sequence; returns the last output."""
        features = int(self.inputs[self.frame_position]["shape"][-1])
        return stream(self, validation.frames(sequence, "sequence", features, sequence=True))


def run_micro(path, x, arena_size=None):
    """Outputs `(n, outputs)` of an int8 `.tflite` file in TFLM for inputs
    `x` `(n, time, features)`: step graphs streamed with
    `MicroStreamingRunner`, stateful graphs frame by frame (`reset` = 1 on
    each first frame), sequence graphs one sample at a time."""
    from tflite_micro.python.tflite_micro import runtime

    x = validation.array(x, "x", ndim=3)
    path = checks.check_tflite(path)
    names, _ = signature_names(interpreter(path, check=False))
    if is_stateful(names):
        return _run_stateful(path, names, x, arena_size)
    if len(names) > 1:
        runner = MicroStreamingRunner(path, arena_size)
        return np.stack([runner.run(sequence) for sequence in x])
    arena_size = checked_arena(path, arena_size)
    micro = runtime.Interpreter.from_file(os.fspath(path), arena_size=arena_size)
    detail, out = micro.get_input_details(0), micro.get_output_details(0)
    if tuple(detail["shape"][1:]) != x.shape[1:]:
        validation.fail("x", f"inputs of shape (n, {tuple(detail['shape'][1:])})", x)
    scale, zero = grid(out)
    outputs = []
    for sample in x:
        micro.set_input(_quantize(sample[None], detail), 0)
        micro.invoke()
        outputs.append((micro.get_output(0).astype("float32") - zero) * scale)
    return np.concatenate(outputs)


def tflm_report(path, x, y=None):
    """TFLM facts of an int8 file for the manifest, all measured here:
    `loads`, `arena_bytes` (`smallest_arena`: the smallest arena that
    allocates and invokes), `recorded_arena_bytes` (`micro_facts`: the
    recording allocator's total, which is less), `flash_bytes` (the flatbuffer,
    which an MCU keeps in flash; code size not included), `macs_per_frame`
    (FULLY_CONNECTED products per input frame: a step graph's per invoke, a
    sequence graph's per invoke / frames) and, when it loads, the share of
    `x`'s predictions on which TFLM and LiteRT agree."""

    facts = micro_facts(path)
    inputs = interpreter(path, check=False).get_input_details()
    steps = 1 if len(inputs) > 1 else int(inputs[0]["shape"][1])
    report = {"loads": facts["loads"],
              "arena_bytes": smallest_arena(path) if facts["loads"] else None,
              "recorded_arena_bytes": facts["arena_bytes"],
              "flash_bytes": os.path.getsize(path),
              "macs_per_frame": int(round(macs_per_invoke(path) / steps))}
    if facts["loads"]:
        micro = run_micro(path, x).argmax(-1)
        report["agreement_with_litert"] = float(np.mean(micro == run_tflite(path, x).argmax(-1)))
        builtin = run_tflite(path, x, delegates=False).argmax(-1)
        report["agreement_with_litert_builtin"] = float(np.mean(micro == builtin))
        report["agreement_samples"] = len(x)
        if y is not None:
            y = validation.labels(y, "y", length=len(x))
            report["accuracy"] = float(np.mean(micro == y))
    else:
        report["reason"] = facts["reason"]
    return report


def _run_stateful(path, names, x, arena_size=None):
    """A stateful graph in TFLM: states are TFLM resource variables."""
    from tflite_micro.python.tflite_micro import runtime

    arena_size = checked_arena(path, arena_size)
    micro = runtime.Interpreter.from_file(os.fspath(path), arena_size=arena_size)
    frame, flag = names.index(INPUT_NAME), names.index(RESET_NAME)
    frame_detail, flag_detail = micro.get_input_details(frame), micro.get_input_details(flag)
    scale, zero = grid(micro.get_output_details(0))
    outputs = []
    for sequence in x:
        for t, values in enumerate(sequence):
            micro.set_input(_quantize(values[None], frame_detail), frame)
            micro.set_input(_quantize(np.full((1, 1), float(t == 0)), flag_detail), flag)
            micro.invoke()
        outputs.append((micro.get_output(0).astype("float32") - zero) * scale)
    return np.concatenate(outputs)

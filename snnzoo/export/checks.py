"""Checks on `.tflite` files before snnzoo opens them, and on exports
before they are written.

LiteRT parses a flatbuffer in native code; a corrupted file can abort the
whole Python process. `check_tflite(path)` therefore runs first wherever
snnzoo opens a file (runners, `describe`, `verify`):

1. the file exists, is non-empty and ends in `.tflite`;
2. if a sha256 is recorded for it (an `expected_sha256` argument, or the
   `sha256.json` of its folder, as in every preset folder), the bytes must
   match: a file identical to a verified one is trusted as it is;
3. otherwise a child process opens it the way snnzoo does (allocate,
   read tensor and op details, invoke once on zeros). If the child dies or
   fails, a `ValueError` names the file and the caller survives.

`check_export(info, quantization, allow_float_tensors)` is the export's own
check of the graph it produced, before the atomic replace.
"""

import os
import subprocess
import sys

from snnzoo import io as snnzoo_io
from snnzoo import validation

PROBE_SECONDS = 120
PROBE = """
import sys
import numpy as np
from ai_edge_litert.interpreter import Interpreter
interp = Interpreter(model_path=sys.argv[1])
interp.allocate_tensors()
interp.get_tensor_details()
interp._get_ops_details()
runner = interp.get_signature_runner()
runner.get_output_details()
runner(**{k: np.zeros(v["shape"], v["dtype"]) for k, v in runner.get_input_details().items()})
print("ok")
"""


def recorded_sha256(path):
    """The sha256 recorded for `path` in its folder's `sha256.json`, or None."""
    record = os.path.join(os.path.dirname(os.path.abspath(path)), snnzoo_io.SHA_FILE)
    if not os.path.isfile(record):
        return None
    try:
        return snnzoo_io.read_json(record).get(os.path.basename(path))
    except (ValueError, AttributeError):
        raise snnzoo_io.IntegrityError(f"{record} is not a valid sha256 record.") from None


def check_tflite(path, name="path", expected_sha256=None):
    """Check `path` before LiteRT opens it (see the module docstring);
    returns the path."""
    path = validation.existing_file(path, name, ".tflite")
    expected = expected_sha256 or recorded_sha256(path)
    if expected is not None:
        actual = snnzoo_io.sha256_file(path)
        if actual != expected:
            raise snnzoo_io.IntegrityError(
                f"`{name}`: {path} failed its sha256 check: expected {expected}, got "
                f"{actual}. The file is corrupted or was modified; re-export or re-fetch it.")
        return path
    probe(path, name)
    return path


def probe(path, name="path", command=None, runtime="LiteRT"):
    """Open `path` in a child process (`command` + [path], by default the
    LiteRT probe above); raise `ValueError` if it fails or dies. Returns
    the child's standard output."""
    command = command or [sys.executable, "-c", PROBE]
    try:
        proc = subprocess.run(command + [os.fspath(path)], capture_output=True, text=True,
                              timeout=PROBE_SECONDS)
    except subprocess.TimeoutExpired:
        raise ValueError(f"`{name}`: {path} did not open in {runtime} within "
                         f"{PROBE_SECONDS} s; refusing it.") from None
    if proc.returncode != 0 or not proc.stdout.strip().endswith("ok"):
        how = (f"killed the probe process (signal {-proc.returncode})" if proc.returncode < 0
               else "could not be opened: " + (proc.stderr.strip().splitlines() or ["?"])[-1])
        raise ValueError(f"`{name}`: expected a valid {runtime} flatbuffer; {path} {how}.")
    return proc.stdout


def check_export(info, quantization, allow_float_tensors=False):
    """Refuse a produced graph that is not what was asked for: int8 needs
    int8 inputs and outputs and (unless allowed) no float tensor; no graph
    may hold Flex or custom ops."""
    foreign = [op for op in info["ops"] if op.startswith("Flex") or op == "CUSTOM"]
    if foreign:
        raise ValueError(f"The converter produced non-builtin ops {foreign}; refusing "
                         f"{info['path']}.")
    if quantization != "int8":
        return
    not_int8 = sorted(k for k, d in {**info["inputs"], **info["outputs"]}.items()
                      if d["dtype"] != "int8")
    if not_int8:
        raise ValueError(f"int8 export produced non-int8 inputs/outputs {not_int8}; "
                         "refusing to write it as int8.")
    if info["float_tensors"] and not allow_float_tensors:
        raise ValueError(f"int8 export produced a graph with {info['float_tensors']} float "
                         "tensors; pass allow_float_tensors=True to accept it (they are "
                         "recorded as `float_tensors`).")

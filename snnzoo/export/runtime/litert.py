"""`run_tflite(path, x)`: outputs of any snnzoo `.tflite` file in LiteRT,
sequence, step or stateful graph alike."""

import numpy as np

from snnzoo import validation
from snnzoo.export.runtime.interpreter import dequantize
from snnzoo.export.runtime.interpreter import interpreter
from snnzoo.export.runtime.interpreter import quantize
from snnzoo.export.runtime.stateful_runner import StatefulRunner
from snnzoo.export.runtime.streaming_runner import StreamingRunner
from snnzoo.export.signature import INPUT_NAME
from snnzoo.export.signature import OUTPUT_NAME
from snnzoo.export.signature import is_stateful


def run_tflite(path, x, num_threads=1, delegates=True):
    """Outputs of a `.tflite` graph for inputs `x`.

    Sequence graphs run one sample at a time (batch 1); step graphs are
    streamed frame by frame with `StreamingRunner`, stateful graphs with
    `StatefulRunner`. int8 inputs and outputs are (de)quantized from the
    tensor details.

    Args:
        path: a `.tflite` file from `export_tflite`.
        x: inputs `(n, time, features)`.
        num_threads: interpreter threads.
        delegates: False runs LiteRT's builtin kernels only (no XNNPACK,
            whose int8 kernels requantize in fp32, not in TFLite's
            fixed-point arithmetic).

    Returns:
        float32 outputs `(n, outputs)`.

    Raises:
        ValueError: `x` is not a finite 3-D array, or its shape does not fit
            the graph's input.
    """
    x = validation.array(x, "x", ndim=3)
    probe = interpreter(path, num_threads, delegates)
    runner = probe.get_signature_runner()
    details = runner.get_input_details()
    if len(details) > 1:
        kind = StatefulRunner if is_stateful(details) else StreamingRunner
        stream = kind(path, num_threads, check=False, delegates=delegates)
        if x.shape[-1] != stream.frame_shape[-1]:
            validation.fail("x", f"frames of {stream.frame_shape[-1]} features for {path}", x)
        return np.stack([stream.run(seq) for seq in x])
    in_detail = details[INPUT_NAME]
    if tuple(in_detail["shape"][1:]) != x.shape[1:]:
        raise ValueError(f"{path} expects inputs of shape (n, {tuple(in_detail['shape'][1:])}); "
                         f"got {x.shape}.")
    out_detail = runner.get_output_details()[OUTPUT_NAME]
    outs = []
    for sample in x:
        out = runner(**{INPUT_NAME: quantize(sample[None], in_detail)})
        outs.append(dequantize(out[OUTPUT_NAME], out_detail)[0])
    return np.stack(outs)

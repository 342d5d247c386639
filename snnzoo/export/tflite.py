"""`export_tflite`: LiteRT flatbuffers (float32, float16, dynamic range, int8)
of a sequence model, as a fixed-length sequence graph or a one-step graph."""

import numpy as np

from snnzoo import io as snnzoo_io
from snnzoo import quiet
from snnzoo import validation
from snnzoo.export.checks import check_export
from snnzoo.export.passes.nonnegative import shift_fully_connected
from snnzoo.export.passes.tie import tie_state_scales
from snnzoo.export.passes.input_grid import set_input_grid
from snnzoo.export.runtime.interpreter import describe
from snnzoo.export.signature import INPUT_NAME
from snnzoo.export.signature import MODES
from snnzoo.export.signature import OUTPUT_NAME
from snnzoo.export.signature import QUANTIZATIONS
from snnzoo.export.signature import RESET_NAME
from snnzoo.export.signature import state_input_name
from snnzoo.export.signature import state_output_name
from snnzoo.export.tflm_rules import check_allocatable
from snnzoo.export.tflm_rules import check_tflm
from snnzoo.models.step_graph import StepGraph


def _require_tensorflow():
    import keras

    if keras.backend.backend() != "tensorflow":
        raise RuntimeError(
            "TFLite export runs under the TensorFlow backend: set KERAS_BACKEND=tensorflow "
            "before importing keras (a .keras model trained under JAX loads there).")
    import tensorflow as tf

    return tf


def build_function(graph, mode, sequence_length=None):
    """`(fn, concrete, holder)` for `graph` (a StepGraph): the `tf.function`,
    its concrete function and the `tf.Module` that keeps its variables.

    step: inputs `x` (1, features) and `state_00...` (1, size); outputs
    `output` and `new_state_00...`. sequence: input `x` (1, length,
    features), output `output`; the frames are unrolled (a fixed-shape graph
    without TensorList ops, which full-int8 conversion needs). stateful:
    inputs `x` (1, features) and `reset` (1, 1), output `output`; the
    states live in the graph as resource variables
    (VAR_HANDLE/READ_VARIABLE/ASSIGN_VARIABLE), zeroed when `reset` is 1.
    """
    tf = _require_tensorflow()
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; expected one of {MODES}.")
    holder = tf.Module()
    features = graph.input_features
    if mode == "step":
        fn = _step_function(tf, graph, features)
    elif mode == "stateful":
        holder.states = [tf.Variable(tf.zeros((1, n)), name=state_input_name(k))
                         for k, n in enumerate(graph.state_sizes)]
        fn = _stateful_function(tf, graph, features, holder.states)
    else:
        fn = _sequence_function(tf, graph, features, sequence_length or graph.sequence_length)
    return fn, fn.get_concrete_function(), holder


def _step_function(tf, graph, features):
    specs = [tf.TensorSpec((1, features), tf.float32, name=INPUT_NAME)] + [
        tf.TensorSpec((1, n), tf.float32, name=state_input_name(k))
        for k, n in enumerate(graph.state_sizes)]

    @tf.function(input_signature=specs, autograph=False)
    def fn(x, *states):
        out, new = graph.step(x, list(states))
        result = {OUTPUT_NAME: out}
        for k, s in enumerate(new):
            result[state_output_name(k)] = tf.identity(s)
        return result

    return fn


def _stateful_function(tf, graph, features, variables):
    specs = [tf.TensorSpec((1, features), tf.float32, name=INPUT_NAME),
             tf.TensorSpec((1, 1), tf.float32, name=RESET_NAME)]

    @tf.function(input_signature=specs, autograph=False)
    def fn(x, reset):
        keep = 1.0 - reset
        out, new = graph.step(x, [v.read_value() * keep for v in variables])
        for v, s in zip(variables, new):
            v.assign(s)
        return {OUTPUT_NAME: tf.identity(out)}

    return fn


def _sequence_function(tf, graph, features, length):
    if length is None:
        raise ValueError("The model has a variable sequence length; pass "
                         "`sequence_length` for a sequence-mode export.")
    spec = tf.TensorSpec((1, int(length), features), tf.float32, name=INPUT_NAME)

    @tf.function(input_signature=[spec], autograph=False)
    def fn(x):
        states = [tf.zeros((1, n)) for n in graph.state_sizes]
        out = None
        for t in range(int(length)):
            out, states = graph.step(x[:, t], states)
        return {OUTPUT_NAME: out}

    return fn


def step_calibration_samples(graph, sequences, max_samples=8000):
    """(x_t, states) pairs visited while streaming real `sequences` through
    `graph`, every frame of whole sequences (up to `max_samples` pairs): the
    representative data of a step graph.

    Whole sequences matter: the new states of frame t are the inputs of
    frame t+1, so the calibrator gives each state input and its new-state
    output the same range and the streaming runner carries int8 states
    between frames without re-rounding (measured on the Cuba-LIF speech
    preset: 2,000 randomly sampled pairs gave 98.46%, whole sequences 99.56%
    = float). More sequences help where membranes are near threshold
    (LIF speech preset: 20 / 40 / 80 whole sequences -> 94.96 / 98.25 /
    98.68% vs float 99.34%), hence 8,000 pairs by default.
    """
    sequences = np.asarray(sequences, "float32")
    length = sequences.shape[1]
    count = max(1, min(len(sequences), -(-max_samples // length)))
    sequences = sequences[:count]
    states = graph.initial_states(count)
    out = []
    for t in range(length):
        frame = sequences[:, t]
        for b in range(count):
            out.append([frame[b:b + 1]] + [np.asarray(s)[b:b + 1] for s in states])
        _, states = graph.step(frame, states)
        states = [np.asarray(s) for s in states]
    return out


def export_tflite(model, path, quantization="float32", mode="sequence",
                  representative_data=None, sequence_length=None, calibration_samples=None,
                  allow_float_tensors=False, allow_non_tflm=False, input_grid=None):
    """Convert `model` to a LiteRT flatbuffer at `path` (written atomically).

    Args:
        model: a chain `keras.Model` on `(batch, time, features)` (see
            `StepGraph`): every snnzoo cell, HardLSTM, hybrid and spiking
            LSTM included.
        path: output `.tflite` path.
        quantization: "float32", "float16" (weights), "dynamic_range"
            (int8 weights, float activations) or "int8" (full integer:
            int8 inputs/outputs, `TFLITE_BUILTINS_INT8` only, no Flex ops;
            runs on TFLite Micro).
        mode: "sequence" (batch 1, fixed length, frames unrolled) or "step"
            (one frame, every state an explicit input `state_k` and output
            `new_state_k`, zero initial states). In an int8 step graph each
            pair shares one scale and zero point (`snnzoo.export.passes.tie`), so
            int8 states stream from frame to frame unchanged. "stateful":
            one frame in (`x`, plus `reset` = 1 on a sequence's first
            frame), `output` out, states as resource variables in the graph;
            int8 keeps them float32 (the converter cannot quantize them), so
            it needs `allow_float_tensors=True`; `step` is the int8 form.
        representative_data: real model inputs `(n, time, features)` from
            the model's own preprocessing; required for "int8". Step graphs
            calibrate on the states visited while streaming them.
        sequence_length: for models with a variable time dimension.
        calibration_samples: how many representative samples to feed
            (default: 200 sequences; step graphs: every frame of whole
            sequences up to 8,000 (frame, state) pairs, see
            `step_calibration_samples`).
        allow_float_tensors: accept an int8 graph that keeps float tensors
            inside (its inputs and outputs must still be int8); by default
            such a graph is refused. Either way the count is returned.
        input_grid: int8 step graphs: the frame input's `(scale, zero point)` (`passes.input_grid`).
        allow_non_tflm: keep an int8 graph that TensorFlow Lite Micro
            cannot run (desktop LiteRT only). By default an int8 graph is
            checked against TFLM's op allow-list and kernel constraints
            (`snnzoo.export.tflm_rules`) and refused if it breaks them.

    The graph is checked (`checks.check_export`, for int8 `tflm_rules.check_tflm`) before it
    replaces `path`; nothing is left behind on failure; native logs stay off the terminal.

    Returns:
        dict with `path`, `bytes`, `quantization`, `mode`, `inputs`,
        `outputs` (name, shape, dtype, scale, zero point), `state_names`,
        `tied_states` (pairs whose ranges were joined), `shifted_fully_connected`
        (`passes.nonnegative`: int8 FULLY_CONNECTED ops TFLM and LiteRT now round alike).
    """
    _require_tensorflow()
    _check_arguments(quantization, mode, path)
    grid = _check_input_grid(input_grid, quantization, mode)
    graph = StepGraph(model, int8=quantization == "int8")
    with quiet.silenced():
        flatbuffer, facts = _convert(model, graph, quantization, mode, representative_data,
                                     sequence_length, calibration_samples, grid)
        info = _write_checked(path, flatbuffer, quantization, allow_float_tensors, allow_non_tflm)
    info.update(quantization=quantization, mode=mode, state_names=graph.state_names, **facts)
    return info


def _convert(model, graph, quantization, mode, representative_data, sequence_length,
             calibration_samples, input_grid=None):
    """`(flatbuffer, facts)`: the converter's output, for int8 with its
    FULLY_CONNECTED ops shifted (`snnzoo.export.passes.nonnegative`) and, for a
    step graph, its state pairs tied; `facts` has `tied_states` and
    `shifted_fully_connected`."""
    import tensorflow as tf

    _, concrete, holder = build_function(graph, mode, sequence_length)
    # A tf.Module tracking the underlying tf.Variables lets the converter
    # freeze the weights into constants.
    holder.weights = [getattr(v, "value", v) for v in model.weights]
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], holder)
    converter.experimental_enable_resource_variables = mode == "stateful"
    _set_quantization(converter, quantization)
    if quantization == "int8":
        data = _representative_array(representative_data, graph)
        converter.representative_dataset = representative_dataset(
            graph, data, mode, calibration_samples)
    flatbuffer = converter.convert()
    tied, shifted, facts = [], 0, {}
    if input_grid is not None:  # before the passes that read the FULLY_CONNECTED grids
        flatbuffer, facts["calibrated_input_grid"] = set_input_grid(
            flatbuffer, INPUT_NAME, input_grid)
    if quantization == "int8":
        if mode == "step":
            flatbuffer, tied = tie_state_scales(flatbuffer)
        flatbuffer, shifted = shift_fully_connected(flatbuffer)
    return flatbuffer, dict(facts, tied_states=tied, shifted_fully_connected=shifted)


def _write_checked(path, flatbuffer, quantization, allow_float_tensors, allow_non_tflm=False):
    """Write `flatbuffer` to `path` only if `check_export` (and for int8,
    unless allowed, `check_tflm`) accepts it."""

    with snnzoo_io.atomic_write(path, None) as tmp:
        with open(tmp, "wb") as f:
            f.write(flatbuffer)
        if quantization == "int8":

            check_allocatable(tmp, "model", shown=path)
        info = describe(tmp, check=False)  # the converter's own output
        info["path"] = str(path)
        check_export(info, quantization, allow_float_tensors)
        if quantization == "int8" and not allow_non_tflm:

            check_tflm(tmp, "model", shown=path)
    return info


def _check_arguments(quantization, mode, path):
    if quantization not in QUANTIZATIONS:
        raise ValueError(f"Unknown quantization {quantization!r}; expected one of "
                         f"{QUANTIZATIONS}.")
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; expected one of {MODES}.")
    if not str(path).endswith(".tflite"):
        raise ValueError(f"Expected a .tflite path; got {path!r}.")


def _check_input_grid(input_grid, quantization, mode):
    if input_grid is None:
        return None
    if quantization != "int8" or mode != "step":
        validation.fail("input_grid", "None unless quantization='int8' and mode='step'",
                        input_grid)
    if not isinstance(input_grid, (tuple, list)) or len(input_grid) != 2:
        validation.fail("input_grid", "a pair (scale, zero point)", input_grid)
    scale = validation.number(input_grid[0], "input_grid scale", 0, low_open=True)
    zero = validation.number(input_grid[1], "input_grid zero point", -128, 127, integer=True)
    return float(scale), int(zero)


def _set_quantization(converter, quantization):
    """Converter flags: optimizations, supported types and ops, I/O types."""
    import tensorflow as tf

    if quantization in ("float16", "dynamic_range", "int8"):
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if quantization == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if quantization == "int8":
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    else:
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]


def _representative_array(representative_data, graph):
    if representative_data is None:
        raise ValueError("int8 export needs `representative_data`: real model inputs "
                         "(n, time, features) from the model's preprocessing.")
    return validation.array(representative_data, "representative_data", ndim=3,
                            features=graph.input_features)


def _stateful_samples(sequences, max_samples):
    length = sequences.shape[1]
    count = max(1, min(len(sequences), -(-max_samples // length)))
    return [[sequences[b, t:t + 1], np.full((1, 1), float(t == 0), "float32")]
            for b in range(count) for t in range(length)]


def representative_dataset(graph, data, mode, calibration_samples=None):
    """The converter's `representative_dataset` callable for `graph`: whole
    sequences for a sequence graph, the visited (frame, states) pairs for a
    step graph (see `step_calibration_samples`), fed by input name."""
    if mode == "step":
        samples = step_calibration_samples(graph, data, calibration_samples or 8000)
    elif mode == "stateful":  # whole sequences in order, reset at each start
        samples = _stateful_samples(data, calibration_samples or 8000)
        names = [INPUT_NAME, RESET_NAME]
    else:
        samples = [[data[i:i + 1]] for i in range(min(len(data), calibration_samples or 200))]
    if mode != "stateful":
        names = [INPUT_NAME] + [state_input_name(k) for k in range(len(graph.state_sizes))]

    def dataset():
        for sample in samples:
            yield dict(zip(names, sample))

    return dataset

"""Compare a LiteRT artifact with the Keras model it came from."""

import numpy as np

from snnzoo import validation
from snnzoo.export.runtime.litert import run_tflite
from snnzoo.export.runtime.streaming_runner import StreamingRunner
from snnzoo.export.signature import state_input_name


def compare_outputs(keras_outputs, tflite_outputs, y=None):
    """Max / mean |difference| of outputs, argmax agreement and accuracies."""
    a = np.asarray(keras_outputs, "float32")
    b = np.asarray(tflite_outputs, "float32")
    diff = np.abs(a - b)
    out = {"samples": int(len(a)), "max_abs_diff": float(diff.max()),
           "mean_abs_diff": float(diff.mean()),
           "prediction_agreement": float(np.mean(a.argmax(-1) == b.argmax(-1)))}
    if y is not None:
        y = np.asarray(y)
        out["keras_accuracy"] = float(np.mean(a.argmax(-1) == y))
        out["tflite_accuracy"] = float(np.mean(b.argmax(-1) == y))
    return out


def verify(model, path, x, y=None, batch_size=128):
    """Run a `.tflite` file on inputs and compare with the Keras model.

    Args:
        model: the Keras model the file was exported from.
        path: the `.tflite` file.
        x: inputs `(n, time, features)`.
        y: optional integer labels, for both accuracies.
        batch_size: Keras inference batch size.

    Returns:
        `compare_outputs`' dict: `samples`, `max_abs_diff`, `mean_abs_diff`,
        `prediction_agreement`, and `keras_accuracy` / `tflite_accuracy`
        with `y`.

    Raises:
        ValueError: `x` or `y` do not fit the model, or the file's inputs.
    """

    x = validation.model_inputs(model, x, "x")
    if y is not None:
        y = validation.labels(y, "y", length=len(x))
    ref = model.predict(x, batch_size=batch_size, verbose=0)
    return compare_outputs(ref, run_tflite(path, x), y)


def spike_agreement(graph, path, x):
    """How often the spikes of a step artifact equal the Keras step graph's.

    Args:
        graph: the `StepGraph` the artifact was exported from.
        path: the step `.tflite` file.
        x: sequences `(n, time, features)`.

    Returns:
        The fraction of spike-state entries (every `s` state of a spiking
        cell, over every frame) that agree, or None if the model has no
        spikes.

    Raises:
        ValueError: `x` is not a finite 3-D array of the graph's features.
    """

    if not graph.spike_states:
        return None

    index = [graph.state_names.index(n) for n in graph.spike_states]
    x = validation.array(x, "x", ndim=3, features=graph.input_features)
    states = graph.initial_states(len(x))
    reference = []  # per frame: the spike states of every sample
    for t in range(x.shape[1]):
        _, states = graph.step(x[:, t], states)
        states = [np.asarray(s) for s in states]
        reference.append([states[k] for k in index])
    runner = StreamingRunner(path)
    equal = total = 0
    for b in range(len(x)):
        runner.reset()
        for t in range(x.shape[1]):
            runner.step(x[b, t])
            for ref, k in zip(reference[t], index):
                got = np.round(runner.state(state_input_name(k))[0])
                equal += int(np.sum(got == ref[b]))
                total += got.size
    return equal / total

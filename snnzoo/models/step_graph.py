"""`StepGraph`: a trained sequence model as one time step with explicit state."""

import keras
from keras import ops

from snnzoo import validation
from snnzoo.cells.recurrent_cell import RecurrentCell
from snnzoo.layers.max_abs_normalization import MaxAbsNormalization
from snnzoo.layers.spike_monitor import SpikeMonitor
from snnzoo.layers.time_reduce import TimeReduce

_PASS_THROUGH = (SpikeMonitor, keras.layers.Dropout, keras.layers.Identity,
                 keras.layers.GaussianNoise, keras.layers.GaussianDropout)
_PER_FRAME = (keras.layers.Dense, keras.layers.Activation, keras.layers.ReLU,
              keras.layers.Softmax, keras.layers.Rescaling, keras.layers.Normalization)


class StepGraph:
    """One time step of a sequence model, every recurrent state explicit.

    The model must be a chain (each layer consumes the previous layer's
    output) of: RNN layers with any snnzoo cell (or a Keras cell following
    the RNN-cell protocol), per-frame layers (Dense, activations,
    normalizations, `MaxAbsNormalization`), pass-through layers
    (`SpikeMonitor`, dropout) and a final `TimeReduce` ("max", "last" or
    "sum"), which becomes a running accumulator with its own state.

    `step(x_t, states) -> (output, new_states)` with `x_t` (batch, features)
    and `states` a flat list (see `state_names`); all initial states are
    zero. After the last frame of a sequence `output` equals the sequence
    model's output. With `export=True` (the default) every snnzoo cell is
    called with `export=True`: spikes are traced as the bare Heaviside step
    (an int8-friendly select, no gradient path) and inner SNN loops unroll.
    Values are identical either way. With `int8=True` cells are called with
    `export="int8"` instead, and may trace a form that rounds alike in every
    int8 runtime (`SpikingLSTMCell.recurrent_drive`); the values stay the
    same.

    Args:
        model: a `keras.Model` built on `(batch, time, features)` inputs.
        int8: the traced graph will be quantized to int8.

    Example:
    >>> graph = StepGraph(model)
    >>> states = graph.initial_states(batch_size=1)
    >>> for x_t in sequence:            # (1, features) frames
    ...     logits, states = graph.step(x_t, states)

    Raises:
        ValueError: the model is not a chain with one `(batch, time,
            features)` input, a layer runs backwards, or a layer has no
            streaming form.
    """

    def __init__(self, model, int8=False):
        per_frame = _PER_FRAME + (MaxAbsNormalization,)
        if len(model.inputs) != 1 or len(model.input_shape) != 3:
            raise ValueError(f"StepGraph needs one (batch, time, features) input; model "
                             f"{model.name!r} has input shape {model.input_shape}.")
        self.model = model
        self.int8 = bool(int8)
        self.input_features = int(model.input_shape[-1])
        self.sequence_length = model.input_shape[1]
        self.stages = []
        self.state_names, self.state_sizes, self.spike_states = [], [], []
        previous = model.inputs[0]
        for layer in model.layers:
            if isinstance(layer, keras.layers.InputLayer):
                continue
            chained = isinstance(model, keras.Sequential) or _consumes(layer, previous)
            if not chained:
                raise ValueError(f"StepGraph supports chain models only; layer {layer.name!r} "
                                 "does not consume the previous layer's output.")
            previous = None if isinstance(model, keras.Sequential) else layer.output
            if isinstance(layer, keras.layers.RNN):
                if layer.go_backwards:
                    raise ValueError(f"Layer {layer.name!r} runs backwards; a streaming "
                                     "step graph cannot.")
                cell = layer.cell
                sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) \
                    else [cell.state_size]
                names = list(getattr(cell, "state_names", ())) or [
                    f"state{k}" for k in range(len(sizes))]
                first = len(self.state_names)
                for name, size in zip(names, sizes):
                    self.state_names.append(f"{layer.name}_{name}")
                    self.state_sizes.append(int(size))
                    if name == "s":
                        self.spike_states.append(f"{layer.name}_{name}")
                self.stages.append(("rnn", layer, first, len(sizes)))
            elif isinstance(layer, TimeReduce):
                if layer.mode not in ("max", "last", "sum"):
                    raise ValueError(f"TimeReduce({layer.mode!r}) ({layer.name!r}) has no "
                                     "streaming form; use 'max', 'last' or 'sum'.")
                size = int(layer.output.shape[-1])
                first = len(self.state_names)
                self.state_names += [f"{layer.name}_acc", f"{layer.name}_started"]
                self.state_sizes += [size, 1]
                self.stages.append(("reduce", layer, first, 2))
            elif isinstance(layer, _PASS_THROUGH):
                continue
            elif isinstance(layer, per_frame):
                self.stages.append(("frame", layer, None, 0))
            else:
                raise ValueError(f"Layer {layer.name!r} ({type(layer).__name__}) has no "
                                 "step-mode rule in StepGraph.")

    def initial_states(self, batch_size=1):
        """Zero states (a list of `(batch_size, size)` float32 arrays)."""
        import numpy as np

        return [np.zeros((batch_size, n), "float32") for n in self.state_sizes]

    def step(self, x, states, export=True):
        """One frame: `(output, new_states)` (tensors of the current backend).

        `export=False` keeps the surrogate gradients and inner loops as in
        training (quantization-aware fine-tuning differentiates through it).
        """
        states = list(states)
        new_states = list(states)
        for kind, layer, first, count in self.stages:
            if kind == "frame":
                x = layer(x, training=False) if _takes_training(layer) else layer(x)
                continue
            own = states[first:first + count]
            if kind == "rnn":
                x, updated = _cell_step(layer.cell, x, own,
                                        "int8" if export and self.int8 else export)
            else:
                x, updated = _reduce_step(layer.mode, x, own)
            new_states[first:first + count] = updated
        return x, new_states

    def run(self, x):
        """Stream whole sequences `x` (batch, time, features) step by step;
        returns the final outputs (a NumPy array)."""
        import numpy as np

        x = validation.array(x, "x", ndim=3, features=self.input_features)
        states = self.initial_states(len(x))
        out = None
        for t in range(x.shape[1]):
            out, states = self.step(ops.convert_to_tensor(x[:, t]), states)
        return np.asarray(ops.convert_to_numpy(out))


def _cell_step(cell, x, states, export):
    """One frame of an RNN cell; snnzoo cells are told when it is an export."""
    kwargs = {"export": export} if isinstance(cell, RecurrentCell) else {}
    x, updated = cell(x, states, training=False, **kwargs)
    return x, list(updated) if isinstance(updated, (list, tuple)) else [updated]


def _reduce_step(mode, x, states):
    """One frame of `TimeReduce(mode)` as a running accumulator `(acc, started)`."""
    acc, started = states
    if mode == "max":
        # max(acc, x) as acc + relu(x - acc): a MAXIMUM op forces one int8
        # scale on its inputs and output, which would clip the (wider)
        # readout state.
        running = acc + ops.relu(x - acc)
        x = started * running + (1.0 - started) * x
    elif mode == "sum":
        x = acc + x
    # `started` is 1 from now on; written as an op on the input so the
    # converter cannot fold it into an unquantized constant.
    return x, [x, ops.maximum(started, ops.ones_like(started))]


def _takes_training(layer):
    import inspect

    return "training" in inspect.signature(layer.call).parameters


def _consumes(layer, tensor):
    """Whether `layer` (called once) takes `tensor` as its only input."""
    try:
        source = layer.input
    except (AttributeError, ValueError):  # a layer called several times
        return False
    return source is tensor or (getattr(source, "name", None) is not None
                                and getattr(source, "name", None) == getattr(tensor, "name", None))

"""`keras.layers.RNN` with the input projection hoisted out of the time loop."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="snnzoo")
class SpikingRNN(keras.layers.RNN):
    """An RNN layer for snnzoo cells that projects the whole sequence first.

    Same arguments and behaviour as `keras.layers.RNN` (return_sequences,
    return_state, stateful, go_backwards, initial states). For cells with
    `project_inputs` / `step` (every snnzoo cell), `x W + b` is computed for
    all time steps with one matmul and only `step` runs inside the loop
    (`keras.ops.scan`: `lax.scan` under JAX, a while loop under TensorFlow).
    With a mask, `unroll=True` or another cell type it falls back to the
    generic Keras loop, with identical results.

    Args:
        cell: an RNN cell, e.g. `snnzoo.cells.CubaLIFCell(128)`.
        **kwargs: `keras.layers.RNN` arguments.

    Example:
    >>> layer = SpikingRNN(snnzoo.cells.CubaLIFCell(128), return_sequences=True)
    >>> spikes = layer(x)   # x: (batch, time, features)
    """

    def __init__(self, cell, **kwargs):
        super().__init__(cell, **kwargs)
        # Keras' TensorFlow `scan` sets no maximum_iterations, so XLA cannot
        # compile its gradient; `jit_compile="auto"` honours this flag.
        if keras.backend.backend() == "tensorflow":
            self.supports_jit = False
        # Keras checks inputs against the spec before `call`: (batch, time,
        # features), with the feature count fixed once the layer is built.
        self.input_spec = keras.layers.InputSpec(ndim=3)

    def build(self, sequences_shape, initial_state_shape=None):
        _check_time(sequences_shape)
        super().build(sequences_shape, initial_state_shape)
        if sequences_shape[-1] is not None:
            self.input_spec = keras.layers.InputSpec(ndim=3, axes={-1: sequences_shape[-1]})

    def call(self, sequences, initial_state=None, mask=None, training=False):
        _check_time(tuple(sequences.shape))
        return super().call(sequences, initial_state=initial_state, mask=mask,
                            training=training)

    def _fast_path(self, mask):
        cell = self.cell
        return (
            mask is None
            and not self.unroll
            and hasattr(cell, "project_inputs")
            and hasattr(cell, "step")
            and hasattr(cell, "output_from_states")
        )

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if not self._fast_path(mask):
            return super().inner_loop(sequences, initial_state, mask, training)
        cell = self.cell
        projected = cell.project_inputs(sequences)
        if self.go_backwards:
            projected = ops.flip(projected, axis=1)
        projected = ops.moveaxis(projected, 1, 0)  # time-major for scan

        # TF's scan needs per-step outputs shaped like the carry, so there
        # the loop emits the states and the outputs are derived afterwards;
        # elsewhere it emits the outputs only.
        emit_states = keras.backend.backend() == "tensorflow"

        def body(states, x_t):
            output, new_states = cell.step(x_t, list(states), training=training)
            new_states = list(new_states)
            return new_states, (new_states if emit_states else output)

        states, history = ops.scan(body, _batch_sharded(initial_state), projected)
        if emit_states:
            history = cell.output_from_states(history)
        outputs = ops.moveaxis(history, 0, 1)
        return outputs[:, -1], outputs, list(states)


def _batch_sharded(states):
    """The initial states laid out like the batch under a Keras distribution
    (`DataParallel`): left replicated, they make XLA gather the carry across
    devices at every time step, a collective per step over processes."""
    distribution = keras.distribution.distribution()
    if distribution is None:
        return list(states)
    return [keras.distribution.distribute_tensor(s, distribution.get_data_layout(s.shape))
            for s in states]


def _check_time(shape):
    """An empty sequence (time axis of length 0) has no last output."""
    if len(shape) == 3 and shape[1] == 0:
        raise ValueError(f"`sequences`: expected at least one time step; got shape "
                         f"{tuple(shape)}.")

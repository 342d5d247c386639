"""Shared machinery of snnzoo's recurrent cells (Keras RNN-cell protocol).

A cell splits one step into `project_inputs` (the input matmul `x W + b`,
which does not depend on the state) and `step` (everything that does).
`call(inputs, states)` chains the two, so every cell works inside a plain
`keras.layers.RNN`. `snnzoo.layers.SpikingRNN` instead projects the whole
sequence with one large matmul before the time loop and scans `step` only,
which is what makes the cells fast.
"""

import keras
from keras import ops

from snnzoo import initializers


class RecurrentCell(keras.layers.Layer):
    """Base class: weights `kernel` (m, g*units), `recurrent_kernel`
    (units, g*units) and `bias` (g*units,), with g = `self.num_projections`.

    Args:
        units: int. Number of neurons.
        recurrent: bool. Whether the cell has a recurrent kernel.
        use_bias: bool.
        kernel_initializer: initializer of the input kernel; `"fan_in_uniform"`
            is `U(-k^-1/2, k^-1/2)` with k the fan-in.
        recurrent_initializer: initializer of the recurrent kernel (as above).
        bias_initializer: initializer of the bias (`"fan_in_uniform"`: k is
            the input size).
        kernel_constraint: constraint on the input kernel.
        recurrent_constraint: constraint on the recurrent kernel.
        bias_constraint: constraint on the bias.

    Raises:
        ValueError: `units` is not a positive int.
    """

    #: How many `units`-wide blocks the input projection has.
    num_projections = 1
    #: Names of the states, in order; `state_size` is `units` for each.
    state_names = ()
    # Facts other modules read instead of dispatching on class names (the
    # energy memory model, the NIR writer); a new cell sets its own.
    #: Whether the outputs are spikes (1 bit each to store).
    emits_spikes = False
    #: State words per unit of the iso-architecture ANN (an LSTM: h and c).
    ann_state_words = 1
    #: The NIR neuron the cell maps to ("LIF", "CubaLIF", "LI"), or None.
    nir_neuron = None
    #: Why the cell has no NIR form (when `nir_neuron` is None).
    nir_missing = "NIR has no node for it"

    def extra_state_words(self, input_features):
        """State words per step beyond `state_size` (memory model)."""
        return 0

    def __init__(
        self,
        units,
        recurrent=True,
        use_bias=True,
        kernel_initializer="fan_in_uniform",
        recurrent_initializer="fan_in_uniform",
        bias_initializer="fan_in_uniform",
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise ValueError(f"`units` must be a positive int; got {units!r}.")
        self.units = units
        self.recurrent = bool(recurrent)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = kernel_initializer
        self.recurrent_initializer = recurrent_initializer
        self.bias_initializer = bias_initializer
        self.kernel_constraint = keras.constraints.get(kernel_constraint)
        self.recurrent_constraint = keras.constraints.get(recurrent_constraint)
        self.bias_constraint = keras.constraints.get(bias_constraint)

    @property
    def state_size(self):
        return [self.units] * len(self.state_names)

    @property
    def output_size(self):
        return self.units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"{type(self).__name__} needs a known last input dimension; "
                f"got input shape {input_shape}."
            )
        width = self.num_projections * self.units
        self.kernel = self.add_weight(
            shape=(input_dim, width),
            name="kernel",
            initializer=initializers.get(self.kernel_initializer),
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = None
        if self.recurrent:
            self.recurrent_kernel = self.add_weight(
                shape=(self.units, width),
                name="recurrent_kernel",
                initializer=initializers.get(self.recurrent_initializer),
                constraint=self.recurrent_constraint,
            )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(width,),
                name="bias",
                initializer=self._bias_initializer(input_dim),
                constraint=self.bias_constraint,
            )
        self.build_neuron_weights()

    def _bias_initializer(self, input_dim):
        return initializers.get(self.bias_initializer, fan_in=input_dim)

    def build_neuron_weights(self):
        """Hook for per-neuron parameters (time constants)."""

    def project_inputs(self, inputs):
        """`inputs @ kernel + bias` for any leading shape (step or sequence)."""
        z = ops.matmul(inputs, self.kernel)
        if self.use_bias:
            z = z + self.bias
        return z

    def recurrent_input(self, s):
        """`s @ recurrent_kernel`, or None without recurrence."""
        if not self.recurrent:
            return None
        return ops.matmul(s, self.recurrent_kernel)

    def output_from_states(self, states):
        """The cell output given its (possibly time-stacked) states."""
        return states[0]

    # Subclasses define `step(projected, states, training=False, export=False)`:
    # one time step from already projected inputs, returning
    # `(output, new_states)`. `export=True` is passed by `StepGraph` when the
    # step is traced for a TFLite graph (int8-friendly ops, no gradient path,
    # identical values), or `export="int8"` when that graph will be
    # quantized to int8; nothing else sets it.

    def call(self, inputs, states, training=False, export=False):
        return self.step(self.project_inputs(inputs), states, training, export)

    def get_initial_state(self, batch_size=None):
        return [
            ops.zeros((batch_size, size), dtype=self.compute_dtype)
            for size in self.state_size
        ]

    def get_config(self):
        config = super().get_config()

        def ser_init(init):
            if isinstance(init, str):
                return init
            return keras.initializers.serialize(init)

        config.update(
            {
                "units": self.units,
                "recurrent": self.recurrent,
                "use_bias": self.use_bias,
                "kernel_initializer": ser_init(self.kernel_initializer),
                "recurrent_initializer": ser_init(self.recurrent_initializer),
                "bias_initializer": ser_init(self.bias_initializer),
                "kernel_constraint": keras.constraints.serialize(
                    self.kernel_constraint
                ),
                "recurrent_constraint": keras.constraints.serialize(
                    self.recurrent_constraint
                ),
                "bias_constraint": keras.constraints.serialize(
                    self.bias_constraint
                ),
            }
        )
        return config

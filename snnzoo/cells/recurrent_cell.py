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
from snnzoo import validation
from snnzoo.activations import surrogates
from snnzoo.neurons.lif import normalize_bounds


class RecurrentCell(keras.layers.Layer):
    """Base class: weights `kernel` (m, g*units), `recurrent_kernel`
    (units, g*units) and `bias` (g*units,), with g = `self.num_projections`.

    Args:
        units: int. Number of neurons.
        recurrent: bool. Whether the cell has a recurrent kernel.
        use_bias: bool.
        kernel_initializer, recurrent_initializer, bias_initializer:
            initializers; `"fan_in_uniform"` is `U(-k^-1/2, k^-1/2)` with
            k the fan-in (the input size for the bias).
        kernel_constraint, recurrent_constraint, bias_constraint: constraints.
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


class SpikingCell(RecurrentCell):
    """Base of the spiking cells: threshold, surrogate, ternary spikes,
    clipping and trainable per-neuron time constants.

    Args:
        threshold: float. Firing threshold `v_th` (default 1.0).
        surrogate: alias, config or `Surrogate`; gradient of the spike.
        ternary: bool. Emit signed spikes in {-1, 0, 1} (`H(v - th) -
            H(-v - th)`), reset by `th * s` either way.
        time_constant_initializer: initializer of `alpha` / `beta`
            (default `Constant(0.9)`).
        train_time_constants: bool. Whether `alpha` / `beta` are trainable.
        current_clip: None, c > 0 (-> [-c, c]) or (low, high): clip of the
            synaptic current `i`, applied in every call. Only cells with a
            synaptic current (Cuba-LIF, SpikGRU) take it; the others raise.
        membrane_clip: same for the membrane potential `v`.
        return_membrane: bool. If True the cell output is
            `concat([spikes, v], -1)` (2 * units wide) for inspection.
        reset: "subtract" (default: `v_th` is subtracted on the step after
            a spike, the papers' reset) or "zero" (the neuron restarts from
            0, NIR's and snnTorch's `reset_mechanism="zero"`; binary spikes
            only). Only cells with `supports_zero_reset` take "zero".
        **kwargs: `RecurrentCell` arguments.
    """

    #: Whether the cell has a synaptic current state `i` (and so takes
    #: `current_clip`).
    has_current = False
    #: Whether the cell takes `reset="zero"` (LIF and Cuba-LIF).
    supports_zero_reset = False
    emits_spikes = True

    def __init__(
        self,
        units,
        threshold=1.0,
        surrogate="triangular",
        ternary=False,
        time_constant_initializer=0.9,
        train_time_constants=True,
        current_clip=None,
        membrane_clip=None,
        return_membrane=False,
        reset="subtract",
        **kwargs,
    ):
        super().__init__(units, **kwargs)
        if reset not in ("subtract", "zero"):
            validation.fail("reset", '"subtract" or "zero"', reset)
        if reset == "zero" and (ternary or not self.supports_zero_reset):
            validation.fail("reset", f'"subtract" for {type(self).__name__}'
                            + (" with ternary spikes" if ternary else ""), reset)
        self.reset = reset
        if current_clip is not None and not self.has_current:
            raise ValueError(
                f"`current_clip` is for cells with a synaptic current (CubaLIFCell, "
                f"SpikGRUCell); {type(self).__name__} has none. Got current_clip="
                f"{current_clip!r}; use `membrane_clip` to bound the membrane.")
        self.threshold = validation.number(threshold, "threshold", 0.0, low_open=True)
        if isinstance(time_constant_initializer, (int, float)):
            validation.number(time_constant_initializer, "time_constant_initializer", 0.0, 1.0)
        self.surrogate = surrogates.get(surrogate)
        self.ternary = bool(ternary)
        self.time_constant_initializer = time_constant_initializer
        self.train_time_constants = bool(train_time_constants)
        self.current_clip = normalize_bounds(current_clip, "current_clip")
        self.membrane_clip = normalize_bounds(membrane_clip, "membrane_clip")
        self.return_membrane = bool(return_membrane)

    @property
    def output_size(self):
        return 2 * self.units if self.return_membrane else self.units

    def add_time_constant(self, name, initializer=None):
        """A per-neuron `(units,)` weight; a number means `Constant(number)`."""
        init = self.time_constant_initializer if initializer is None else initializer
        if isinstance(init, (int, float)):
            init = keras.initializers.Constant(float(init))
        else:
            init = keras.initializers.get(init)
        return self.add_weight(
            shape=(self.units,),
            name=name,
            initializer=init,
            trainable=self.train_time_constants,
        )

    @staticmethod
    def clipped_unit(weight):
        """A time constant clipped to [0, 1] in the forward pass."""
        return ops.clip(weight, 0.0, 1.0)

    def output_from_states(self, states):
        names = self.state_names
        return self.output(states[names.index("s")], states[names.index("v")])

    def output(self, s, v):
        if self.return_membrane:
            return ops.concatenate([s, v], axis=-1)
        return s

    def get_config(self):
        config = super().get_config()
        init = self.time_constant_initializer
        if not isinstance(init, (int, float, str)):
            init = keras.initializers.serialize(init)
        config.update(
            {
                "threshold": self.threshold,
                "surrogate": surrogates.serialize(self.surrogate),
                "ternary": self.ternary,
                "time_constant_initializer": init,
                "train_time_constants": self.train_time_constants,
                "current_clip": self.current_clip,
                "membrane_clip": self.membrane_clip,
                "return_membrane": self.return_membrane,
                "reset": self.reset,
            }
        )
        return config

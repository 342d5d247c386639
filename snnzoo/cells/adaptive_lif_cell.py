"""Adaptive LIF cell of Yin, Corradi & Bohte (2021)."""

import keras
from keras import ops

from snnzoo.cells.spiking_cell import SpikingCell
from snnzoo.neurons.lif import leaky_integrate_and_fire


@keras.saving.register_keras_serializable(package="snnzoo")
class AdaptiveLIFCell(SpikingCell):
    """Adaptive-threshold LIF with trainable membrane and adaptation time
    constants (SRNN of Yin et al. 2021).

    `alpha = exp(-1 / tau_m)`, `rho = exp(-1 / tau_adp)` (dt = 1),
    `b_t = rho * b_{t-1} + (1 - rho) * s_{t-1}`,
    `B_t = v_th + adaptation * b_t`,
    `v_t = alpha * v_{t-1} + (1 - alpha) * I_t - B_t * s_{t-1}`,
    `s_t = H(v_t - B_t)`, with `I_t = W x_t + U s_{t-1} + b`.

    Weights `tau_membrane`, `tau_adaptation` (units,) are trainable (floored
    at 1e-3 in the forward pass). States: `[v, b, s]`.

    Args:
        units: int.
        adaptation: float. Adaptation strength `beta` (1.8 in Yin's code).
        tau_membrane_initializer: initializer of `tau_m` (Constant 20).
        tau_adaptation_initializer: initializer of `tau_adp` (Constant 200).
        **kwargs: see `SpikingCell` / `RecurrentCell`; its `threshold` is the
            baseline threshold `b_0` (1.0).

    Reference:
        Yin, Corradi & Bohte, Nature Machine Intelligence 2021.

    Raises:
        ValueError: `adaptation` or a time constant is not above 0, or a
            `SpikingCell` argument is out of range.
    """

    state_names = ("v", "b", "s")
    nir_missing = "NIR has no adaptive-threshold neuron"

    def __init__(
        self,
        units,
        adaptation=1.8,
        tau_membrane_initializer=20.0,
        tau_adaptation_initializer=200.0,
        **kwargs,
    ):
        super().__init__(units, **kwargs)
        for name, value in (("tau_membrane_initializer", tau_membrane_initializer),
                            ("tau_adaptation_initializer", tau_adaptation_initializer)):
            if isinstance(value, (int, float)) and not value > 0:
                raise ValueError(f"`{name}` must be > 0; got {value}.")
        self.adaptation = float(adaptation)
        self.tau_membrane_initializer = tau_membrane_initializer
        self.tau_adaptation_initializer = tau_adaptation_initializer

    def build_neuron_weights(self):
        self.tau_membrane = self.add_time_constant(
            "tau_membrane", self.tau_membrane_initializer
        )
        self.tau_adaptation = self.add_time_constant(
            "tau_adaptation", self.tau_adaptation_initializer
        )

    def step(self, projected, states, training=False, export=False):
        v, b, s = states
        current = projected
        recurrent = self.recurrent_input(s)
        if recurrent is not None:
            current = current + recurrent
        alpha = ops.exp(-1.0 / ops.maximum(self.tau_membrane, 1e-3))
        rho = ops.exp(-1.0 / ops.maximum(self.tau_adaptation, 1e-3))
        b = rho * b + (1.0 - rho) * ops.abs(s)
        threshold = self.threshold + self.adaptation * b
        s, v = leaky_integrate_and_fire(v, s, (1.0 - alpha) * current, alpha, threshold,
                                        self.surrogate, self.ternary, self.membrane_clip, export)
        return self.output(s, v), [v, b, s]

    def get_config(self):
        config = super().get_config()

        def ser(init):
            if isinstance(init, (int, float, str)):
                return init
            return keras.initializers.serialize(init)

        config.update(
            {
                "adaptation": self.adaptation,
                "tau_membrane_initializer": ser(self.tau_membrane_initializer),
                "tau_adaptation_initializer": ser(
                    self.tau_adaptation_initializer
                ),
            }
        )
        return config

"""Current-based LIF cell (Dampfhoffer et al. 2022, eqs. 3-5)."""

import keras

from snnzoo.cells.spiking_cell import SpikingCell
from snnzoo.neurons.lif import leaky_integrate_and_fire
from snnzoo.neurons.lif import synaptic_current


@keras.saving.register_keras_serializable(package="snnzoo")
class CubaLIFCell(SpikingCell):
    """Current-based leaky integrate-and-fire cell.

    `i_t = alpha * i_{t-1} + W s^{l-1}_t + U s_{t-1} + b`,
    `v_t = beta * v_{t-1} + (1 - beta) * i_t - v_th * s_{t-1}`,
    `s_t = H(v_t - v_th)`.

    `alpha`, `beta`: trainable per-neuron vectors, initialized to 0.9,
    clipped to [0, 1] in the forward pass. States: `[i, v, s]`.

    Args:
        units: int. Number of neurons.
        threshold: float > 0. Firing threshold `v_th` (1.0).
        surrogate: alias, config or `Surrogate`; gradient of the spike
            (default triangular).
        ternary: bool. Signed spikes in {-1, 0, 1} (see `SpikingCell`).
        time_constant_initializer: initial leak(s) in [0, 1] (0.9).
        train_time_constants: bool. Whether the leaks are trained.
        current_clip: None, c > 0 or (low, high): clip of the synaptic
            current `i`.
        membrane_clip: None, c > 0 or (low, high): clip of the membrane `v`.
        return_membrane: bool. Output `concat([spikes, v], -1)` for inspection.
        reset: "subtract" (the papers') or "zero" (NIR's and snnTorch's).
        **kwargs: `RecurrentCell` arguments (`recurrent=False` for a
            feed-forward layer, initializers, constraints).

    Raises:
        ValueError: `units` is not a positive int, `threshold` or a leak is
            out of range, `reset` is unknown or not supported by the cell, or
            a clip is malformed.

    Reference:
        Dampfhoffer et al., ICANN 2022, eqs. (3)-(5); Cramer et al. 2020.
    """

    state_names = ("i", "v", "s")
    has_current = True
    supports_zero_reset = True
    nir_neuron = "CubaLIF"

    def build_neuron_weights(self):
        self.alpha = self.add_time_constant("alpha")
        self.beta = self.add_time_constant("beta")

    def step(self, projected, states, training=False, export=False):
        i, v, s = states
        current = projected
        recurrent = self.recurrent_input(s)
        if recurrent is not None:
            current = current + recurrent
        alpha = self.clipped_unit(self.alpha)
        beta = self.clipped_unit(self.beta)
        i = synaptic_current(i, current, alpha, self.current_clip)
        s, v = leaky_integrate_and_fire(v, s, (1.0 - beta) * i, beta, self.threshold,
                                        self.surrogate, self.ternary, self.membrane_clip, export,
                                        self.reset)
        return self.output(s, v), [i, v, s]

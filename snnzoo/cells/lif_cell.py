"""Recurrent leaky integrate-and-fire cell (Dampfhoffer et al. 2022, eqs. 1-2)."""

import keras

from snnzoo.cells.spiking_cell import SpikingCell
from snnzoo.neurons.lif import leaky_integrate_and_fire


@keras.saving.register_keras_serializable(package="snnzoo")
class LIFCell(SpikingCell):
    """Leaky integrate-and-fire cell; one time step of `keras.layers.RNN`.

    `v_t = beta * v_{t-1} + W s^{l-1}_t + U s_{t-1} + b - v_th * s_{t-1}`,
    `s_t = H(v_t - v_th)`.

    `beta` is a trainable per-neuron vector, initialized to 0.9 and clipped to
    [0, 1] in the forward pass. The reset subtracts `v_th` on the step after a
    spike. States: `[v, s]`.

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

    Example:
    >>> layer = snnzoo.layers.SpikingRNN(snnzoo.cells.LIFCell(8),
    ...                                  return_sequences=True)
    >>> spikes = layer(np.ones((2, 5, 3), "float32"))   # (2, 5, 8)

    Reference:
        Dampfhoffer, Mesquida, Valentian & Anghel, ICANN 2022, eqs. (1)-(2).
    """

    state_names = ("v", "s")
    supports_zero_reset = True
    nir_neuron = "LIF"

    def build_neuron_weights(self):
        self.beta = self.add_time_constant("beta")

    def step(self, projected, states, training=False, export=False):
        v, s = states
        current = projected
        recurrent = self.recurrent_input(s)
        if recurrent is not None:
            current = current + recurrent
        beta = self.clipped_unit(self.beta)
        s, v = leaky_integrate_and_fire(v, s, current, beta, self.threshold, self.surrogate,
                                        self.ternary, self.membrane_clip, export, self.reset)
        return self.output(s, v), [v, s]

"""SpikGRU cell (Dampfhoffer et al. 2022, eqs. 6-9)."""

import keras
from keras import ops

from snnzoo.cells.spiking_cell import SpikingCell
from snnzoo.neurons.lif import leaky_integrate_and_fire
from snnzoo.neurons.lif import synaptic_current


@keras.saving.register_keras_serializable(package="snnzoo")
class SpikGRUCell(SpikingCell):
    """SpikGRU: a Cuba-LIF whose membrane leak is a learned update gate.

    `i_t = alpha * i_{t-1} + W_i s^{l-1}_t + U_i s_{t-1} + b_i`,
    `z_t = sigmoid(W_z s^{l-1}_t + U_z s_{t-1} + b_z)`,
    `v_t = z_t * v_{t-1} + (1 - z_t) * i_t - v_th * s_{t-1}`,
    `s_t = H(v_t - v_th)`.

    `kernel`, `recurrent_kernel` and `bias` hold the blocks `[i, z]`
    (2 * units columns). `alpha`: trainable per neuron, 0.9, clipped to
    [0, 1]. States: `[i, v, s]`.

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
        Dampfhoffer et al., ICANN 2022, eqs. (6)-(9).
    """

    num_projections = 2
    state_names = ("i", "v", "s")
    nir_missing = "its leak is a gate computed from the input (no NIR neuron has one)"
    has_current = True

    def build_neuron_weights(self):
        self.alpha = self.add_time_constant("alpha")

    def step(self, projected, states, training=False, export=False):
        i, v, s = states
        recurrent = self.recurrent_input(s)
        if recurrent is not None:
            projected = projected + recurrent
        p_i, p_z = ops.split(projected, 2, axis=-1)
        alpha = self.clipped_unit(self.alpha)
        i = synaptic_current(i, p_i, alpha, self.current_clip)
        z = ops.sigmoid(p_z)
        s, v = leaky_integrate_and_fire(v, s, (1.0 - z) * i, z, self.threshold, self.surrogate,
                                        self.ternary, self.membrane_clip, export)
        return self.output(s, v), [i, v, s]

"""LSTM cell with piecewise-linear gates (Ponghiran & Roy 2021)."""

import keras
from keras import ops

from snnzoo.activations.hard import hard_sigmoid
from snnzoo.activations.hard import hard_tanh
from snnzoo.cells.recurrent_cell import RecurrentCell
from snnzoo.constraints import ClipWeights


def hard_gates(z):
    """Split a pre-activation `z` ([i, f, c, o] blocks) into activated
    `(i, f, g, o)`: hard sigmoid for i, f, o and hard tanh for g."""
    z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
    return hard_sigmoid(z_i), hard_sigmoid(z_f), hard_tanh(z_c), hard_sigmoid(z_o)


def hard_lstm_update(i, f, g, o, c, cell_clip=None):
    """`c = f*c + i*g` (optionally clipped), `h = o * hard_tanh(c)`; returns
    `(h, c)`."""
    c = f * c + i * g
    if cell_clip is not None:
        c = ops.clip(c, -cell_clip, cell_clip)
    return o * hard_tanh(c), c


@keras.saving.register_keras_serializable(package="snnzoo")
class HardLSTMCell(RecurrentCell):
    """LSTM cell whose gates convert exactly to integrate-and-fire neurons.

    With `z = x W + h_{t-1} U + b` split into `[i, f, c, o]` (Keras order):
    `i, f, o = hard_sigmoid(z)` = `clip((z + 2) / 4, 0, 1)`,
    `g = hard_tanh(z_c)` = `clip(z_c / 2, -1, 1)`,
    `c_t = f * c_{t-1} + i * g` (optionally clipped to [-cell_clip, cell_clip]),
    `h_t = o * hard_tanh(c_t)`.

    A hard sigmoid is the rate of an IF neuron with threshold 4 and bias 2,
    the hard tanh that of a dual-threshold IF with threshold 2, which is what
    `snnzoo.conversion` exploits. States: `[h, c]`.

    Args:
        units: int.
        unit_forget_bias: bool. Initialize the forget-gate bias to 1
            (Ponghiran's code), the other biases to 0.
        cell_clip: float or None. Clamp `c` to `[-cell_clip, cell_clip]` every
            step (Ponghiran clamps to [-1, 1] "to avoid overflow on Loihi").
        weight_clip: float or None. Constrain kernel, recurrent kernel and
            bias to `[-weight_clip, weight_clip]` after each update
            (Ponghiran: 1.0).
        kernel_initializer: default `"glorot_uniform"`.
        recurrent_initializer: default `"orthogonal"`.
        bias_initializer: default `"zeros"` (forget block set to 1 when
            `unit_forget_bias`).
        **kwargs: see `RecurrentCell`.

    Example:
    >>> lstm = keras.layers.RNN(snnzoo.cells.HardLSTMCell(128))

    Reference:
        Ponghiran & Roy, "Hybrid Analog-Spiking Long Short-Term Memory for
        Energy Efficient Computing on Edge Devices", DATE 2021.

    Raises:
        ValueError: `cell_clip` is not above 0 (or None), or `units` is not a
            positive int.
    """

    num_projections = 4
    state_names = ("h", "c")
    ann_state_words = 2
    nir_missing = "it is an analog LSTM, not a spiking neuron"

    def __init__(
        self,
        units,
        unit_forget_bias=True,
        cell_clip=None,
        weight_clip=None,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        **kwargs,
    ):
        if weight_clip is not None:
            weight_clip = float(weight_clip)
            for key in ("kernel", "recurrent", "bias"):
                kwargs.setdefault(f"{key}_constraint", ClipWeights(weight_clip))
        kwargs["recurrent"] = True
        super().__init__(
            units,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            **kwargs,
        )
        if cell_clip is not None and not float(cell_clip) > 0:
            raise ValueError(f"`cell_clip` must be > 0 or None; got {cell_clip}.")
        self.unit_forget_bias = bool(unit_forget_bias)
        self.cell_clip = None if cell_clip is None else float(cell_clip)
        self.weight_clip = weight_clip

    def _bias_initializer(self, input_dim):
        base = super()._bias_initializer(input_dim)
        if not self.unit_forget_bias:
            return base
        units = self.units

        def init(shape, dtype=None):
            parts = [
                base((units,), dtype=dtype),
                ops.ones((units,), dtype=dtype),
                base((2 * units,), dtype=dtype),
            ]
            return ops.concatenate(parts)

        return init

    def gates(self, z):
        """Activated gates `(i, f, g, o)` of a pre-activation `z`."""
        return hard_gates(z)

    def step(self, projected, states, training=False, export=False):
        h, c = states
        z = projected + ops.matmul(h, self.recurrent_kernel)
        h, c = hard_lstm_update(*hard_gates(z), c, self.cell_clip)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config.pop("recurrent")
        if self.weight_clip is not None:
            # Recreated from `weight_clip`; do not store them twice.
            for key in ("kernel", "recurrent", "bias"):
                config.pop(f"{key}_constraint")
        config.update(
            {
                "unit_forget_bias": self.unit_forget_bias,
                "cell_clip": self.cell_clip,
                "weight_clip": self.weight_clip,
            }
        )
        return config

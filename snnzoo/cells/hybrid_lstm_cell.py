"""Hybrid analog-spiking LSTM cell (Ponghiran & Roy, DATE 2021)."""

import keras
from keras import ops

from snnzoo import tracing
from snnzoo.activations.surrogates import heaviside

from snnzoo.cells.hard_lstm_cell import hard_lstm_update
from snnzoo.cells.recurrent_cell import RecurrentCell
from snnzoo.neurons.encoders import check_timesteps
from snnzoo.neurons.encoders import ternary_spike_generator

#: Integer-scaled mode of Ponghiran's code (run_seqmnist.py): inputs in units
#: of 1/2048, weights of 1/256 clamped to +-254/256, biases of 1/256.
INPUT_STEPS = 2048.0
WEIGHT_STEPS = 256.0


@keras.saving.register_keras_serializable(package="snnzoo")
class HybridLSTMCell(RecurrentCell):
    """LSTM whose four FC layers run as integrate-and-fire SNNs for T steps.

    Per LSTM step: `u = [x_n, h_{n-1}]` is encoded by the deterministic
    ternary spike generator (threshold 1) into T frames `S_t`; the FC layers
    integrate `S_t [W; U] + b'` with IF neurons -- threshold 4 and bias
    `b + 2` for i, f, o (rate = hard sigmoid), a dual-threshold IF with
    threshold 2 and bias `b` for g (rate = hard tanh); spike counters give the
    rates, and `c`, `h` are updated in analog exactly as in `HardLSTMCell`.

    All T input frames go through one batched matmul `(T*batch, m+n) x
    (m+n, 4*units)`; the neurons then step through T with `fori_loop`.

    Weights: `kernel`, `recurrent_kernel`, `bias` (copied from a trained
    `HardLSTMCell` by `snnzoo.conversion.convert`). States: `[h, c]` (the
    spike counters and membranes restart at every LSTM step).

    Args:
        units: int.
        timesteps: int T, SNN steps per LSTM step (16..1024 in the paper).
        initial_membrane: "zero" (the paper) or "half" (V_th / 2 for the
            neurons and the generator: rounds instead of floors, which
            roughly halves the rate error).
        integer: bool. Reproduce the integer-scaled arithmetic of the
            paper's code (quantized inputs, weights, biases; initial
            membrane 1/256).
        cell_clip: float or None. Clamp `c` as the source cell did.
    """

    num_projections = 4
    state_names = ("h", "c")

    def __init__(self, units, timesteps=64, initial_membrane="zero",
                 integer=False, cell_clip=None, **kwargs):
        kwargs.setdefault("kernel_initializer", "glorot_uniform")
        kwargs.setdefault("recurrent_initializer", "orthogonal")
        kwargs.setdefault("bias_initializer", "zeros")
        kwargs["recurrent"] = True
        super().__init__(units, **kwargs)
        check_timesteps(timesteps)
        if initial_membrane not in ("zero", "half"):
            raise ValueError(
                "`initial_membrane` must be 'zero' or 'half'; got "
                f"{initial_membrane!r}."
            )
        self.timesteps = timesteps
        self.initial_membrane = initial_membrane
        self.integer = bool(integer)
        self.cell_clip = None if cell_clip is None else float(cell_clip)

    def fc_rates(self, u):
        """Spike rates of the four SNN FC layers for `u = [x, h]`.

        Args:
            u: (batch, m + n) analog inputs in [-1, 1].

        Returns:
            (batch, 4 * units) rates in [0, 1] (i, f, o) and [-1, 1] (g).
        """
        n, T = self.units, self.timesteps
        dtype = self.compute_dtype
        w = ops.concatenate([self.kernel, self.recurrent_kernel], axis=0)
        b = self.bias
        v0_gen = 0.5 if self.initial_membrane == "half" else 0.0
        if self.integer:
            u = ops.round(u * INPUT_STEPS) / INPUT_STEPS
            w = ops.clip(ops.round(w * 128.0) * 2.0, -254.0, 254.0) / WEIGHT_STEPS
            b = ops.round(b * WEIGHT_STEPS) / WEIGHT_STEPS
        spikes_in = ternary_spike_generator(u, T, 1.0, v0_gen)  # (T, B, m+n)
        batch = ops.shape(u)[0]
        currents = ops.matmul(
            ops.reshape(spikes_in, (T * batch, -1)), w
        )
        currents = ops.reshape(currents, (T, batch, 4 * n))
        offset = ops.concatenate(
            [ops.full((n,), 2.0, dtype), ops.full((n,), 2.0, dtype),
             ops.zeros((n,), dtype), ops.full((n,), 2.0, dtype)]
        )
        drive = b + offset
        threshold = ops.concatenate(
            [ops.full((2 * n,), 4.0, dtype), ops.full((n,), 2.0, dtype),
             ops.full((n,), 4.0, dtype)]
        )
        signed = ops.concatenate(
            [ops.zeros((2 * n,), dtype), ops.ones((n,), dtype),
             ops.zeros((n,), dtype)]
        )
        if self.integer:
            v = ops.full((batch, 4 * n), 1.0 / WEIGHT_STEPS, dtype)
        elif self.initial_membrane == "half":
            v = ops.zeros((batch, 4 * n), dtype) + threshold / 2.0
        else:
            v = ops.zeros((batch, 4 * n), dtype)
        count = ops.zeros((batch, 4 * n), dtype)

        def body(t, carry):
            v, count = carry
            v = v + currents[t] + drive
            pos = heaviside(v - threshold)
            neg = heaviside(-threshold - v) * signed
            s = pos - neg
            return v - threshold * s, count + s

        if tracing.is_export_tracing():
            carry = (v, count)
            for t in range(T):
                carry = body(t, carry)
            v, count = carry
        else:
            v, count = ops.fori_loop(0, T, body, (v, count))
        return count / T

    def step(self, projected, states, training=False):
        # `projected` is the raw input here: the hybrid cell encodes x and h
        # together, so nothing can be hoisted out of the loop.
        h, c = states
        u = ops.concatenate([projected, h], axis=-1)
        rates = self.fc_rates(u)
        h, c = hard_lstm_update(*ops.split(rates, 4, axis=-1), c, self.cell_clip)
        return h, [h, c]

    def project_inputs(self, inputs):
        return inputs

    def get_config(self):
        config = super().get_config()
        config.pop("recurrent")
        config.update(
            {
                "timesteps": self.timesteps,
                "initial_membrane": self.initial_membrane,
                "integer": self.integer,
                "cell_clip": self.cell_clip,
            }
        )
        return config

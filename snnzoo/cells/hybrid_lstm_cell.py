"""Hybrid analog-spiking LSTM cell (Ponghiran & Roy, DATE 2021)."""

import keras
from keras import ops

from snnzoo.cells.hard_lstm_cell import hard_lstm_update
from snnzoo.cells.recurrent_cell import RecurrentCell
from snnzoo.neurons.encoders import check_timesteps
from snnzoo.neurons.encoders import ternary_spike_generator
from snnzoo.neurons.integrate_and_fire import integrate_and_fire

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

    def fc_rates(self, u, export=False):
        """Spike rates of the four SNN FC layers for `u = [x, h]`.

        Args:
            u: (batch, m + n) analog inputs in [-1, 1].
            export: trace for a TFLite graph (the T-step loop unrolled: a
                `WHILE` op cannot be calibrated for full int8).

        Returns:
            (batch, 4 * units) rates in [0, 1] (i, f, o) and [-1, 1] (g).
        """
        T = self.timesteps
        w, b = self.fc_weights()
        if self.integer:
            u = ops.round(u * INPUT_STEPS) / INPUT_STEPS
        v0_gen = 0.5 if self.initial_membrane == "half" else 0.0
        spikes_in = ternary_spike_generator(u, T, 1.0, v0_gen)  # (T, B, m+n)
        batch = ops.shape(u)[0]
        currents = ops.matmul(ops.reshape(spikes_in, (T * batch, -1)), w)
        currents = ops.reshape(currents, (T, batch, 4 * self.units))
        drive, threshold, signed = self.fc_neuron_constants()
        drive = b + drive
        v = self.fc_initial_membrane(batch, threshold)
        count = ops.zeros((batch, 4 * self.units), self.compute_dtype)

        def body(t, carry):
            v, count = carry
            s, v = integrate_and_fire(v, currents[t], threshold, drive, signed=signed,
                                      export=export)
            return v, count + s

        if export:
            carry = (v, count)
            for t in range(T):
                carry = body(t, carry)
            v, count = carry
        else:
            v, count = ops.fori_loop(0, T, body, (v, count))
        return count / T

    def fc_weights(self):
        """`([W; U], b)`, integer-scaled as in the paper's code if `integer`."""
        w = ops.concatenate([self.kernel, self.recurrent_kernel], axis=0)
        b = self.bias
        if self.integer:
            w = ops.clip(ops.round(w * 128.0) * 2.0, -254.0, 254.0) / WEIGHT_STEPS
            b = ops.round(b * WEIGHT_STEPS) / WEIGHT_STEPS
        return w, b

    def fc_neuron_constants(self):
        """Per-neuron `(bias offset, threshold, signed)` of the i, f, g, o
        layers: IF with threshold 4 and offset 2 (hard sigmoid) for i, f, o;
        dual-threshold IF with threshold 2 and no offset (hard tanh) for g."""
        n, dtype = self.units, self.compute_dtype
        two, zero, four = (ops.full((n,), c, dtype) for c in (2.0, 0.0, 4.0))
        offset = ops.concatenate([two, two, zero, two])
        threshold = ops.concatenate([four, four, two, four])
        signed = ops.concatenate([zero, zero, ops.ones((n,), dtype), zero])
        return offset, threshold, signed

    def fc_initial_membrane(self, batch, threshold):
        shape = (batch, 4 * self.units)
        if self.integer:
            return ops.full(shape, 1.0 / WEIGHT_STEPS, self.compute_dtype)
        if self.initial_membrane == "half":
            return ops.zeros(shape, self.compute_dtype) + threshold / 2.0
        return ops.zeros(shape, self.compute_dtype)

    def step(self, projected, states, training=False, export=False):
        # `projected` is the raw input here: the hybrid cell encodes x and h
        # together, so nothing can be hoisted out of the loop.
        h, c = states
        u = ops.concatenate([projected, h], axis=-1)
        rates = self.fc_rates(u, export)
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

"""Hybrid analog-spiking LSTM cell (Ponghiran & Roy, DATE 2021)."""

import keras
from keras import ops

from snnzoo import validation
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
        membrane_floor: float or None. Hold every FC membrane at or above
            `-membrane_floor` after each SNN step (None: unbounded, the
            paper). A bounded membrane gives an int8 graph a fine enough
            grid to compare against the thresholds (see `fc_rates`).

    Raises:
        ValueError: `initial_membrane` is not "zero" or "half", or
            `membrane_floor` is negative.
    """

    num_projections = 4
    state_names = ("h", "c")
    ann_state_words = 2
    nir_missing = "NIR has no LSTM gates or ternary spike generator"

    def extra_state_words(self, input_features):
        """The inner IF membranes and spike generator of the T SNN steps."""
        return self.timesteps * (4 * self.units + int(input_features) + self.units)

    def __init__(self, units, timesteps=64, initial_membrane="zero",
                 integer=False, cell_clip=None, membrane_floor=None, **kwargs):
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
        self.membrane_floor = validation.number(membrane_floor, "membrane_floor", low=0.0,
                                                low_open=True, allow_none=True)

    def fc_rates(self, u, export=False):
        """Spike rates of the four SNN FC layers for `u = [x, h]`.

        Args:
            u: (batch, m + n) analog inputs in [-1, 1].
            export: trace for a TFLite graph (`export_rates`).

        Returns:
            (batch, 4 * units) rates in [0, 1] (i, f, o) and [-1, 1] (g).
        """
        if export:
            return self.export_rates(u)
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
            s, v = integrate_and_fire(v, currents[t], threshold, drive, signed=signed)
            return self.floor_membrane(v), count + s

        v, count = ops.fori_loop(0, T, body, (v, count))
        return count / T

    def floor_membrane(self, v):
        """`max(v, -membrane_floor)`, written as relu(v + floor) - floor
        (ADD/RELU/SUB: int8 ops that keep their own scales)."""
        if self.membrane_floor is None:
            return v
        return ops.relu(v + self.membrane_floor) - self.membrane_floor

    def export_rates(self, u):
        """`fc_rates` as int8 TFLite and TFLite Micro run it (same values in
        float), written with as few int8 roundings per SNN step as possible:

        - the ternary generator is stepped as the dual-threshold IF it is
          (compare + select; no SIGN or FLOOR). It needs no clip of `u` (a
          `clip` would become RELU_N1_TO_1, which TFLM lacks): for
          `|u| >= 1` it fires every step, as the clipped closed form does;
        - every FC neuron is divided by its threshold (4 or 2: exact in
          float), so all thresholds are 1 and the bias is folded into the
          FC: the T input frames go through one FULLY_CONNECTED with bias;
        - a step is ADD (current), two comparisons against +-1, SUB (soft
          reset) and MAXIMUM (the membrane floor, which keeps its input's
          int8 scale); the T steps are unrolled (a `WHILE` cannot be
          calibrated) and their spikes averaged once (one rounding of the
          rate instead of one per step).
        """
        if self.integer:
            raise ValueError("`integer=True` hybrid cells are not exportable (their input "
                             "rounding is a float ROUND); export the float cell.")
        T, batch = self.timesteps, ops.shape(u)[0]
        w, b = self.fc_weights()
        offset, threshold, signed = self.fc_neuron_constants()
        spikes_in = _ternary_steps(u, T, self.initial_membrane == "half")
        currents = ops.matmul(ops.reshape(ops.stack(spikes_in), (T * batch, -1)),
                              w / threshold) + (b + offset) / threshold
        currents = ops.reshape(currents, (T, batch, 4 * self.units))
        v = self.fc_initial_membrane(batch, threshold) / threshold
        floor = None if self.membrane_floor is None else -self.membrane_floor / threshold
        spikes = []
        for t in range(T):
            v = v + currents[t]
            s = ops.where(ops.greater_equal(v, 1.0), 1.0, 0.0) - ops.where(
                ops.less_equal(v, -1.0), signed, 0.0)
            v = v - s
            if floor is not None:
                v = ops.maximum(v, floor)
            spikes.append(s)
        return ops.mean(ops.stack(spikes), axis=0)

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
                "membrane_floor": self.membrane_floor,
            }
        )
        return config


def _ternary_steps(u, timesteps, half):
    """The ternary generator's T frames, stepped as a dual-threshold IF
    neuron (threshold 1, soft reset) with comparisons and selects only;
    `half` starts the membrane at 0.5 with the sign of `u`."""
    v = ops.zeros_like(u)
    if half:
        v = ops.where(ops.greater(u, 0.0), 0.5, 0.0) - ops.where(ops.less(u, 0.0), 0.5, 0.0)
    frames = []
    for _ in range(timesteps):
        v = v + u
        s = ops.where(ops.greater_equal(v, 1.0), 1.0, 0.0) - ops.where(
            ops.less_equal(v, -1.0), 1.0, 0.0)
        v = v - s
        frames.append(s)
    return frames

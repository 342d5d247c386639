"""Low-latency spiking LSTM cell (reconstruction of Datta et al. 2022)."""

import keras
from keras import ops


from snnzoo.activations import surrogates
from snnzoo.cells.hard_lstm_cell import hard_gates
from snnzoo.cells.hard_lstm_cell import hard_lstm_update
from snnzoo.cells.recurrent_cell import RecurrentCell
from snnzoo.neurons.encoders import check_timesteps
from snnzoo.neurons.integrate_and_fire import integrate_and_fire


@keras.saving.register_keras_serializable(package="snnzoo")
class SpikingLSTMCell(RecurrentCell):
    """LSTM whose hidden output `h` is a spike train of T steps per element.

    Datta et al. make only the activations that feed synapses spiking: `h`
    enters `U h` of the same layer and `W x` of the next one, so with `h` as
    spikes every layer past the first needs accumulates only; the gates stay
    analog (neuron-level products). This cell runs T SNN steps per sequence
    element k; at SNN step t it

    1. accumulates `A_t = A_{t-1} + W x_{k,t} + U s_{k-1,t}` (x is the analog
       input for a direct-encoded first layer, or the previous layer's spikes),
    2. forms gates from the running mean `z = A_t / t + b` (hard sigmoid /
       hard tanh, as in `HardLSTMCell`),
    3. updates `c_{k,t} = f * c_{k-1,t} + i * g`, `h = o * hard_tanh(c)`,
    4. drives an IF (or LIF, leak `leak`) neuron with `h` plus the bias shift
       `V_th / (2T)` (Deng & Gu 2021) and emits `s_{k,t}` (binary, or ternary
       for signed h) with reset by subtraction.

    That is `schedule="pipelined"`: step (k, t) depends only on (k, t-1)
    and (k-1, t), so the SNN steps of successive elements run as a wavefront
    (`snnzoo.conversion.pipeline`), but each SNN step t carries its own chain
    of cell states across elements. `schedule="serial"` (the default, more
    accurate in `benchmarks/smnist_conversion.py`) instead forms the gates of
    element k once from the complete spike trains of element k-1 and of the
    input, `z = mean_t(W x_t) + U mean_t(s_{k-1,t}) + b`, keeps one `c`, and
    emits h's T spikes from an IF neuron with constant input `h_k` (the bias
    shift makes the count `round(T h / V_th)`); elements then follow each
    other serially.
    As T grows the running means converge and the spike rate times `V_th`
    converges to the ANN's `h`.

    Spikes have unit amplitude: the converter folds `V_th` into the weights
    that consume them (`U` here, `W` of the next layer).

    Inputs per element: `(batch, m)` analog (`input_mode="analog"`) or
    `(batch, T * m)` spikes laid out step-major (`input_mode="spikes"`).
    Output per element: `(batch, T * units)` spikes. States: `[s, c]`: the
    previous element's spikes `(batch, T * units)` and its cell state
    (`(batch, units)`; per SNN step, `(batch, T * units)`, when pipelined).

    Weights: `kernel` (m, 4u), `recurrent_kernel` (u, 4u), `bias` (4u),
    `threshold` and `leak` (scalars, trainable: Datta trains weights,
    threshold and leak jointly).

    Args:
        units: int.
        timesteps: int T (1..4 in Datta et al.).
        input_mode: "analog" or "spikes".
        spike_mode: "ternary" (signed spikes, default) or "binary".
        bias_shift: bool. Add `V_th / (2T)` to the spiking neuron's input.
        neuron: "if" (leak fixed at 1) or "lif" (trainable leak).
        threshold_initializer: float, the initial `V_th` (the converter sets
            it from calibration data).
        cell_clip: float or None.
        surrogate: surrogate gradient for fine-tuning.
        schedule: "serial" (default) or "pipelined" (see above).

    Reference:
        Datta, Deng, Aviles & Beerel, arXiv:2210.12613 (2022); Deng & Gu,
        ICLR 2021 (bias shift); Rathi & Roy, DIET-SNN (trainable leak and
        threshold). The paper's methods section is unavailable; this is the
        reconstruction documented in SPEC section 2.4.

    Raises:
        ValueError: an `input_mode`, `spike_mode`, `neuron` or `schedule`
            outside the allowed values.
    """

    num_projections = 4
    state_names = ("s", "c")
    ann_state_words = 2
    nir_missing = "NIR has no LSTM gates"

    def __init__(self, units, timesteps=2, input_mode="analog",
                 spike_mode="ternary", bias_shift=True, neuron="if",
                 threshold_initializer=1.0, cell_clip=None,
                 surrogate="triangular", schedule="serial", **kwargs):
        kwargs.setdefault("kernel_initializer", "glorot_uniform")
        kwargs.setdefault("recurrent_initializer", "orthogonal")
        kwargs.setdefault("bias_initializer", "zeros")
        kwargs["recurrent"] = True
        super().__init__(units, **kwargs)
        check_timesteps(timesteps)
        for name, value, allowed in (
            ("input_mode", input_mode, ("analog", "spikes")),
            ("spike_mode", spike_mode, ("ternary", "binary")),
            ("neuron", neuron, ("if", "lif")),
            ("schedule", schedule, ("serial", "pipelined")),
        ):
            if value not in allowed:
                raise ValueError(f"`{name}` must be one of {allowed}; got {value!r}.")
        self.timesteps = timesteps
        self.input_mode = input_mode
        self.spike_mode = spike_mode
        self.bias_shift = bool(bias_shift)
        self.neuron = neuron
        self.threshold_initializer = float(threshold_initializer)
        self.cell_clip = None if cell_clip is None else float(cell_clip)
        self.surrogate = surrogates.get(surrogate)
        self.schedule = schedule

    @property
    def state_size(self):
        c_size = self.units if self.schedule == "serial" else self.timesteps * self.units
        return [self.timesteps * self.units, c_size]

    @property
    def output_size(self):
        return self.timesteps * self.units

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        if self.input_mode == "spikes":
            if input_shape[-1] % self.timesteps:
                raise ValueError(
                    f"With input_mode='spikes' the input width must be T * m; "
                    f"got {input_shape[-1]} for T={self.timesteps}."
                )
            input_shape = input_shape[:-1] + (input_shape[-1] // self.timesteps,)
        super().build(input_shape)

    def build_neuron_weights(self):
        self.threshold = self.add_weight(
            shape=(), name="threshold",
            initializer=keras.initializers.Constant(self.threshold_initializer),
        )
        self.leak = self.add_weight(
            shape=(), name="leak", initializer="ones",
            trainable=self.neuron == "lif",
        )

    def project_inputs(self, inputs):
        if self.input_mode == "analog":
            # Direct encoding: W x once per element (MACs), reused T times.
            return ops.matmul(inputs, self.kernel)
        shape = ops.shape(inputs)
        lead = shape[:-1]
        x = ops.reshape(inputs, tuple(lead) + (self.timesteps, -1))
        return ops.matmul(x, self.kernel)  # (..., T, 4u): accumulates on spikes

    def output_from_states(self, states):
        return states[0]

    def neuron_constants(self):
        """`(threshold, leak, shift)` used by every SNN step."""
        threshold = ops.maximum(self.threshold, 1e-3)
        leak = ops.clip(self.leak, 0.0, 1.0)
        shift = threshold / (2.0 * self.timesteps) if self.bias_shift else 0.0
        return threshold, leak, shift

    def substep(self, t, x_t, rec_t, c_prev_t, acc, v, constants, export=False):
        """SNN step t (0-based) of one element.

        Args:
            t: int, the SNN step.
            x_t: projected input at step t, `W x_{k,t}` (batch, 4u).
            rec_t: `U s_{k-1,t}` (batch, 4u).
            c_prev_t: `c_{k-1,t}` (batch, u).
            acc: accumulator `A_{t-1}` (batch, 4u) or 0.
            v: membrane of the spiking neuron (batch, u).
            constants: `neuron_constants()`.
            export: trace for a TFLite graph.

        Returns:
            `(s, c, acc, v)` after step t.
        """
        threshold, leak, shift = constants
        acc = acc + x_t + rec_t
        z = acc / float(t + 1) + self.bias
        h, c = hard_lstm_update(*hard_gates(z), c_prev_t, self.cell_clip)
        s, v = self.fire(leak * v, self.drive(h, shift, export), threshold, export)
        return s, c, acc, v

    def drive(self, h, shift, export=False):
        """Input of the h neuron: h plus the bias shift (signed if ternary)."""
        if self.spike_mode == "ternary":
            if export:  # int8-friendly sign (no SIGN op)
                one, zero = ops.ones_like(h), ops.zeros_like(h)
                sign = ops.where(h > 0, one, zero) - ops.where(h < 0, one, zero)
                return h + sign * shift
            return h + ops.sign(h) * shift
        return h + shift

    def fire(self, leaked_v, drive, threshold, export=False):
        """One IF step of the h neuron from its leaked membrane: `(s, v)`."""
        return integrate_and_fire(leaked_v, drive, threshold, surrogate=self.surrogate,
                                  signed=self.spike_mode == "ternary", export=export)

    def input_at(self, projected, t):
        """Projected input of SNN step t: the same `W x` every step for
        direct encoding, `W s_t` for spike inputs."""
        return projected if self.input_mode == "analog" else projected[:, t]

    def emit(self, h, constants, export=False):
        """Spikes of the h neuron over T SNN steps for a constant input `h`
        (reset by subtraction); returns `(batch, T * units)`."""
        threshold, leak, shift = constants
        v = ops.zeros_like(h)
        spikes = []
        drive = self.drive(h, shift, export)
        for _ in range(self.timesteps):
            s, v = self.fire(leak * v, drive, threshold, export)
            spikes.append(s)
        return ops.concatenate(spikes, axis=-1)

    def step(self, projected, states, training=False, export=False):
        if self.schedule == "serial":
            return self.serial_step(projected, states, export)
        return self.pipelined_step(projected, states, export)

    def serial_step(self, projected, states, export=False):
        """Element k from the previous element's complete spike trains:
        `z = mean_t(W x_t) + U mean_t(s_{k-1,t}) + b`, one c per element."""
        T, n = self.timesteps, self.units
        s_prev, c = states
        z = self.recurrent_drive(s_prev, export) + self.bias
        if self.input_mode == "analog":
            z = z + projected
        else:
            z = z + ops.sum(projected, axis=1) / float(T)
        h, c = hard_lstm_update(*hard_gates(z), c, self.cell_clip)
        s = self.emit(h, self.neuron_constants(), export)
        return s, [s, c]

    def recurrent_drive(self, s_prev, export=False):
        """`U mean_t(s_{k-1,t})` from the previous element's spike trains
        `(batch, T * units)`.

        Sums the T spike frames, then multiplies by U. A graph traced for
        int8 (`export="int8"`, see `StepGraph(int8=True)`) multiplies the
        whole spike vector by U stacked T times instead: the same sum, but
        no int8 SUM. Such a SUM puts a count of 1 exactly halfway between
        two int8 levels (scale T/255), and LiteRT and TFLite Micro round
        that tie differently, so their spike trains would part. The
        FULLY_CONNECTED on exact 0/1 spikes has no such tie; it costs T
        times the recurrent MACs and weights.
        """
        T, n = self.timesteps, self.units
        if export == "int8":
            stacked = ops.tile(self.recurrent_kernel / float(T), (T, 1))
            return ops.matmul(s_prev, stacked)
        batch = ops.shape(s_prev)[0]
        counts = ops.sum(ops.reshape(s_prev, (batch, T, n)), axis=1)
        return ops.matmul(counts, self.recurrent_kernel) / float(T)

    def pipelined_step(self, projected, states, export=False):
        T, n = self.timesteps, self.units
        s_prev, c_prev = states
        batch = ops.shape(s_prev)[0]
        s_prev = ops.reshape(s_prev, (batch, T, n))
        c_prev = ops.reshape(c_prev, (batch, T, n))
        rec = ops.matmul(s_prev, self.recurrent_kernel)  # (B, T, 4u)
        constants = self.neuron_constants()
        acc = 0.0
        v = ops.zeros((batch, n), dtype=self.compute_dtype)
        spikes, cells = [], []
        for t in range(T):
            s, c, acc, v = self.substep(
                t, self.input_at(projected, t), rec[:, t], c_prev[:, t],
                acc, v, constants, export,
            )
            spikes.append(s)
            cells.append(c)
        s = ops.reshape(ops.stack(spikes, axis=1), (batch, T * n))
        c = ops.reshape(ops.stack(cells, axis=1), (batch, T * n))
        return s, [s, c]

    def get_config(self):
        config = super().get_config()
        config.pop("recurrent")
        config.update(
            {
                "timesteps": self.timesteps,
                "input_mode": self.input_mode,
                "spike_mode": self.spike_mode,
                "bias_shift": self.bias_shift,
                "neuron": self.neuron,
                "threshold_initializer": self.threshold_initializer,
                "cell_clip": self.cell_clip,
                "surrogate": surrogates.serialize(self.surrogate),
                "schedule": self.schedule,
            }
        )
        return config

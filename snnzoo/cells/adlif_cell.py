"""adLIF: the adaptive LIF of Bittar & Garner (2022), and its symplectic-Euler
form (SE-adLIF, Baronig et al. 2024)."""

import math

import keras
from keras import ops

from snnzoo import validation
from snnzoo.cells.spiking_cell import SpikingCell
from snnzoo.neurons.lif import clip_optional
from snnzoo.neurons.lif import spike

#: Bittar & Garner's bounds (their sparch code): membrane leak for tau in
#: [5, 25] steps, adaptation leak for tau in [30, 120], coupling `a` in
#: [-1, 1], spike-triggered jump `b` in [0, 2].
ALPHA_BOUNDS = (math.exp(-1 / 5), math.exp(-1 / 25))
BETA_BOUNDS = (math.exp(-1 / 30), math.exp(-1 / 120))
A_BOUNDS = (-1.0, 1.0)
B_BOUNDS = (0.0, 2.0)


@keras.saving.register_keras_serializable(package="snnzoo")
class AdLIFCell(SpikingCell):
    """Adaptive LIF with a second state, the adaptation current `w`, coupled
    to the membrane (`a`) and driven by the neuron's own spikes (`b`).

    `discretization="bittar"` (Bittar & Garner 2022, eqs. 13-15 as in
    their sparch code), `I_t = W x_t + U s_{t-1} + b`:

        w_t = beta * w_{t-1} + a * v_{t-1} + b * s_{t-1}
        v_t = alpha * (v_{t-1} - v_th * s_{t-1}) + (1 - alpha) * (I_t - w_t)
        s_t = H(v_t - v_th)

    `discretization="symplectic"` (SE-adLIF, Baronig et al. 2024, eqs. 6a-6b):
    the membrane steps first with the old adaptation, the neuron resets to 0
    in the same step, and the adaptation then uses the new membrane:

        v^_t = alpha * v_{t-1} + (1 - alpha) * (I_t - w_{t-1})
        s_t  = H(v^_t - v_th)
        v_t  = v^_t * (1 - s_t)          (the reset's spike carries no gradient)
        w_t  = beta * w_{t-1} + (1 - beta) * (a * v_t + b * s_t)

    `alpha`, `beta`, `a`, `b` are trainable per-neuron vectors, drawn
    uniformly inside their bounds and clipped to them in every forward pass
    (defaults: Bittar & Garner's, `ALPHA_BOUNDS` ... `B_BOUNDS`; for the
    symplectic form `adaptation_scale` multiplies `a` and `b`, since its
    `(1 - beta)` factor makes the same `a`, `b` 30-120x weaker). States:
    `[v, w, s]`.

    Args:
        units: int.
        discretization: "bittar" (default) or "symplectic".
        alpha_bounds: (low, high) of the membrane leak `alpha`.
        beta_bounds: (low, high) of the adaptation leak `beta`.
        a_bounds: (low, high) of the sub-threshold coupling `a`.
        b_bounds: (low, high) of the spike-triggered adaptation `b`.
        adaptation_scale: float > 0 multiplying `a` and `b` (1.0).
        **kwargs: see `SpikingCell` / `RecurrentCell` (binary spikes only);
            its `current_clip` (None, c > 0 or (low, high)) bounds `w`.

    References:
        Bittar & Garner, Frontiers in Neuroscience 16:865897, 2022.
        Baronig, Ferrand, Sabathiel & Legenstein, arXiv:2408.07517, 2024.

    Raises:
        ValueError: an unknown `discretization`, `ternary=True`, a negative
            `adaptation_scale`, or any `SpikingCell` argument out of range.
    """

    state_names = ("v", "w", "s")
    #: `current_clip` bounds the adaptation current `w` (after its update):
    #: int8 files give each state one scale, and an unbounded `w` spanned
    #: [-18, 205] on the FSDD preset, too coarse for a membrane in [-4, 2].
    has_current = True
    nir_missing = "NIR has no adaptive-current (adLIF) neuron"

    def __init__(self, units, discretization="bittar", alpha_bounds=ALPHA_BOUNDS,
                 beta_bounds=BETA_BOUNDS, a_bounds=A_BOUNDS, b_bounds=B_BOUNDS,
                 adaptation_scale=1.0, **kwargs):
        super().__init__(units, **kwargs)
        if discretization not in ("bittar", "symplectic"):
            validation.fail("discretization", '"bittar" or "symplectic"', discretization)
        if self.ternary:
            validation.fail("ternary", "False for AdLIFCell (binary spikes)", self.ternary)
        self.discretization = discretization
        self.alpha_bounds = _bounds(alpha_bounds, "alpha_bounds", 0.0, 1.0)
        self.beta_bounds = _bounds(beta_bounds, "beta_bounds", 0.0, 1.0)
        self.a_bounds = _bounds(a_bounds, "a_bounds")
        self.b_bounds = _bounds(b_bounds, "b_bounds")
        self.adaptation_scale = validation.number(adaptation_scale, "adaptation_scale", 0.0,
                                                  low_open=True)

    def build_neuron_weights(self):
        for name in ("alpha", "beta", "a", "b"):
            lo, hi = getattr(self, f"{name}_bounds")
            setattr(self, name, self.add_weight(
                shape=(self.units,), name=name, trainable=self.train_time_constants,
                initializer=keras.initializers.RandomUniform(lo, hi)))

    def _coefficients(self):
        alpha = ops.clip(self.alpha, *self.alpha_bounds)
        beta = ops.clip(self.beta, *self.beta_bounds)
        a = ops.clip(self.a, *self.a_bounds) * self.adaptation_scale
        b = ops.clip(self.b, *self.b_bounds) * self.adaptation_scale
        return alpha, beta, a, b

    def step(self, projected, states, training=False, export=False):
        v, w, s = states
        current = projected
        recurrent = self.recurrent_input(s)
        if recurrent is not None:
            current = current + recurrent
        alpha, beta, a, b = self._coefficients()
        if self.discretization == "bittar":
            w = clip_optional(beta * w + a * v + b * s, self.current_clip)
            v = alpha * (v - self.threshold * s) + (1.0 - alpha) * (current - w)
            v = clip_optional(v, self.membrane_clip)
            s = spike(v, self.threshold, self.surrogate, False, export)
        else:
            v = alpha * v + (1.0 - alpha) * (current - w)
            v = clip_optional(v, self.membrane_clip)
            s = spike(v, self.threshold, self.surrogate, False, export)
            v = v - v * ops.stop_gradient(s)
            w = clip_optional(beta * w + (1.0 - beta) * (a * v + b * s), self.current_clip)
        return self.output(s, v), [v, w, s]

    def get_config(self):
        config = super().get_config()
        config.update({"discretization": self.discretization,
                       "alpha_bounds": self.alpha_bounds, "beta_bounds": self.beta_bounds,
                       "a_bounds": self.a_bounds, "b_bounds": self.b_bounds,
                       "adaptation_scale": self.adaptation_scale})
        return config


def _bounds(value, name, low=None, high=None):
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        validation.fail(name, "a (low, high) pair of numbers", value)
    if not lo <= hi or (low is not None and lo < low) or (high is not None and hi > high):
        limits = f" inside [{low}, {high}]" if low is not None else ""
        validation.fail(name, f"low <= high{limits}", value)
    return (lo, hi)

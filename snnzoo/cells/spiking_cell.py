"""`SpikingCell`: the base of snnzoo's spiking neurons (threshold, reset,
surrogate gradient, membrane and current clips)."""

import keras
from keras import ops

from snnzoo import validation
from snnzoo.activations import surrogates
from snnzoo.cells.recurrent_cell import RecurrentCell
from snnzoo.neurons.lif import normalize_bounds


class SpikingCell(RecurrentCell):
    """Base of the spiking cells: threshold, surrogate, ternary spikes,
    clipping and trainable per-neuron time constants.

    Args:
        units: int. Number of neurons.
        threshold: float. Firing threshold `v_th` (default 1.0).
        surrogate: alias, config or `Surrogate`; gradient of the spike.
        ternary: bool. Emit signed spikes in {-1, 0, 1} (`H(v - th) -
            H(-v - th)`), reset by `th * s` either way.
        time_constant_initializer: initializer of `alpha` / `beta`
            (default `Constant(0.9)`).
        train_time_constants: bool. Whether `alpha` / `beta` are trainable.
        current_clip: None, c > 0 (-> [-c, c]) or (low, high): clip of the
            synaptic current `i`, applied in every call. Only cells with a
            synaptic current (Cuba-LIF, SpikGRU) take it; the others raise.
        membrane_clip: same for the membrane potential `v`.
        return_membrane: bool. If True the cell output is
            `concat([spikes, v], -1)` (2 * units wide) for inspection.
        reset: "subtract" (default: `v_th` is subtracted on the step after
            a spike, the papers' reset) or "zero" (the neuron restarts from
            0, NIR's and snnTorch's `reset_mechanism="zero"`; binary spikes
            only). Only cells with `supports_zero_reset` take "zero".
        **kwargs: `RecurrentCell` arguments.

    Raises:
        ValueError: `units` is not a positive int, `threshold` or a leak is
            out of range, `reset` is unknown or not supported by the cell, or
            a clip is malformed.
    """

    #: Whether the cell has a synaptic current state `i` (and so takes
    #: `current_clip`).
    has_current = False
    #: Whether the cell takes `reset="zero"` (LIF and Cuba-LIF).
    supports_zero_reset = False
    emits_spikes = True

    def __init__(
        self,
        units,
        threshold=1.0,
        surrogate="triangular",
        ternary=False,
        time_constant_initializer=0.9,
        train_time_constants=True,
        current_clip=None,
        membrane_clip=None,
        return_membrane=False,
        reset="subtract",
        **kwargs,
    ):
        super().__init__(units, **kwargs)
        if reset not in ("subtract", "zero"):
            validation.fail("reset", '"subtract" or "zero"', reset)
        if reset == "zero" and (ternary or not self.supports_zero_reset):
            validation.fail("reset", f'"subtract" for {type(self).__name__}'
                            + (" with ternary spikes" if ternary else ""), reset)
        self.reset = reset
        if current_clip is not None and not self.has_current:
            raise ValueError(
                f"`current_clip` is for cells with a synaptic current (CubaLIFCell, "
                f"SpikGRUCell); {type(self).__name__} has none. Got current_clip="
                f"{current_clip!r}; use `membrane_clip` to bound the membrane.")
        self.threshold = validation.number(threshold, "threshold", 0.0, low_open=True)
        if isinstance(time_constant_initializer, (int, float)):
            validation.number(time_constant_initializer, "time_constant_initializer", 0.0, 1.0)
        self.surrogate = surrogates.get(surrogate)
        self.ternary = bool(ternary)
        self.time_constant_initializer = time_constant_initializer
        self.train_time_constants = bool(train_time_constants)
        self.current_clip = normalize_bounds(current_clip, "current_clip")
        self.membrane_clip = normalize_bounds(membrane_clip, "membrane_clip")
        self.return_membrane = bool(return_membrane)

    @property
    def output_size(self):
        return 2 * self.units if self.return_membrane else self.units

    def add_time_constant(self, name, initializer=None):
        """A per-neuron `(units,)` weight; a number means `Constant(number)`."""
        init = self.time_constant_initializer if initializer is None else initializer
        if isinstance(init, (int, float)):
            init = keras.initializers.Constant(float(init))
        else:
            init = keras.initializers.get(init)
        return self.add_weight(
            shape=(self.units,),
            name=name,
            initializer=init,
            trainable=self.train_time_constants,
        )

    @staticmethod
    def clipped_unit(weight):
        """A time constant clipped to [0, 1] in the forward pass."""
        return ops.clip(weight, 0.0, 1.0)

    def output_from_states(self, states):
        names = self.state_names
        return self.output(states[names.index("s")], states[names.index("v")])

    def output(self, s, v):
        if self.return_membrane:
            return ops.concatenate([s, v], axis=-1)
        return s

    def get_config(self):
        config = super().get_config()
        init = self.time_constant_initializer
        if not isinstance(init, (int, float, str)):
            init = keras.initializers.serialize(init)
        config.update(
            {
                "threshold": self.threshold,
                "surrogate": surrogates.serialize(self.surrogate),
                "ternary": self.ternary,
                "time_constant_initializer": init,
                "train_time_constants": self.train_time_constants,
                "current_clip": self.current_clip,
                "membrane_clip": self.membrane_clip,
                "return_membrane": self.return_membrane,
                "reset": self.reset,
            }
        )
        return config

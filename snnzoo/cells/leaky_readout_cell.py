"""Non-spiking leaky-integrator readout (Dampfhoffer et al. 2022, §4.1)."""

import keras
from keras import ops

from snnzoo import validation
from snnzoo.cells.recurrent_cell import RecurrentCell


@keras.saving.register_keras_serializable(package="snnzoo")
class LeakyReadoutCell(RecurrentCell):
    """Leaky integrator without spike or reset, the readout of Dampfhoffer.

    `v_t = beta * v_{t-1} + W x_t + b`; output `v_t` (the logits at step t,
    typically followed by a max-over-time loss).

    `beta`: trainable per neuron, initialized 0.9, clipped to [0, 1]. No
    recurrent kernel. States: `[v]`.

    Args:
        units: int. Number of readout neurons (classes).
        beta_initializer: float or initializer (0.9).
        train_beta: bool.
        **kwargs: initializers and constraints of `RecurrentCell`.

    Raises:
        ValueError: `beta_initializer` is outside [0, 1], or `units` is not
            a positive int.
    """

    state_names = ("v",)
    ann_state_words = 0  # its ANN counterpart is a Dense layer
    nir_neuron = "LI"

    def __init__(self, units, beta_initializer=0.9, train_beta=True, **kwargs):
        kwargs["recurrent"] = False
        super().__init__(units, **kwargs)
        if isinstance(beta_initializer, (int, float)):
            validation.number(beta_initializer, "beta_initializer", 0.0, 1.0)
        self.beta_initializer = beta_initializer
        self.train_beta = bool(train_beta)

    def build_neuron_weights(self):
        init = self.beta_initializer
        if isinstance(init, (int, float)):
            init = keras.initializers.Constant(float(init))
        else:
            init = keras.initializers.get(init)
        self.beta = self.add_weight(
            shape=(self.units,),
            name="beta",
            initializer=init,
            trainable=self.train_beta,
        )

    def step(self, projected, states, training=False, export=False):
        (v,) = states
        v = ops.clip(self.beta, 0.0, 1.0) * v + projected
        return v, [v]

    def get_config(self):
        config = super().get_config()
        config.pop("recurrent")
        init = self.beta_initializer
        if not isinstance(init, (int, float, str)):
            init = keras.initializers.serialize(init)
        config.update({"beta_initializer": init, "train_beta": self.train_beta})
        return config

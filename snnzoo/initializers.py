"""Initializers used by the spiking cells."""

import math

import keras


@keras.saving.register_keras_serializable(package="snnzoo")
class FanInUniform(keras.initializers.Initializer):
    """`U(-k^-1/2, k^-1/2)` with `k` the fan-in (Dampfhoffer et al. §4.1).

    Args:
        fan_in: int or None. When None, `k = shape[0]` (the input size of a
            `(k, units)` kernel). Biases pass the layer's input size.
        seed: int or None.
    """

    def __init__(self, fan_in=None, seed=None):
        if fan_in is not None and int(fan_in) < 1:
            raise ValueError(f"`fan_in` must be >= 1; got {fan_in}.")
        self.fan_in = None if fan_in is None else int(fan_in)
        self.seed = seed

    def __call__(self, shape, dtype=None):
        fan_in = self.fan_in if self.fan_in is not None else shape[0]
        limit = 1.0 / math.sqrt(fan_in)
        return keras.random.uniform(
            shape, -limit, limit, dtype=dtype, seed=self.seed
        )

    def get_config(self):
        return {"fan_in": self.fan_in, "seed": self.seed}


def get(identifier, fan_in=None):
    """Resolve an initializer; `"fan_in_uniform"` builds `FanInUniform`."""
    if identifier == "fan_in_uniform":
        return FanInUniform(fan_in=fan_in)
    return keras.initializers.get(identifier)

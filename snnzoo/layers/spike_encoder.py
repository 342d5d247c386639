"""Layer that turns analog sequences into spike trains."""

import keras
from keras import ops

from snnzoo.neurons import encoders

_METHODS = ("ternary", "bernoulli", "direct")


@keras.saving.register_keras_serializable(package="snnzoo")
class SpikeEncoder(keras.layers.Layer):
    """Expand each input frame into `timesteps` spike frames.

    Input `(batch, N, m)` -> output `(batch, N * timesteps, m)`: frame `k` of
    the input becomes frames `k*T .. k*T + T - 1` of the output (Ponghiran's
    "input expansion"). Input `(batch, m)` -> `(batch, timesteps, m)`.

    Args:
        timesteps: int T.
        method: `"ternary"` (Ponghiran's deterministic generator, values in
            [-1, 1] -> spikes in {-1, 0, 1}), `"bernoulli"` (seeded rate
            code) or `"direct"` (analog values repeated T times).
        threshold: float. Generator threshold (ternary).
        initial_membrane: float in [0, threshold). Ternary generator's
            initial potential (0: the paper; threshold / 2: round to nearest).
        seed: int or None (bernoulli).

    Raises:
        ValueError: an unknown `method`.
    """

    def __init__(self, timesteps, method="ternary", threshold=1.0,
                 initial_membrane=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        encoders.check_timesteps(timesteps)
        if method not in _METHODS:
            raise ValueError(
                f"Unknown encoding method {method!r}; expected one of {_METHODS}."
            )
        self.timesteps = timesteps
        self.method = method
        self.threshold = float(threshold)
        self.initial_membrane = encoders.check_initial_membrane(
            initial_membrane, threshold
        )
        self.seed = seed
        if method == "bernoulli":
            self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        x = ops.cast(inputs, self.compute_dtype)
        t = self.timesteps
        if self.method == "ternary":
            s = encoders.ternary_spike_generator(
                x, t, self.threshold, self.initial_membrane
            )
        elif self.method == "bernoulli":
            s = encoders.bernoulli_encode(x, t, seed=self.seed_generator)
        else:
            s = encoders.direct_encode(x, t)
        # s: (T, batch, ...) -> time expanded next to the sequence axis.
        if len(x.shape) == 2:
            return ops.moveaxis(s, 0, 1)
        s = ops.transpose(s, (1, 2, 0, 3))  # (batch, N, T, m)
        shape = ops.shape(x)
        return ops.reshape(s, (shape[0], shape[1] * t, shape[2]))

    def compute_output_shape(self, input_shape):
        if len(input_shape) == 2:
            return (input_shape[0], self.timesteps, input_shape[1])
        n = None if input_shape[1] is None else input_shape[1] * self.timesteps
        return (input_shape[0], n, input_shape[2])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "timesteps": self.timesteps,
                "method": self.method,
                "threshold": self.threshold,
                "initial_membrane": self.initial_membrane,
                "seed": self.seed,
            }
        )
        return config

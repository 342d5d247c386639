"""Backend-dependent defaults, chosen by measurement (benchmarks/)."""

import keras


def recommended_jit_compile(backend=None):
    """The `jit_compile` value to pass to `Model.compile` for recurrent SNNs.

    JAX: True. Without `jax.jit` every step of a `lax.scan` runs op by op;
    a tiny training run took ~250 s instead of ~2 s here.
    TensorFlow: False. XLA makes RNN training on CPU several times slower
    (measured in `benchmarks/cell_throughput.py`), and Keras' default
    `"auto"` would turn it on.
    """
    backend = backend or keras.backend.backend()
    return backend != "tensorflow"

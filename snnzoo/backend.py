"""Backend-dependent defaults, chosen by measurement (benchmarks/)."""

#: The backend `snnzoo train` runs recipes under when KERAS_BACKEND is unset:
#: JAX with jit trained the spiking cells fastest through `model.fit` in
#: `benchmarks/cell_throughput.py` (session-1 measurement; see the README).
RECOMMENDED_TRAINING_BACKEND = "jax"


def recommended_training_backend():
    """The Keras backend recipes train under by default (see above)."""
    return RECOMMENDED_TRAINING_BACKEND


def recommended_jit_compile(backend=None):
    """The `jit_compile` value to pass to `Model.compile` for recurrent SNNs.

    JAX: True. Without `jax.jit` every step of a `lax.scan` runs op by op;
    a tiny training run took ~250 s instead of ~2 s here.
    TensorFlow: False. XLA makes RNN training on CPU several times slower
    (measured in `benchmarks/cell_throughput.py`), and Keras' default
    `"auto"` would turn it on.
    """
    import keras

    backend = backend or keras.backend.backend()
    return backend != "tensorflow"

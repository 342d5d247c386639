"""Backend-agnostic helpers for tests of layers, cells and models."""

import os

import keras
import numpy as np


def backend_name():
    return keras.backend.backend()


def gradient(fn, x):
    """`d sum(fn(x)) / dx` as a NumPy array, under the active backend."""
    x = np.asarray(x, "float32")
    backend = backend_name()
    if backend == "jax":
        import jax

        return np.asarray(jax.grad(lambda v: fn(v).sum())(x))
    if backend == "tensorflow":
        import tensorflow as tf

        v = tf.Variable(x)
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(fn(v))
        return tape.gradient(y, v).numpy()
    if backend == "torch":
        import torch

        v = torch.tensor(x, requires_grad=True)
        fn(v).sum().backward()
        return v.grad.numpy()
    raise ValueError(f"gradient() supports the jax, tensorflow and torch backends; got {backend!r}.")


def set_weights_by_name(layer, arrays):
    """Assign `{variable_name: array}` to the variables of `layer` (and its
    cell); raises if a name is missing or a shape differs."""
    variables = {v.name: v for v in layer.weights}
    for name, value in arrays.items():
        if name not in variables:
            raise KeyError(f"{layer.name} has no weight {name!r}; has {sorted(variables)}")
        var = variables[name]
        value = np.asarray(value, "float32")
        if tuple(var.shape) != value.shape:
            raise ValueError(f"{name}: expected shape {tuple(var.shape)}, got {value.shape}")
        var.assign(value)


def assert_keras_round_trip(model, inputs, directory, atol=1e-6):
    """Save `model` as `.keras`, load it back (safe mode) and check the
    loaded model gives the same outputs on `inputs`. Returns the loaded model."""
    path = os.path.join(str(directory), f"{model.name}.keras")
    expected = model.predict(inputs, verbose=0)
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    actual = loaded.predict(inputs, verbose=0)
    for e, a in zip(keras.tree.flatten(expected), keras.tree.flatten(actual)):
        np.testing.assert_allclose(a, e, atol=atol, rtol=0)
    assert type(loaded) is type(model)
    return loaded

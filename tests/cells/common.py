"""Shared pieces of the per-cell tests: inputs, weights and runners."""

import keras
import numpy as np

from snnzoo import layers
from snnzoo import testing

B, T, M, N = 3, 40, 6, 5


def spike_input(rng):
    return (rng.uniform(size=(B, T, M)) < 0.4).astype("float32")


def weights(rng, gates=1, scale=0.8):
    return {
        "kernel": rng.uniform(-scale, scale, (M, gates * N)),
        "recurrent_kernel": rng.uniform(-scale, scale, (N, gates * N)),
        "bias": rng.uniform(-0.2, 0.4, (gates * N,)),
    }


def run(cell, x, w, fast=True):
    cls = layers.SpikingRNN if fast else keras.layers.RNN
    layer = cls(cell, return_sequences=True, return_state=True)
    layer.build(x.shape)
    testing.set_weights_by_name(layer, w)
    out = layer(x)
    return np.asarray(out[0]), [np.asarray(s) for s in out[1:]]


def check_spikes(out, expected):
    # Spikes are exact; a threshold tie would show up as a mismatch.
    np.testing.assert_array_equal(out, expected)
    assert out.sum() > 0, "test is vacuous: no spikes"
    assert out.sum() < out.size * 0.9, "test is vacuous: saturated"


def grads(model, x, variables):
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(model(x))
        return [g.numpy() for g in tape.gradient(loss, variables)]
    import jax

    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]

    def f(tv):
        y, _ = model.stateless_call(tv, non_trainable, x)
        return y.sum()

    return [np.asarray(g) for g in jax.grad(f)(trainable)]

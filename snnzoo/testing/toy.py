"""A toy spike task and a small trained Cuba-LIF model (tests, benchmarks)."""

import numpy as np

from snnzoo import backend
from snnzoo import layers
from snnzoo import models


def spike_task(rng, n=256, T=30, channels=16):
    """Two classes that differ in which half of the channels fires."""
    y = rng.integers(0, 2, size=n)
    rates = np.where(
        (np.arange(channels) < channels // 2)[None] == (y[:, None] == 0), 0.3, 0.02
    )
    x = (rng.uniform(size=(n, T, channels)) < rates[:, None, :]).astype("float32")
    return x, y


def train_toy_cuba(x, y, spike_regularizer=None, epochs=12, seed=0):
    """`(first-layer spike rate, training accuracy)` of a Cuba-LIF (16 units)
    trained on `(x, y)`, with an optional `spike_regularizer` dict."""
    import keras

    keras.utils.set_random_seed(seed)
    model = models.build("cuba_lif", x.shape[1:], 2, units=16,
                         spike_regularizer=spike_regularizer)
    model.compile(keras.optimizers.Adam(1e-2),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=backend.recommended_jit_compile())
    model.fit(x, y, epochs=epochs, batch_size=32, verbose=0)
    rate = layers.spike_statistics(model, x)["spikes1"]["rate"]
    accuracy = float(np.mean(model.predict(x, verbose=0).argmax(-1) == y))
    return rate, accuracy

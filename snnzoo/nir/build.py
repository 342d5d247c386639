"""Keras layers for the reader's layer descriptions (see `reader._layers`)."""

import numpy as np

from snnzoo import cells
from snnzoo.layers import SpikingRNN


def layer(desc):
    """A fresh, unbuilt Keras layer for one description."""
    import keras

    if desc[0] == "dense":
        _, name, w, _b = desc
        return keras.layers.Dense(np.shape(w)[1], use_bias=True, name=_name(name))
    _, name, spec, _w, _b, u = desc
    if spec["cell"] == "LeakyReadoutCell":
        cell = cells.LeakyReadoutCell(spec["units"])
    else:
        cell = getattr(cells, spec["cell"])(spec["units"], recurrent=u is not None,
                                            threshold=spec["threshold"], reset=spec["reset"])
    return SpikingRNN(cell, return_sequences=True, name=_name(name))


def set_weights(keras_layer, desc):
    """Load a description's weights and leaks into its built layer."""
    if desc[0] == "dense":
        _, _, w, b = desc
        b = np.zeros(np.shape(w)[1]) if b is None else b
        keras_layer.set_weights([np.asarray(w, np.float32), np.asarray(b, np.float32)])
        return
    _, _, spec, w, b, u = desc
    cell = keras_layer.cell
    cell.kernel.assign(w)
    cell.bias.assign(b)
    if u is not None:
        cell.recurrent_kernel.assign(u)
    cell.beta.assign(np.asarray(spec["beta"], np.float32))
    if spec["alpha"] is not None:
        cell.alpha.assign(np.asarray(spec["alpha"], np.float32))


def _name(key):
    import re

    return re.sub(r"[^\w.-]", "_", key)

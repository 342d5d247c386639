"""Generic metrics shared by conversion, training, presets, the demo and the CLI."""

import numpy as np

from snnzoo import validation


def accuracy(model, x, y, batch_size=256):
    """Top-1 accuracy (a fraction) of `model`'s outputs on `(x, y)`.

    The prediction is the arg-max of the last axis of `model.predict(x)`
    (logits or probabilities); `y` holds integer class labels.
    """

    x = validation.model_inputs(model, x, "x")
    y = validation.labels(y, "y", length=len(x))
    logits = model.predict(x, batch_size=batch_size, verbose=0)
    return float(np.mean(np.argmax(logits, -1) == y))

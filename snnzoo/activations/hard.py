"""Piecewise-linear activations of Ponghiran & Roy (2021), with explicit slopes.

Keras 3's own `"hard_sigmoid"` is `x/6 + 1/2` clipped outside +-3, and Keras 2's
was `0.2x + 1/2` clipped outside +-2.5; neither is the function an integrate-and-
fire neuron with threshold 4 and bias 2 reproduces. These are, and their slopes
are arguments so nothing depends on a string whose meaning changed between
Keras versions.

Gradients are the straight-through piecewise derivatives of Ponghiran's code:
`slope` inside the linear region, 0 outside (what `ops.clip` gives).
"""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="snnzoo")
def hard_sigmoid(x, slope=0.25, offset=0.5):
    """Hard sigmoid `clip(slope * x + offset, 0, 1)`; default `(x + 2) / 4`.

    Args:
        x: tensor.
        slope: float. Slope of the linear region (1/4 in Ponghiran & Roy).
        offset: float. Value at `x = 0` (1/2).

    Returns:
        A tensor in [0, 1] of the same shape as `x`.

    Reference:
        Ponghiran & Roy, DATE 2021, eq. (7).
    """
    x = ops.convert_to_tensor(x)
    return ops.clip(x * slope + offset, 0.0, 1.0)


@keras.saving.register_keras_serializable(package="snnzoo")
def hard_tanh(x, slope=0.5):
    """Hard tanh `clip(slope * x, -1, 1)`; default `x / 2`.

    Args:
        x: tensor.
        slope: float. Slope of the linear region (1/2 in Ponghiran & Roy).

    Returns:
        A tensor in [-1, 1] of the same shape as `x`.

    Reference:
        Ponghiran & Roy, DATE 2021, eq. (8).
    """
    x = ops.convert_to_tensor(x)
    return ops.clip(x * slope, -1.0, 1.0)

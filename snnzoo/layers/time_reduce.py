"""Reduce a sequence output over time (readout)."""

import keras
from keras import ops

_MODES = ("max", "mean", "sum", "last")


@keras.saving.register_keras_serializable(package="snnzoo")
class TimeReduce(keras.layers.Layer):
    """`(batch, time, c) -> (batch, c)` by max, mean, sum or last step.

    `TimeReduce("max")` followed by a cross-entropy is the max-over-time
    loss of Cramer et al. 2020 (what `MaxOverTimeCrossEntropy` computes on a
    sequence output), and makes `accuracy` metrics work unchanged.

    Args:
        mode: one of "max", "mean", "sum", "last".

    Raises:
        ValueError: an unknown `mode`.
    """

    def __init__(self, mode="max", **kwargs):
        super().__init__(**kwargs)
        if mode not in _MODES:
            raise ValueError(f"Unknown mode {mode!r}; expected one of {_MODES}.")
        self.mode = mode

    def call(self, inputs):
        if self.mode == "max":
            return ops.max(inputs, axis=1)
        if self.mode == "mean":
            return ops.mean(inputs, axis=1)
        if self.mode == "sum":
            return ops.sum(inputs, axis=1)
        return inputs[:, -1]

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[2:])

    def get_config(self):
        config = super().get_config()
        config["mode"] = self.mode
        return config

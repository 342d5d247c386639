"""`SpikeRateRegularizer`: an activity penalty on spike trains."""

import keras
from keras import ops

from snnzoo import validation


@keras.saving.register_keras_serializable(package="snnzoo")
class SpikeRateRegularizer(keras.regularizers.Regularizer):
    """Penalty on the spikes `s` of shape `(batch, time, units)`, as in
    Zenke & Vogels 2021 / Cramer et al. 2022 style training:

        l2 * mean_n (rate_n - target_rate)^2  +  l1 * mean_n count_n

    per sample, where `rate_n = mean_t |s_tn|` is neuron n's spikes per step
    and `count_n = sum_t |s_tn|` its spike count over the sequence (signed
    spikes count by magnitude). Keras divides an activity regularizer by the
    batch size, so `__call__` returns the sum over the batch: the loss term
    is then the per-sample mean. Use it as the `activity_regularizer` of a
    `SpikeMonitor` (`snnzoo.models.build(..., spike_regularizer={...})`).

    Args:
        target_rate: spikes per neuron per step the l2 term pulls towards
            (None: 0, i.e. fewer spikes).
        l2: weight of the squared rate deviation.
        l1: weight of the spike count.

    Raises:
        ValueError: `target_rate` outside [0, 1], a negative weight, or both
            weights zero.
    """

    def __init__(self, target_rate=None, l2=0.0, l1=0.0):
        self.target_rate = validation.number(target_rate, "target_rate", 0.0, 1.0,
                                             allow_none=True)
        self.l2 = validation.number(l2, "l2", 0.0)
        self.l1 = validation.number(l1, "l1", 0.0)
        if self.l1 == 0 and self.l2 == 0:
            validation.fail("l1, l2", "at least one positive weight", (l1, l2))

    def __call__(self, spikes):
        magnitude = ops.abs(ops.convert_to_tensor(spikes))
        rate = ops.mean(magnitude, axis=1)  # (batch, units)
        penalty = 0.0
        if self.l2:
            deviation = rate - (self.target_rate or 0.0)
            penalty = penalty + self.l2 * ops.sum(ops.mean(deviation * deviation, axis=-1))
        if self.l1:
            counts = ops.sum(magnitude, axis=1)
            penalty = penalty + self.l1 * ops.sum(ops.mean(counts, axis=-1))
        return penalty

    def get_config(self):
        return {"target_rate": self.target_rate, "l2": self.l2, "l1": self.l1}

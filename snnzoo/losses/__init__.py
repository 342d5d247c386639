"""Losses for sequence outputs."""

import functools

from snnzoo.losses.temporal_cross_entropy import TemporalCrossEntropy

#: Max-over-time cross-entropy (Cramer et al. 2020).
MaxOverTimeCrossEntropy = functools.partial(TemporalCrossEntropy, "max")
#: Cross-entropy on the last time step.
LastStepCrossEntropy = functools.partial(TemporalCrossEntropy, "last")
#: Cross-entropy on the time-averaged output.
MeanOverTimeCrossEntropy = functools.partial(TemporalCrossEntropy, "mean")

__all__ = [
    "LastStepCrossEntropy",
    "MaxOverTimeCrossEntropy",
    "MeanOverTimeCrossEntropy",
    "TemporalCrossEntropy",
]

"""Losses for sequence outputs."""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

import functools

from snnzoo.losses.temporal_cross_entropy import TemporalCrossEntropy

MaxOverTimeCrossEntropy = functools.partial(TemporalCrossEntropy, "max")
"""`TemporalCrossEntropy("max")`: the max-over-time cross-entropy (Cramer et
al. 2020, Dampfhoffer et al. 2022); takes its other arguments."""
LastStepCrossEntropy = functools.partial(TemporalCrossEntropy, "last")
"""`TemporalCrossEntropy("last")`: cross-entropy on the last time step."""
MeanOverTimeCrossEntropy = functools.partial(TemporalCrossEntropy, "mean")
"""`TemporalCrossEntropy("mean")`: cross-entropy on the time-averaged output
(a rate readout)."""

__all__ = [
    "LastStepCrossEntropy",
    "MaxOverTimeCrossEntropy",
    "MeanOverTimeCrossEntropy",
    "TemporalCrossEntropy",
]

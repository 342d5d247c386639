"""ANN-to-SNN conversion of hard-gated LSTMs.

`convert(model, "hybrid", T)`: Ponghiran & Roy 2021. `convert(model,
"spiking", T, calibration_data=x)`: Datta et al. 2022 (reconstruction), then
`fine_tune` (with `spike_rate_view` to penalize spikes while fine-tuning and
`copy_weights_by_name` to move the result back). `pipeline` models and simulates the wavefront schedule;
`fidelity` measures how closely a conversion follows its ANN.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

from snnzoo.conversion import fidelity
from snnzoo.conversion import pipeline
from snnzoo.conversion.convert import calibrate_thresholds
from snnzoo.conversion.convert import convert
from snnzoo.conversion.fine_tune import copy_weights_by_name
from snnzoo.conversion.fine_tune import fine_tune
from snnzoo.conversion.fine_tune import mean_spike_rate
from snnzoo.conversion.fine_tune import spike_rate_view
from snnzoo.conversion.registry import register_converter

__all__ = [
    "calibrate_thresholds",
    "convert",
    "copy_weights_by_name",
    "fidelity",
    "fine_tune",
    "mean_spike_rate",
    "pipeline",
    "register_converter",
    "spike_rate_view",
]

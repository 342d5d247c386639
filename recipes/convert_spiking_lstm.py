"""Convert a trained HardLSTM to a low-latency spiking LSTM (Datta et al.
2022 reconstruction: calibrated IF thresholds, bias shift, direct encoding)
and fine-tune it with BPTT and surrogate gradients (resumable after a kill).

    python recipes/convert_spiking_lstm.py --config spiking_lstm_gsc_t2
    python recipes/convert_spiking_lstm.py --config spiking_lstm_toy \
        --source runs/hard_lstm_toy --workdir runs/spiking_toy
"""

import json
import os
import sys

from absl import app
from absl import flags

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conversion_common  # noqa: E402

flags.adopt_module_key_flags(conversion_common)
_TIMESTEPS = flags.DEFINE_integer("timesteps", None, "Override T.")
_EPOCHS = flags.DEFINE_integer("epochs", None, "Override the fine-tuning epochs.")
_LR = flags.DEFINE_float("learning_rate", None, "Override the fine-tuning learning rate.")
_NEURON = flags.DEFINE_enum("neuron", None, ["if", "lif"], "h neuron.")
_SPIKES = flags.DEFINE_enum("spike_mode", None, ["ternary", "binary"], "Spike values.")
_SCHEDULE = flags.DEFINE_enum("schedule", None, ["serial", "pipelined"], "SNN schedule.")
_SPIKE_REGULARIZER = flags.DEFINE_string(
    "spike_regularizer", None, 'JSON of SpikeRateRegularizer arguments applied while '
    'fine-tuning, e.g. \'{"target_rate": 0.1, "l2": 10}\' (overrides the config\'s).')


def main(argv):
    del argv
    overrides = {}
    if _TIMESTEPS.value:
        overrides["timesteps"] = (_TIMESTEPS.value,)
    if _EPOCHS.value is not None:
        overrides["finetune_epochs"] = _EPOCHS.value
    if _LR.value:
        overrides["learning_rate"] = _LR.value
    if _SPIKE_REGULARIZER.value:
        from snnzoo import validation

        overrides["spike_regularizer"] = validation.json_object(_SPIKE_REGULARIZER.value,
                                                                "--spike_regularizer")
    options = {k: h.value for k, h in (("neuron", _NEURON), ("spike_mode", _SPIKES),
                                       ("schedule", _SCHEDULE)) if h.value}
    if options:
        overrides["options"] = options
    print(json.dumps(conversion_common.run("spiking_lstm_toy", "spiking", overrides), indent=1))


if __name__ == "__main__":
    app.run(main)

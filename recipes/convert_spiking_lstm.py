"""Convert a trained HardLSTM to a low-latency spiking LSTM (Datta et al.
2022 reconstruction: calibrated IF thresholds, bias shift, direct encoding)
and fine-tune it with BPTT and surrogate gradients.

    python recipes/convert_spiking_lstm.py --source runs/hard_lstm_smnist_rows \
        --workdir runs/spiking_lstm_smnist_rows --timesteps 2 --epochs 10
"""

import json

from absl import app
from absl import flags

_SOURCE = flags.DEFINE_string("source", None, "Workdir of a trained HardLSTM run.")
_WORKDIR = flags.DEFINE_string("workdir", None, "Output folder (default <source>_spiking).")
_TIMESTEPS = flags.DEFINE_integer("timesteps", 2, "SNN steps T per element.")
_EPOCHS = flags.DEFINE_integer("epochs", 10, "Fine-tuning epochs.")
_LR = flags.DEFINE_float("learning_rate", 1e-4, "Fine-tuning learning rate.")
_NEURON = flags.DEFINE_enum("neuron", "if", ["if", "lif"], "h neuron.")
_SPIKES = flags.DEFINE_enum("spike_mode", "ternary", ["ternary", "binary"], "Spike values.")
_SCHEDULE = flags.DEFINE_enum("schedule", "serial", ["serial", "pipelined"], "SNN schedule.")


def main(argv):
    del argv
    from snnzoo.training.conversion_runs import spiking_finetune

    if not _SOURCE.value:
        raise app.UsageError("--source (a trained HardLSTM workdir) is required.")
    results = spiking_finetune(
        _SOURCE.value, _WORKDIR.value or _SOURCE.value + "_spiking",
        timesteps=_TIMESTEPS.value, epochs=_EPOCHS.value, learning_rate=_LR.value,
        neuron=_NEURON.value, spike_mode=_SPIKES.value, schedule=_SCHEDULE.value)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    app.run(main)

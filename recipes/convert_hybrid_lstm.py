"""Convert a trained HardLSTM to the hybrid analog-spiking LSTM (Ponghiran &
Roy 2021) at several T and report accuracy vs T (+ plot).

    python recipes/convert_hybrid_lstm.py --source runs/hard_lstm_smnist_rows \
        --workdir runs/hybrid_lstm_smnist_rows --timesteps 16,32,64,128
"""

import json

from absl import app
from absl import flags

_SOURCE = flags.DEFINE_string("source", None, "Workdir of a trained HardLSTM run.")
_WORKDIR = flags.DEFINE_string("workdir", None, "Output folder (default <source>_hybrid).")
_TIMESTEPS = flags.DEFINE_list("timesteps", ["16", "32", "64", "128"], "SNN steps T.")
_MEMBRANE = flags.DEFINE_enum("initial_membrane", "zero", ["zero", "half"],
                              "Initial membrane: 0 (paper) or V_th/2.")


def main(argv):
    del argv
    from snnzoo.training.conversion_runs import hybrid_sweep

    if not _SOURCE.value:
        raise app.UsageError("--source (a trained HardLSTM workdir) is required.")
    results = hybrid_sweep(_SOURCE.value, _WORKDIR.value or _SOURCE.value + "_hybrid",
                           tuple(int(t) for t in _TIMESTEPS.value), _MEMBRANE.value)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    app.run(main)

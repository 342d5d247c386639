"""Convert a trained HardLSTM to the hybrid analog-spiking LSTM (Ponghiran &
Roy 2021) at several T and report accuracy vs T (+ plot).

    python recipes/convert_hybrid_lstm.py --config hybrid_lstm_smnist_rows
    python recipes/convert_hybrid_lstm.py --config hybrid_lstm_toy \
        --source runs/hard_lstm_toy --workdir runs/hybrid_toy
"""

import json
import os
import sys

from absl import app
from absl import flags

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conversion_common  # noqa: E402

flags.adopt_module_key_flags(conversion_common)
_TIMESTEPS = flags.DEFINE_list("timesteps", None, "Override the T sweep, e.g. 16,32,64.")
_MEMBRANE = flags.DEFINE_enum("initial_membrane", None, ["zero", "half"],
                              "Initial membrane: 0 (paper) or V_th/2.")


def main(argv):
    del argv
    overrides = {}
    if _TIMESTEPS.value:
        overrides["timesteps"] = tuple(int(t) for t in _TIMESTEPS.value)
    if _MEMBRANE.value:
        overrides["options"] = {"initial_membrane": _MEMBRANE.value}
    print(json.dumps(conversion_common.run("hybrid_lstm_toy", "hybrid", overrides), indent=1))


if __name__ == "__main__":
    app.run(main)

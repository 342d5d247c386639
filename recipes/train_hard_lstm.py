"""Train a HardLSTM (Ponghiran's constraints), the ANN source for conversion.

    python recipes/train_hard_lstm.py --config hard_lstm_smnist_rows
    python recipes/train_hard_lstm.py --config hard_lstm_toy --workdir runs/toy
"""

import os
import sys

from absl import app
from absl import flags

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

flags.adopt_module_key_flags(common)


def main(argv):
    del argv
    config = common.resolved_config("hard_lstm_toy")
    if config.family != "hard_lstm":
        raise app.UsageError(f"{config.name} is a {config.family} config; use "
                             "train_spiking_rnn.py.")
    common.train(config)


if __name__ == "__main__":
    app.run(main)

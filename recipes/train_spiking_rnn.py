"""Train Dampfhoffer-style spiking RNNs: LIF, Cuba-LIF, SpikGRU, adaptive LIF
(1x128 / 2x128, leaky readout, max-over-time loss, Adam 1e-3, spike jitter).

    python recipes/train_spiking_rnn.py --config cuba_lif_shd_2x128
    python recipes/train_spiking_rnn.py --config spikgru_toy --workdir runs/toy
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
    config = common.resolved_config("cuba_lif_toy")
    if config.family == "hard_lstm":
        raise app.UsageError(f"{config.name} is a HardLSTM config; use train_hard_lstm.py.")
    common.train(config)


if __name__ == "__main__":
    app.run(main)

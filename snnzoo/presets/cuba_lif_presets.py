"""Current-based LIF (Dampfhoffer et al. 2022), trained directly with surrogate gradients."""

from snnzoo.presets import common

PRESETS = {
    "cuba_lif_speech_commands_2x128": {
        "metadata": {
            "description": "2 x 128 current-based (Cuba) LIF neurons with learnable synaptic and membrane time constants, leaky readout, max-over-time loss, triangular "
                           "surrogate gradient, on 40 MFCC frames.",
            "family": "cuba_lif", "kind": "trained_snn",
            "task": "keyword spotting, 12 classes", "data": common.ESPEAK_DATA,
            "evaluation": common.ESPEAK_EVAL,
            "calibration": common.ESPEAK_CALIBRATION,
            "runs": [{"recipe": "recipes/train_spiking_rnn.py",
                      "config": "cuba_lif_espeak_commands_2x128", "flags": {}}],
            "ann": "hard_lstm_speech_commands",
            # int8 export source: membranes bounded to [-4, 2], fine-tuned 5 epochs.
            "int8_preparation": common.INT8_PREPARATION,
            "paper": None,
        },
        "path": "cuba_lif_speech_commands_2x128",
    },
}

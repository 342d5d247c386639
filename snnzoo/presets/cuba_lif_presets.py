"""Current-based LIF (Dampfhoffer et al. 2022 setup), trained directly with
surrogate gradients and a spike-rate regularizer on espeak_commands version 2."""

from snnzoo.presets import shared_fields

PRESETS = {
    "cuba_lif_speech_commands_2x128": {
        "metadata": {
            "description": "2 x 128 current-based (Cuba) LIF neurons with learnable synaptic and "
                           "membrane time constants, leaky readout, max-over-time loss, "
                           "triangular surrogate gradient, spike-rate regularizer (target "
                           "0.1, l2 10), on 40 MFCC frames.",
            "family": "cuba_lif", "kind": "trained_snn",
            "task": "keyword spotting, 12 classes", "data": shared_fields.ESPEAK_V2_DATA,
            "evaluation": shared_fields.ESPEAK_V2_EVAL,
            "calibration": shared_fields.ESPEAK_V2_CALIBRATION,
            "runs": [{"recipe": "recipes/train_spiking_rnn.py",
                      "config": "cuba_lif_espeak_v2_2x128", "flags": {}}],
            "ann": "hard_lstm_speech_commands",
            # int8 export source: membranes bounded to [-4, 2], fine-tuned 5 epochs.
            "int8_preparation": shared_fields.INT8_PREPARATION,
            "paper": None,
        },
        "path": "cuba_lif_speech_commands_2x128",
    },
    "cuba_lif_fsdd_2x128": {
        "metadata": shared_fields.fsdd_trained_snn(
            "cuba_lif",
            "2 x 128 current-based (Cuba) LIF neurons with learnable synaptic and "
            "membrane time constants, leaky readout, max-over-time loss, triangular "
            "surrogate gradient, spike-rate regularizer (target 0.1, l2 10), on "
            "standardised 40 MFCC frames of real recordings.",
            paper=shared_fields.dasdigits(85.5, "Cuba-LIF")),
        "path": "cuba_lif_fsdd_2x128",
    },
}

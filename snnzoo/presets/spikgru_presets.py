"""SpikGRU (Dampfhoffer et al. 2022 setup), trained directly with
surrogate gradients and a spike-rate regularizer on espeak_commands version 2."""

from snnzoo.presets import shared_fields

PRESETS = {
    "spikgru_speech_commands_2x128": {
        "metadata": {
            "description": "2 x 128 SpikGRU neurons (GRU-like gated spiking cell), leaky readout, "
                           "max-over-time loss, "
                           "triangular surrogate gradient, spike-rate regularizer (target "
                           "0.1, l2 10), on 40 MFCC frames.",
            "family": "spikgru", "kind": "trained_snn",
            "task": "keyword spotting, 12 classes", "data": shared_fields.ESPEAK_V2_DATA,
            "evaluation": shared_fields.ESPEAK_V2_EVAL,
            "calibration": shared_fields.ESPEAK_V2_CALIBRATION,
            "runs": [{"recipe": "recipes/train_spiking_rnn.py",
                      "config": "spikgru_espeak_v2_2x128", "flags": {}}],
            "ann": "hard_lstm_speech_commands",
            # int8 export source: membranes bounded to [-4, 2], fine-tuned 5 epochs.
            "int8_preparation": shared_fields.INT8_PREPARATION,
            "paper": None,
        },
        "path": "spikgru_speech_commands_2x128",
    },
    "spikgru_fsdd_2x128": {
        "metadata": shared_fields.fsdd_trained_snn(
            "spikgru",
            "2 x 128 SpikGRU neurons (GRU-like gated spiking cell), leaky readout, max-"
            "over-time loss, triangular surrogate gradient, spike-rate regularizer "
            "(target 0.1, l2 10), on standardised 40 MFCC frames of real recordings.",
            paper=shared_fields.dasdigits(83.3, "SpikGRU"),
            # On standardised frames the float model quantizes as it is (TFLM
            # 74.0% vs 73.8%); the bounded-membrane preparation cost 2.2
            # points in float (71.6%) and reached 69.4% in TFLM.
            int8_preparation=None),
        "path": "spikgru_fsdd_2x128",
    },
}

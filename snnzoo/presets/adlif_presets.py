"""adLIF (Bittar & Garner 2022: subthreshold coupling `a` and spike-triggered
adaptation `b`, trainable per neuron within their bounds), trained directly
with surrogate gradients and a spike-rate regularizer."""

from snnzoo.presets import shared_fields

PRESETS = {
    "adlif_fsdd_2x128": {
        "metadata": shared_fields.fsdd_trained_snn(
            "adlif",
            "2 x 128 adLIF neurons (Bittar & Garner 2022; per-neuron alpha, beta, a, b "
            "clipped to their bounds; their discretisation) with a leaky readout, "
            "max-over-time loss, triangular surrogate gradient, spike-rate regularizer "
            "(target 0.1, l2 10), on standardised 40 MFCC frames of real recordings."),
        "path": "adlif_fsdd_2x128",
    },
    "adlif_fsdd_micro_2x128": {
        "metadata": shared_fields.micro_preset(
            "adlif", "2 x 128 adLIF neurons (Bittar & Garner 2022) with a leaky readout, max-over-time loss, triangular surrogate gradient, spike-rate regularizer (target 0.1, l2 10), v in [-4, 2] and w in [-8, 8], on the micro front end's int8 frames of real recordings.",
            "fsdd", "adlif_fsdd_micro_2x128", ann="hard_lstm_fsdd_micro",
            int8_preparation=shared_fields.INT8_PREPARATION),
        "path": "adlif_fsdd_micro_2x128",
    },
    "adlif_speech_commands_micro_2x128": {
        "metadata": shared_fields.micro_preset(
            "adlif", "2 x 128 adLIF neurons (Bittar & Garner 2022) with a leaky readout, max-over-time loss, triangular surrogate gradient, spike-rate regularizer (target 0.1, l2 10), v in [-4, 2] and w in [-8, 8], on the micro front end's int8 frames.", "espeak_v2",
            "adlif_espeak_v2_micro_2x128", ann="hard_lstm_speech_commands_micro",
            int8_preparation=shared_fields.INT8_PREPARATION),
        "path": "adlif_speech_commands_micro_2x128",
    },
    "adlif_speech_commands_2x128": {
        "metadata": {
            "description": "2 x 128 adLIF neurons (Bittar & Garner 2022) with a leaky readout, max-over-time loss, triangular surrogate gradient, spike-rate regularizer (target 0.1, l2 10), v in [-4, 2] and w in [-8, 8], on 40 MFCC frames.",
            "family": "adlif", "kind": "trained_snn",
            "task": "keyword spotting, 12 classes", "data": shared_fields.ESPEAK_V2_DATA,
            "evaluation": shared_fields.ESPEAK_V2_EVAL,
            "calibration": shared_fields.ESPEAK_V2_CALIBRATION,
            "runs": [{"recipe": "recipes/train_spiking_rnn.py",
                      "config": "adlif_espeak_v2_2x128", "flags": {}}],
            "ann": "hard_lstm_speech_commands",
            "int8_preparation": shared_fields.INT8_PREPARATION,
            "int8_omitted_modes": shared_fields.FSDD_OMITTED,
            "paper": None,
        },
        "path": "adlif_speech_commands_2x128",
    },
}

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
}

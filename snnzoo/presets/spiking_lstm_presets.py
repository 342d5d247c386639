"""Spiking LSTM (Datta et al. 2022 reconstruction): converted, bias-shifted,
fine-tuned with surrogate gradients, direct input encoding, T=2."""

from snnzoo.presets import shared_fields
from snnzoo.presets.hard_lstm_presets import PRESETS as _ANN


def _runs(ann, conversion):
    return _ANN[ann]["metadata"]["runs"] + [
        {"recipe": "recipes/convert_spiking_lstm.py", "config": conversion, "flags": {}}]


PRESETS = {
    "spiking_lstm_smnist_rows": {
        "metadata": {
            "description": "hard_lstm_smnist_rows converted to a spiking LSTM (IF gates with "
                           "bias shift, ternary h spikes, T=2) and fine-tuned 10 epochs.",
            "family": "spiking_lstm", "kind": "converted",
            "task": "sequential MNIST, rows", "data": shared_fields.SMNIST_DATA,
            "evaluation": shared_fields.SMNIST_EVAL,
            "calibration": shared_fields.SMNIST_CALIBRATION,
            "runs": _runs("hard_lstm_smnist_rows", "spiking_lstm_smnist_rows"),
            "ann": "hard_lstm_smnist_rows",
            "paper": None,
        },
        "path": "spiking_lstm_smnist_rows",
    },
    "spiking_lstm_speech_commands_t2": {
        "metadata": {
            "description": "Datta's setup: direct-encoded MFCC into a 2-layer spiking LSTM, "
                           "T=2, converted from hard_lstm_speech_commands and fine-tuned "
                           "30 epochs with a spike-rate regularizer (target 0.13, l2 10).",
            "family": "spiking_lstm", "kind": "converted",
            "task": "keyword spotting, 12 classes", "data": shared_fields.ESPEAK_V2_DATA,
            "evaluation": shared_fields.ESPEAK_V2_EVAL,
            "calibration": shared_fields.ESPEAK_V2_CALIBRATION,
            "runs": _runs("hard_lstm_speech_commands", "spiking_lstm_espeak_v2_t2"),
            "ann": "hard_lstm_speech_commands",
            "paper": shared_fields.GSC_PAPER,
        },
        "path": "spiking_lstm_speech_commands_t2",
    },
    "spiking_lstm_basic_motions_t2": {
        "metadata": {
            "description": "hard_lstm_basic_motions converted to a spiking LSTM at T=2 and "
                           "fine-tuned 20 epochs.",
            "family": "spiking_lstm", "kind": "converted",
            "task": "activity recognition, 4 classes", "data": shared_fields.BASIC_MOTIONS_DATA,
            "evaluation": shared_fields.BASIC_MOTIONS_EVAL,
            "calibration": shared_fields.BASIC_MOTIONS_CALIBRATION,
            "runs": _runs("hard_lstm_basic_motions", "spiking_lstm_basic_motions_t2"),
            "ann": "hard_lstm_basic_motions",
            "paper": None,
        },
        "path": "spiking_lstm_basic_motions_t2",
    },
    "spiking_lstm_fsdd_t2": {
        "metadata": {
            "description": "Datta's setup on real recordings: direct-encoded standardised MFCC "
                           "into a 2-layer spiking LSTM, T=2, converted from hard_lstm_fsdd "
                           "and fine-tuned 20 epochs with a spike-rate regularizer (target "
                           "0.12, l2 10).",
            "family": "spiking_lstm", "kind": "converted",
            "task": "spoken digits, 10 classes", "data": shared_fields.FSDD_DATA,
            "evaluation": shared_fields.FSDD_EVAL,
            "calibration": shared_fields.FSDD_CALIBRATION,
            "int8_omitted_modes": shared_fields.FSDD_OMITTED,
            "runs": _runs("hard_lstm_fsdd", "spiking_lstm_fsdd_t2"),
            "ann": "hard_lstm_fsdd",
            "paper": None,
        },
        "path": "spiking_lstm_fsdd_t2",
    },
}

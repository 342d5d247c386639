"""Hybrid analog-spiking LSTM (Ponghiran & Roy 2021), converted from a HardLSTM."""

from snnzoo.presets import shared_fields
from snnzoo.presets.hard_lstm_presets import PRESETS as _ANN

PRESETS = {
    "hybrid_lstm_smnist_rows": {
        "metadata": {
            "description": "hard_lstm_smnist_rows converted to Ponghiran's hybrid LSTM: IF gate "
                           "neurons (V_th=4, bias 2), dual-threshold IF candidate (V_th=2), "
                           "ternary spike generator, T=64 SNN steps per row.",
            "family": "hybrid_lstm", "kind": "converted",
            "task": "sequential MNIST, rows", "data": shared_fields.SMNIST_DATA,
            "evaluation": shared_fields.SMNIST_EVAL,
            "calibration": shared_fields.SMNIST_CALIBRATION,
            "int8_preparation": {"membrane_floor": 4.0},
            "int8_omitted_modes": {
                "sequence": "28 frames x 64 SNN steps unrolled (its last int8 conversion "
                            "took 21 min); the step graph is the device form"},
            "runs": _ANN["hard_lstm_smnist_rows"]["metadata"]["runs"] + [
                {"recipe": "recipes/convert_hybrid_lstm.py",
                 "config": "hybrid_lstm_smnist_rows", "flags": {}}],
            "ann": "hard_lstm_smnist_rows",
            "paper": {"citation": "Ponghiran & Roy 2021", "accuracy": 98.74,
                      "note": "hybrid LSTM at T=64 on the full MNIST"},
        },
        "path": "hybrid_lstm_smnist_rows",
    },
}

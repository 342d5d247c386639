"""What a device must compute to feed a model one frame: each dataset's
front end, as numbers (for generated C headers) and words.

`frontend(name, **options)` returns a dict whose numeric values become
`constexpr` constants of a TFLite Micro bundle (`snnzoo export NAME
--target tflm`) and whose `steps` say, in order, how a raw input becomes
the float frame the model's quantized input expects.
"""

from snnzoo import validation
from snnzoo.data import fsdd
from snnzoo.data import micro_frontend as mf
from snnzoo.data import smnist
from snnzoo.data import speech_commands
from snnzoo.data.features import FFT_SIZE
from snnzoo.data.features import LOG_OFFSET
from snnzoo.data.features import FeatureParams
from snnzoo.data.features import with_frontend


def _micro(params):
    options = mf.op_options(params)
    return {
        "kind": "micro", "sample_rate": params.sample_rate,
        "clip_samples": params.clip_samples, "window_samples": params.window_samples,
        "hop_samples": params.hop_samples, "channels": params.num_mel_bins,
        "frames_per_clip": params.num_frames, "coefficients": params.num_coefficients,
        "micro_frontend": {k: v for k, v in options.items()},
        "value_scale": mf.VALUE_SCALE, "value_div": mf.VALUE_DIV,
        "input_scale": mf.INPUT_SCALE, "input_zero_point": 0,
        "steps": [
            f"clip: {params.clip_samples} int16 samples at {params.sample_rate} Hz (float audio "
            "x in [-1, 1] -> round(32768 x), clipped)",
            "filterbank: TFLM's micro frontend (tensorflow/lite/experimental/microfrontend, "
            f"micro_speech settings): {options['window_size']} ms windows every "
            f"{options['window_step']} ms, {options['num_channels']} channels from "
            f"{options['lower_band_limit']:g} to {options['upper_band_limit']:g} Hz, noise "
            "reduction, PCAN, log scale; uint16 v per channel; a fresh state per clip",
            f"int8: q = clamp((v * {mf.VALUE_SCALE} + {mf.VALUE_DIV // 2}) // {mf.VALUE_DIV} - "
            "128, -128, 127) (micro_speech), in integers",
            f"model input: q itself (the int8 input grid is scale {mf.INPUT_SCALE:g}, zero "
            f"point 0; the float model reads q * {mf.INPUT_SCALE:g})",
        ],
    }


def _audio(params):
    if params.kind == "micro":
        return _micro(params)
    return {
        "kind": params.kind,
        "sample_rate": params.sample_rate,
        "clip_samples": params.clip_samples,
        "window_samples": params.window_samples,
        "hop_samples": params.hop_samples,
        "fft_size": FFT_SIZE,
        "mel_bins": params.num_mel_bins,
        "mel_fmin_hz": params.fmin,
        "mel_fmax_hz": params.fmax,
        "log_offset": LOG_OFFSET,
        "coefficients": params.num_coefficients,
        "frames_per_clip": params.num_frames,
        "steps": [
            f"clip: {params.clip_samples} samples at {params.sample_rate} Hz (zero-padded or "
            "center-cropped)",
            f"frames: Hann window of {params.window_samples} samples every "
            f"{params.hop_samples}, centred (the clip is zero-padded by {FFT_SIZE // 2} "
            f"samples at both ends), {FFT_SIZE}-point FFT, power spectrum",
            f"mel: {params.num_mel_bins} Slaney-normalised mel filters from "
            f"{params.fmin:g} to {params.fmax:g} Hz (librosa.filters.mel defaults)",
            f"log: natural log of (mel power + {LOG_OFFSET:g})",
        ] + ([f"mfcc: the first {params.num_coefficients} coefficients of an orthonormal "
              "DCT-II over the log-mel bins (librosa.feature.mfcc)"]
             if params.kind == "mfcc" else []),
    }


def frontend(name, **options):
    """The front end of dataset `name` (with its load `options`)."""
    name = validation.name_string(name, "name")
    if name in ("speech_commands", "espeak_commands"):
        out = _audio(with_frontend(options.get("params", FeatureParams()),
                                   options.get("frontend")))
        if options.get("task", 12) == 12:  # the class names, in output order
            out["labels"] = list(speech_commands.labels_for(12))
        return out
    if name == "fsdd":
        out = _audio(with_frontend(options.get("params", fsdd.FSDD_PARAMS),
                                   options.get("frontend")))
        out["labels"] = list(fsdd.LABELS)
        if options.get("standardize"):
            keep = ("data_dir", "root", "speakers", "test_speakers", "validation_indices",
                    "params")
            mean, scale = fsdd.standardization(**{k: options[k] for k in keep if k in options})
            out.update(coefficient_mean=mean.tolist(), coefficient_scale=scale.tolist())
            out["steps"] = out["steps"] + [
                "standardise: each coefficient minus coefficient_mean, over coefficient_scale "
                "(the train split's statistics)"]
        return out
    if name == "smnist":
        layout = options.get("layout", "rows")
        pixels = 28 if layout == "rows" else 1
        return {"kind": "image_" + layout, "pixels_per_frame": pixels,
                "frames": 784 // pixels, "pixel_mean": smnist.MEAN, "pixel_scale": smnist.SCALE,
                "steps": [f"a 28 x 28 grey image read {'row by row' if pixels > 1 else 'pixel by pixel'}",
                          f"each pixel p in 0..255 -> (p / 255 - {smnist.MEAN}) / {smnist.SCALE}"]}
    if name in ("basic_motions", "japanese_vowels"):
        return {"kind": "sensor_channels",
                "steps": ["the channels as aeon ships them, unscaled, one frame per time step",
                          "shorter sequences left-padded with zero frames"]}
    validation.fail("name", "a dataset with a described front end (speech_commands, "
                    "espeak_commands, fsdd, smnist, basic_motions, japanese_vowels)", name)

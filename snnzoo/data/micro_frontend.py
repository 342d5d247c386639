"""The micro_speech front end: TensorFlow Lite Micro's fixed-point audio
front end (`tensorflow/lite/experimental/microfrontend`), the one a
microcontroller computes, here through the TF op that wraps the same C
library (`audio_microfrontend_op`).

Settings (`MICRO_SPEECH`) are those of TFLM's micro_speech example: 30 ms
windows every 20 ms, 40 filterbank channels from 125 to 7,500 Hz (at 8 kHz
the upper limit is 3,800 Hz, below Nyquist: a stated variant), noise
reduction (smoothing bits 10, even 0.025, odd 0.06, min signal 0.05), PCAN
gain control (strength 0.95, offset 80, gain bits 21) and log scale (shift 6).
The op reads int16 samples and gives uint16 filterbank values per frame.

The int8 step (`to_int8`) is micro_speech's, in integers:
`q = clamp((v * 256 + 333) // 666 - 128, -128, 127)`. A model is trained on
`q * INPUT_SCALE` (float), and its int8 input tensor is given the grid
`(INPUT_SCALE, 0)`, so the device writes `q` into the model's input with no
float step.

Each clip runs the front end from a fresh state (noise estimates and PCAN
start at zero); a stream keeps one state for ever (`MicroFrontend`).
"""

import numpy as np

from snnzoo.quiet import framework

#: micro_speech's settings (tflite-micro, examples/micro_speech), by the op's names.
MICRO_SPEECH = {
    "window_size": 30, "window_step": 20, "num_channels": 40,
    "upper_band_limit": 7500.0, "lower_band_limit": 125.0,
    "smoothing_bits": 10, "even_smoothing": 0.025, "odd_smoothing": 0.06,
    "min_signal_remaining": 0.05, "enable_pcan": True, "pcan_strength": 0.95,
    "pcan_offset": 80.0, "gain_bits": 21, "enable_log": True, "scale_shift": 6,
}
#: micro_speech's uint16 -> int8 map: q = (v * VALUE_SCALE + VALUE_DIV // 2) // VALUE_DIV - 128.
VALUE_SCALE = 256
VALUE_DIV = 666  # int(25.6 * 26 + 0.5)
#: What one int8 step is worth at the model's float input (a power of two).
INPUT_SCALE = 1.0 / 64.0


def op_options(params):
    """The op's keyword arguments for `FeatureParams` of kind "micro"."""
    return dict(MICRO_SPEECH, sample_rate=int(params.sample_rate),
                window_size=int(round(params.window_ms)), window_step=int(round(params.hop_ms)),
                num_channels=int(params.num_mel_bins), upper_band_limit=float(params.fmax),
                lower_band_limit=float(params.fmin))


def int16_samples(audio):
    """Float samples in [-1, 1] (as soundfile reads int16 files: value / 32768)
    -> int16, rounded and clipped; int16 input is returned as it is."""
    audio = np.asarray(audio)
    if audio.dtype == np.int16:
        return audio
    return np.clip(np.round(audio.astype("float64") * 32768.0), -32768, 32767).astype("int16")


def filterbanks(audio, params):
    """uint16 `(frames, channels)` of one clip through the TF op, from a fresh
    front-end state; frames = 1 + (samples - window) // step."""
    tf = framework("tensorflow")
    from tensorflow.lite.experimental.microfrontend.python.ops import (
        audio_microfrontend_op as op)

    samples = int16_samples(audio)
    with tf.device("/CPU:0"):
        out = op.audio_microfrontend(tf.constant(samples), **op_options(params))
    return np.asarray(out, "uint16").reshape(-1, int(params.num_mel_bins))


def to_int8(values):
    """micro_speech's int8 feature of uint16 front-end values (integers only)."""
    v = np.asarray(values, "int64")
    q = (v * VALUE_SCALE + VALUE_DIV // 2) // VALUE_DIV - 128
    return np.clip(q, -128, 127).astype("int8")


def features(audio, params):
    """The model's float input of one clip: `to_int8(filterbanks) * INPUT_SCALE`."""
    return (to_int8(filterbanks(audio, params)).astype("float32") * INPUT_SCALE)


def num_frames(params):
    """Frames of a `params.clip_samples` clip (no padding: whole windows only)."""
    window = params.window_samples
    return 0 if params.clip_samples < window else 1 + (params.clip_samples - window) // params.hop_samples


def stream_frames(audio, params):
    """int8 frames `(frames, channels)` of a whole stream from one front-end
    state: what the device computes from power-up on."""
    return to_int8(filterbanks(audio, params))

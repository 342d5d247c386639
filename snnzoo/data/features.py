"""Audio features shared by training, evaluation and export."""

import dataclasses

import numpy as np

from snnzoo import validation
from snnzoo.data import micro_frontend

FFT_SIZE = 512
LOG_OFFSET = 1e-6


@dataclasses.dataclass(frozen=True)
class FeatureParams:
    """One frozen description of the audio front end.

    The defaults give 40 MFCCs from 25 ms windows every 10 ms over a 1 s,
    16 kHz clip: 101 frames x 40.

    Raises:
        ValueError: an unknown `kind`, or a micro front end whose
            `num_coefficients` differs from `num_mel_bins`.
    """

    sample_rate: int = 16000
    """Audio sample rate in Hz (clips are resampled to it)."""
    clip_samples: int = 16000
    """Samples per clip after padding / cropping (1 s)."""
    window_ms: float = 25.0
    """Analysis window length."""
    hop_ms: float = 10.0
    """Hop between frames."""
    num_mel_bins: int = 40
    """Mel filters."""
    num_coefficients: int = 40
    """MFCCs kept (== num_mel_bins for log-mel features)."""
    kind: str = "mfcc"
    """"mfcc", "log_mel" or "micro" (TFLM's fixed-point front end,
    `snnzoo.data.micro_frontend`: `num_mel_bins` channels from `fmin` to
    `fmax`, int8 values as floats)."""
    fmin: float = 20.0
    """Lowest mel filter edge, Hz."""
    fmax: float = 7600.0
    """Highest mel filter edge, Hz (at most half the sample rate)."""

    def __post_init__(self):
        if self.kind not in ("mfcc", "log_mel", "micro"):
            raise ValueError("FeatureParams.kind must be 'mfcc', 'log_mel' or 'micro'; "
                             f"got {self.kind!r}.")
        if self.kind == "micro" and self.num_coefficients != self.num_mel_bins:
            raise ValueError("FeatureParams(kind='micro'): num_coefficients must equal "
                             f"num_mel_bins (the channels); got {self.num_coefficients} and "
                             f"{self.num_mel_bins}.")

    @classmethod
    def micro(cls, sample_rate=16000, clip_samples=None):
        """micro_speech's front end (`micro_frontend.MICRO_SPEECH`) at
        `sample_rate`: 30 ms windows every 20 ms, 40 channels from 125 Hz to
        7,500 Hz, or to 3,800 Hz below 16 kHz (under Nyquist)."""
        upper = 7500.0 if sample_rate >= 16000 else min(7500.0, 0.475 * sample_rate)
        return cls(sample_rate=sample_rate, clip_samples=clip_samples or sample_rate,
                   window_ms=30.0, hop_ms=20.0, num_mel_bins=40, num_coefficients=40,
                   kind="micro", fmin=125.0, fmax=upper)

    @property
    def num_frames(self):
        if self.kind == "micro":
            return micro_frontend.num_frames(self)
        return 1 + self.clip_samples // self.hop_samples

    @property
    def window_samples(self):
        return int(round(self.sample_rate * self.window_ms / 1000))

    @property
    def hop_samples(self):
        return int(round(self.sample_rate * self.hop_ms / 1000))

    def to_dict(self):
        return dataclasses.asdict(self)


FRONTENDS = ("librosa", "micro")


def with_frontend(params, frontend):
    """`params`, or micro_speech's front end at its sample rate and clip
    length for `frontend="micro"` (`frontend=None` or "librosa": `params`)."""
    if frontend is None or frontend == "librosa":
        return params
    if frontend != "micro":
        validation.fail("frontend", f"one of {FRONTENDS}", frontend)
    return FeatureParams.micro(params.sample_rate, params.clip_samples)


def micro_params(frontend):
    """`FeatureParams` of a card's micro front-end description; a card whose
    settings differ from this snnzoo's micro_speech front end is refused."""
    if not isinstance(frontend, dict) or frontend.get("kind") != "micro":
        validation.fail("frontend", "a micro front-end description (card['frontend'] with "
                        "kind 'micro')", frontend if not isinstance(frontend, dict)
                        else frontend.get("kind"))
    params = FeatureParams.micro(int(frontend["sample_rate"]), int(frontend["clip_samples"]))
    if micro_frontend.op_options(params) != frontend.get("micro_frontend"):
        validation.fail("frontend", f"micro_speech's settings {micro_frontend.op_options(params)}",
                        frontend.get("micro_frontend"))
    return params


def fit_clip(audio, samples):
    """Zero-pad or center-crop a 1-D waveform to `samples`."""
    audio = np.asarray(audio, "float32")
    if len(audio) >= samples:
        start = (len(audio) - samples) // 2
        return audio[start:start + samples]
    out = np.zeros(samples, "float32")
    out[:len(audio)] = audio
    return out


def extract(audio, params=FeatureParams()):
    """Features of one clip: `(num_frames, num_coefficients)` float32."""
    y = fit_clip(audio, params.clip_samples)
    if params.kind == "micro":
        return micro_frontend.features(y, params)
    import librosa

    mel = librosa.feature.melspectrogram(
        y=y, sr=params.sample_rate, n_fft=FFT_SIZE, win_length=params.window_samples,
        hop_length=params.hop_samples, n_mels=params.num_mel_bins,
        fmin=params.fmin, fmax=params.fmax, center=True)
    log_mel = np.log(mel + LOG_OFFSET)
    if params.kind == "log_mel":
        return log_mel.T.astype("float32")
    mfcc = librosa.feature.mfcc(S=log_mel, n_mfcc=params.num_coefficients)
    return mfcc.T.astype("float32")

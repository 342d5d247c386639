"""Augmentations: spike jitter for event data, time shift and noise for audio."""

import numpy as np


def spike_channel_jitter(counts, sigma=5.0, rng=None):
    """Move every spike of `(steps, channels)` counts to a nearby channel.

    Each spike's channel is shifted by round(N(0, sigma)) and clipped to the
    valid range (the channel jitter of Cramer et al. 2020, used by
    Dampfhoffer et al. 2022 on SHD and SSC). The total count is preserved.
    """
    rng = rng or np.random.default_rng()
    counts = np.asarray(counts)
    steps, channels = counts.shape
    t, c = np.nonzero(counts)
    reps = counts[t, c].astype("int64")
    t, c = np.repeat(t, reps), np.repeat(c, reps)
    c = np.clip(c + np.round(rng.normal(0, sigma, len(c))).astype("int64"), 0, channels - 1)
    out = np.zeros((steps, channels), "int64")
    np.add.at(out, (t, c), 1)
    return out.astype(counts.dtype)


def time_shift(audio, max_shift, rng=None):
    """Shift a waveform by up to `max_shift` samples, zero-filling."""
    rng = rng or np.random.default_rng()
    shift = int(rng.integers(-max_shift, max_shift + 1))
    out = np.zeros_like(audio)
    if shift >= 0:
        out[shift:] = audio[:len(audio) - shift]
    else:
        out[:shift] = audio[-shift:]
    return out


def mix_noise(audio, noise, snr_db, rng=None):
    """Add a random crop of `noise` at signal-to-noise ratio `snr_db`."""
    rng = rng or np.random.default_rng()
    if len(noise) < len(audio):
        noise = np.resize(noise, len(audio))
    start = int(rng.integers(0, len(noise) - len(audio) + 1))
    crop = noise[start:start + len(audio)]
    p_signal = np.mean(audio ** 2) + 1e-12
    p_noise = np.mean(crop ** 2) + 1e-12
    return audio + crop * np.sqrt(p_signal / (p_noise * 10 ** (snr_db / 10)))

"""Deterministic long test streams from held-out recordings.

`make_stream(clips, names, keywords, ...)` lays clips end to end with gaps
of background between them and returns the audio with its ground truth:

- the stream is `segments` of `segment_s` seconds each, one per entry of
  `snrs_db` (None: no added noise), cycled;
- between two clips, a gap drawn uniformly from `gap_s` (seconds);
- clips are drawn without replacement in a seeded order (reshuffled when
  the pool runs out), so every clip is heard before any is repeated;
- each clip keeps its recorded level; the background is stationary noise
  (`noise`: "white" or "pink") whose power is set per segment from the mean
  power of the speech in that segment's clips: `SNR = 10 log10(P_speech / P_noise)`,
  P_speech measured over the clips' voiced samples (`speech_bounds`);
- the truth of every clip is `(onset s, offset s, name, is_keyword)`, where
  onset and offset bound its voiced part.

The same arguments always give the same stream, sample for sample.
"""

import numpy as np

from snnzoo import validation

VOICED_DB = -30.0  # a frame is voiced within this many dB of the clip's loudest frame
FRAME = 0.02  # seconds per frame of the voiced-part measure


def speech_bounds(clip, sample_rate):
    """`(start, stop)` samples of the voiced part: the first and last 20 ms
    frames whose energy is within 30 dB of the loudest frame."""
    n = max(1, int(FRAME * sample_rate))
    frames = len(clip) // n
    if frames == 0:
        return 0, len(clip)
    energy = (clip[:frames * n].astype("float64").reshape(frames, n) ** 2).mean(axis=1)
    loud = np.nonzero(energy >= energy.max() * 10 ** (VOICED_DB / 10))[0]
    return int(loud[0] * n), int(min(len(clip), (loud[-1] + 1) * n))


def _noise(kind, count, rng):
    white = rng.standard_normal(count)
    if kind == "white":
        return white
    spectrum = np.fft.rfft(white)
    spectrum[1:] /= np.sqrt(np.arange(1, len(spectrum)))  # 1/f power
    spectrum[0] = 0.0
    pink = np.fft.irfft(spectrum, count)
    return pink / pink.std()


def _order(count, rng):
    while True:
        yield from rng.permutation(count)


def _check(clips, names, keywords, sample_rate, snrs_db, noise):
    if not len(clips) or len(clips) != len(names):
        validation.fail("clips", "as many clips as names (at least one)",
                        f"{len(clips)} clips, {len(names)} names")
    missing = sorted(set(keywords) - set(names))
    if missing:
        validation.fail("keywords", "names found among the clips", missing)
    validation.number(sample_rate, "sample_rate", 1, integer=True)
    if noise not in ("white", "pink"):
        validation.fail("noise", "'white' or 'pink'", noise)
    for snr in snrs_db:
        if snr is not None:
            validation.number(snr, "snrs_db", -20, 60)


def make_stream(clips, names, keywords, sample_rate, segments=4, segment_s=900.0,
                snrs_db=(None, 20.0, 10.0, 5.0), gap_s=(0.5, 2.5), noise="pink", seed=0):
    """`(audio float32, truth)`; see the module. `clips`: 1-D float arrays in
    [-1, 1]; `names`: each clip's label."""
    _check(clips, names, keywords, sample_rate, snrs_db, noise)
    rng = np.random.default_rng(seed)
    order = _order(len(clips), rng)
    keywords = set(keywords)
    audio, truth = [], []
    position = 0
    for segment in range(validation.number(segments, "segments", 1, integer=True)):
        snr = snrs_db[segment % len(snrs_db)]
        end = position + int(validation.number(segment_s, "segment_s", 1) * sample_rate)
        parts, voiced = [], []
        while position < end:
            gap = int(rng.uniform(*gap_s) * sample_rate)
            k = int(next(order))
            clip = np.asarray(clips[k], "float64")
            start, stop = speech_bounds(clip, sample_rate)
            onset = position + gap
            truth.append(((onset + start) / sample_rate, (onset + stop) / sample_rate,
                          str(names[k]), names[k] in keywords))
            parts += [np.zeros(gap), clip]
            voiced.append(clip[start:stop])
            position = onset + len(clip)
        segment_audio = np.concatenate(parts)
        if snr is not None:
            power = np.mean(np.concatenate(voiced) ** 2)
            segment_audio = segment_audio + np.sqrt(power / 10 ** (snr / 10)) * _noise(
                noise, len(segment_audio), rng)
        audio.append(segment_audio)
    return np.clip(np.concatenate(audio), -1.0, 1.0).astype("float32"), truth

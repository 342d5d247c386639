"""Synthetic speech commands rendered offline with espeak-ng.

SYNTHETIC SPEECH, not recordings of people: every clip is espeak-ng reading
one of the Speech Commands words with a voice / variant, speed and pitch
drawn from a seed, resampled to 16 kHz, shifted in time within 1 s and mixed
with noise. `render()` writes the Google Speech Commands folder layout
(`word/<speaker>_nohash_<k>.wav`, `validation_list.txt`, `testing_list.txt`,
`_background_noise_/`), so `snnzoo.data.speech_commands.load(root=...)`
reads it. Each "speaker" (voice + variant + pitch + speed) lands in one split
only, chosen by a hash of its name as in the original dataset.

Needs the Debian/Ubuntu package `espeak-ng` (`apt-get install espeak-ng`).
"""

import os
import shutil
import subprocess
import tempfile
import wave
import zlib

import numpy as np

from snnzoo import io as snnzoo_io
from snnzoo.data import cache
from snnzoo.data.speech_commands import WORDS_10

VOICES = ("en", "en-us", "en-gb", "en-sc", "en-gb-x-rp")
VARIANTS = ("m1", "m2", "m3", "m4", "m7", "f1", "f2", "f3", "f4", "croak", "whisper")
OTHER_WORDS = ("bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila",
               "tree", "wow", "zero", "one", "two", "three", "four", "five",
               "six", "seven", "eight", "nine")


def espeak_binary():
    path = shutil.which("espeak-ng")
    if path is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng).")
    return path


def _speak(text, voice, speed, pitch, path):
    subprocess.run([espeak_binary(), "-v", voice, "-s", str(speed), "-p", str(pitch),
                    "-w", path, text], check=True, capture_output=True)


def _read(path):
    with cache.reading(path), wave.open(path) as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype("float32")
    return data / 32768.0, rate


def _write(path, audio, rate=16000):
    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
    with snnzoo_io.atomic_write(path, "wb") as f, wave.open(f, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def which_split(speaker, validation_percent=10, testing_percent=10):
    """Stable split of a speaker by hash, like the original dataset's script."""
    h = zlib.crc32(speaker.encode()) % 100
    if h < validation_percent:
        return "validation"
    if h < validation_percent + testing_percent:
        return "testing"
    return "training"


def render(root, words=WORDS_10 + OTHER_WORDS[:6], speakers=40, seed=0,
           noise_level=0.01, sample_rate=16000):
    """Render `speakers` synthetic speakers x `words` into `root` (GSC layout).

    Returns the number of clips written. Deterministic for a given seed (and
    espeak-ng version).
    """
    import librosa

    rng = np.random.default_rng(seed)
    os.makedirs(root, exist_ok=True)
    lists = {"validation": [], "testing": []}
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(speakers):
            voice = f"{VOICES[rng.integers(len(VOICES))]}+{VARIANTS[rng.integers(len(VARIANTS))]}"
            speed = int(rng.integers(120, 200))
            pitch = int(rng.integers(20, 80))
            speaker = f"espeak{k:03d}{zlib.crc32(f'{voice}{speed}{pitch}'.encode()):08x}"
            split = which_split(speaker)
            for word in words:
                raw = os.path.join(tmp, "raw.wav")
                _speak(word, voice, speed, pitch, raw)
                audio, rate = _read(raw)
                audio = librosa.resample(audio, orig_sr=rate, target_sr=sample_rate)
                audio = audio / (np.abs(audio).max() + 1e-6) * rng.uniform(0.3, 0.9)
                clip = np.zeros(sample_rate, "float32")
                audio = audio[:sample_rate]
                start = rng.integers(0, sample_rate - len(audio) + 1)
                clip[start:start + len(audio)] = audio
                clip += rng.normal(0, noise_level, sample_rate).astype("float32")
                os.makedirs(os.path.join(root, word), exist_ok=True)
                rel = f"{word}/{speaker}_nohash_0.wav"
                _write(os.path.join(root, rel), clip, sample_rate)
                if split in lists:
                    lists[split].append(rel)
                count += 1
    noise_dir = os.path.join(root, "_background_noise_")
    os.makedirs(noise_dir, exist_ok=True)
    white = rng.normal(0, 0.3, 10 * sample_rate).astype("float32")
    _write(os.path.join(noise_dir, "white_noise.wav"), white, sample_rate)
    pink = np.cumsum(rng.normal(0, 0.02, 10 * sample_rate)).astype("float32")
    pink = (pink - pink.mean()) / (np.abs(pink).max() + 1e-6) * 0.3
    _write(os.path.join(noise_dir, "brown_noise.wav"), pink, sample_rate)
    for split, name in (("validation", "validation_list.txt"), ("testing", "testing_list.txt")):
        # testing_list.txt marks a finished render: written atomically, last.
        snnzoo_io.write_text(os.path.join(root, name),
                             "\n".join(sorted(lists[split])) + ("\n" if lists[split] else ""))
    return count

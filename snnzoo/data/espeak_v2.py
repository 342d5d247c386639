"""`espeak_commands` version 2: a harder synthetic Speech Commands set.

SYNTHETIC SPEECH, not recordings of people. Every clip is espeak-ng reading
one of the 35 words of Speech Commands v0.02, then corrupted the way a
microphone in a room hears a person:

- speakers: 8 English accents x 80 voice variants x pitch 20-90 x rate
  110-220 words/min x amplitude 60-180 (espeak-ng `-v accent+variant -p -s
  -a`); each speaker lands in one split, by a hash of its name, as in the
  original dataset (espeak's word gap has no effect on single words and is
  not drawn);
- speed and pitch perturbation (audiomentations `TimeStretch`, `PitchShift`);
- a random time shift within 1 s and a random gain;
- room reverberation: image-method impulse responses of random shoebox rooms
  (audiomentations `RoomSimulator`, which runs pyroomacoustics);
- band-limiting: telephone band-pass, low-pass and high-pass microphone
  responses, and a random 7-band equaliser;
- additive noise at a random SNR (default 0-20 dB): coloured noise (white to
  brown, `AddColorNoise`) or babble mixed from other synthetic utterances of
  non-command words (`AddBackgroundNoise` over the rendered babble tracks).

`render(root, speakers, seed)` writes the Google Speech Commands layout
(`word/<speaker>_nohash_0.wav`, `validation_list.txt`, `testing_list.txt`,
`_background_noise_/` with the coloured and babble tracks used for the
silence class) and `DATA_CARD.md`. Deterministic for a given seed, espeak-ng
and audiomentations version: every clip draws from its own seed, so the
worker count does not change the result. audiomentations draws from Python's
and NumPy's global generators; they are seeded per clip and restored after,
so a caller's generators are left as they were.
"""

import contextlib
import os
import random
import tempfile
import zlib

import numpy as np

from snnzoo import io as snnzoo_io
from snnzoo.data.espeak_commands import _read
from snnzoo.data.espeak_commands import _write
from snnzoo.data.espeak_commands import espeak_binary
from snnzoo.data.espeak_commands import which_split
from snnzoo.data.speech_commands import NOISE
from snnzoo.data.speech_commands import WORDS_10

VERSION = 2
WORDS_35 = WORDS_10 + (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow",
    "backward", "forward", "follow", "learn", "visual")
ACCENTS = ("en-gb", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp",
           "en-gb-x-gbcwmd", "en-029", "en-us-nyc")
VARIANTS = (
    "Adam", "Alex", "Alicia", "Andrea", "Andy", "Annie", "Antonio", "Auntie", "Belinda",
    "Benjamin", "Boris", "Caleb", "David", "Denis", "Diogo", "Ed", "Edward", "Edward2",
    "Gene", "Gene2", "Gustave", "Henrique", "Hugo", "Iven", "Iven2", "Iven3", "Iven4",
    "Jacky", "John", "Kaukovalta", "Lee", "Linda", "Marcelo", "Marco", "Mario", "Max",
    "Michael", "Michel", "Miguel", "Mike", "Mr_Serious", "Nguyen", "Pablo", "Paul", "Pedro",
    "Quincy", "Rob", "Robert", "Steph", "Steph2", "Steph3", "Storm", "Zac", "anika",
    "grandpa", "grandma", "klatt", "klatt2", "klatt3", "klatt4", "klatt5", "klatt6",
    "m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5", "croak",
    "whisper", "female_whisper", "norbert", "shelby", "travis")
BABBLE_WORDS = ("the", "and", "people", "water", "morning", "number", "window", "coffee",
                "music", "paper", "garden", "yellow", "minute", "little", "station",
                "because", "weather", "kitchen", "market", "evening")
#: Corruption ranges (see the module docstring); `render(corruption=...)`
#: overrides any of them.
CORRUPTION = {"snr_db": (0.0, 20.0), "p_reverb": 0.5, "p_band": 0.5, "p_eq": 0.3,
              "p_speed": 0.5, "p_pitch": 0.5, "gain_db": (-12.0, 6.0), "p_babble": 0.5}
SAMPLE_RATE = 16000


@contextlib.contextmanager
def seeded(seed):
    """Python's and NumPy's global generators seeded with `seed` inside, and
    restored to their previous state on exit."""
    py_state, np_state = random.getstate(), np.random.get_state()
    random.seed(seed)
    np.random.seed(seed % 2**32)
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)


def draw_speakers(count, seed):
    """`count` speakers `{name, voice, pitch, speed, amplitude}` from `seed`."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        voice = f"{ACCENTS[rng.integers(len(ACCENTS))]}+{VARIANTS[rng.integers(len(VARIANTS))]}"
        pitch, speed = int(rng.integers(20, 91)), int(rng.integers(110, 221))
        amplitude = int(rng.integers(60, 181))
        tag = zlib.crc32(f"{voice}{pitch}{speed}{amplitude}".encode())
        out.append({"name": f"espeak2{k:04d}{tag:08x}", "voice": voice, "pitch": pitch,
                    "speed": speed, "amplitude": amplitude})
    return out


def utterance(text, speaker, tmp):
    """espeak-ng reading `text` as `speaker`, float32 at 16 kHz."""
    import subprocess

    import librosa

    path = os.path.join(tmp, "u.wav")
    subprocess.run([espeak_binary(), "-v", speaker["voice"], "-p", str(speaker["pitch"]),
                    "-s", str(speaker["speed"]), "-a", str(speaker["amplitude"]), "-w", path,
                    text], check=True, capture_output=True)
    audio, rate = _read(path)
    return librosa.resample(audio, orig_sr=rate, target_sr=SAMPLE_RATE).astype("float32")


def corruption_chain(noise_dir, ranges):
    """`(voice, room)` audiomentations chains: `voice` perturbs the bare
    utterance (speed, pitch), `room` corrupts the 1 s clip (reverb, band
    limits, equaliser, noise at a random SNR, gain)."""
    import audiomentations as A

    babble = sorted(os.path.join(noise_dir, f) for f in os.listdir(noise_dir)
                    if f.startswith("babble"))
    lo, hi = ranges["snr_db"]
    voice = A.Compose([A.TimeStretch(0.85, 1.15, leave_length_unchanged=False,
                                     p=ranges["p_speed"]),
                       A.PitchShift(-3.0, 3.0, p=ranges["p_pitch"])])
    noises = [A.AddColorNoise(min_snr_db=lo, max_snr_db=hi, p=1.0),
              A.AddBackgroundNoise(babble, min_snr_db=lo, max_snr_db=hi, p=1.0)]
    room = A.Compose([
        A.RoomSimulator(use_ray_tracing=False, leave_length_unchanged=True,  # image method:
                        p=ranges["p_reverb"]),  # deterministic (ray tracing is not)
        A.OneOf([A.BandPassFilter(min_center_freq=900.0, max_center_freq=2000.0,
                                  min_bandwidth_fraction=1.2, max_bandwidth_fraction=1.9),
                 A.LowPassFilter(min_cutoff_freq=2500.0, max_cutoff_freq=6000.0),
                 A.HighPassFilter(min_cutoff_freq=80.0, max_cutoff_freq=400.0)],
                p=ranges["p_band"]),
        A.SevenBandParametricEQ(-9.0, 9.0, p=ranges["p_eq"]),
        A.OneOf(noises, weights=[1.0 - ranges["p_babble"], ranges["p_babble"]], p=1.0),
        A.Gain(*ranges["gain_db"], p=1.0)])
    return voice, room


def make_clip(audio, chains, seed):
    """One corrupted 1 s clip from a bare utterance, drawn from `seed`."""
    voice, room = chains
    with seeded(seed):
        audio = voice(audio, sample_rate=SAMPLE_RATE)[:SAMPLE_RATE]
        audio = audio / (np.abs(audio).max() + 1e-6) * 0.5
        clip = np.zeros(SAMPLE_RATE, "float32")
        start = np.random.randint(0, SAMPLE_RATE - len(audio) + 1)
        clip[start:start + len(audio)] = audio
        clip = room(clip, sample_rate=SAMPLE_RATE)
    return np.clip(clip, -1.0, 1.0).astype("float32")


def write_noise(root, seed, tracks=12, seconds=5):
    """Coloured noise (white, pink, brown) and `tracks` babble tracks, each
    4-7 overlapping utterances of non-command words by random speakers,
    into `root/_background_noise_/`; returns the folder."""

    folder = os.path.join(root, NOISE)
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed + 1)
    n = seconds * SAMPLE_RATE
    white = rng.normal(0, 1, n)
    spectrum = np.fft.rfft(white)
    freq = np.maximum(np.fft.rfftfreq(n), 1.0 / n)
    for name, slope in (("white", 0.0), ("pink", 0.5), ("brown", 1.0)):
        colour = np.fft.irfft(spectrum / freq ** slope, n)
        _write(os.path.join(folder, f"{name}_noise.wav"), 0.3 * colour / np.abs(colour).max())
    speakers = draw_speakers(4 * tracks, seed + 2)
    with tempfile.TemporaryDirectory() as tmp:
        for t in range(tracks):
            track = np.zeros(n, "float32")
            for k in range(int(rng.integers(4, 8))):
                word = BABBLE_WORDS[rng.integers(len(BABBLE_WORDS))]
                u = utterance(word, speakers[rng.integers(len(speakers))], tmp)[:n]
                start = rng.integers(0, n - len(u) + 1)
                track[start:start + len(u)] += u / (np.abs(u).max() + 1e-6)
            _write(os.path.join(folder, f"babble_{t:02d}.wav"),
                   0.3 * track / (np.abs(track).max() + 1e-6))
    return folder


def render_speaker(task):
    """Worker: every word of one speaker -> `[(relative path, split)]`."""

    root, speaker, words, seed, ranges = task
    chains = corruption_chain(os.path.join(root, NOISE), ranges)
    split = which_split(speaker["name"])
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for word in words:
            clip_seed = zlib.crc32(f"{seed}/{speaker['name']}/{word}".encode())
            clip = make_clip(utterance(word, speaker, tmp), chains, clip_seed)
            rel = f"{word}/{speaker['name']}_nohash_0.wav"
            os.makedirs(os.path.join(root, word), exist_ok=True)
            _write(os.path.join(root, rel), clip)
            out.append((rel, split))
    return out


def _worker_main(argv):
    """`python -m snnzoo.data.espeak_v2 TASKS.json`: render the speakers of
    the task file, one JSON line of `[[path, split], ...]` per speaker."""
    import json

    with open(argv[0]) as f:
        spec = json.load(f)
    ranges = {k: tuple(v) if isinstance(v, list) else v for k, v in spec["ranges"].items()}
    for speaker in spec["speakers"]:
        task = (spec["root"], speaker, tuple(spec["words"]), spec["seed"], ranges)
        print(json.dumps(render_speaker(task)), flush=True)


def _pump(stream, lines):
    """Copy a worker's output lines to `lines`, then None when it ends."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def _run_workers(tasks, workers, tmp):
    """Yield each speaker's clips, rendered by `workers` child processes
    (`python -m snnzoo.data.espeak_v2`; no fork of this process, no re-import
    of the caller's main module); in this process when `workers` is 1."""
    import json
    import queue
    import subprocess
    import sys
    import threading

    if workers <= 1:
        yield from map(render_speaker, tasks)
        return
    lines, procs = queue.Queue(), []
    for w in range(workers):
        mine = tasks[w::workers]
        path = os.path.join(tmp, f"tasks{w}.json")
        snnzoo_io.write_json(path, {"root": mine[0][0], "words": list(mine[0][2]),
                                    "seed": mine[0][3], "ranges": mine[0][4],
                                    "speakers": [t[1] for t in mine]})
        proc = subprocess.Popen([sys.executable, "-m", "snnzoo.data.espeak_v2", path],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
        procs.append(proc)
    finished = 0
    while finished < len(procs):
        line = lines.get()
        if line is None:
            finished += 1
        elif line.strip():
            yield [tuple(item) for item in json.loads(line)]
    failed = [p for p in procs if p.wait() != 0]
    if failed:
        raise RuntimeError(f"espeak_commands v2: {len(failed)} render worker(s) failed.")


def render(root, speakers=200, seed=0, words=WORDS_35, corruption=None, workers=None):
    """Render `speakers` x `words` corrupted synthetic clips into `root`
    (GSC layout, split lists last) with a progress bar; returns the number
    of clips. `corruption` overrides entries of `CORRUPTION`; `workers`
    child processes (default: the CPU count; 1 renders in this process)."""
    from tqdm.auto import tqdm

    ranges = {**CORRUPTION, **(corruption or {})}
    unknown = sorted(set(ranges) - set(CORRUPTION))
    if unknown:
        raise ValueError(f"`corruption`: unknown keys {unknown}; expected {sorted(CORRUPTION)}.")
    os.makedirs(root, exist_ok=True)
    write_noise(root, seed)
    tasks = [(root, p, tuple(words), seed, ranges) for p in draw_speakers(speakers, seed)]
    lists = {"validation": [], "testing": []}
    workers = min(workers or os.cpu_count() or 1, max(1, len(tasks)))
    with tempfile.TemporaryDirectory() as tmp:
        for clips in tqdm(_run_workers(tasks, workers, tmp), total=len(tasks),
                          desc="espeak_commands v2", unit="speaker"):
            for rel, split in clips:
                lists.get(split, []).append(rel)
    snnzoo_io.write_text(os.path.join(root, "DATA_CARD.md"),
                         data_card(speakers, seed, words, ranges, lists))
    for split, name in (("validation", "validation_list.txt"), ("testing", "testing_list.txt")):
        # testing_list.txt marks a finished render: written atomically, last.
        snnzoo_io.write_text(os.path.join(root, name),
                             "\n".join(sorted(lists[split])) + ("\n" if lists[split] else ""))
    return speakers * len(words)


def data_card(speakers, seed, words, ranges, lists):
    """The rendered set's card (Markdown): what it is, and what it is not."""
    total = speakers * len(words)
    return "\n".join([
        f"# espeak_commands version {VERSION} (seed {seed})", "",
        "**SYNTHETIC SPEECH, not recordings of people.** espeak-ng reads each word; the",
        "clips are then corrupted (snnzoo.data.espeak_v2). Accuracy here says little",
        "about accuracy on Google Speech Commands or on real users.", "",
        f"- words: {len(words)} ({', '.join(words)})",
        f"- speakers: {speakers} synthetic (accent x variant x pitch x rate x amplitude)",
        f"- clips: {total}; validation {len(lists['validation'])}, test "
        f"{len(lists['testing'])}, train {total - len(lists['validation']) - len(lists['testing'])}",
        f"- corruption: {ranges}",
        "- noise: coloured noise (white, pink, brown) and babble of non-command words,",
        "  in _background_noise_/ (also the source of the silence class)", ""])


if __name__ == "__main__":
    import sys

    _worker_main(sys.argv[1:])

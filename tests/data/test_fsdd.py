"""The FSDD loader on the real recordings and on copies of a few of them:
the speaker-independent split, the checks on every file, the verified
speakers, standardisation and the augmented copies."""

import os
import shutil

import numpy as np
import pytest

from snnzoo import data
from snnzoo import io as snnzoo_io
from snnzoo.data import fsdd

BACKEND_INDEPENDENT = True  # reads WAV files into NumPy: no Keras


def _copy(fsdd_root, folder, speakers=("george", "jackson", "theo"), digits=(0, 1),
          indices=range(7)):
    os.makedirs(folder)
    for speaker in speakers:
        for d in digits:
            for i in indices:
                name = f"{d}_{speaker}_{i}.wav"
                shutil.copy(os.path.join(fsdd_root, "recordings", name), folder)
    return str(folder)


def test_the_shared_folder_splits_by_speaker(fsdd_root, tmp_path):
    sizes, speakers = {}, {}
    for split in ("train", "validation", "test"):
        speakers[split] = fsdd.speakers_of(split, root=fsdd_root)
        x, y = data.load("fsdd", split, root=fsdd_root, data_dir=str(tmp_path))
        assert x.shape[1:] == (101, 40) and x.dtype == np.float32
        assert np.isfinite(x).all()
        sizes[split] = np.bincount(y, minlength=10).tolist()
    assert speakers["test"] == ["theo"]
    assert speakers["train"] == speakers["validation"] == ["george", "jackson", "lucas",
                                                            "nicolas"]
    assert sizes == {"train": [180] * 10, "validation": [20] * 10, "test": [50] * 10}


def test_the_shared_recordings_are_the_published_ones(fsdd_root):
    checked = fsdd.verify_speakers(os.path.join(fsdd_root, "recordings"))
    assert checked == sorted(fsdd.SPEAKER_DIGESTS)


def test_any_subset_of_speakers_loads(fsdd_root, tmp_path):
    root = _copy(fsdd_root, tmp_path / "three")
    x, y = fsdd.load("train", root=root, data_dir=str(tmp_path), test_speakers=["jackson"])
    assert len(x) == 2 * 2 * 2  # george, theo x 2 digits x indices 5, 6
    xt, _ = fsdd.load("test", root=root, data_dir=str(tmp_path), test_speakers=["jackson"])
    assert len(xt) == 2 * 7
    xs, _ = fsdd.load("train", root=root, data_dir=str(tmp_path), speakers=["george", "theo"])
    assert len(xs) == 2 * 2  # george only: theo is the default test speaker


def test_a_corrupt_wav_names_the_file(fsdd_root, tmp_path):
    root = _copy(fsdd_root, tmp_path / "copy")
    bad = os.path.join(root, "1_george_6.wav")
    with open(bad, "r+b") as f:
        f.write(b"JUNK" * 8)  # the RIFF header is gone
    with pytest.raises(ValueError, match="1_george_6.wav"):
        fsdd.load("train", root=root, data_dir=str(tmp_path))


def test_a_wrong_sample_rate_names_the_file(fsdd_root, tmp_path):
    import soundfile

    root = _copy(fsdd_root, tmp_path / "copy")
    soundfile.write(os.path.join(root, "0_george_5.wav"), np.zeros(1600), 16000)
    with pytest.raises(ValueError, match=r"0_george_5.wav.*16000 Hz"):
        fsdd.load("train", root=root, data_dir=str(tmp_path))


def test_a_stereo_file_names_the_file(fsdd_root, tmp_path):
    import soundfile

    root = _copy(fsdd_root, tmp_path / "copy")
    soundfile.write(os.path.join(root, "0_george_5.wav"), np.zeros((800, 2)), 8000)
    with pytest.raises(ValueError, match=r"0_george_5.wav.*2 channels"):
        fsdd.load("train", root=root, data_dir=str(tmp_path))


def test_an_empty_folder_and_a_missing_folder(tmp_path):
    os.makedirs(tmp_path / "empty")
    with pytest.raises(data.DatasetNotFoundError, match="no FSDD recordings"):
        fsdd.load("train", root=str(tmp_path / "empty"), data_dir=str(tmp_path))
    with pytest.raises(data.DatasetNotFoundError, match="no FSDD folder"):
        fsdd.load("train", root=str(tmp_path / "absent"), data_dir=str(tmp_path))


def test_unknown_speakers_and_splits_are_named(fsdd_root, tmp_path):
    root = _copy(fsdd_root, tmp_path / "copy")
    with pytest.raises(ValueError, match=r"`test_speakers`.*\['nobody'\]"):
        fsdd.load("test", root=root, data_dir=str(tmp_path), test_speakers=["nobody"])
    with pytest.raises(ValueError, match="`speakers`"):
        fsdd.load("train", root=root, data_dir=str(tmp_path), speakers=["lucas"])
    with pytest.raises(ValueError, match="`test_speakers`.*fewer"):
        fsdd.load("test", root=root, data_dir=str(tmp_path),
                  test_speakers=["george", "jackson", "theo"])
    with pytest.raises(ValueError, match="`split`"):
        fsdd.load("dev", root=root, data_dir=str(tmp_path))


def test_a_badly_named_wav_is_refused(fsdd_root, tmp_path):
    root = _copy(fsdd_root, tmp_path / "copy")
    shutil.copy(os.path.join(root, "0_george_0.wav"), os.path.join(root, "zero-george.wav"))
    with pytest.raises(ValueError, match="zero-george.wav"):
        fsdd.load("train", root=root, data_dir=str(tmp_path))


def test_a_file_that_fails_its_listed_sha256_is_refused(fsdd_root, tmp_path):
    root = _copy(fsdd_root, tmp_path / "copy")
    names = sorted(n for n in os.listdir(root) if n.endswith(".wav"))
    lines = [f"{snnzoo_io.sha256_file(os.path.join(root, n))}  {n}" for n in names]
    lines[names.index("0_jackson_5.wav")] = "0" * 64 + "  0_jackson_5.wav"
    snnzoo_io.write_text(os.path.join(root, "SHA256SUMS"), "\n".join(lines) + "\n")
    with pytest.raises(snnzoo_io.IntegrityError, match="0_jackson_5.wav"):
        fsdd.load("train", root=root, data_dir=str(tmp_path))


def test_standardisation_uses_the_train_statistics(fsdd_root, tmp_path):
    root = _copy(fsdd_root, tmp_path / "copy")
    options = dict(root=root, data_dir=str(tmp_path))
    raw, _ = fsdd.load("train", **options)
    x, _ = fsdd.load("train", standardize=True, **options)
    np.testing.assert_allclose(x.mean(axis=(0, 1)), 0.0, atol=1e-4)
    np.testing.assert_allclose(x.std(axis=(0, 1)), 1.0, atol=1e-3)
    mean, scale = fsdd.standardization(**options)
    test_raw, _ = fsdd.load("test", **options)
    test, _ = fsdd.load("test", standardize=True, **options)
    np.testing.assert_allclose(test, (test_raw - mean) / scale, atol=1e-5)
    np.testing.assert_allclose(mean, raw.mean(axis=(0, 1)), rtol=1e-5, atol=1e-5)


def test_augmented_copies_are_reproducible_and_train_only(fsdd_root, tmp_path):
    pytest.importorskip("audiomentations")
    root = _copy(fsdd_root, tmp_path / "copy", digits=(3,))
    first, y = fsdd.load("train", root=root, data_dir=str(tmp_path / "a"), augment_copies=2)
    again, _ = fsdd.load("train", root=root, data_dir=str(tmp_path / "b"), augment_copies=2)
    plain, y0 = fsdd.load("train", root=root, data_dir=str(tmp_path / "a"))
    n = len(plain)
    assert len(first) == 3 * n and (y == np.tile(y0, 3)).all()
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first[:n], plain)
    assert not np.allclose(first[n:2 * n], plain) and not np.allclose(first[n:2 * n],
                                                                    first[2 * n:])
    test, _ = fsdd.load("test", root=root, data_dir=str(tmp_path / "a"), augment_copies=2)
    assert len(test) == 7


def test_recordings_are_centred_in_the_clip(fsdd_root):
    wav = fsdd.read_recording(os.path.join(fsdd_root, "recordings", "5_theo_0.wav"))
    clip = fsdd.centre(wav, 8000)
    start = (8000 - len(wav)) // 2
    np.testing.assert_array_equal(clip[start:start + len(wav)], wav)
    assert not clip[:start].any() and not clip[start + len(wav):].any()


def test_the_front_end_carries_the_standardisation(fsdd_root, tmp_path):
    from snnzoo.data.frontend import frontend

    root = _copy(fsdd_root, tmp_path / "copy", digits=(2,))
    options = dict(root=root, data_dir=str(tmp_path))
    described = frontend("fsdd", standardize=True, **options)
    mean, scale = fsdd.standardization(**options)
    assert described["sample_rate"] == 8000 and described["frames_per_clip"] == 101
    np.testing.assert_array_equal(np.float32(described["coefficient_mean"]), mean)
    np.testing.assert_array_equal(np.float32(described["coefficient_scale"]), scale)
    assert "coefficient_mean" not in frontend("fsdd")

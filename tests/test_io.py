"""`snnzoo.io`: atomic writes leave the old file or the new one, never a
partial file or a temporary; hashes; folder swaps."""

import hashlib
import json
import os

import keras
import numpy as np
import pytest

from snnzoo import io as snnzoo_io


def _listing(folder):
    return sorted(os.listdir(folder))


def test_write_json_and_sha256(tmp_path):
    path = tmp_path / "a.json"
    snnzoo_io.write_json(path, {"x": [1, 2]})
    assert json.loads(path.read_text()) == {"x": [1, 2]}
    assert path.read_text().endswith("\n")
    assert snnzoo_io.sha256_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert _listing(tmp_path) == ["a.json"]
    assert os.stat(path).st_mode & 0o777 == 0o644


def test_failed_write_keeps_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "state.json"
    snnzoo_io.write_json(path, {"epoch": 1})
    os.chmod(path, 0o600)
    with pytest.raises(RuntimeError, match="boom"):
        with snnzoo_io.atomic_write(path, "w") as f:
            f.write('{"epoch": 2')
            raise RuntimeError("boom")
    assert json.loads(path.read_text()) == {"epoch": 1}
    assert _listing(tmp_path) == ["state.json"]
    snnzoo_io.write_json(path, {"epoch": 3})
    assert os.stat(path).st_mode & 0o777 == 0o600  # the replaced file's mode is kept


def test_keyboard_interrupt_removes_the_temporary(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with snnzoo_io.atomic_write(tmp_path / "x.bin") as f:
            f.write(b"partial")
            raise KeyboardInterrupt
    assert _listing(tmp_path) == []


def test_save_npz_and_model(tmp_path):
    snnzoo_io.save_npz(tmp_path / "d.npz", x=np.arange(3))
    with np.load(tmp_path / "d.npz") as z:
        assert z["x"].tolist() == [0, 1, 2]
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    snnzoo_io.save_model(model, tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])
    assert _listing(tmp_path) == ["d.npz", "m.keras"]
    with pytest.raises(ValueError, match=r"\.keras"):
        snnzoo_io.save_model(model, tmp_path / "m.h5")


def test_atomic_folder_swaps_whole_folders(tmp_path):
    target = tmp_path / "preset"
    target.mkdir()
    (target / "old.txt").write_text("old")
    with pytest.raises(RuntimeError):
        with snnzoo_io.atomic_folder(target) as tmp:
            open(os.path.join(tmp, "half.txt"), "w").close()
            raise RuntimeError("killed")
    assert _listing(target) == ["old.txt"] and _listing(tmp_path) == ["preset"]
    with snnzoo_io.atomic_folder(target) as tmp:
        (open(os.path.join(tmp, "new.txt"), "w")).write("new")
    assert _listing(target) == ["new.txt"] and _listing(tmp_path) == ["preset"]

"""The one path that builds a preset's artifacts: shipped calibration sets,
and `recipes/export_presets.py` rebuilding files, hashes and manifest."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from snnzoo import io as snnzoo_io
from snnzoo import presets
from snnzoo.export.bundle import manifest
from snnzoo.presets import evaluation
from snnzoo.zoo import build
from snnzoo.presets import store

ROOT = store.presets_root()
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAME = "hard_lstm_basic_motions"


@pytest.mark.parametrize("name", presets.list_presets())
def test_every_preset_ships_a_verified_calibration_set(name):
    spec = evaluation.calibration_spec(name)
    x = evaluation.calibration_data(name)
    model_input = presets.card(name)["input_shape"]
    assert x.dtype == np.float32 and np.isfinite(x).all()
    assert list(x.shape[1:]) == list(model_input[-2:])
    assert 0 < len(x) <= spec["samples"]


def test_corrupted_calibration_set_is_refused(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(os.path.join(ROOT, "datasets"), root / "datasets")
    file = root / evaluation.calibration_spec(NAME)["file"]
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    file.write_bytes(bytes(data))
    with pytest.raises(snnzoo_io.IntegrityError, match="failed its sha256"):
        evaluation.calibration_data(NAME, str(root))


def test_export_recipe_rebuilds_a_preset(tmp_path):
    """recipes/export_presets.py on a copy of one small preset: it rewrites the
    files, their sha256 records and manifest entries, and the rebuilt int8
    step graph is as accurate as the shipped one (both measured here)."""
    root = tmp_path / "root"
    root.mkdir()
    for part in (NAME, "datasets"):
        shutil.copytree(os.path.join(ROOT, part), root / part)
    shutil.copy(os.path.join(ROOT, manifest.MANIFEST), root / manifest.MANIFEST)
    for f in ("model_float32_step.tflite", "model_int8_step.tflite"):
        os.remove(root / NAME / f)
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, os.path.join(REPO, "recipes", "export_presets.py"),
                           "--presets", NAME, "--modes", "step", "--root", str(root)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    entries = {e["file"]: e for e in manifest.read(str(root))["artifacts"] if e["preset"] == NAME}
    hashes = snnzoo_io.read_json(root / NAME / store.SHA_FILE)
    for q in ("float32", "int8"):
        rel = f"{NAME}/model_{q}_step.tflite"
        assert entries[rel]["sha256"] == snnzoo_io.sha256_file(root / rel)
        assert hashes[f"model_{q}_step.tflite"] == entries[rel]["sha256"]
    store.verify(str(root / NAME))
    script = ("import json, sys, numpy as np; from snnzoo import presets; "
              "from snnzoo.export import run_tflite; "
              f"x, y = presets.evaluation_data('{NAME}'); "
              "print(json.dumps([float(np.mean(run_tflite(p, x).argmax(-1) == y)) "
              "for p in sys.argv[1:]]))")
    check = subprocess.run([sys.executable, "-c", script, str(root / NAME / "model_int8_step.tflite"),
                            os.path.join(ROOT, NAME, "model_int8_step.tflite")],
                           capture_output=True, text=True)
    rebuilt, shipped = json.loads(check.stdout.strip().splitlines()[-1])
    assert abs(rebuilt - shipped) <= 0.005
    assert entries[f"{NAME}/model_int8_step.tflite"]["verification"]["tflite_accuracy"] == rebuilt
    # The card carries the rebuilt file's TFLM footprint and int8 accuracy.
    tflm = store.card(str(root / NAME))["tflm"]["model_int8_step.tflite"]
    assert tflm["int8_accuracy"] == rebuilt and tflm["loads"]
    assert tflm["flash_bytes"] == os.path.getsize(root / NAME / "model_int8_step.tflite")
    assert tflm == dict(entries[f"{NAME}/model_int8_step.tflite"]["tflm"], int8_accuracy=rebuilt)


@pytest.mark.skipif(__import__("keras").backend.backend() != "tensorflow",
                    reason="TFLite export runs under the TensorFlow backend")
def test_a_build_resolves_the_preset_name_once(tmp_path, monkeypatch):
    from snnzoo.presets import registry

    calls = []
    real_get = registry.get
    monkeypatch.setattr(registry, "get", lambda name: calls.append(name) or real_get(name))
    entries = build.build_artifacts(NAME, ("float32",), ("step",), out_dir=str(tmp_path),
                                    check=False, progress=False)
    assert calls == [NAME]
    assert os.path.isfile(entries[0]["file"])
    spec = presets.PresetSpec.resolve(NAME)
    with pytest.raises(Exception, match="cannot assign"):
        spec.name = "other"
    with pytest.raises(TypeError):
        spec.metadata["evaluation"] = {}
    with pytest.raises(ValueError, match="Unknown preset 'nope'"):
        presets.PresetSpec.resolve("nope")

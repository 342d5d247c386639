"""snnzoo <-> NIR <-> snnTorch, both ways (needs the bench extra: CPU torch,
snnTorch, nirtorch; `.ci/run` installs it)."""

import keras
import numpy as np
import pytest

import snnzoo
from snnzoo.testing import snntorch_peer as peer

torch = pytest.importorskip("torch")
snn = pytest.importorskip("snntorch")
pytest.importorskip("nirtorch")

from tests.nir.test_nir import _model  # noqa: E402
from tests.nir.test_nir import _spikes  # noqa: E402


class _Net(torch.nn.Module):
    """Linear(6, 16) -> RSynaptic or RLeaky -> Linear(16, 3), one step per call."""

    def __init__(self, kind):
        super().__init__()
        torch.manual_seed(0)
        self.fc = torch.nn.Linear(6, 16)
        leak = {"beta": torch.linspace(0.5, 0.95, 16)}
        if kind == "cuba":
            self.rs = snn.RSynaptic(alpha=torch.linspace(0.95, 0.6, 16), linear_features=16,
                                    init_hidden=True, **leak)
        else:
            self.rs = snn.RLeaky(linear_features=16, init_hidden=True, **leak)
        self.fc2 = torch.nn.Linear(16, 3)
        with torch.no_grad():
            self.fc.weight.mul_(3.0)

    def forward(self, x):
        return self.fc2(self.rs(self.fc(x)))


def _snntorch_spikes(net, x):
    from snntorch import utils

    utils.reset(net)
    spikes = []
    with torch.no_grad():
        for t in range(x.shape[1]):
            net(torch.from_numpy(x[:, t]))
            spikes.append(net.rs.spk.numpy().copy())
    return np.stack(spikes, axis=1)


@pytest.mark.parametrize("kind", ["lif", "cuba"])
def test_snntorch_network_comes_in_spike_for_spike(kind, rng):
    net = _Net(kind)
    x = rng.normal(0, 1, (4, 40, 6)).astype("float32")
    theirs = _snntorch_spikes(net, x)
    graph = peer.export_graph(net, 6)
    model = snnzoo.nir.load(graph, reset="subtract")  # snnTorch's default reset
    mine = np.asarray(keras.Model(model.inputs, model.layers[1].output)(x))
    assert theirs.mean() > 0.05
    assert np.mean(mine == theirs) >= 0.999


@pytest.mark.parametrize("kind", ["lif", "cuba"])
def test_snnzoo_model_goes_out_to_snntorch(kind, rng):
    model = _model(kind)
    sub = keras.Model(model.inputs, model.get_layer("hidden2").output)
    graph = snnzoo.nir.export(sub, gain="weights")
    x = rng.normal(0, 1, (3, 30, 6)).astype("float32")
    as_imported = peer.run(peer.import_graph(graph), x)
    nir_semantics = snnzoo.nir.simulate(graph, x)
    assert np.mean(as_imported == nir_semantics) >= 0.999   # snnTorch runs NIR's reset
    subtract = peer.run(peer.import_graph(graph, reset="subtract"), x)
    assert np.mean(subtract == _spikes(model, "hidden2", x)) >= 0.999

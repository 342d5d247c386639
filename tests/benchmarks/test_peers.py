"""The benchmark's peers are fair: the idiomatic hand-written PyTorch loop
(`unbind`) computes exactly what the slicing form computes, so the speed
gap the benchmark prints between them is the cost of the slicing alone."""

import importlib.util
import pathlib

import numpy as np
import pytest

torch = pytest.importorskip("torch")

PATH = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "cell_throughput.py"


def _benchmark():
    spec = importlib.util.spec_from_file_location("cell_throughput", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_unbind_and_slicing_give_the_same_outputs_and_gradients():
    bench = _benchmark()
    shape = {"batch": 4, "steps": 30, "inputs": 12, "units": 8, "classes": 3}
    torch.manual_seed(0)
    fair = bench._hand_written(slicing=False, shape=shape)
    sliced = bench._hand_written(slicing=True, shape=shape)
    sliced.load_state_dict(fair.state_dict())
    x = (torch.rand(shape["batch"], shape["steps"], shape["inputs"]) < 0.4).float() * 2
    outs, grads = [], []
    for net in (fair, sliced):
        out = net(x)
        out.amax(1).sum().backward()
        outs.append(out.detach().numpy())
        grads.append([p.grad.numpy().copy() for p in net.parameters()])
    np.testing.assert_array_equal(outs[0], outs[1])
    assert outs[0].std() > 0, "vacuous: constant outputs"
    for a, b in zip(*grads):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_every_peer_is_in_the_table_or_said_to_be_missing():
    bench = _benchmark()
    kept, missing = bench.available([c + ("default",) for c in bench.CONFIGS])
    names = {c[0] for c in kept} | set(missing)
    assert names == {c[0] for c in bench.CONFIGS}
    assert all("not installed" in why for why in missing.values())

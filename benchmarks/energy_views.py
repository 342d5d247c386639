"""Energy of the shipped spiking presets against their ANN, in three views:
compute only at fp32 (the cards' figure), and memory-aware bit-matched int8
with weights in on-chip SRAM or in DRAM; the crossover spike rate of each;
and NeuroBench-convention synaptic ops beside snnzoo's. For rate-coded
presets (T SNN steps per element), also int8 + SRAM against the quantized
ANN equivalent to the rate code: ceil(log2(T + 1))-bit activations (Yan,
Bai & Wong 2024's baseline; the energies stay Horowitz's, see
`Profile.for_activation_bits`).

    python benchmarks/energy_views.py [--samples 64] [--presets a,b] [--json FILE]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_tables  # noqa: E402 (benchmarks/, beside this script)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

VIEWS = ("horowitz45_fp32", "horowitz45_int8_sram", "horowitz45_int8_dram")


def _crossover(report):
    """The crossover spike rate of a report, or None where it has none."""
    c = report.crossover()
    return None if c is None else c["rate"]


def _qnn(name, samples):
    """Ratio, bits and crossover against the rate-equivalent QNN, or None."""
    from snnzoo.energy.estimator import rate_timesteps
    from snnzoo.presets import evaluation
    from snnzoo.presets import store

    model = store.load(name)
    if not rate_timesteps(model):
        return None
    report = evaluation.preset_energy(name, samples, VIEWS[1], model=model, ann_bits="rate")
    return {"ratio": report.ratio["energy"], "bits": report.options["ann_activation_bits"],
            "crossover": _crossover(report)}


def _neurobench(name, samples):
    """NeuroBench's effective MACs and ACs, or None: it has no convention for
    an SNN loop inside each step."""
    from snnzoo.presets import evaluation

    try:
        nb = evaluation.preset_energy(name, samples, VIEWS[0], neurobench=True).neurobench
    except ValueError:
        return None
    return {"macs": nb["effective_macs"], "acs": nb["effective_acs"]}


def measure(name, samples):
    """One preset's row: rate, each view's ratio and crossover, QNN, counts."""
    from snnzoo.presets import evaluation

    reports = {view: evaluation.preset_energy(name, samples, view) for view in VIEWS}
    base = reports[VIEWS[0]]
    return {"preset": name, "rate": base.measured_rate(),
            "views": {v: {"ratio": r.ratio["energy"], "crossover": _crossover(r)}
                      for v, r in reports.items()},
            "qnn": _qnn(name, samples), "macs": base.total["macs"], "acs": base.total["acs"],
            "neurobench": _neurobench(name, samples)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--presets", default="")
    parser.add_argument("--json", default=os.path.join(os.path.dirname(__file__), "results",
                                                       "energy_views.json"))
    args = parser.parse_args()
    from snnzoo import io as snnzoo_io
    from snnzoo import presets

    names = [n for n in args.presets.split(",") if n] or [
        n for n in presets.list_presets()
        if presets.registry.get(n)["metadata"]["kind"] != "ann"]
    print(f"ANN / SNN energy per sample on {args.samples} test samples; crossover = mean "
          "spike rate below which the SNN takes less energy (any: up to 1; never: not even "
          "silent); rate = measured mean output rate of the spiking layers")
    saved = {"samples": args.samples, "rows": [measure(n, args.samples) for n in names]}
    print(result_tables.energy_views(saved))
    snnzoo_io.write_json(args.json, saved)
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()

"""Energy of the shipped spiking presets against their ANN, in three views:
compute only at fp32 (the cards' figure), and memory-aware bit-matched int8
with weights in on-chip SRAM or in DRAM; the crossover spike rate of each;
and NeuroBench-convention synaptic ops beside snnzoo's. For rate-coded
presets (T SNN steps per element), also int8 + SRAM against the quantized
ANN equivalent to the rate code: ceil(log2(T + 1))-bit activations (Yan,
Bai & Wong 2024's baseline; the energies stay Horowitz's, see
`Profile.for_activation_bits`).

    python benchmarks/energy_views.py [--samples 64] [--presets a,b]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

VIEWS = ("horowitz45_fp32", "horowitz45_int8_sram", "horowitz45_int8_dram")


def _crossover(report):
    c = report.crossover()
    if c is None:
        return "-"
    return "never" if c["rate"] == 0 else "any" if c["rate"] >= 1 else f"{c['rate']:.3f}"


def _qnn(name, samples):
    """Ratio and crossover against the rate-equivalent QNN, or '- | -'."""
    from snnzoo.energy.estimator import rate_timesteps
    from snnzoo.presets import evaluation
    from snnzoo.presets import store

    model = store.load(name)
    if not rate_timesteps(model):
        return "- | -"
    report = evaluation.preset_energy(name, samples, VIEWS[1], model=model, ann_bits="rate")
    bits = report.options["ann_activation_bits"]
    return f"{report.ratio['energy']:.2f}x ({bits}-bit) | {_crossover(report)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--presets", default="")
    args = parser.parse_args()
    from snnzoo import presets
    from snnzoo.presets import evaluation

    names = [n for n in args.presets.split(",") if n] or [
        n for n in presets.list_presets()
        if presets.registry.get(n)["metadata"]["kind"] != "ann"]
    print(f"ANN / SNN energy per sample on {args.samples} test samples; crossover = mean "
          "spike rate below which the SNN takes less energy (any: up to 1; never: not even "
          "silent); rate = measured mean output rate of the spiking layers")
    print("| preset | rate | fp32 compute | int8 + SRAM | crossover | int8 + DRAM | crossover | "
          "rate-equivalent QNN + SRAM | crossover | snnzoo MAC + AC | NeuroBench MAC + AC |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in names:
        reports = [evaluation.preset_energy(name, args.samples, view) for view in VIEWS]
        base = reports[0]
        t = base.total
        try:  # NeuroBench has no convention for an SNN loop inside each step
            nb = evaluation.preset_energy(name, args.samples, VIEWS[0], neurobench=True).neurobench
            nb = f"{nb['effective_macs']:,.0f} + {nb['effective_acs']:,.0f}"
        except ValueError:
            nb = "not defined"
        rate = base.measured_rate()
        print(f"| `{name}` | {'-' if rate is None else f'{rate:.3f}'} | "
              f"{base.ratio['energy']:.2f}x | {reports[1].ratio['energy']:.2f}x | "
              f"{_crossover(reports[1])} | {reports[2].ratio['energy']:.2f}x | "
              f"{_crossover(reports[2])} | {_qnn(name, args.samples)} | "
              f"{t['macs']:,.0f} + {t['acs']:,.0f} | {nb} |", flush=True)


if __name__ == "__main__":
    main()

"""Every speech family on both speech sets, over seeds, against the targets
of issue #26 and the papers' orderings.

For each set (`fsdd`: the REAL Free Spoken Digit recordings, tested on the
held-out speaker theo; `espeak_v2`: SYNTHETIC espeak-ng speech, 12 classes)
and each seed, this trains (or reuses) one run per family: the HardLSTM ANN,
the spiking LSTM converted from that seed's ANN at T = 2, and the directly
trained LIF, Cuba-LIF, SpikGRU, Yin-style adaptive LIF and adLIF. A run's
test accuracy is the one its recipe measured on the test split; the
converted spiking LSTM's spike rate is measured here from its spike trains.
The shipped presets' int8 step files are run in TensorFlow Lite Micro on the
whole test split and set against their float Keras models.

It prints, per set, mean +- std over the finished seeds, then each target
with the figure that meets or misses it:

- the converted spiking LSTM at T = 2 within 2 points of its ANN, at a mean
  spike rate <= 0.15;
- the best spiking family at or above the ANN;
- every Dampfhoffer family (LIF, Cuba-LIF, SpikGRU) within 3 points of it;
- adLIF not below Cuba-LIF;
- every int8 step file within 1 point of its float model in TFLM (either
  way: an int8 file far above its float model is another model);

and the papers' orderings (Dampfhoffer: LIF < Cuba-LIF ~ SpikGRU; Bittar &
Garner: adLIF above LIF).

Runs live in `--workdir/<config>/seed<k>` (resumable); the run of a
config's own seed with its own epochs is read from `--runs/<config>` when it
is there (the preset's run). `--epochs` shortens every run (then no preset
run is reused, and the printout says the epochs).

    python benchmarks/speech_orderings.py                       # 3 seeds, both sets
    python benchmarks/speech_orderings.py --sets fsdd --report_only
"""

import argparse
import os
import statistics
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "jax")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SPIKING = ("lif", "cuba_lif", "spikgru", "adaptive_lif", "adlif")
DAMPFHOFFER = ("lif", "cuba_lif", "spikgru")
#: set -> (ANN config, conversion config, trained config pattern, preset pattern)
SETS = {
    "fsdd": ("hard_lstm_fsdd", "spiking_lstm_fsdd_t2", "{}_fsdd_2x128",
             {"hard_lstm": "hard_lstm_fsdd", "spiking_lstm": "spiking_lstm_fsdd_t2",
              **{f: f"{f}_fsdd_2x128" for f in SPIKING}}),
    "espeak_v2": ("hard_lstm_espeak_v2", "spiking_lstm_espeak_v2_t2", "{}_espeak_v2_2x128",
                  {"hard_lstm": "hard_lstm_speech_commands",
                   "spiking_lstm": "spiking_lstm_speech_commands_t2",
                   **{f: f"{f}_speech_commands_2x128" for f in SPIKING}}),
}
TIE = 1.0  # points within which two families count as "about equal"
RATE_SAMPLES = 256


def _folder(args, config, seed):
    """The run folder of `config` at `seed`: the preset's run for the named
    config's own seed and epochs, else one under `--workdir`."""
    from snnzoo.training import get_config

    preset_run = os.path.join(args.runs, config.name)
    if seed == get_config(config.name).seed and args.epochs is None and os.path.exists(
            os.path.join(preset_run, "metrics.json")):
        return preset_run
    return os.path.join(args.workdir, config.name, f"seed{seed}")


def _train(args, name, seed):
    """`(test accuracy %, run folder)` of trained config `name` at `seed`
    (None when it has not run and `--report_only`)."""
    from snnzoo import io as snnzoo_io
    from snnzoo.training import get_config
    from snnzoo.training import train_and_evaluate

    config = get_config(name, seed=seed, **({"epochs": args.epochs} if args.epochs else {}))
    folder = _folder(args, config, seed)
    metrics_file = os.path.join(folder, "metrics.json")
    if os.path.exists(metrics_file):
        return 100 * snnzoo_io.read_json(metrics_file)["test_accuracy"], folder
    if args.report_only:
        return None, folder
    return 100 * train_and_evaluate(config, folder, verbose="auto")["test_accuracy"], folder


def _convert(args, name, ann_folder, seed):
    """`(test accuracy %, spike rate)` of conversion `name` of the ANN in
    `ann_folder` (Nones when it has not run and `--report_only`)."""
    import keras

    from snnzoo import data
    from snnzoo import io as snnzoo_io
    from snnzoo.training import convert_and_evaluate
    from snnzoo.training import get_config
    from snnzoo.training import get_conversion

    config = get_conversion(name, **({"finetune_epochs": args.epochs} if args.epochs else {}))
    source = get_config(config.source, seed=seed)
    preset_run = os.path.join(args.runs, config.name)
    folder = (preset_run if ann_folder == os.path.join(args.runs, source.name)
              else os.path.join(args.workdir, config.name, f"seed{seed}"))
    metrics_file = os.path.join(folder, "metrics.json")
    if not os.path.exists(metrics_file):
        if args.report_only:
            return None, None
        convert_and_evaluate(config, ann_folder, folder, verbose="auto")
    accuracy = 100 * snnzoo_io.read_json(metrics_file)["fine_tuned"]
    model = keras.saving.load_model(os.path.join(folder, "model.keras"), safe_mode=True,
                                    compile=False)
    x, _ = data.load(source.dataset, "test", **_eval_options(source.dataset_options))
    return accuracy, spike_rate(model, x[:RATE_SAMPLES])


def _eval_options(options):
    return {k: v for k, v in options.items() if k != "augment_copies"}


def spike_rate(model, x):
    """Mean over spiking layers of spikes per neuron per step."""
    from snnzoo import conversion

    return conversion.mean_spike_rate(model, x)


def seed_runs(args, set_name):
    """`{family: [accuracy % per finished seed]}` and the spiking LSTM's rates."""
    ann, conversion, pattern, _ = SETS[set_name]
    acc = {f: [] for f in ("hard_lstm", "spiking_lstm") + SPIKING}
    rates = []
    for seed in args.seeds:
        ann_acc, ann_folder = _train(args, ann, seed)
        if ann_acc is not None:
            acc["hard_lstm"].append(ann_acc)
            conv_acc, rate = _convert(args, conversion, ann_folder, seed)
            if conv_acc is not None:
                acc["spiking_lstm"].append(conv_acc)
                rates.append(rate)
        for family in SPIKING:
            value, _ = _train(args, pattern.format(family), seed)
            if value is not None:
                acc[family].append(value)
    return acc, rates


def int8_gaps(set_name):
    """`{preset: (float %, TFLM int8 %)}` of the set's shipped int8 step files,
    both measured here on the whole test split."""
    from snnzoo import presets
    from snnzoo.export.runtime.micro import run_micro

    out = {}
    for family, name in SETS[set_name][3].items():
        if name not in presets.list_presets():
            continue
        path = os.path.join(presets.path(name), "model_int8_step.tflite")
        if not os.path.exists(path):
            continue
        x, y = presets.evaluation_data(name)
        float_acc = 100 * presets.evaluate(name)
        out[name] = (float_acc, 100 * float((run_micro(path, x).argmax(-1) == y).mean()))
    return out


def _mean(values):
    return statistics.fmean(values) if values else float("nan")


def _cell(values):
    if not values:
        return "not run"
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{_mean(values):.2f} +- {std:.2f} (n={len(values)})"


def targets(acc, rates, gaps):
    """`[(target, met, figure)]` for one set."""
    ann = _mean(acc["hard_lstm"])
    mean = {f: _mean(v) for f, v in acc.items()}
    spiking = {f: mean[f] for f in ("spiking_lstm",) + SPIKING if acc[f]}
    best = max(spiking, key=spiking.get) if spiking else None
    gap = ann - mean["spiking_lstm"]
    rate = _mean(rates)
    out = [("spiking LSTM T=2 within 2 points of its ANN at rate <= 0.15",
            gap <= 2.0 and rate <= 0.15, f"gap {gap:.2f} points at rate {rate:.3f}"),
           ("best spiking family >= ANN", bool(best) and spiking[best] >= ann,
            f"{best} {spiking.get(best, float('nan')):.2f} vs ANN {ann:.2f}")]
    for f in DAMPFHOFFER:
        out.append((f"{f} within 3 points of the ANN", ann - mean[f] <= 3.0,
                    f"{mean[f]:.2f} vs {ann:.2f} ({ann - mean[f]:+.2f})"))
    out.append(("adLIF not below Cuba-LIF", mean["adlif"] >= mean["cuba_lif"],
                f"{mean['adlif']:.2f} vs {mean['cuba_lif']:.2f}"))
    for name, (fl, q) in gaps.items():
        # Both ways: an int8 file far above its float model is another model.
        out.append((f"{name} int8 step within 1 point in TFLM", abs(q - fl) <= 1.0,
                    f"TFLM {q:.2f} vs float {fl:.2f} ({q - fl:+.2f})"))
    return out


def orderings(acc):
    mean = {f: _mean(v) for f, v in acc.items()}
    return [("LIF < Cuba-LIF (Dampfhoffer)", mean["lif"] < mean["cuba_lif"]),
            ("LIF < SpikGRU (Dampfhoffer)", mean["lif"] < mean["spikgru"]),
            (f"Cuba-LIF ~ SpikGRU, within {TIE} point (Dampfhoffer)",
             abs(mean["cuba_lif"] - mean["spikgru"]) <= TIE),
            ("adLIF > LIF (Bittar & Garner)", mean["adlif"] > mean["lif"])]


def report(set_name, acc, rates, gaps, args):
    print(f"\n## {set_name}: seeds {args.seeds}, "
          f"{'config epochs' if args.epochs is None else f'{args.epochs} epochs'}")
    print("| family | test accuracy (%), mean +- std over seeds |")
    print("| --- | --- |")
    for family, values in acc.items():
        print(f"| {family} | {_cell(values)} |")
    if rates:
        print(f"spiking LSTM mean spike rate: {_mean(rates):.3f} "
              f"(per seed: {', '.join(f'{r:.3f}' for r in rates)})")
    rows = targets(acc, rates, gaps)
    for name, met, figure in rows:
        print(f"- [{'met' if met else 'MISSED'}] {name}: {figure}")
    for name, holds in orderings(acc):
        print(f"- ordering {name}: {'holds' if holds else 'does not hold'}")
    return {"accuracy": acc, "spiking_lstm_rates": rates,
            "int8_step": {k: {"float": v[0], "tflm": v[1]} for k, v in gaps.items()},
            "targets": [{"target": n, "met": bool(m), "figure": f} for n, m, f in rows],
            "orderings": {n: bool(h) for n, h in orderings(acc)}}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default="fsdd,espeak_v2")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--epochs", type=int, default=None,
                        help="shorten every run (training and fine-tuning epochs)")
    parser.add_argument("--runs", default="runs", help="where the presets' runs are")
    parser.add_argument("--workdir", default="runs/speech_orderings")
    parser.add_argument("--report_only", action="store_true",
                        help="train nothing: report the finished runs")
    parser.add_argument("--no_int8", action="store_true", help="skip the TFLM int8 check")
    parser.add_argument("--json", default="benchmarks/results/speech_orderings.json")
    args = parser.parse_args()
    sets = args.sets.split(",")
    if not set(sets) <= set(SETS):
        parser.error(f"--sets: expected a comma list of {sorted(SETS)}; got {args.sets!r}")
    args.seeds = [int(s) for s in args.seeds.split(",")]
    out = {"seeds": args.seeds, "epochs": args.epochs, "sets": {}}
    for set_name in sets:
        acc, rates = seed_runs(args, set_name)
        gaps = {} if args.no_int8 else int8_gaps(set_name)
        out["sets"][set_name] = report(set_name, acc, rates, gaps, args)
    if args.json:
        from snnzoo import io as snnzoo_io

        snnzoo_io.write_json(args.json, out)
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()

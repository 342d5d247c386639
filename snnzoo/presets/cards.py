"""Human-readable views of the preset cards: one summary row per preset and
the full description that `snnzoo describe` prints."""

import os

from snnzoo import io as snnzoo_io
from snnzoo.presets import registry
from snnzoo.presets import store


def summaries(family=None):
    """One dict per registered preset (optionally of one `family`): name,
    family, task, and from its card (whose sha256 is checked) test
    accuracy, T and energy ratio; `missing: True` when the preset folder is
    absent, `unverified: True` (and no numbers) when the card fails its hash."""
    rows = []
    for name in registry.list_presets(family):
        meta = registry.get(name)["metadata"]
        row = {"name": name, "family": meta["family"], "task": meta["task"]}
        try:
            store.verify_files(store.path(name), [store.CARD_FILE])
            c = store.card(name, verify_hashes=False)
            row.update(accuracy=c["metrics"]["test_accuracy"], timesteps=c["timesteps"],
                       energy_ratio=c["energy"].get("energy_ratio"))
        except FileNotFoundError:
            row["missing"] = True
        except snnzoo_io.IntegrityError:
            row["unverified"] = True
        rows.append(row)
    return rows


def summary_table(rows):
    """The rows of `summaries` as the text table of `snnzoo list`."""
    lines = [f"{'preset':34s} {'family':13s} {'T':>3s} {'acc %':>6s} {'ANN/SNN E':>9s}  task"]
    for r in rows:
        ratio = f"{r['energy_ratio']:.2f}x" if r.get("energy_ratio") else "-"
        acc = ("missing" if r.get("missing") else "unverified" if r.get("unverified")
               else f"{r['accuracy']:.2f}")
        lines.append(f"{r['name']:34s} {r['family']:13s} {str(r.get('timesteps') or '-'):>3s} "
                     f"{acc:>6s} {ratio:>9s}  {r['task']}")
    return "\n".join(lines)


def describe(name):
    """The model card of preset `name` as text (sha256-verified), with its
    exported files from the manifest."""
    c = store.card(name)
    lines = [f"{c['name']} ({c['family']}, {c['kind']})", f"  {c['description']}",
             f"  task: {c['task']}", f"  data: {c['data']}",
             f"  input: {c['input_shape']}, T = {c['timesteps'] or '-'}, "
             f"params {c['params']:,}"]
    lines += _metric_lines(c) + _energy_lines(c["energy"]) + _view_lines(c.get("energy_views"))
    lines += _export_lines(name) + _nir_lines(c.get("nir"))
    if c.get("paper"):
        p = c["paper"]
        lines.append(f"  paper: {p['accuracy']}% ({p['citation']}: {p['note']})")
    lines.append("  trained with:")
    lines += [f"    {cmd}" for cmd in c["training"]["commands"]]
    return "\n".join(lines)


def _nir_lines(nir):
    """The shipped NIR files and their measured facts (`presets.nir_files`)."""
    lines = []
    for file, r in (nir or {}).items():
        lines.append(f"  NIR {file} ({r['form']}, dt {r['dt']:g} s): accuracy "
                     f"{100 * r['nir_semantics_accuracy']:.2f}% under NIR's semantics, "
                     f"loaded back {100 * r['round_trip_prediction_agreement']:.2f}% identical "
                     f"predictions ({r['samples']} test samples)")
    return lines


def _metric_lines(c):
    m = c["metrics"]
    ann = (f" (ANN {m['ann_preset']}: {m['ann_test_accuracy']:.2f}%)"
           if "ann_preset" in m else "")
    lines = [f"  test accuracy: {m['test_accuracy']:.2f}%{ann}"]
    if "mean_spike_rate" in m:
        lines.append(f"  mean spike rate: {m['mean_spike_rate']:.4f} spikes/neuron/step")
    return lines


def _energy_lines(e):
    ps = e["per_sample"]
    lines = [f"  per sample: {ps['macs']:,.0f} MAC, {ps['acs']:,.0f} AC, "
             f"{ps['energy_j']:.3e} J ({e['profile']})"]
    if "energy_ratio" in e:
        ann = e.get("ann", {}).get("model")
        against = f"iso-architecture {ann.upper()}" if ann in ("gru", "lstm", "rnn") else ann
        lines.append(f"  vs {against}: {e['energy_ratio']:.2f}x less energy, "
                     f"{e['op_ratio']:.2f}x fewer ops")
    return lines


def crossover_text(crossover):
    """A crossover record (`EnergyReport.crossover`) in words."""
    if crossover is None:
        return "-"
    if crossover["rate"] == 0:
        return "never (more energy even silent)"
    if crossover["rate"] >= 1:
        return "any rate up to 1"
    return f"below {crossover['rate']:.3f}"


def _view_lines(views):
    if not views:
        return ["  memory-aware energy: not computed (recipes/refresh_energy_views.py)"]
    v = views["memory_aware"]
    ps = v["per_sample"]
    line = (f"  memory-aware ({v['profile']}): {ps['energy_j']:.3e} J = compute "
            f"{ps['compute_energy_j']:.3e} + memory {ps['memory_energy_j']:.3e}")
    lines = [line]
    if "energy_ratio" in v:
        lines.append(f"    vs its ANN at the same bit width: {v['energy_ratio']:.2f}x; the SNN "
                     f"takes less energy at a mean spike rate {crossover_text(v['crossover'])}")
    q = v.get("rate_equivalent_qnn")
    if q:
        lines.append(f"    vs the {q['activation_bits']}-bit-activation QNN equivalent to its "
                     f"rate code (Yan et al. 2024): {q['energy_ratio']:.2f}x; the SNN takes "
                     f"less energy at a mean spike rate {crossover_text(q['crossover'])}")
    nb = views.get("neurobench", {})
    if "effective_acs" in nb:
        lines.append(f"  NeuroBench conventions: {nb['effective_macs']:,.0f} MAC + "
                     f"{nb['effective_acs']:,.0f} AC per sample")
    return lines


def _export_lines(name):
    from snnzoo.export import manifest

    try:
        artifacts = manifest.read(store.presets_root())["artifacts"]
    except snnzoo_io.IntegrityError as err:
        return [f"  exported files: UNVERIFIED ({err})"]
    exported = [e for e in artifacts if e["preset"] == name]
    lines = []
    for e in sorted(exported, key=lambda e: (e["quantization"], e["mode"])):
        v = e["verification"]
        file = os.path.join(store.presets_root(), e["file"])
        if not os.path.isfile(file) or snnzoo_io.sha256_file(file) != e["sha256"]:
            lines.append(f"  {os.path.basename(e['file'])}: UNVERIFIED (missing, or its "
                         "sha256 differs from the manifest's)")
            continue
        tflm = e.get("tflm")
        micro = "" if not tflm else (
            f"; TFLM: arena {tflm['arena_bytes']:,} bytes, {tflm['macs_per_frame']:,} MACs/frame"
            if tflm["loads"] else "; does not run in TFLM")
        lines.append(f"  {os.path.basename(e['file'])}: {e['bytes']:,} bytes, accuracy "
                     f"{100 * v['tflite_accuracy']:.2f}% (Keras {100 * v['keras_accuracy']:.2f}%)"
                     + micro)
    return lines

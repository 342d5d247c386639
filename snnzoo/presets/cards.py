"""Human-readable views of the preset cards: one summary row per preset and
the full description that `snnzoo describe` prints."""

import numpy as np

from snnzoo import io as snnzoo_io
from snnzoo.presets import registry
from snnzoo.presets import store


def summaries(family=None):
    """One summary per registered preset.

    Args:
        family: None for every preset, or one of `PRESET_FAMILIES`.

    Returns:
        A list of dicts: name, family, task, and from the card (whose sha256
        is checked) test accuracy, T, and the energy ratio against the ANN
        under the card's memory-aware profile (int8 + SRAM: the figure
        `snnzoo energy NAME` measures); `missing: True` when the preset folder
        is absent, `unverified: True` (and no numbers) when the card fails
        its hash.

    Raises:
        ValueError: an unknown `family`.
    """
    rows = []
    for name in registry.list_presets(family):
        meta = registry.get(name)["metadata"]
        row = {"name": name, "family": meta["family"], "task": meta["task"]}
        try:
            store.verify_files(store.path(name), [store.CARD_FILE])
            c = store.card(name, verify_hashes=False)
            view = (c.get("energy_views") or {}).get("memory_aware") or {}
            row.update(accuracy=c["metrics"]["test_accuracy"], timesteps=c["timesteps"],
                       energy_ratio=view.get("energy_ratio"), energy_profile=view.get("profile"))
        except FileNotFoundError:
            row["missing"] = True
        except snnzoo_io.IntegrityError:
            row["unverified"] = True
        rows.append(row)
    return rows


def summary_table(rows):
    """The rows of `summaries` as the text table of `snnzoo list`, its energy
    column's profile named in the header."""
    profiles = sorted({r["energy_profile"] for r in rows if r.get("energy_profile")})
    lines = [f"{'preset':34s} {'family':13s} {'T':>3s} {'acc %':>6s} {'ANN/SNN E':>9s}  task"]
    for r in rows:
        ratio = f"{r['energy_ratio']:.2f}x" if r.get("energy_ratio") else "-"
        acc = ("missing" if r.get("missing") else "unverified" if r.get("unverified")
               else f"{r['accuracy']:.2f}")
        lines.append(f"{r['name']:34s} {r['family']:13s} {str(r.get('timesteps') or '-'):>3s} "
                     f"{acc:>6s} {ratio:>9s}  {r['task']}")
    lines.append(f"ANN/SNN E: the ANN's energy over the SNN's per sample, profile "
                 f"{', '.join(profiles) or '-'} (measured spike rates; see snnzoo describe)")
    return "\n".join(lines)


def card_lines(c):
    """A model card (a dict) as the lines `snnzoo describe` prints, except
    the exported files (`snnzoo.zoo.description` adds those)."""
    lines = [f"{c['name']} ({c['family']}, {c['kind']})", f"  {c['description']}",
             f"  task: {c['task']}", f"  data: {c['data']}",
             f"  input: {c['input_shape']}, T = {c['timesteps'] or '-'}, "
             f"params {c['params']:,}"]
    lines += _metric_lines(c) + _view_lines(c.get("energy_views")) + _energy_lines(c["energy"])
    lines += _nir_lines(c.get("nir"))
    if c.get("paper"):
        p = c["paper"]
        lines.append(f"  paper: {p['accuracy']}% ({p['citation']}: {p['note']})")
    lines.append("  trained with:")
    lines += [f"    {cmd}" for cmd in c["training"]["commands"]]
    return lines


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
    lines = [f"  compute only ({e['profile']}): {ps['macs']:,.0f} MAC, {ps['acs']:,.0f} AC, "
             f"{ps['energy_j']:.3e} J per sample"]
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


def standardization(name_or_dir):
    """The per-feature standardization of a preset's inputs, from its card's
    front end: what a runner (`StreamingRunner(path, standardization=...)`)
    applies to raw feature frames.

    Args:
        name_or_dir: a registered preset name, or a preset folder.

    Returns:
        `(mean, scale)` float32 arrays (an FSDD preset's train-split
        statistics), or None for a preset whose inputs are not standardised.

    Raises:
        ValueError: an unknown preset name.
        PresetIntegrityError: the card fails its sha256.
    """
    front = store.card(name_or_dir).get("frontend") or {}
    if "coefficient_mean" not in front:
        return None
    return (np.asarray(front["coefficient_mean"], "float32"),
            np.asarray(front["coefficient_scale"], "float32"))

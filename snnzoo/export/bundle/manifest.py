"""`manifest.json` of an exports folder (the presets root: `exported_models/`):
one entry per exported file, with its sha256, size, I/O quantization, ops
and verification. `file` paths are relative to the folder."""

import os

from snnzoo import io as snnzoo_io

MANIFEST = "manifest.json"


def read(root, check=True):
    """The manifest of `root`; with `check`, its sha256 must match the one
    recorded in `root/sha256.json` when there is a record (numbers edited
    after the export are refused, not printed as fact)."""
    path = os.path.join(root, MANIFEST)
    if not os.path.exists(path):
        return {"artifacts": []}
    record = os.path.join(root, snnzoo_io.SHA_FILE)
    if check and os.path.isfile(record):
        expected = snnzoo_io.read_json(record).get(MANIFEST)
        if expected is not None and snnzoo_io.sha256_file(path) != expected:
            raise snnzoo_io.IntegrityError(
                f"{path} failed its sha256 check against {record}: it was edited after "
                "the export; rebuild it with recipes/export_presets.py.")
    return snnzoo_io.read_json(path)


def update(entries, root, omitted=()):
    """Add or replace (by `file`) `entries`; written atomically, sorted.

    `omitted`: `{"preset", "quantization", "mode", "reason"}` records of
    artifacts deliberately not shipped; they replace any entry of the same
    preset, quantization and mode, and are listed under `omitted`."""
    import fcntl

    os.makedirs(root, exist_ok=True)
    # Exports of different presets may run in parallel: serialize the
    # read-modify-write of the manifest.
    with open(os.path.join(root, MANIFEST + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = read(root)
        by_file = {e["file"]: e for e in manifest["artifacts"]}
        for e in entries:
            by_file[e["file"]] = e
        key = lambda e: (e["preset"], e["quantization"], e["mode"])  # noqa: E731
        gone = {key(o) for o in omitted}
        manifest["artifacts"] = [by_file[k] for k in sorted(by_file)
                                 if key(by_file[k]) not in gone]
        kept = [o for o in manifest.get("omitted", []) if key(o) not in gone]
        kept = [o for o in kept if key(o) not in {key(e) for e in entries}]
        manifest["omitted"] = sorted(kept + list(omitted), key=key)
        if not manifest["omitted"]:
            del manifest["omitted"]
        write(manifest, root)
    return manifest


def write(manifest, root):
    """Write `manifest.json` and record its sha256 in `root/sha256.json`."""
    path = os.path.join(root, MANIFEST)
    snnzoo_io.write_json(path, manifest)
    record = os.path.join(root, snnzoo_io.SHA_FILE)
    hashes = snnzoo_io.read_json(record) if os.path.isfile(record) else {}
    hashes[MANIFEST] = snnzoo_io.sha256_file(path)
    snnzoo_io.write_json(record, hashes)


def check(root):
    """Verify the sha256 and size of every listed file; returns the entries.
    Raises `snnzoo.io.IntegrityError` naming the first file that fails."""
    entries = read(root)["artifacts"]
    for e in entries:
        path = os.path.join(root, e["file"])
        if not os.path.isfile(path):
            raise snnzoo_io.IntegrityError(f"{path} is listed in {MANIFEST} but missing.")
        actual = snnzoo_io.sha256_file(path)
        if actual != e["sha256"] or os.path.getsize(path) != e["bytes"]:
            raise snnzoo_io.IntegrityError(
                f"{path} failed its sha256 check against {MANIFEST}: expected "
                f"{e['sha256']}, got {actual}.")
    return entries


def _int8_cells(q, omitted):
    """The int8 columns of a README row: the measured entry, or why none."""
    if q is None:
        return ["not shipped: " + omitted] + [""] * 7 if omitted else [""] * 8
    qv, tflm = q["verification"], q.get("tflm", {})
    prep = " (prepared)" if q.get("int8_preparation") else ""
    spikes = qv.get("spike_agreement")
    runs = ("yes" if tflm.get("loads") else "no") if tflm else "?"
    agree, builtin = tflm.get("agreement_with_litert"), tflm.get("agreement_with_litert_builtin")
    agree = "" if agree is None else f"{100 * agree:.1f}%" + (
        "" if builtin is None else f" / {100 * builtin:.1f}%")
    micro = "" if tflm.get("accuracy") is None else f" / {100 * tflm['accuracy']:.2f}"
    return [f"{100 * qv['tflite_accuracy']:.2f}{micro}{prep}",
            f"{100 * qv['prediction_agreement']:.1f}%",
            "" if spikes is None else f"{100 * spikes:.1f}%", runs, agree,
            "" if not tflm.get("arena_bytes") else f"{tflm['arena_bytes'] / 1024:,.1f}",
            f"{q['bytes'] / 1024:,.0f}",
            "" if "macs_per_frame" not in tflm else f"{tflm['macs_per_frame']:,}"]


def markdown_table(root):
    """README table of the exported files, in the style of MLPerf Tiny's
    reports: float32 vs int8 accuracy on the test split, and for int8 the
    TFLM facts (runs, agreement with LiteRT, arena, flash = file size, MACs
    per frame)."""
    manifest = read(root)
    entries = manifest["artifacts"]
    omitted = {(o["preset"], o["mode"]): o["reason"] for o in manifest.get("omitted", [])}
    lines = ["| preset | mode | float32 acc. (%) | int8 acc., LiteRT / TFLM (%) | int8 = Keras "
             "| int8 spikes = Keras | TFLM runs | TFLM = LiteRT (XNNPACK / builtin) "
             "| TFLM arena (KB) | int8 flash (KB) | MACs / frame | float32 (KB) |",
             "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    by = {(e["preset"], e["mode"], e["quantization"]): e for e in entries}
    for preset, mode in sorted({(e["preset"], e["mode"]) for e in entries}):
        f, q = by.get((preset, mode, "float32")), by.get((preset, mode, "int8"))
        if f is None:
            continue
        cells = _int8_cells(q, omitted.get((preset, mode)))
        lines.append(f"| `{preset}` | {mode} | {100 * f['verification']['tflite_accuracy']:.2f} | "
                     + " | ".join(cells[:7]) + f" | {cells[7]} | {f['bytes'] / 1024:,.0f} |")
    return "\n".join(lines)

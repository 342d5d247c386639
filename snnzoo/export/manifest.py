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


def update(entries, root):
    """Add or replace (by `file`) `entries`; written atomically, sorted."""
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
        manifest["artifacts"] = [by_file[k] for k in sorted(by_file)]
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


def markdown_table(root):
    """README table of the exported files: size, float vs int8 accuracy."""
    entries = read(root)["artifacts"]
    lines = ["| preset | mode | float32 size | float32 acc. (%) | int8 size | int8 acc. (%) "
             "| int8 agreement with Keras | spike agreement (int8 step) | float tensors in int8 |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    by = {(e["preset"], e["mode"], e["quantization"]): e for e in entries}
    for preset, mode in sorted({(e["preset"], e["mode"]) for e in entries}):
        f, q = by.get((preset, mode, "float32")), by.get((preset, mode, "int8"))
        if not f or not q:
            continue
        fv, qv = f["verification"], q["verification"]
        spikes = qv.get("spike_agreement")
        prep = " (bounded membranes)" if q.get("int8_preparation") else ""
        lines.append(
            f"| `{preset}` | {mode} | {f['bytes'] / 1024:,.0f} KB | {100 * fv['tflite_accuracy']:.2f} "
            f"| {q['bytes'] / 1024:,.0f} KB | {100 * qv['tflite_accuracy']:.2f}{prep} "
            f"| {100 * qv['prediction_agreement']:.1f}% "
            f"| {'' if spikes is None else f'{100 * spikes:.1f}%'} | {q['float_tensors']} |")
    return "\n".join(lines)

"""Training state committed as one unit, and the workdir lock.

A run's resume state lives in `workdir/checkpoint/`: `model.keras` (weights,
optimizer state and the layers' seed-generator state), `state.json` (epochs
done, best validation accuracy, every log row so far) and `sha256.json`.
Each epoch builds the next unit in a temporary folder and swaps it in with
two renames (`checkpoint/` -> `checkpoint.prev/`, new -> `checkpoint/`), so a
kill at any instant leaves at least one complete unit, and the log rows
travel with the weights they describe. Batch order is a function of
`(seed, epoch)`, so resuming from either unit retrains deterministically to
the weights of an uninterrupted run.

On resume the newest unit whose files match their sha256 is used; a
corrupted one is reported and the previous one taken. A second run in the
same workdir is refused while the first holds `workdir/.lock`.
"""

import contextlib
import csv
import io
import os
import sys

from snnzoo import io as snnzoo_io

CURRENT, PREVIOUS = "checkpoint", "checkpoint.prev"
MODEL, STATE = "model.keras", "state.json"
LOCK = ".lock"


@contextlib.contextmanager
def locked(workdir):
    """Hold `workdir/.lock` for the duration; a second holder is refused."""
    import fcntl

    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, LOCK)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ValueError(f"`workdir`: {workdir} is in use by another run (it holds "
                             f"{path}); wait for it or use another workdir.") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def commit(workdir, model, state):
    """Write the unit for `state` (after its epoch) and make it current."""
    staged = os.path.join(workdir, ".next")
    with snnzoo_io.atomic_folder(staged) as tmp:
        model.save(os.path.join(tmp, MODEL))
        snnzoo_io.write_json(os.path.join(tmp, STATE), state)
        hashes = {n: snnzoo_io.sha256_file(os.path.join(tmp, n)) for n in (MODEL, STATE)}
        snnzoo_io.write_json(os.path.join(tmp, snnzoo_io.SHA_FILE), hashes)
    snnzoo_io.promote_folder(staged, os.path.join(workdir, CURRENT),
                             os.path.join(workdir, PREVIOUS))
    write_log(workdir, state["log"])


def restore(workdir, write=True):
    """`(model, state)` of the newest intact unit, or `(None, None)`;
    `write=False` (the processes other than 0) leaves `log.csv` alone."""
    import keras

    for name in (CURRENT, PREVIOUS):
        folder = os.path.join(workdir, name)
        if not os.path.isdir(folder):
            continue
        problem = _damage(folder)
        if problem is None:
            state = checked_state(snnzoo_io.read_json(os.path.join(folder, STATE)),
                                  os.path.join(folder, STATE))
            model = keras.saving.load_model(os.path.join(folder, MODEL), safe_mode=True)
            if write:
                write_log(workdir, state["log"])
            return model, state
        print(f"snnzoo: {folder} is unusable ({problem}); falling back to the previous "
              "checkpoint.", file=sys.stderr)
    if any(os.path.isdir(os.path.join(workdir, n)) for n in (CURRENT, PREVIOUS)):
        raise snnzoo_io.IntegrityError(f"`workdir`: no intact checkpoint in {workdir}; "
                                       "delete the checkpoint folders to start over.")
    return None, None


def checked_state(state, where):
    """`state` if it has the fields a resume reads, of the right types;
    else a ValueError naming the file and the field."""
    def bad(field, expected):
        value = state.get(field, "<missing>") if isinstance(state, dict) else state
        raise ValueError(f"{where}: expected {field} to be {expected}; got {value!r}.")

    if not isinstance(state, dict):
        bad("the state", "a JSON object")
    done = state.get("epochs_done")
    if isinstance(done, bool) or not isinstance(done, int) or done < 0:
        bad("epochs_done", "an integer >= 0")
    best = state.get("best_val_accuracy")
    if isinstance(best, bool) or not isinstance(best, (int, float)) or not -1 <= best <= 1:
        bad("best_val_accuracy", "a number in [-1, 1]")
    log = state.get("log")
    if not isinstance(log, list) or len(log) != done or not all(
            isinstance(r, dict) and "epoch" in r for r in log):
        bad("log", f"a list of {done} rows (one per epoch done, each with its epoch)")
    return state


def _damage(folder):
    """None if every file of the unit matches its sha256, else why not."""
    record = os.path.join(folder, snnzoo_io.SHA_FILE)
    try:
        hashes = snnzoo_io.read_json(record)
        for name in (MODEL, STATE):
            if snnzoo_io.sha256_file(os.path.join(folder, name)) != hashes[name]:
                return f"{name} fails its sha256"
    except (OSError, ValueError, KeyError) as err:
        return f"{type(err).__name__}: {err}"
    return None


def write_log(workdir, rows):
    """`workdir/log.csv` from the committed rows (epoch first)."""
    if not rows:
        return
    keys = ["epoch"] + sorted({k for r in rows for k in r} - {"epoch"})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=keys, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    snnzoo_io.write_text(os.path.join(workdir, "log.csv"), buffer.getvalue())

"""`train_and_evaluate(config, workdir)`: resumable, logged, reproducible."""

import contextlib
import json
import os

import keras
import numpy as np

from snnzoo import backend
from snnzoo import data
from snnzoo import io as snnzoo_io
from snnzoo import models
from snnzoo.data import augment
from snnzoo.training import checkpoint
from snnzoo.training.cluster import Cluster
from snnzoo.training.process_group import ProcessGroup
from snnzoo.training.train_config import TrainConfig
from snnzoo.training.warm_start import warm_start

_VALIDATION_SPLITS = {"ssc": "valid", "speech_commands": "validation",
                      "espeak_commands": "validation", "fsdd": "validation"}


class EpochShuffled(keras.utils.PyDataset):
    """Batches of `(x, y)` in the order fixed by `(seed, epoch)`; with
    `augmentation="spike_jitter"` each batch is jittered reproducibly.

    `rows` (a `ProcessGroup.local_rows`) picks this process's part of each
    global batch, so the global batches, jitter included, are the same
    whatever the number of processes (PyTorch's `DistributedSampler`
    scheme: one permutation for all, each process its slice).
    """

    def __init__(self, x, y, batch_size, seed, epoch=0, augmentation="none", rows=None):
        super().__init__()
        self.x, self.y = x, y
        self.batch_size = batch_size
        self.seed, self.epoch = seed, epoch
        self.augmentation = augmentation
        self.rows = rows
        self.order = np.random.default_rng([seed, epoch]).permutation(len(x))

    def __len__(self):
        return int(np.ceil(len(self.x) / self.batch_size))

    def __getitem__(self, i):
        idx = self.order[i * self.batch_size:(i + 1) * self.batch_size]
        mine = idx if self.rows is None else self.rows(idx)
        if self.augmentation != "spike_jitter":
            return self.x[mine].astype("float32"), self.y[mine]
        # The whole global batch is jittered (one generator), then this
        # process keeps its rows: the same jitter on any number of processes.
        rng = np.random.default_rng([self.seed, self.epoch, i])
        x = np.stack([augment.spike_channel_jitter(s, rng=rng) for s in self.x[idx]])
        keep = slice(None) if self.rows is None else self.rows(np.arange(len(idx)))
        return x[keep].astype("float32"), self.y[idx][keep]


def load_splits(config):
    opts = dict(config.dataset_options)
    x, y = data.load(config.dataset, "train", **opts)
    val_split = _VALIDATION_SPLITS.get(config.dataset)
    if val_split:
        xv, yv = data.load(config.dataset, val_split, **opts)
    else:
        order = np.random.default_rng(config.seed).permutation(len(x))
        n_val = int(round(config.validation_fraction * len(x)))
        xv, yv = x[order[:n_val]], y[order[:n_val]]
        x, y = x[order[n_val:]], y[order[n_val:]]
    xt, yt = data.load(config.dataset, config.test_split, **opts)
    if config.max_train_samples:
        x, y = x[:config.max_train_samples], y[:config.max_train_samples]
        xv, yv = xv[:max(1, config.max_train_samples // 4)], yv[:max(1, config.max_train_samples // 4)]
    if config.max_test_samples:
        xt, yt = xt[:config.max_test_samples], yt[:config.max_test_samples]
    return (x, y), (xv, yv), (xt, yt)


def build_and_compile(config, input_shape, num_classes):
    model = models.build(config.family, input_shape, num_classes, name=config.name,
                         **config.model_options)
    if config.init_from:  # a fresh run only: a resumed one loads its checkpoint
        warm_start(model, config.init_from)
    opt_cls = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop}[config.optimizer]
    kwargs = {"clipnorm": config.clipnorm} if config.clipnorm else {}
    model.compile(opt_cls(config.learning_rate, **kwargs),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], jit_compile=backend.recommended_jit_compile())
    return model


def train_and_evaluate(config, workdir, verbose="auto", callbacks=None, cluster=None):
    """Train a config in a work folder, resuming from its last epoch if killed.

    Writes `config.json`, `checkpoint/` (the resume state as one unit:
    weights, optimizer, epochs done, best score, log rows; see
    `snnzoo.training.checkpoint`), `log.csv`, `tensorboard/`, `best.keras`
    (best validation accuracy), `final.keras` and `metrics.json`. Each
    epoch's batch order is fixed by `(seed, epoch)`, so a run killed at any
    point and started again ends with the weights of an uninterrupted run.

    Several processes (`cluster`, see `snnzoo.training.Cluster`) train one
    model data-parallel: `config.batch_size` is the global batch, each
    process takes `batch_size / num_processes` rows of it, the validation
    and test splits are sharded and their metrics summed over processes,
    and process 0 alone writes `workdir` (which every process must see: a
    shared folder across hosts). A run may resume on another number of
    processes: the global batches do not depend on it.

    Args:
        config: a `TrainConfig`.
        workdir: where the run writes (and resumes from).
        verbose: Keras verbosity ("auto": a progress bar on a terminal).
        callbacks: extra Keras callbacks; they receive the usual hooks (epoch
            end after that epoch is checkpointed).
        cluster: a `Cluster` (None: this process alone).

    Returns:
        The metrics dict (also in `workdir/metrics.json`), the same on
        every process.

    Raises:
        TypeError: `config` is not a `TrainConfig`, or `cluster` not a
            `Cluster`.
        ValueError: `workdir` holds a run of another config, the data do
            not fit the model, or the batch does not divide over the
            processes.
        snnzoo.training.PeerLostError: another process died or stopped
            answering (the last committed epoch stays in `workdir`).
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig; got {type(config).__name__}.")
    cluster = Cluster() if cluster is None else cluster
    if not isinstance(cluster, Cluster):
        raise TypeError(f"cluster must be a Cluster; got {type(cluster).__name__}.")
    if config.batch_size % cluster.num_processes:
        raise ValueError(f"`batch_size`: the global batch must divide over "
                         f"{cluster.num_processes} processes; got {config.batch_size}.")
    group = ProcessGroup.start(cluster, config.distribution)  # before any device is used
    share_workdir(group, workdir, config.to_json())
    keras.utils.set_random_seed(config.seed)
    (x, y), (xv, yv), (xt, yt) = load_splits(config)
    num_classes = int(max(y.max(), yt.max())) + 1
    (xv, yv), (xt, yt) = group.shard(xv, yv), group.shard(xt, yt)
    with group.scope():
        model = fit_resumable(
            lambda: build_and_compile(config, x.shape[1:], num_classes),
            (x, y), (xv, yv), workdir, config.epochs, config.batch_size,
            config.seed, config.augmentation, config.name, verbose, callbacks, group)
    return _finish(group, config, model, workdir, len(x), (xv, yv), (xt, yt))


def _finish(group, config, model, workdir, train_samples, validation, test):
    """The test metrics of the finished run, `final.keras` and `metrics.json`."""
    (xv, _), (xt, yt) = validation, test
    group.barrier()  # best.keras and the last unit are written
    if config.restore_best:
        best = keras.saving.load_model(os.path.join(workdir, "best.keras"), safe_mode=True)
        model.set_weights(best.get_weights())
    scores = group.evaluate(model, xt.astype("float32"), yt, config.batch_size)
    state = snnzoo_io.read_json(os.path.join(workdir, checkpoint.CURRENT, checkpoint.STATE))
    metrics = {"test_accuracy": scores["accuracy"],
               "best_val_accuracy": state["best_val_accuracy"],
               "train_samples": int(train_samples),
               "validation_samples": int(group.all_sum([len(xv)])[0]),
               "test_samples": int(group.all_sum([len(xt)])[0]),
               "params": int(model.count_params()), "backend": keras.backend.backend()}
    if group.cluster.is_multi:
        metrics["num_processes"] = group.cluster.num_processes
    group.save_model(model, os.path.join(workdir, "final.keras"))
    if group.is_chief:
        snnzoo_io.write_json(os.path.join(workdir, "metrics.json"), metrics)
    group.barrier()
    return metrics


def share_workdir(group, workdir, text):
    """Process 0 claims `workdir` for the config (`claim_workdir`); the
    others then check they see the same claim (a folder they all share)."""
    if group.is_chief:
        claim_workdir(workdir, "config.json", text)
    group.barrier()
    if group.is_chief:
        return
    path = os.path.join(workdir, "config.json")
    if not os.path.exists(path):
        raise ValueError(f"`workdir`: {group.describe()} cannot see {path}, which process 0 "
                         "wrote; every process needs the same (shared) work folder.")
    if not _holds(path, text):
        raise ValueError(f"`workdir`: {path} holds another config than this process's; "
                         "start every process with the same config.")


def claim_workdir(workdir, name, text):
    """Write `text` to `workdir/name`, refusing a workdir that holds another run."""
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, name)
    if os.path.exists(path) and not _holds(path, text):
        raise ValueError(f"{workdir} holds a run of a different config; use a "
                         "new workdir or delete it to start over.")
    snnzoo_io.write_text(path, text)


def _holds(path, text):
    """True when the JSON file at `path` equals the JSON `text`."""
    return snnzoo_io.read_json(path) == json.loads(text)


def fit_resumable(make_model, train, validation, workdir, epochs, batch_size, seed,
                  augmentation="none", name="train", verbose="auto", callbacks=None,
                  group=None):
    """The resumable epoch loop shared by training and SNN fine-tuning.

    `make_model()` returns a compiled model for a fresh start; when
    `workdir` holds a checkpoint unit (`snnzoo.training.checkpoint`),
    training continues from the newest intact one instead. Every epoch
    ends by committing weights, optimizer state, epoch counter, best score
    and log rows together (process 0 of a `group`; every process holds the
    same state). Returns the trained model.
    """
    group = group or ProcessGroup.start()
    (x, y), (xv, yv) = train, validation
    lock = checkpoint.locked(workdir) if group.is_chief else contextlib.nullcontext()
    with lock:
        with group.variable_scope():
            model, state = checkpoint.restore(workdir, write=group.is_chief)
            if model is None:
                model, state = make_model(), {"epochs_done": 0, "best_val_accuracy": -1.0,
                                              "log": []}
        if state["epochs_done"] > epochs:
            raise ValueError(f"`epochs`: the checkpoint in {workdir} has "
                             f"{state['epochs_done']} epochs done, more than the {epochs} asked "
                             "for; ask for at least as many, or use a fresh workdir.")
        board = [keras.callbacks.TensorBoard(os.path.join(workdir, "tensorboard"))]
        callbacks = keras.callbacks.CallbackList(
            (board if group.is_chief else []) + list(callbacks or []), model=model)
        _epochs(model, state, train, validation, workdir, epochs, batch_size, seed,
                augmentation, name, verbose, callbacks, group)
    return model


def _epochs(model, state, train, validation, workdir, epochs, batch_size, seed,
            augmentation, name, verbose, callbacks, group):
    from tqdm.auto import tqdm

    (x, y), (xv, yv) = train, validation
    callbacks.on_train_begin()
    start = state["epochs_done"]
    progress = tqdm(range(start, epochs), initial=start, total=epochs, desc=name,
                    unit="epoch", disable=verbose == 0 or not group.is_chief)
    for epoch in progress:
        logs = _train_epoch(model, EpochShuffled(x, y, batch_size, seed, epoch, augmentation,
                                                 rows=group.local_rows),
                            epoch, callbacks, group)
        val = group.evaluate(model, xv.astype("float32"), yv, batch_size)
        logs.update({f"val_{k}": float(v) for k, v in val.items()})
        progress.set_postfix(val_accuracy=f"{logs['val_accuracy']:.4f}")
        if logs["val_accuracy"] > state["best_val_accuracy"]:
            state["best_val_accuracy"] = logs["val_accuracy"]
            group.save_model(model, os.path.join(workdir, "best.keras"))
        state["epochs_done"] = epoch + 1
        state["log"] = state["log"] + [{"epoch": epoch, **logs}]
        group.save_model(model, None, lambda: checkpoint.commit(workdir, model, state))
        callbacks.on_epoch_end(epoch, logs)
    callbacks.on_train_end()


def _train_epoch(model, dataset, epoch, callbacks, group):
    """One epoch of `train_on_batch` over `dataset`; returns the epoch's
    sample-weighted mean loss and metrics (weighted by global batch sizes).

    (`Model.fit` is not used because its first call on a freshly loaded
    model consumes a `PyDataset` differently from later calls, which made
    a resumed run diverge from an uninterrupted one.)
    """
    callbacks.on_epoch_begin(epoch)
    totals, seen = {}, 0
    for i in range(len(dataset)):
        xb, yb = dataset[i]
        callbacks.on_train_batch_begin(i)
        out = group.train_on_batch(model, xb, yb)
        size = len(xb) * group.cluster.num_processes
        for k, v in out.items():
            totals[k] = totals.get(k, 0.0) + float(v) * size
        seen += size
        callbacks.on_train_batch_end(i, out)
    return {k: v / seen for k, v in totals.items()}

"""`train_and_evaluate(config, workdir)`: resumable, logged, reproducible."""

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
from snnzoo.training.train_config import TrainConfig
from snnzoo.training.warm_start import warm_start

_VALIDATION_SPLITS = {"ssc": "valid", "speech_commands": "validation",
                      "espeak_commands": "validation", "fsdd": "validation"}


class EpochShuffled(keras.utils.PyDataset):
    """Batches of `(x, y)` in the order fixed by `(seed, epoch)`; with
    `augmentation="spike_jitter"` each batch is jittered reproducibly."""

    def __init__(self, x, y, batch_size, seed, epoch=0, augmentation="none"):
        super().__init__()
        self.x, self.y = x, y
        self.batch_size = batch_size
        self.seed, self.epoch = seed, epoch
        self.augmentation = augmentation
        self.order = np.random.default_rng([seed, epoch]).permutation(len(x))

    def __len__(self):
        return int(np.ceil(len(self.x) / self.batch_size))

    def __getitem__(self, i):
        idx = self.order[i * self.batch_size:(i + 1) * self.batch_size]
        x = self.x[idx]
        if self.augmentation == "spike_jitter":
            rng = np.random.default_rng([self.seed, self.epoch, i])
            x = np.stack([augment.spike_channel_jitter(s, rng=rng) for s in x])
        return x.astype("float32"), self.y[idx]


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


def _distribution_scope(config):
    import contextlib

    if config.distribution == "none":
        return contextlib.nullcontext()
    if keras.backend.backend() == "jax":
        # The scope sets the global distribution and restores the previous
        # one on exit: training leaves the caller's process as it found it.
        devices = keras.distribution.list_devices()
        return keras.distribution.DataParallel(devices=devices).scope()
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return tf.distribute.MirroredStrategy(
            [d.name for d in tf.config.list_logical_devices("CPU")]
            + [d.name for d in tf.config.list_logical_devices("GPU")]).scope()
    raise ValueError(f"distribution='data_parallel' is not supported on {keras.backend.backend()}.")


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


def train_and_evaluate(config, workdir, verbose="auto", callbacks=None):
    """Train a config in a work folder, resuming from its last epoch if killed.

    Writes `config.json`, `checkpoint/` (the resume state as one unit:
    weights, optimizer, epochs done, best score, log rows; see
    `snnzoo.training.checkpoint`), `log.csv`, `tensorboard/`, `best.keras`
    (best validation accuracy), `final.keras` and `metrics.json`. Each
    epoch's batch order is fixed by `(seed, epoch)`, so a run killed at any
    point and started again ends with the weights of an uninterrupted run.

    Args:
        config: a `TrainConfig`.
        workdir: where the run writes (and resumes from).
        verbose: Keras verbosity ("auto": a progress bar on a terminal).
        callbacks: extra Keras callbacks; they receive the usual hooks (epoch
            end after that epoch is checkpointed).

    Returns:
        The metrics dict (also in `workdir/metrics.json`).

    Raises:
        TypeError: `config` is not a `TrainConfig`.
        ValueError: `workdir` holds a run of another config, or the data do
            not fit the model.
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"config must be a TrainConfig; got {type(config).__name__}.")
    claim_workdir(workdir, "config.json", config.to_json())
    keras.utils.set_random_seed(config.seed)
    (x, y), (xv, yv), (xt, yt) = load_splits(config)
    num_classes = int(max(y.max(), yt.max())) + 1
    with _distribution_scope(config):
        model = fit_resumable(
            lambda: build_and_compile(config, x.shape[1:], num_classes),
            (x, y), (xv, yv), workdir, config.epochs, config.batch_size,
            config.seed, config.augmentation, config.name, verbose, callbacks)
    if config.restore_best:
        best = keras.saving.load_model(os.path.join(workdir, "best.keras"), safe_mode=True)
        model.set_weights(best.get_weights())
    _, test_acc = model.evaluate(xt.astype("float32"), yt, batch_size=config.batch_size,
                                 verbose=0)
    snnzoo_io.save_model(model, os.path.join(workdir, "final.keras"))
    best = snnzoo_io.read_json(os.path.join(workdir, checkpoint.CURRENT,
                                            checkpoint.STATE))["best_val_accuracy"]
    metrics = {"test_accuracy": float(test_acc), "best_val_accuracy": best,
               "train_samples": int(len(x)),
               "validation_samples": int(len(xv)), "test_samples": int(len(xt)),
               "params": int(model.count_params()), "backend": keras.backend.backend()}
    snnzoo_io.write_json(os.path.join(workdir, "metrics.json"), metrics)
    return metrics


def claim_workdir(workdir, name, text):
    """Write `text` to `workdir/name`, refusing a workdir that holds another run."""
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, name)
    if os.path.exists(path):
        with open(path) as f:
            if json.loads(f.read()) != json.loads(text):
                raise ValueError(f"{workdir} holds a run of a different config; use a "
                                 "new workdir or delete it to start over.")
    snnzoo_io.write_text(path, text)


def fit_resumable(make_model, train, validation, workdir, epochs, batch_size, seed,
                  augmentation="none", name="train", verbose="auto", callbacks=None):
    """The resumable epoch loop shared by training and SNN fine-tuning.

    `make_model()` returns a compiled model for a fresh start; when
    `workdir` holds a checkpoint unit (`snnzoo.training.checkpoint`),
    training continues from the newest intact one instead. Every epoch
    ends by committing weights, optimizer state, epoch counter, best score
    and log rows together. Returns the trained model.
    """
    (x, y), (xv, yv) = train, validation
    with checkpoint.locked(workdir):
        model, state = checkpoint.restore(workdir)
        if model is None:
            model, state = make_model(), {"epochs_done": 0, "best_val_accuracy": -1.0,
                                          "log": []}
        if state["epochs_done"] > epochs:
            raise ValueError(f"`epochs`: the checkpoint in {workdir} has "
                             f"{state['epochs_done']} epochs done, more than the {epochs} asked "
                             "for; ask for at least as many, or use a fresh workdir.")
        callbacks = keras.callbacks.CallbackList(
            [keras.callbacks.TensorBoard(os.path.join(workdir, "tensorboard"))]
            + list(callbacks or []), model=model)
        from tqdm.auto import tqdm

        callbacks.on_train_begin()
        start = state["epochs_done"]
        progress = tqdm(range(start, epochs), initial=start, total=epochs,
                        desc=name, unit="epoch", disable=verbose == 0)
        for epoch in progress:
            logs = _train_epoch(model, EpochShuffled(x, y, batch_size, seed, epoch,
                                                     augmentation), epoch, callbacks)
            val = model.evaluate(xv.astype("float32"), yv, batch_size=batch_size,
                                 verbose=0, return_dict=True)
            logs.update({f"val_{k}": float(v) for k, v in val.items()})
            progress.set_postfix(val_accuracy=f"{logs['val_accuracy']:.4f}")
            if logs["val_accuracy"] > state["best_val_accuracy"]:
                state["best_val_accuracy"] = logs["val_accuracy"]
                snnzoo_io.save_model(model, os.path.join(workdir, "best.keras"))
            state["epochs_done"] = epoch + 1
            state["log"] = state["log"] + [{"epoch": epoch, **logs}]
            checkpoint.commit(workdir, model, state)
            callbacks.on_epoch_end(epoch, logs)
        callbacks.on_train_end()
    return model


def _train_epoch(model, dataset, epoch, callbacks):
    """One epoch of `train_on_batch` over `dataset`; returns the epoch's
    sample-weighted mean loss and metrics.

    (`Model.fit` is not used because its first call on a freshly loaded
    model consumes a `PyDataset` differently from later calls, which made
    a resumed run diverge from an uninterrupted one.)
    """
    callbacks.on_epoch_begin(epoch)
    totals, seen = {}, 0
    for i in range(len(dataset)):
        xb, yb = dataset[i]
        callbacks.on_train_batch_begin(i)
        out = model.train_on_batch(xb, yb, return_dict=True)
        for k, v in out.items():
            totals[k] = totals.get(k, 0.0) + float(v) * len(xb)
        seen += len(xb)
        callbacks.on_train_batch_end(i, out)
    return {k: v / seen for k, v in totals.items()}


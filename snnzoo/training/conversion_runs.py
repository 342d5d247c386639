"""Conversion runs (hybrid sweep, spiking conversion + resumable fine-tuning)
on top of a trained HardLSTM source run."""

import json
import os

import keras

from snnzoo import conversion
from snnzoo import io as snnzoo_io
from snnzoo.conversion import fidelity
from snnzoo.conversion.fine_tune import compile_for_fine_tuning
from snnzoo.conversion.fine_tune import copy_weights_by_name
from snnzoo.conversion.fine_tune import spike_rate_view
from snnzoo.metrics import accuracy
from snnzoo.training.train_config import TrainConfig
from snnzoo.training.conversion_config import ConversionConfig
from snnzoo.training.trainer import claim_workdir
from snnzoo.training.trainer import fit_resumable
from snnzoo.training.trainer import load_splits


def _source(source_workdir):
    cfg_path = os.path.join(source_workdir, "config.json")
    model_path = os.path.join(source_workdir, "final.keras")
    for path in (cfg_path, model_path):
        if not os.path.exists(path):
            raise FileNotFoundError(f"{path} not found: train the HardLSTM source "
                                    "first (recipes/train_hard_lstm.py).")
    with open(cfg_path) as f:
        config = TrainConfig.from_json(f.read())
    return config, keras.saving.load_model(model_path, safe_mode=True)


def convert_and_evaluate(config, source_workdir, workdir, verbose="auto",
                         callbacks=None):
    """Run a `ConversionConfig` on the HardLSTM trained in `source_workdir`.

    hybrid: accuracy at every T (+ `accuracy_vs_t.png`, the model at the
    largest T). spiking: convert with calibration on training data, measure,
    then fine-tune with BPTT and surrogate gradients, resumable after a kill
    exactly like `train_and_evaluate`. Writes `conversion.json`,
    `metrics.json` and `model.keras` into `workdir`.

    Args:
        config: a `ConversionConfig`.
        source_workdir: the finished `train_and_evaluate` run of
            `config.source`.
        workdir: where this run writes (and resumes from).
        verbose: Keras verbosity ("auto": a progress bar on a terminal).
        callbacks: extra Keras callbacks for the fine-tuning.

    Returns:
        The metrics dict (also in `workdir/metrics.json`).

    Raises:
        TypeError: `config` is not a `ConversionConfig`.
        ValueError: `source_workdir` trained another config than
            `config.source`, or `workdir` holds a run of another config.
        FileNotFoundError: `source_workdir` has no finished run.
    """
    if not isinstance(config, ConversionConfig):
        raise TypeError(f"config must be a ConversionConfig; got {type(config).__name__}.")
    source_config, ann = _source(source_workdir)
    if source_config.name != config.source:
        raise ValueError(f"{source_workdir} trained {source_config.name!r}, but "
                         f"{config.name!r} converts {config.source!r}.")
    claim_workdir(workdir, "conversion.json", config.to_json())
    keras.utils.set_random_seed(source_config.seed)
    (x, y), (xv, yv), (xt, yt) = load_splits(source_config)
    metrics = {"ann": accuracy(ann, xt, yt), "method": config.method}
    run = _hybrid_sweep if config.method == "hybrid" else _spiking_run
    model = run(config, ann, source_config, ((x, y), (xv, yv), (xt, yt)), workdir, metrics,
                verbose, callbacks)
    snnzoo_io.save_model(model, os.path.join(workdir, "model.keras"))
    snnzoo_io.write_json(os.path.join(workdir, "metrics.json"), metrics)
    return metrics


def _hybrid_sweep(config, ann, source_config, splits, workdir, metrics, verbose, callbacks):
    """Accuracy at every T into `metrics` (and its plot); the model at the
    kept T."""
    xt, yt = splits[2]
    metrics["accuracy"] = {}
    keep = config.model_timesteps or max(config.timesteps)
    for T in config.timesteps:
        converted = conversion.convert(ann, "hybrid", T, **config.options)
        metrics["accuracy"][T] = accuracy(converted, xt, yt)
        if T == keep:
            model = converted
    metrics["timesteps"] = keep
    fidelity.plot_accuracy_vs_timesteps({"hybrid": metrics["accuracy"]}, metrics["ann"],
                                        os.path.join(workdir, "accuracy_vs_t.png"))
    return model


def _spiking_run(config, ann, source_config, splits, workdir, metrics, verbose, callbacks):
    """Convert, then fine-tune resumably; accuracies into `metrics`; the
    fine-tuned model (the plain converted graph with the trained weights)."""
    (x, y), (xv, yv), (xt, yt) = splits
    (T,) = config.timesteps
    converted_path = os.path.join(workdir, "converted.json")

    def convert():
        return conversion.convert(ann, "spiking", T,
                                  calibration_data=x[:config.calibration_samples],
                                  **config.options)

    def make_model():
        snn = convert()
        snnzoo_io.write_json(converted_path, {"accuracy": accuracy(snn, xt, yt)})
        if config.spike_regularizer:
            snn = spike_rate_view(snn, config.spike_regularizer)
        return compile_for_fine_tuning(snn, config.learning_rate)

    model = fit_resumable(make_model, (x, y), (xv, yv), workdir,
                          config.finetune_epochs, source_config.batch_size,
                          source_config.seed, name=config.name, verbose=verbose,
                          callbacks=callbacks) if config.finetune_epochs else make_model()
    if config.spike_regularizer:  # the plain converted graph, fine-tuned weights
        model = copy_weights_by_name(model, convert())
    with open(converted_path) as f:
        metrics["converted"] = json.load(f)["accuracy"]
    metrics["timesteps"] = T
    metrics["fine_tuned"] = accuracy(model, xt, yt)
    return model


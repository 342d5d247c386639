"""Conversion runs used by the hybrid and spiking LSTM recipes."""

import json
import os

import keras


from snnzoo import conversion
from snnzoo.conversion import fidelity
from snnzoo.training.config import TrainConfig
from snnzoo.training.trainer import EpochShuffled
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


def _write_json(path, obj):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=1)
    os.replace(tmp, path)


def hybrid_sweep(source_workdir, workdir, timesteps=(16, 32, 64, 128),
                 initial_membrane="zero"):
    """Convert the source HardLSTM to hybrid at each T; accuracy vs T."""
    config, ann = _source(source_workdir)
    _, _, (xt, yt) = load_splits(config)
    os.makedirs(workdir, exist_ok=True)
    results = {"ann": fidelity.accuracy(ann, xt, yt), "hybrid": {}}
    for T in timesteps:
        model = conversion.convert(ann, "hybrid", T, initial_membrane=initial_membrane)
        results["hybrid"][T] = fidelity.accuracy(model, xt, yt)
    model.save(os.path.join(workdir, f"hybrid_t{timesteps[-1]}.keras"))
    _write_json(os.path.join(workdir, "metrics.json"), results)
    fidelity.plot_accuracy_vs_timesteps({"hybrid": results["hybrid"]}, results["ann"],
                                        os.path.join(workdir, "accuracy_vs_t.png"))
    return results


def spiking_finetune(source_workdir, workdir, timesteps=2, epochs=10,
                     learning_rate=1e-4, calibration_samples=1000, **options):
    """Convert the source HardLSTM with Datta's method, then fine-tune."""
    config, ann = _source(source_workdir)
    (x, y), (xv, yv), (xt, yt) = load_splits(config)
    os.makedirs(workdir, exist_ok=True)
    snn = conversion.convert(ann, "spiking", timesteps,
                             calibration_data=x[:calibration_samples], **options)
    converted = fidelity.accuracy(snn, xt, yt)
    train = EpochShuffled(x, y, config.batch_size, config.seed)
    conversion.fine_tune(snn, train, None, epochs=epochs, learning_rate=learning_rate,
                         validation_data=(xv.astype("float32"), yv))
    results = {"ann": fidelity.accuracy(ann, xt, yt), "timesteps": timesteps,
               "converted": converted, "fine_tuned": fidelity.accuracy(snn, xt, yt),
               "options": options}
    tmp = os.path.join(workdir, f"model.tmp{os.getpid()}.keras")
    snn.save(tmp)
    os.replace(tmp, os.path.join(workdir, "model.keras"))
    _write_json(os.path.join(workdir, "metrics.json"), results)
    return results


__all__ = ["hybrid_sweep", "spiking_finetune"]


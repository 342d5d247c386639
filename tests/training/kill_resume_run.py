"""Helper for the resume test: train a toy config; optionally SIGKILL
ourselves at the end of an epoch (after the resume state is saved)."""

import os
import signal
import sys

import keras

from snnzoo.training import get_config
from snnzoo.training import train_and_evaluate


class KillAt(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    workdir, kill_at = sys.argv[1], int(sys.argv[2])
    config = get_config("cuba_lif_toy", epochs=4, max_train_samples=48)
    callbacks = [KillAt(kill_at)] if kill_at >= 0 else []
    train_and_evaluate(config, workdir, verbose=0, callbacks=callbacks)

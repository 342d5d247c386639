"""Helper for the resume tests: train a toy config (or fine-tune a toy
spiking conversion); optionally SIGKILL ourselves at the end of an epoch
(after the resume state is saved), or just before the N-th file rename of
the run (`replace:N`: between any two writes of a checkpoint)."""

import os
import signal
import sys

import keras

from snnzoo.training import convert_and_evaluate
from snnzoo.training import get_config
from snnzoo.training import get_conversion
from snnzoo.training import train_and_evaluate


class KillAt(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            os.kill(os.getpid(), signal.SIGKILL)


def kill_before_replace(n):
    """SIGKILL this process just before the n-th `os.replace` (1-based)."""
    from snnzoo import io as snnzoo_io

    real, count = snnzoo_io.os.replace, [0]

    def replace(src, dst):
        count[0] += 1
        if count[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(src, dst)

    snnzoo_io.os.replace = replace


if __name__ == "__main__":
    mode, workdir, kill_at = sys.argv[1], sys.argv[2], sys.argv[3]
    callbacks = []
    if kill_at.startswith("replace:"):
        kill_before_replace(int(kill_at.split(":")[1]))
    elif int(kill_at) >= 0:
        callbacks = [KillAt(int(kill_at))]
    if mode == "train":
        config = get_config("cuba_lif_toy", epochs=4, max_train_samples=48)
        train_and_evaluate(config, workdir, verbose=0, callbacks=callbacks)
    else:  # fine-tune a spiking conversion of the HardLSTM trained in argv[4]
        config = get_conversion("spiking_lstm_toy", finetune_epochs=3)
        convert_and_evaluate(config, sys.argv[4], workdir, verbose=0, callbacks=callbacks)

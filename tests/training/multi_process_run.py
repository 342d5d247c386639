"""Helper for the multi-process tests: one process of a loopback run of
`hard_lstm_toy` (`python -m tests.training.multi_process_run WORKDIR N ID
PORT [KILL_EPOCH KILL_BATCH]`). With a kill point, process ID SIGKILLs
itself when that batch begins. Prints `RESULT <metrics json>`; a lost peer
ends the process like the recipes do (one line, status 1, at once)."""

import json
import os
import signal
import sys

import keras

from snnzoo.training import Cluster
from snnzoo.training import PeerLostError
from snnzoo.training import get_config
from snnzoo.training import train_and_evaluate

#: Seconds each process waits for the others in these tests.
TIMEOUT_S = 60.0


class KillAtBatch(keras.callbacks.Callback):
    def __init__(self, epoch, batch):
        super().__init__()
        self.epoch, self.batch, self.now = epoch, batch, -1

    def on_epoch_begin(self, epoch, logs=None):
        self.now = epoch

    def on_train_batch_begin(self, batch, logs=None):
        if (self.now, batch) == (self.epoch, self.batch):
            os.kill(os.getpid(), signal.SIGKILL)


def main(workdir, n, pid, port, *kill):
    n, pid = int(n), int(pid)
    cluster = Cluster(n, pid, f"127.0.0.1:{port}" if n > 1 else "", TIMEOUT_S,
                      "flags" if n > 1 else "single")
    callbacks = [KillAtBatch(*map(int, kill))] if kill else []
    try:
        metrics = train_and_evaluate(get_config("hard_lstm_toy"), workdir, verbose=0,
                                     callbacks=callbacks, cluster=cluster)
    except PeerLostError as err:
        sys.stderr.write(f"snnzoo: {err}\n")
        sys.stderr.flush()
        os._exit(1)
    print("RESULT", json.dumps(metrics), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])

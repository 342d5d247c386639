"""The processes of a training run, on the engines' own distributed runtimes.

Under JAX: `jax.distributed.initialize` (Gloo collectives on CPU, NCCL on
GPU), then `keras.distribution.DataParallel` over every device of every
process; each process feeds its rows of every global batch and Keras makes
the global array (`jax.make_array_from_process_local_data`). Under
TensorFlow: `tf.distribute.MultiWorkerMirroredStrategy`; each step is the
model's own `train_step` under `strategy.run` with its metrics reduced by
`strategy.reduce` (Keras 3.15's `train_on_batch` cannot reduce scalar
metrics under this strategy: keras-team/keras#20585). No parameter server
or all-reduce of snnzoo's own: sums over processes are the engines'
collectives (`process_allgather`, `strategy.reduce`).
"""

import contextlib
import os
import socket
import subprocess
import sys
import time

import numpy as np

from snnzoo import io as snnzoo_io
from snnzoo import quiet
from snnzoo.training.cluster import Cluster



class ProcessGroup:
    """This process's view of a (possibly multi-process) training run.

    `ProcessGroup.start(cluster, distribution)` joins the run; one process
    behaves exactly as before (`distribution="data_parallel"`: all local
    devices). Every process must make the same calls in the same order:
    each `train_on_batch`, `evaluate`, `all_sum`, `save_model` and
    `barrier` is a collective.

    Args:
        cluster: the run's `Cluster`.
        distribution: "none" or "data_parallel".
        strategy: TensorFlow's `MultiWorkerMirroredStrategy` of a
            multi-process run (`start` makes it), else None.
    """

    def __init__(self, cluster, distribution="none", strategy=None):
        self.cluster = cluster
        self.distribution = distribution
        self._strategy = strategy
        self._local_model = None
        self._step = None
        self._sum = None

    @classmethod
    def start(cls, cluster=None, distribution="none"):
        """Join the run `cluster` describes (None: one process).

        Args:
            cluster: a `Cluster`, or None for one process.
            distribution: "none" or "data_parallel" (the single-process
                setting; several processes are always data-parallel).

        Returns:
            A `ProcessGroup`.

        Raises:
            ValueError: the backend cannot run the layout, or a device was
                used before joining.
            RuntimeError: the coordinator cannot be reached within the
                cluster's timeout.
        """
        import keras

        cluster = cluster or Cluster()
        if not isinstance(cluster, Cluster):
            raise TypeError(f"cluster must be a Cluster; got {type(cluster).__name__}.")
        if not cluster.is_multi:
            return cls(cluster, distribution)
        backend = keras.backend.backend()
        if backend == "jax":
            _start_jax(cluster)
            return cls(cluster, "data_parallel")
        if backend == "tensorflow":
            return cls(cluster, "data_parallel", _start_tensorflow(cluster))
        raise ValueError(f"`num_processes`: several processes need the jax or tensorflow "
                         f"backend; got {backend}.")

    @property
    def is_chief(self):
        """True on the process that writes the work folder."""
        return self.cluster.is_chief

    def describe(self):
        """`process i of n` for messages."""
        return f"process {self.cluster.process_id} of {self.cluster.num_processes}"

    def scope(self):
        """The context the training loop runs in."""
        import keras

        if self.distribution == "none" or self._strategy is not None:
            return contextlib.nullcontext()
        if keras.backend.backend() == "jax":
            # The scope sets the global distribution and restores the previous
            # one on exit: training leaves the caller's process as it found it.
            devices = keras.distribution.list_devices()
            return keras.distribution.DataParallel(
                devices=devices, auto_shard_dataset=not self.cluster.is_multi).scope()
        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            return tf.distribute.MirroredStrategy(
                [d.name for d in tf.config.list_logical_devices("CPU")]
                + [d.name for d in tf.config.list_logical_devices("GPU")]).scope()
        raise ValueError(f"distribution='data_parallel' is not supported on "
                         f"{keras.backend.backend()}.")

    def variable_scope(self):
        """The context models are built or loaded in (TensorFlow's strategy
        for several processes; else nothing beyond `scope()`)."""
        if self._strategy is not None:
            return self._strategy.scope()
        return contextlib.nullcontext()

    def local_rows(self, rows):
        """This process's part of a global batch's row indices (equal parts;
        a last batch that does not divide drops its few trailing rows)."""
        n, k = self.cluster.num_processes, self.cluster.process_id
        if n == 1:
            return rows
        part = len(rows) // n
        return rows[k * part:(k + 1) * part]

    def shard(self, *arrays):
        """Rows `process_id::num_processes` of each array (an evaluation
        split's shard); the split must have a row for every process."""
        n, k = self.cluster.num_processes, self.cluster.process_id
        if n == 1:
            return arrays
        if len(arrays[0]) < n:
            raise ValueError(f"`num_processes`: an evaluation split of {len(arrays[0])} "
                             f"rows cannot give each of {n} processes one.")
        return tuple(a[k::n] for a in arrays)

    def train_on_batch(self, model, x, y):
        """One step on this process's rows; returns the step's metrics (the
        same on every process)."""
        if not self.cluster.is_multi:
            return model.train_on_batch(x, y, return_dict=True)
        with self._guard("a training step"):
            if self._strategy is None:
                return model.train_on_batch(x, y, return_dict=True)
            if self._step is None:
                self._step = _tf_step(model, self._strategy)
            model.reset_metrics()
            out = self._step(*_per_replica(self._strategy, x, y))
            return {k: float(v) for k, v in out.items()}

    def evaluate(self, model, x, y, batch_size):
        """`{"loss", "accuracy"}` over the rows of every process (each passes
        its own shard): each process evaluates its shard on a local copy
        of `model`, and the sums are added over processes."""
        if not self.cluster.is_multi:
            return {k: float(v) for k, v in model.evaluate(
                x, y, batch_size=batch_size, verbose=0, return_dict=True).items()}
        with self._guard("reading the weights"):
            weights = model.get_weights()
        with _no_distribution():
            local = self._local_copy(model)
            local.set_weights(weights)
            out = local.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
        n = len(x)
        loss, correct, count = self.all_sum([out["loss"] * n, out["accuracy"] * n, n])
        return {"loss": float(loss / count), "accuracy": float(np.round(correct) / count)}

    def all_sum(self, values):
        """`values` (numbers) summed over every process, on each."""
        values = np.asarray(values, dtype="float32")
        if not self.cluster.is_multi:
            return values
        with self._guard("a sum over processes"):
            if self._strategy is not None:
                if self._sum is None:
                    self._sum = _tf_sum_function(self._strategy)
                return _tf_sum(self._strategy, self._sum, values)
            from jax.experimental import multihost_utils

            return np.asarray(multihost_utils.process_allgather(values)).sum(axis=0)

    def save_model(self, model, path, commit=None):
        """Process 0 writes `model` to `path` (`snnzoo.io.save_model`, or
        `commit()` when given); the others save it to a scratch file they
        delete, since JAX's saving of globally sharded variables is a
        collective that every process must join."""
        import tempfile

        if not self.cluster.is_multi:
            return commit() if commit else snnzoo_io.save_model(model, path)
        with self._guard("saving the model"):
            if self.is_chief:
                return commit() if commit else snnzoo_io.save_model(model, path)
            with tempfile.TemporaryDirectory(prefix="snnzoo-peer-") as scratch:
                model.save(os.path.join(scratch, "model.keras"))
        return None

    def barrier(self):
        """Wait until every process gets here."""
        self.all_sum([0.0])

    def _local_copy(self, model):
        import keras

        if self._local_model is None:
            local = keras.saving.deserialize_keras_object(
                keras.saving.serialize_keras_object(model))
            local.compile(loss=model.loss, metrics=["accuracy"], jit_compile=model.jit_compile)
            self._local_model = local
        return self._local_model

    @contextlib.contextmanager
    def _guard(self, what):
        try:
            yield
        except Exception as err:  # the engines raise their own types (gRPC, Gloo, XLA)
            raise PeerLostError(f"{self.describe()}: {what} failed ({_first_line(err)}); "
                                "another process probably died or is unreachable. The "
                                "work folder keeps the last committed epoch; start every "
                                "process again to resume.") from err


class PeerLostError(RuntimeError):
    """A collective failed: another process died, hung or cannot be reached."""


def _first_line(err):
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:200]}" if text else type(err).__name__


#: The watchdog `deadline` starts: a bare interpreter that sleeps, then, if
#: its parent still runs, prints the message and SIGKILLs it.
_WATCHDOG = ("import os, signal, sys, time\n"
             "parent = int(sys.argv[2])\n"
             "time.sleep(float(sys.argv[1]))\n"
             "if os.getppid() == parent:\n"
             "    sys.stderr.write('snnzoo: ' + sys.argv[3] + '\\n')\n"
             "    sys.stderr.flush()\n"
             "    os.kill(parent, signal.SIGKILL)\n")


@contextlib.contextmanager
def deadline(seconds, message):
    """Stop this process with `message` (and SIGKILL) if the block has not
    finished after `seconds`. The engines' start-up waits hold the GIL in
    native code, so no Python timer can interrupt them: the watchdog is a
    separate bare interpreter (no imports, tens of milliseconds)."""
    try:
        stderr = sys.stderr.fileno()  # the terminal, also inside quiet.silenced()
    except (AttributeError, ValueError, OSError):
        stderr = None
    watchdog = subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(seconds),
                                 str(os.getpid()), message], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        yield
    finally:
        watchdog.kill()
        watchdog.wait()


def wait_for_coordinator(address, timeout_s):
    """Return once `host:port` accepts a TCP connection; a RuntimeError
    naming it after `timeout_s`."""
    host, _, port = address.rpartition(":")
    end = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection((host, int(port)), timeout=2.0):
                return
        except OSError as err:
            if time.monotonic() > end:
                raise RuntimeError(f"`coordinator_address`: nothing answers at {address} "
                                   f"after {timeout_s:g} s ({err}); start process 0 there, "
                                   "or check the address and the firewall.") from None
            time.sleep(0.5)


def _start_jax(cluster):
    import jax

    if jax.distributed.is_initialized():
        return
    address = cluster.addresses()[0] if cluster.addresses() else None
    if address and not cluster.is_chief:
        wait_for_coordinator(address, cluster.timeout_s)
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    kwargs = {}
    if cluster.source in ("flags", "tf_config"):
        kwargs = dict(coordinator_address=address, num_processes=cluster.num_processes,
                      process_id=cluster.process_id)
    wait = int(cluster.timeout_s)
    try:
        with quiet.silenced(), deadline(cluster.timeout_s, f"process {cluster.process_id} of "
                      f"{cluster.num_processes}: the other processes did not join "
                      f"{address or 'the auto-detected coordinator'} within {wait} s."):
            jax.distributed.initialize(**kwargs, initialization_timeout=wait + 30,
                                       heartbeat_timeout_seconds=wait)
    except RuntimeError as err:
        raise ValueError(f"`num_processes`: jax.distributed could not start "
                         f"({_first_line(err)}); the run must join before JAX uses "
                         "any device (start a fresh process).") from None
    if jax.process_count() != cluster.num_processes:
        raise ValueError(f"`num_processes`: expected {cluster.num_processes} JAX processes; "
                         f"jax.distributed found {jax.process_count()}.")


def _start_tensorflow(cluster):
    import tensorflow as tf
    from tensorflow.compiler.xla.tsl.protobuf import coordination_config_pb2
    from tensorflow.python.eager import context

    resolver = _tf_resolver(cluster)
    if cluster.addresses() and not cluster.is_chief:
        wait_for_coordinator(cluster.worker_addresses()[0], cluster.timeout_s)
    spec = resolver.cluster_spec()
    jobs = [j for j in ("chief", "worker") if j in spec.jobs]
    wait_ms = int(cluster.timeout_s * 1000)
    # Before the strategy: bounded waits for joining and for dead peers
    # (TensorFlow's defaults wait an hour or more).
    context.context().configure_coordination_service(
        service_type="standalone", service_leader=f"/job:{jobs[0]}/replica:0/task:0",
        cluster_register_timeout_in_ms=wait_ms, heartbeat_timeout_in_ms=wait_ms,
        coordinated_jobs=[coordination_config_pb2.CoordinatedJob(
            name=j, num_tasks=spec.num_tasks(j)) for j in jobs])
    options = tf.distribute.experimental.CommunicationOptions(timeout_seconds=cluster.timeout_s)
    with quiet.silenced(), deadline(cluster.timeout_s + 15, f"process {cluster.process_id} of "
                  f"{cluster.num_processes}: the other TensorFlow workers "
                  f"({', '.join(cluster.worker_addresses() if cluster.addresses() else jobs)})"
                  f" did not join within {cluster.timeout_s:g} s."):
        return tf.distribute.MultiWorkerMirroredStrategy(cluster_resolver=resolver,
                                                        communication_options=options)


def _tf_resolver(cluster):
    import tensorflow as tf

    resolvers = tf.distribute.cluster_resolver
    if cluster.source == "tf_config":
        return resolvers.TFConfigClusterResolver()
    if cluster.source == "slurm":
        return resolvers.SlurmClusterResolver()
    if cluster.source != "flags":
        raise ValueError(f"`num_processes`: TensorFlow needs every worker's address "
                         f"(flags, TF_CONFIG or SLURM); the {cluster.source} launch "
                         "gives none.")
    spec = tf.train.ClusterSpec({"worker": cluster.worker_addresses()})
    return resolvers.SimpleClusterResolver(spec, task_type="worker",
                                           task_id=cluster.process_id, rpc_layer="grpc")


def _tf_step(model, strategy):
    import tensorflow as tf

    @tf.function(reduce_retracing=True, jit_compile=model.jit_compile)
    def step(x, y):
        out = strategy.run(model.train_step, args=((x, y),))
        return {k: strategy.reduce("MEAN", v, axis=None) for k, v in out.items()}

    return step


def _per_replica(strategy, x, y):
    """This worker's rows split over its local replicas."""
    local = len(strategy.extended.worker_devices)
    part = len(x) // local

    def rows(ctx):
        r = ctx.replica_id_in_sync_group % local
        return x[r * part:(r + 1) * part], y[r * part:(r + 1) * part]

    return (strategy.experimental_distribute_values_from_function(lambda c: rows(c)[0]),
            strategy.experimental_distribute_values_from_function(lambda c: rows(c)[1]))


def _tf_sum_function(strategy):
    import tensorflow as tf

    return tf.function(lambda v: strategy.reduce("SUM", v, axis=None), reduce_retracing=True)


def _tf_sum(strategy, total, values):
    import tensorflow as tf

    local = len(strategy.extended.worker_devices)
    zeros = np.zeros_like(values)
    per = strategy.experimental_distribute_values_from_function(
        lambda c: tf.constant(values if c.replica_id_in_sync_group % local == 0 else zeros))
    return np.asarray(total(per))


@contextlib.contextmanager
def _no_distribution():
    """No Keras distribution (JAX) while the block runs."""
    import keras

    if keras.backend.backend() != "jax":
        yield
        return
    previous = keras.distribution.distribution()
    keras.distribution.set_distribution(None)
    try:
        yield
    finally:
        keras.distribution.set_distribution(previous)

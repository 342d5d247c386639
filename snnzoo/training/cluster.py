"""Which processes a training run spans, from flags or the cluster's environment."""

import dataclasses
import json
import os

from snnzoo import validation

#: Seconds a process waits for the others (joining, a collective, a dead peer).
DEFAULT_TIMEOUT_S = 300.0


@dataclasses.dataclass(frozen=True)
class Cluster:
    """The processes of one data-parallel training run.

    One process (`num_processes == 1`) is today's single-process run. With
    more, process 0 hosts the coordinator (JAX's `jax.distributed` service,
    or worker 0 of TensorFlow's `MultiWorkerMirroredStrategy`) and alone
    writes the work folder.

    Raises:
        ValueError: a count, id, address or timeout that does not fit.
    """

    num_processes: int = 1
    """Processes in the run (>= 1)."""
    process_id: int = 0
    """This process, in [0, num_processes)."""
    coordinator_address: str = ""
    """`host:port` of process 0; under TensorFlow also a comma-separated list
    of every process's `host:port` (one address: process i listens on
    `port + i` of that host). Empty: the engine's own detection (SLURM,
    TF_CONFIG, Open MPI, TPU VMs)."""
    timeout_s: float = DEFAULT_TIMEOUT_S
    """How long a process waits for the others before it stops with an
    error: joining at start, and any collective during training."""
    source: str = "single"
    """Where the layout came from: "single", "flags", "slurm", "tf_config"
    or "mpi"."""

    def __post_init__(self):
        validation.number(self.num_processes, "num_processes", 1, integer=True)
        validation.number(self.process_id, "process_id", 0, self.num_processes - 1,
                          integer=True)
        validation.number(self.timeout_s, "distributed_timeout", 0.0, low_open=True)
        for address in self.addresses():
            host, _, port = address.rpartition(":")
            if not host or not port.isdigit() or not 0 < int(port) < 65536:
                validation.fail("coordinator_address", "host:port (port in 1..65535), "
                                "or a comma-separated list of them", self.coordinator_address)
        listed = self.addresses()
        if len(listed) > 1 and len(listed) != self.num_processes:
            validation.fail("coordinator_address", f"one address or {self.num_processes} "
                            "(one per process)", self.coordinator_address)

    @property
    def is_multi(self):
        """True when the run spans more than one process."""
        return self.num_processes > 1

    @property
    def is_chief(self):
        """True on process 0, the one that writes the work folder."""
        return self.process_id == 0

    def addresses(self):
        """The `host:port` entries of `coordinator_address`."""
        return [a.strip() for a in self.coordinator_address.split(",") if a.strip()]

    def worker_addresses(self):
        """Every process's `host:port` (TensorFlow's cluster spec)."""
        listed = self.addresses()
        if len(listed) == self.num_processes:
            return listed
        host, _, port = listed[0].rpartition(":")
        return [f"{host}:{int(port) + i}" for i in range(self.num_processes)]

    @classmethod
    def from_environment(cls, num_processes=None, process_id=None, coordinator_address=None,
                         timeout_s=DEFAULT_TIMEOUT_S, environ=None):
        """The layout from explicit values, else from the environment.

        Explicit values (the `--num_processes`, `--process_id` and
        `--coordinator_address` flags) win. Without them: `TF_CONFIG`
        (its `chief` and `worker` jobs), then SLURM (`SLURM_NTASKS`,
        `SLURM_PROCID`; the engines find the coordinator host themselves),
        then Open MPI (`OMPI_COMM_WORLD_SIZE`, `OMPI_COMM_WORLD_RANK`); with
        none of them, one process.

        Args:
            num_processes: processes in the run, or None.
            process_id: this process, or None.
            coordinator_address: `host:port` of process 0 (or every
                process's, comma-separated), or None.
            timeout_s: see `Cluster.timeout_s`.
            environ: the environment to read (default `os.environ`).

        Returns:
            A `Cluster`.

        Raises:
            ValueError: flags given in part, or an environment that does not
                parse.
        """
        environ = os.environ if environ is None else environ
        given = [v is not None for v in (num_processes, process_id, coordinator_address)]
        if any(given):
            return _from_flags(num_processes, process_id, coordinator_address, timeout_s)
        if environ.get("TF_CONFIG"):
            return _from_tf_config(environ["TF_CONFIG"], timeout_s)
        for kind, size, rank in (("slurm", "SLURM_NTASKS", "SLURM_PROCID"),
                                 ("mpi", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK")):
            if int(environ.get(size, "1") or 1) > 1:
                return cls(int(environ[size]), int(environ.get(rank, "0")), "", timeout_s,
                           kind)
        return cls(timeout_s=timeout_s)


def _from_flags(num_processes, process_id, coordinator_address, timeout_s):
    if num_processes in (None, 1) and not process_id and not coordinator_address:
        return Cluster(1, 0, "", timeout_s, "single")
    for flag, value in (("--num_processes", num_processes), ("--process_id", process_id),
                        ("--coordinator_address", coordinator_address)):
        if value is None or value == "":
            raise ValueError(f"`{flag}`: expected it too (--num_processes, --process_id and "
                             "--coordinator_address go together); got none.")
    return Cluster(num_processes, process_id, coordinator_address, timeout_s, "flags")


def _from_tf_config(text, timeout_s):
    try:
        spec = json.loads(text)
        jobs = spec["cluster"]
        order = list(jobs.get("chief", [])) + list(jobs.get("worker", []))
        task = spec["task"]
        index = int(task["index"]) + (len(jobs.get("chief", []))
                                      if task["type"] == "worker" else 0)
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"`TF_CONFIG`: expected JSON with cluster.chief/worker address "
                         f"lists and task.type/index; got {text[:80]!r} ({err}).") from None
    return Cluster(len(order), index, ",".join(order), timeout_s, "tf_config")

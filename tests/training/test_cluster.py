"""The launch layout of a training run, from flags and cluster environments."""

import json

import pytest

from snnzoo.training import Cluster

BACKEND_INDEPENDENT = True


def test_no_flags_and_no_cluster_is_one_process():
    cluster = Cluster.from_environment(environ={})
    assert (cluster.num_processes, cluster.process_id, cluster.source) == (1, 0, "single")
    assert not cluster.is_multi and cluster.is_chief
    assert Cluster.from_environment(1, None, None, environ={}).source == "single"


def test_flags_win_and_must_come_together():
    env = {"SLURM_NTASKS": "8", "SLURM_PROCID": "3"}
    cluster = Cluster.from_environment(2, 1, "10.0.0.5:29500", environ=env)
    assert (cluster.num_processes, cluster.process_id, cluster.source) == (2, 1, "flags")
    assert cluster.worker_addresses() == ["10.0.0.5:29500", "10.0.0.5:29501"]
    with pytest.raises(ValueError, match="`--coordinator_address`: expected it too"):
        Cluster.from_environment(2, 1, None, environ={})
    with pytest.raises(ValueError, match="`--process_id`: expected it too"):
        Cluster.from_environment(2, None, "127.0.0.1:1234", environ={})
    with pytest.raises(ValueError, match=r"`process_id`: expected an integer in \[0, 1\]"):
        Cluster.from_environment(2, 2, "127.0.0.1:1234", environ={})
    with pytest.raises(ValueError, match="`coordinator_address`: expected host:port"):
        Cluster.from_environment(2, 0, "localhost", environ={})
    with pytest.raises(ValueError, match="one address or 3"):
        Cluster.from_environment(3, 0, "a:1,b:2", environ={})
    with pytest.raises(ValueError, match="`distributed_timeout`"):
        Cluster.from_environment(2, 0, "a:1", timeout_s=0, environ={})


def test_tf_config_slurm_and_open_mpi():
    tf_config = {"cluster": {"chief": ["h0:2222"], "worker": ["h1:2222", "h2:2222"]},
                 "task": {"type": "worker", "index": 1}}
    cluster = Cluster.from_environment(environ={"TF_CONFIG": json.dumps(tf_config)})
    assert (cluster.num_processes, cluster.process_id, cluster.source) == (3, 2, "tf_config")
    assert cluster.worker_addresses() == ["h0:2222", "h1:2222", "h2:2222"]
    assert cluster.addresses()[0] == "h0:2222"  # the chief coordinates
    with pytest.raises(ValueError, match="`TF_CONFIG`: expected JSON"):
        Cluster.from_environment(environ={"TF_CONFIG": "{not json"})
    slurm = Cluster.from_environment(environ={"SLURM_NTASKS": "4", "SLURM_PROCID": "2"})
    assert (slurm.num_processes, slurm.process_id, slurm.source) == (4, 2, "slurm")
    assert slurm.addresses() == []  # the engines find the coordinator host themselves
    assert Cluster.from_environment(environ={"SLURM_NTASKS": "1"}).source == "single"
    mpi = Cluster.from_environment(environ={"OMPI_COMM_WORLD_SIZE": "2",
                                            "OMPI_COMM_WORLD_RANK": "1"})
    assert (mpi.num_processes, mpi.process_id, mpi.source) == (2, 1, "mpi")


@pytest.mark.parametrize("augmentation", ["none", "spike_jitter"])
def test_the_processes_rows_make_the_global_batches(augmentation):
    """Each process's batch is its slice of the one-process global batch,
    jitter included; a last batch that does not divide drops its tail."""
    import numpy as np

    from snnzoo.training import ProcessGroup
    from snnzoo.training.trainer import EpochShuffled

    rng = np.random.default_rng(3)
    x = (rng.random((37, 6, 5)) < 0.3).astype("float32")
    y = rng.integers(0, 4, 37)
    whole = EpochShuffled(x, y, 8, seed=1, epoch=2, augmentation=augmentation)
    parts = [EpochShuffled(x, y, 8, seed=1, epoch=2, augmentation=augmentation,
                           rows=ProcessGroup(Cluster(2, k, "127.0.0.1:1")).local_rows)
             for k in (0, 1)]
    assert len(whole) == len(parts[0]) == 5
    for i in range(4):
        xs, ys = zip(*(p[i] for p in parts))
        np.testing.assert_array_equal(np.concatenate(xs), whole[i][0])
        np.testing.assert_array_equal(np.concatenate(ys), whole[i][1])
    (x0, _), (x1, _) = parts[0][4], parts[1][4]  # 5 rows left: 2 each, 1 dropped
    assert len(x0) == len(x1) == 2
    np.testing.assert_array_equal(np.concatenate([x0, x1]), whole[4][0][:4])
    shard = ProcessGroup(Cluster(3, 1, "127.0.0.1:1")).shard(np.arange(10))
    np.testing.assert_array_equal(shard[0], [1, 4, 7])

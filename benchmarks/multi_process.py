"""Data-parallel training over processes: measured on this machine, projected
to 8 and 64 GPUs.

Measured: the step time of `snnzoo.training.ProcessGroup.train_on_batch`
(a Cuba-LIF 2x128 on FSDD's shape, 101 frames x 40 features, 10 classes,
global batch 64) on 1 process and on 2 local processes over loopback, each
process one CPU device, for each backend (JAX + Gloo, TensorFlow
MultiWorkerMirroredStrategy + gRPC). Rounds are interleaved (1, 2, 1, 2,
...); the table gives the median step time and global samples/s. This
machine has 2 cores, so 2 processes compete with each other for them: the
ratio says what loopback costs here, not what a cluster gains.

Projected (a stated model, not a measurement): for every preset trained by
gradient descent, per global step
- compute: 6 x params x trained steps per sample x batch FLOPs (forward 2,
  backward 4 per weight use; a recurrent weight is used every step),
  divided by an effective GPU throughput, plus a latency floor of
  `LAUNCH_S` per recurrent step and layer (the steps are sequential);
- all-reduce: a ring over P GPUs moves 2 (P - 1) / P x params x 4 bytes
  per GPU at the link's bandwidth, plus 2 (P - 1) link latencies;
- no overlap of the two (a bound: frameworks overlap some of it).
The script also counts the all-reduces in the compiled JAX train step
(`collectives`): XLA's CPU compiler keeps the weight-gradient all-reduce
inside the backward time loop, so a step runs one per time step and
weight, and over Gloo each costs milliseconds.

Weak scaling: each GPU keeps the preset's batch; efficiency = compute /
(compute + all-reduce). 8 GPUs: one node over NVLink; 64: 8 nodes over
InfiniBand.

    python benchmarks/multi_process.py [--rounds 3] [--steps 20] [--json FILE]
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_tables  # noqa: E402 (benchmarks/, beside this script)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHAPE, CLASSES, BATCH = (101, 40), 10, 64
#: The projection's assumptions (A100-class GPUs).
GPU_FLOPS = 20e12      # effective fp32/TF32 FLOP/s on these small matrices
LAUNCH_S = 10e-6       # per recurrent step and layer (kernel launch, scan step)
LINKS = {8: ("NVLink, one node", 200e9, 5e-6), 64: ("InfiniBand HDR, 8 nodes", 25e9, 10e-6)}


def worker(num_processes, process_id, port, steps):
    import numpy as np

    from snnzoo.training import Cluster
    from snnzoo.training import ProcessGroup
    from snnzoo.training import TrainConfig
    from snnzoo.training.trainer import build_and_compile

    # num_processes 0: one process, data-parallel over its (virtual) devices.
    cluster = Cluster(max(num_processes, 1), process_id, f"127.0.0.1:{port}"
                      if num_processes > 1 else "", 120.0,
                      "flags" if num_processes > 1 else "single")
    group = ProcessGroup.start(cluster, "data_parallel" if num_processes == 0 else "none")
    import keras

    keras.utils.set_random_seed(0)  # the same initial weights on every process
    config = TrainConfig("bench", "fsdd", "cuba_lif", batch_size=BATCH,
                         model_options={"units": 128, "num_layers": 2})
    rng = np.random.default_rng(0)
    x = (rng.random((BATCH, *SHAPE)) < 0.2).astype("float32")
    y = rng.integers(0, CLASSES, BATCH)
    rows = group.local_rows(np.arange(BATCH))
    with group.scope():
        with group.variable_scope():
            model = build_and_compile(config, SHAPE, CLASSES)
        times = []
        for i in range(steps + 3):  # 3 warm-up steps (compilation)
            group.barrier()
            start = time.perf_counter()
            group.train_on_batch(model, x[rows], y[rows])
            group.barrier()
            if i >= 3:
                times.append(time.perf_counter() - start)
    if group.is_chief:
        print("RESULT", json.dumps({"step_s": statistics.median(times)}), flush=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(backend, num_processes, steps):
    """Median step seconds of one run of `num_processes` processes."""
    port = _free_port()
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    procs = [subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker",
                               str(num_processes), str(i), str(port), str(steps)],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(num_processes)]
    outs = [p.communicate(timeout=900) for p in procs]
    if any(p.returncode for p in procs):
        raise RuntimeError(f"{backend} x{num_processes} failed: {outs[0][1][-1500:]}")
    return json.loads(outs[0][0].split("RESULT ")[-1])["step_s"]


def measured(rounds, steps):
    rows = []
    for backend in ("jax", "tensorflow"):
        times = {1: [], 2: []}
        for _ in range(rounds):
            for n in (1, 2):
                times[n].append(measure(backend, n, steps))
        one = statistics.median(times[1])
        for n in (1, 2):
            step = statistics.median(times[n])
            rows.append({"backend": backend, "processes": n, "step_s": step,
                         "samples_per_s": BATCH / step, "speedup": one / step,
                         "rounds": [round(t, 5) for t in times[n]]})
    return rows


def collectives():
    """All-reduces in the compiled JAX train step of the measured model, on
    one process with 2 virtual CPU devices (the same SPMD program as two
    processes): `{"loop_bodies": n, "outside": m}`. An all-reduce inside a
    `while` body runs once per time step."""
    import re
    import tempfile

    with tempfile.TemporaryDirectory() as dump:
        env = dict(os.environ, KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="3",
                   XLA_FLAGS=f"--xla_force_host_platform_device_count=2 --xla_dump_to={dump}")
        subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", "0", "0", "0",
                        "1"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=900)
        [name] = [f for f in os.listdir(dump) if "jit_train_step" in f
                  and f.endswith("cpu_after_optimizations.txt")]
        with open(os.path.join(dump, name)) as f:
            text = f.read()
    bodies = set(re.findall(r"while\(.*?body=%?([\w.]+)", text))
    counts = {"loop_bodies": 0, "outside": 0}
    for block in re.split(r"\n(?=\S)", text):
        head = block.split(" ", 1)[0].lstrip("%")
        n = len(re.findall(r" all-reduce(?:-start)?\(", block))
        counts["loop_bodies" if head in bodies else "outside"] += n
    return counts


def _preset_rows():
    """(name, params, trained steps per sample, layers, batch) of every preset
    whose last run trains by gradient descent, from its card and config."""
    from snnzoo.training import CONFIGS
    from snnzoo.training import CONVERSIONS

    out = []
    folder = os.path.join(ROOT, "exported_models")
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name, "card.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            card = json.load(f)
        last = card["training"]["configs"][-1]
        steps = int(card["sequence_length"])
        if last in CONVERSIONS:
            conversion = CONVERSIONS[last]
            if not conversion.finetune_epochs:
                continue  # no gradient steps after conversion
            steps *= int(card.get("timesteps") or 1)
            last = conversion.source
        config = CONFIGS[last]
        layers = int(config.model_options.get("num_layers", 1))
        out.append((name, int(card["params"]), steps, layers, config.batch_size))
    return out


def projection():
    rows = []
    for name, params, steps, layers, batch in _preset_rows():
        compute = max(6.0 * params * steps * batch / GPU_FLOPS, steps * layers * LAUNCH_S)
        row = {"preset": name, "params": params, "steps_per_sample": steps, "batch": batch,
               "compute_s": compute, "allreduce_bytes": 0, "gpus": {}}
        for gpus, (_, bandwidth, latency) in LINKS.items():
            moved = 2 * (gpus - 1) / gpus * params * 4
            reduce_s = moved / bandwidth + 2 * (gpus - 1) * latency
            row["allreduce_bytes"] = int(round(moved))
            row["gpus"][str(gpus)] = {"allreduce_s": reduce_s,
                                      "efficiency": compute / (compute + reduce_s)}
        rows.append(row)
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--json", help="save the results here (benchmarks/results/...)")
    p.add_argument("--worker", nargs=4, type=int, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        return worker(*a.worker)
    saved = {"model": "cuba_lif 2x128", "shape": list(SHAPE), "batch": BATCH,
             "cores": os.cpu_count(), "measured": measured(a.rounds, a.steps),
             "jax_all_reduces": collectives(),
             "assumptions": {"gpu_flops": GPU_FLOPS, "launch_s": LAUNCH_S,
                             "links": {str(k): {"name": v[0], "bandwidth": v[1],
                                                "latency_s": v[2]}
                                       for k, v in LINKS.items()}},
             "projection": projection()}
    print(result_tables.multi_process_measured(saved))
    print()
    print(result_tables.multi_process_projection(saved))
    if a.json:
        from snnzoo import io as snnzoo_io

        snnzoo_io.write_json(a.json, saved)


if __name__ == "__main__":
    main()

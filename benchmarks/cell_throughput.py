"""SHD-shaped Cuba-LIF training and inference: snnzoo beside its peers, in one run.

Workload (Dampfhoffer et al. 2022 on SHD): a Cuba-LIF layer, 700 inputs ->
128 recurrent units (reset by subtraction, threshold 1), a Dense(20) readout,
max-over-time cross-entropy, Adam; batch 128, T = 250; inputs are binary
spikes at `--density` (5%: 95% of the input is zeros).

Implementations, each in its own process (2 threads), warmed up first:

- snnzoo `SpikingRNN(CubaLIFCell)` under TensorFlow (no XLA) and under JAX
  (jit), each timed four ways: `train_on_batch` / `predict_on_batch` on
  backend-native tensors, and `model.fit` on NumPy arrays and on a
  prefetched `tf.data.Dataset` (what users call; the input pipeline's cost
  shows as the gap to native). `fit` is timed per call (setup included) and
  per batch in steady state (batches 2..n, from a callback's clock);
- a hand-written PyTorch loop with the input projection hoisted out of the
  time loop (one matmul over all steps) and a triangular surrogate, stepping
  through time the idiomatic way (`z.unbind(1)`); beside it the same loop
  reading each step as `z[:, t]`, whose backward allocates a zero gradient
  of the whole `(B, T, H)` tensor at every step (the handicapped form the
  earlier table used), so that a handicapped peer shows;
- snnTorch `RSynaptic` (reset by subtraction, its default arctan surrogate),
  projection hoisted the same way, stepped with `unbind`;
- Norse `LIFRecurrent` (current-based LIF, its SuperSpike surrogate, reset
  to zero), time-major as Norse takes it; its input weights are applied
  inside the loop, as Norse does;
- SpikingJelly `CUBALIFNode` in a `LinearRecurrentContainer` after a
  multi-step `Linear` (the projection hoisted); the container's recurrence
  is `Linear([c_t, s_{t-1}])`, 256 -> 128 per step, 13% more arithmetic than
  the others; reset by subtraction, ATan surrogate, no CuPy;
- Spyx `RCuBaLIF` (flax.nnx) after a hoisted projection, `spyx.nn.run`
  (`jax.lax.scan`, time-major), `nnx.jit` train step with optax Adam.

A peer whose library does not import is listed as not measured, with why.
Every worker also times a plain matmul of the input projection's shape
(`(B*T, 700) @ (700, 128)`) in its own framework: the "of peak" column is
the implementation's dense-equivalent GFLOP/s over that matmul's.

With `--malloc both` (the default) every implementation runs twice: with
glibc malloc as configured, and with snnzoo's allocator settings
(`snnzoo.backend.retain_freed_memory`, which the `snnzoo` command applies:
freed memory kept for reuse instead of unmapped), peers alike; ratios
compare implementations under the same setting.

The peers come from the bench extra (`pip install -e ".[bench]"`, CPU torch).
Configurations run interleaved: every round visits every process in turn,
`--rounds` times (>= 3); the table shows medians, min-max and ratios, and
the GFLOP/s the dense arithmetic would need at that speed.

    python benchmarks/cell_throughput.py [--rounds 3] [--batches 8] [--density 0.05]
    python benchmarks/cell_throughput.py --json benchmarks/results/cell_throughput.json
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import result_tables  # noqa: E402 (benchmarks/, beside this script)

SHAPE = {"batch": 128, "steps": 250, "inputs": 700, "units": 128, "classes": 20}
#: (name, kind, modes): kind picks the worker.
CONFIGS = [
    ("snnzoo TF (no XLA)", "keras:tensorflow",
     ("train", "infer", "fit_numpy", "fit_tfdata")),
    ("snnzoo JAX (jit)", "keras:jax", ("train", "infer", "fit_numpy", "fit_tfdata")),
    ("PyTorch, hand-written loop", "torch:hand", ("train", "infer")),
    ("PyTorch loop, z[:, t] slicing", "torch:slicing", ("train", "infer")),
    ("snnTorch RSynaptic", "torch:snntorch", ("train", "infer")),
    ("Norse LIFRecurrent", "torch:norse", ("train", "infer")),
    ("SpikingJelly CUBALIFNode", "torch:spikingjelly", ("train", "infer")),
    ("Spyx RCuBaLIF (JAX)", "spyx:spyx", ("train", "infer")),
]
#: The peers' libraries: a config whose module does not import is reported, not run.
PEER_MODULES = {"torch:snntorch": "snntorch", "torch:norse": "norse",
                "torch:spikingjelly": "spikingjelly", "spyx:spyx": "spyx"}


def flops_per_sample(train):
    """Dense multiply-adds x 2 of one sample: input projection, recurrent
    product and readout over T steps; training adds their weight gradients
    and the recurrent/readout input gradients (the data needs none)."""
    s = SHAPE
    proj = 2 * s["steps"] * s["inputs"] * s["units"]
    rec = 2 * s["steps"] * s["units"] * s["units"]
    out = 2 * s["steps"] * s["units"] * s["classes"]
    forward = proj + rec + out
    return forward + (proj + 2 * rec + 2 * out if train else 0)


def make_data(batches, density, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    n = batches * SHAPE["batch"]
    x = (rng.random((n, SHAPE["steps"], SHAPE["inputs"]), dtype=np.float32) < density)
    return x.astype("float32"), rng.integers(0, SHAPE["classes"], n).astype("int32")


# ----------------------------------------------------------------- workers

def keras_worker(backend, batches, density):
    """Yields a `run(mode)` closure after building and warming up."""
    import keras
    import numpy as np

    import snnzoo

    keras.utils.set_random_seed(0)
    x, y = make_data(batches, density)
    model = keras.Sequential([
        keras.Input((SHAPE["steps"], SHAPE["inputs"])),
        snnzoo.layers.SpikingRNN(snnzoo.cells.CubaLIFCell(SHAPE["units"]),
                                 return_sequences=True),
        keras.layers.Dense(SHAPE["classes"])])
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=snnzoo.losses.MaxOverTimeCrossEntropy(),
                  jit_compile=backend == "jax")
    b = SHAPE["batch"]
    native = [(_native(backend, x[i:i + b]), _native(backend, y[i:i + b]))
              for i in range(0, len(x), b)]
    dataset = _dataset(x, y, b)
    clock = _batch_clock()

    def run(mode):
        if mode == "matmul":
            return _jax_matmul_gflops() if backend == "jax" else _tf_matmul_gflops()
        t0 = time.perf_counter()
        if mode == "train":
            for xb, yb in native:
                model.train_on_batch(xb, yb)
        elif mode == "infer":
            for xb, _ in native:
                np.asarray(model.predict_on_batch(xb))
        elif mode == "fit_numpy":
            model.fit(x, y, batch_size=b, epochs=1, verbose=0, shuffle=False, callbacks=[clock])
        elif mode == "fit_tfdata":
            model.fit(dataset, epochs=1, verbose=0, callbacks=[clock])
        rate = len(x) / (time.perf_counter() - t0)
        if mode.startswith("fit"):  # and batches 2..n: no setup, no first batch
            return {mode: rate, mode + "_steady":
                    b * (len(clock.ends) - 1) / (clock.ends[-1] - clock.ends[0])}
        return rate

    for mode in ("train", "infer", "fit_numpy", "fit_tfdata"):
        run(mode)
    return run


def _batch_clock():
    """A Keras callback keeping the end time of every training batch."""
    import keras

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.ends = []

        def on_train_batch_end(self, batch, logs=None):
            self.ends.append(time.perf_counter())

    return Clock()


def _native(backend, a):
    if backend == "jax":
        import jax.numpy as jnp

        return jnp.asarray(a)
    import tensorflow as tf

    return tf.constant(a)


def _dataset(x, y, batch):
    import tensorflow as tf

    return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch).prefetch(tf.data.AUTOTUNE)


def torch_worker(which, batches, density):
    import numpy as np
    import torch

    torch.set_num_threads(2)
    torch.manual_seed(0)
    x, y = make_data(batches, density)
    b = SHAPE["batch"]
    data = [(torch.from_numpy(x[i:i + b]), torch.from_numpy(y[i:i + b]).long())
            for i in range(0, len(x), b)]
    net = TORCH_NETS[which]()
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    reset = getattr(net, "reset_states", lambda: None)

    def run(mode):
        if mode == "matmul":
            return _torch_matmul_gflops()
        t0 = time.perf_counter()
        for xb, yb in data:
            reset()
            if mode == "train":
                loss = torch.nn.functional.cross_entropy(net(xb).amax(1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
            else:
                with torch.no_grad():
                    np.asarray(net(xb))
        return len(x) / (time.perf_counter() - t0)

    run("train")
    run("infer")
    return run


def _matmul_gflops(run, repeats=5):
    """GFLOP/s of `run()`, one plain matmul of the input projection's shape
    `(B*T, 700) @ (700, 128)` (median of `repeats`, after one warm-up)."""
    s = SHAPE
    times = []
    for _ in range(repeats + 1):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    flops = 2 * s["batch"] * s["steps"] * s["inputs"] * s["units"]
    return flops / statistics.median(times[1:]) / 1e9


def _torch_matmul_gflops():
    import torch

    s = SHAPE
    a, w = torch.rand(s["batch"] * s["steps"], s["inputs"]), torch.rand(s["inputs"], s["units"])
    return _matmul_gflops(lambda: a @ w)


def _hand_written(slicing=False, shape=None):
    """The hand-written loop; `slicing=True` reads each step as `z[:, t]`
    (the handicapped form), else the idiomatic `z.unbind(1)`."""
    import torch

    shape = shape or SHAPE

    class Spike(torch.autograd.Function):
        @staticmethod
        def forward(ctx, v):
            ctx.save_for_backward(v)
            return (v >= 0).to(v.dtype)

        @staticmethod
        def backward(ctx, grad):
            (v,) = ctx.saved_tensors
            return grad * torch.clamp(1 - v.abs(), min=0)

    class Cuba(torch.nn.Module):
        def __init__(self):
            super().__init__()
            s = shape
            self.w = torch.nn.Linear(s["inputs"], s["units"])
            self.u = torch.nn.Linear(s["units"], s["units"], bias=False)
            self.alpha = torch.nn.Parameter(torch.full((s["units"],), 0.9))
            self.beta = torch.nn.Parameter(torch.full((s["units"],), 0.9))
            self.out = torch.nn.Linear(s["units"], s["classes"])

        def forward(self, x):
            z = self.w(x)  # hoisted: all steps in one matmul
            a, b = self.alpha.clamp(0, 1), self.beta.clamp(0, 1)
            i = v = s = torch.zeros(x.shape[0], shape["units"])
            spikes = []
            steps = (z[:, t] for t in range(z.shape[1])) if slicing else z.unbind(1)
            for z_t in steps:
                i = a * i + z_t + self.u(s)
                v = b * v + (1 - b) * i - s
                s = Spike.apply(v - 1.0)
                spikes.append(s)
            return self.out(torch.stack(spikes, 1))

    return Cuba()


def _snntorch_net():
    import snntorch as snn
    import torch

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            s = SHAPE
            self.fc = torch.nn.Linear(s["inputs"], s["units"])
            self.rs = snn.RSynaptic(alpha=torch.full((s["units"],), 0.9),
                                    beta=torch.full((s["units"],), 0.9),
                                    linear_features=s["units"], learn_alpha=True,
                                    learn_beta=True, reset_mechanism="subtract")
            self.out = torch.nn.Linear(s["units"], s["classes"])

        def forward(self, x):
            z = self.fc(x)  # hoisted, as in the hand-written loop
            spk = syn = mem = torch.zeros(x.shape[0], SHAPE["units"])
            spikes = []
            for z_t in z.unbind(1):  # time steps as views, the idiomatic way
                spk, syn, mem = self.rs(z_t, spk, syn, mem)
                spikes.append(spk)
            return self.out(torch.stack(spikes, 1))

    return Net()


def _norse_net():
    import norse.torch as norse
    import torch

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            s = SHAPE
            # tau_inv = (1 - 0.9) / dt with dt = 1e-3: the leaks of the others (0.9).
            p = norse.LIFParameters(tau_syn_inv=torch.tensor(100.0),
                                    tau_mem_inv=torch.tensor(100.0), v_th=torch.tensor(1.0))
            self.rec = norse.LIFRecurrent(s["inputs"], s["units"], p=p, dt=1e-3)
            self.out = torch.nn.Linear(s["units"], s["classes"])

        def forward(self, x):
            spikes, _ = self.rec(x.transpose(0, 1))  # Norse is time-major
            return self.out(spikes.transpose(0, 1))

    return Net()


def _spikingjelly_net():
    import torch
    from spikingjelly.activation_based import functional
    from spikingjelly.activation_based import layer
    from spikingjelly.activation_based import neuron
    from spikingjelly.activation_based import surrogate

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            s = SHAPE
            cell = neuron.CUBALIFNode(c_decay=0.1, v_decay=0.1, v_threshold=1.0, v_reset=None,
                                      surrogate_function=surrogate.ATan())
            self.fc = layer.Linear(s["inputs"], s["units"], step_mode="m")  # all steps at once
            # Its recurrence is Linear([c_t, s_{t-1}]) (256 -> 128) per step.
            self.rec = layer.LinearRecurrentContainer(cell, s["units"], s["units"],
                                                      step_mode="m")
            self.out = torch.nn.Linear(s["units"], s["classes"])

        def forward(self, x):
            spikes = self.rec(self.fc(x.transpose(0, 1)))  # multi-step: (T, B, ...)
            return self.out(spikes.transpose(0, 1))

        def reset_states(self):  # (not `reset`: reset_net calls every module's reset)
            functional.reset_net(self)

    return Net()


TORCH_NETS = {"hand": _hand_written, "slicing": lambda: _hand_written(slicing=True),
              "snntorch": _snntorch_net, "norse": _norse_net,
              "spikingjelly": _spikingjelly_net}


def spyx_worker(_, batches, density):
    """Spyx (flax.nnx): hoisted projection, `spyx.nn.run` over time, jitted step."""
    import jax
    import jax.numpy as jnp
    import optax
    import spyx.nn as snn
    from flax import nnx

    s = SHAPE
    x, y = make_data(batches, density)
    b = s["batch"]
    data = [(jnp.asarray(x[i:i + b]), jnp.asarray(y[i:i + b])) for i in range(0, len(x), b)]

    class Net(nnx.Module):
        def __init__(self, rngs):
            self.fc = nnx.Linear(s["inputs"], s["units"], rngs=rngs)
            self.rec = snn.RCuBaLIF((s["units"],), alpha=0.9, beta=0.9, rngs=rngs)
            self.out = nnx.Linear(s["units"], s["classes"], rngs=rngs)

        def __call__(self, xb):
            z = self.fc(xb)  # hoisted: all steps in one matmul
            spikes, _ = snn.run(self.rec, z, batch_major=True)
            return self.out(spikes)

    net = Net(nnx.Rngs(0))
    opt = nnx.Optimizer(net, optax.adam(1e-3), wrt=nnx.Param)
    # flax.nnx's fast path: split once, jit pure functions of the state.
    graphdef, state = nnx.split((net, opt))

    @jax.jit
    def train_step(state, xb, yb):
        net, opt = nnx.merge(graphdef, state)

        def loss_fn(net):
            logits = net(xb).max(axis=1)
            return optax.softmax_cross_entropy_with_integer_labels(logits, yb).mean()
        loss, grads = nnx.value_and_grad(loss_fn)(net)
        opt.update(net, grads)
        return nnx.state((net, opt)), loss

    infer = jax.jit(lambda state, xb: nnx.merge(graphdef, state)[0](xb))

    def run(mode):
        nonlocal state
        if mode == "matmul":
            return _jax_matmul_gflops()
        t0 = time.perf_counter()
        for xb, yb in data:
            if mode == "train":
                state, out = train_step(state, xb, yb)
            else:
                out = infer(state, xb)
        jax.block_until_ready(out)
        return len(x) / (time.perf_counter() - t0)

    run("train")
    run("infer")
    return run


def _jax_matmul_gflops():
    import jax
    import jax.numpy as jnp

    s = SHAPE
    a = jnp.ones((s["batch"] * s["steps"], s["inputs"]), jnp.float32)
    w = jnp.ones((s["inputs"], s["units"]), jnp.float32)
    f = jax.jit(lambda a, w: a @ w)
    return _matmul_gflops(lambda: f(a, w).block_until_ready())


def _tf_matmul_gflops():
    import tensorflow as tf

    s = SHAPE
    a, w = tf.ones((s["batch"] * s["steps"], s["inputs"])), tf.ones((s["inputs"], s["units"]))
    return _matmul_gflops(lambda: tf.matmul(a, w).numpy())


def serve(kind, batches, density):
    """Worker main: warm up, print READY, then answer `mode` lines."""
    family, which = kind.split(":")
    worker = {"keras": keras_worker, "torch": torch_worker, "spyx": spyx_worker}[family]
    run = worker(which, batches, density)
    print("READY", flush=True)
    for line in sys.stdin:
        mode = line.strip()
        if not mode:
            break
        print("RESULT " + json.dumps(run(mode)), flush=True)


# ------------------------------------------------------------------ parent

#: Suffix of the implementations run with snnzoo's malloc settings.
MALLOC_TAG = result_tables.MALLOC_TAG

def retain_env():
    """snnzoo's malloc settings as environment variables, for the workers."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if root not in sys.path:
        sys.path.insert(0, root)
    from snnzoo.backend import retain_freed_memory_env

    return retain_freed_memory_env()


def start(kind, malloc, args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONWARNINGS="ignore")
    if malloc == "retain":  # snnzoo's settings (snnzoo.backend), for peers alike
        env.update(retain_env())
    if kind.startswith("keras:"):
        env["KERAS_BACKEND"] = kind.split(":")[1]
    cmd = [sys.executable, __file__, "--worker", kind, "--batches", str(args.batches),
           "--density", str(args.density)]
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    return proc


def ask(proc, mode):
    proc.stdin.write(mode + "\n")
    proc.stdin.flush()
    return _wait(proc, "RESULT ")


def _wait(proc, prefix):
    for line in proc.stdout:
        if line.startswith(prefix):
            return json.loads(line[len(prefix):]) if prefix == "RESULT " else True
    raise RuntimeError(f"worker exited (code {proc.wait()})")


def available(configs):
    """`(configs whose peer library imports, {name: why not})`."""
    import importlib.util

    kept, missing = [], {}
    for config in configs:
        module = PEER_MODULES.get(config[1])
        if module and importlib.util.find_spec(module) is None:
            missing[config[0]] = f"{module} is not installed (pip install -e \".[peers]\")"
        else:
            kept.append(config)
    return kept, missing


def measure(configs, args, missing):
    """`{(name, mode): [samples/s per round]}`, rounds interleaved; each
    round also times the worker's plain matmul (mode "matmul", GFLOP/s)."""
    procs = {}
    for config in list(configs):  # start (and warm up) one at a time
        name, kind, _, malloc = config
        procs[name] = start(kind, malloc, args)
        try:
            _wait(procs[name], "READY")
        except RuntimeError as err:
            missing[name] = f"its worker failed to start ({err})"
            configs.remove(config)
            del procs[name]
            continue
        print(f"  ready: {name}", flush=True)
    results = {}
    try:
        for r in range(args.rounds):
            order = configs[r % len(configs):] + configs[:r % len(configs)]
            for name, _, modes, _ in order:
                for mode in modes + ("matmul",):
                    time.sleep(args.settle)  # let the last process's spinning threads sleep
                    got = ask(procs[name], mode)
                    for key, value in (got if isinstance(got, dict) else {mode: got}).items():
                        results.setdefault((name, key), []).append(value)
            print(f"  round {r + 1}/{args.rounds} done", flush=True)
    finally:
        for p in procs.values():
            p.stdin.close()
            p.wait()
    return results


def _malloc_of(name):
    return MALLOC_TAG if name.endswith(MALLOC_TAG) else ""


def table(results):
    """Rows with medians and ratios; peers compared under the same malloc."""
    med = {k: statistics.median(v) for k, v in results.items()}
    rows = []
    for (name, mode), values in results.items():
        if mode == "matmul":
            continue
        base = "infer" if mode == "infer" else "train"
        tag = _malloc_of(name)
        peer = {m: med.get(("snnTorch RSynaptic" + tag, m)) for m in ("train", "infer")}
        hand = {m: med.get(("PyTorch, hand-written loop" + tag, m)) for m in ("train", "infer")}
        row = {"implementation": name, "mode": mode, "median": med[(name, mode)],
               "min": min(values), "max": max(values),
               "gflops": med[(name, mode)] * flops_per_sample(base == "train") / 1e9}
        peak = med.get((name, "matmul"))
        if peak:
            row["matmul_gflops"], row["of_peak"] = peak, row["gflops"] / peak
        if peer[base]:
            row["vs_snntorch"] = med[(name, mode)] / peer[base]
        if hand[base]:
            row["vs_hand_written"] = med[(name, mode)] / hand[base]
        if mode.startswith("fit_"):
            row["of_native"] = med[(name, mode)] / med[(name, "train")]
        rows.append(row)
    return rows


MODE_TEXT = result_tables.MODE_TEXT


def print_table(rows, args):
    s = SHAPE
    print(f"\nCuba-LIF {s['inputs']}->{s['units']} + Dense({s['classes']}), batch {s['batch']}, "
          f"T={s['steps']}, inputs {100 * args.density:g}% dense spikes; median samples/s of "
          f"{args.rounds} interleaved rounds x {args.batches} batches (min-max); "
          f"GFLOP/s = dense-equivalent arithmetic at that speed; '{MALLOC_TAG[2:]}': "
          f"snnzoo's allocator settings (the snnzoo command's default), for peers alike; "
          f"ratios against peers under the same setting")
    print(f"{'implementation':42s} {'mode':31s} {'samples/s':>9s} {'min-max':>13s} "
          f"{'GFLOP/s':>7s} {'of peak':>7s} {'x snnTorch':>10s} {'x hand':>7s} "
          f"{'of native':>9s}")
    proj = 2 * 2 * s["steps"] * s["inputs"] * s["units"]
    print(f"(the input projection and its weight gradient are "
          f"{100 * proj / flops_per_sample(True):.0f}% of the {flops_per_sample(True) / 1e6:.1f} "
          f"MFLOP of one training sample; no path here skips any of it)")
    for r in rows:
        cells = [f"{r[k]:.2f}" if k in r else "" for k in ("vs_snntorch", "vs_hand_written")]
        native = f"{100 * r['of_native']:.0f}%" if "of_native" in r else ""
        peak = f"{100 * r['of_peak']:.0f}%" if "of_peak" in r else ""
        print(f"{r['implementation']:42s} {MODE_TEXT[r['mode']]:31s} {r['median']:9.0f} "
              f"{r['min']:6.0f}-{r['max']:<6.0f} {r['gflops']:7.1f} {peak:>7s} "
              f"{cells[0]:>10s} {cells[1]:>7s} {native:>9s}")
    print_roofline(rows)


def print_roofline(rows):
    """The plain matmul each framework reached (the 'of peak' base), and the
    sanity check of the hand-written peer: unbind against slicing."""
    peaks = {r["implementation"]: r["matmul_gflops"] for r in rows if "matmul_gflops" in r}
    print("\nroofline: plain matmul (B*T, 700) @ (700, 128), same process, median GFLOP/s: "
          + "; ".join(f"{n} {g:.0f}" for n, g in peaks.items()))
    rate = {(r["implementation"], r["mode"]): r["median"] for r in rows}
    for tag in ("", MALLOC_TAG):
        for mode in ("train", "infer"):
            fair = rate.get(("PyTorch, hand-written loop" + tag, mode))
            sliced = rate.get(("PyTorch loop, z[:, t] slicing" + tag, mode))
            if fair and sliced:
                print(f"peer sanity ({mode}{tag}): the hand-written loop with unbind runs "
                      f"{fair / sliced:.2f}x the same loop with z[:, t] slicing (same "
                      "outputs and gradients: tests/benchmarks/test_peers.py)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", type=int, default=8, help="batches per timing")
    parser.add_argument("--density", type=float, default=0.05)
    parser.add_argument("--settle", type=float, default=1.0,
                        help="idle seconds before each timing (OpenMP threads of the process "
                             "timed before spin for a while after their work)")
    parser.add_argument("--only", help="comma-separated implementation names (substring)")
    parser.add_argument("--malloc", choices=["default", "retain", "both"], default="both",
                        help="glibc malloc of every worker alike: as configured, 'retain' "
                             "(freed memory kept for reuse, as the snnzoo command does: "
                             "snnzoo.backend.retain_freed_memory), or both side by side")
    parser.add_argument("--json", help="also write the rows as JSON")
    parser.add_argument("--show", help="print the table of a run saved with --json")
    parser.add_argument("--markdown", action="store_true", help="with --show: as Markdown")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return serve(args.worker, args.batches, args.density)
    if args.show:  # a saved run's table again
        with open(args.show) as f:
            saved = json.load(f)
        args.rounds, args.batches, args.density = saved["rounds"], saved["batches"], \
            saved["density"]
        if args.markdown:
            print(result_tables.cell_throughput(saved))
            return None
        print_table(saved["rows"], args)
        for name, why in saved.get("not_measured", {}).items():
            print(f"not measured: {name}: {why}")
        return None
    if args.rounds < 3:
        parser.error("--rounds must be at least 3 (medians of interleaved rounds)")
    configs = CONFIGS
    if args.only:
        wanted = args.only.split(",")
        configs = [c for c in CONFIGS if any(w in c[0] for w in wanted)]
    settings = ("default", "retain") if args.malloc == "both" else (args.malloc,)
    configs = [(name + (MALLOC_TAG if m == "retain" else ""), kind, modes, m)
               for m in settings for name, kind, modes in configs]
    configs, missing = available(configs)
    rows = table(measure(configs, args, missing))
    print_table(rows, args)
    for name, why in missing.items():
        print(f"not measured: {name}: {why}")
    if args.json:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        from snnzoo import io as snnzoo_io

        snnzoo_io.write_json(args.json, {"shape": SHAPE, "density": args.density,
                                         "malloc": args.malloc,
                                         "rounds": args.rounds, "batches": args.batches,
                                         "rows": rows, "not_measured": missing})
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()

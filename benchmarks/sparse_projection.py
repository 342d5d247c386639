"""Can the input projection of a spiking layer skip the zeros of its input?

The SHD workload's largest products are the input projection `Z = X W`
((128 x 250) x 700 @ 700 x 128) and its weight gradient `dW = X^T dZ`; X is
binary spikes, mostly zeros. This times, side by side and interleaved, the
candidate paths for both products at several input densities, under
TensorFlow and JAX (2 threads), against the dense float32 product:

- `dense fp32`: `matmul` (what `SpikingRNN` does);
- `bf16 operands`: X (exact in bf16) and W / dZ cast to bfloat16, float32
  result (this CPU has AVX512_BF16; W and dZ lose bits, see `max rel err`);
- `sparse (TF)`: `tf.sparse.sparse_dense_matmul` on the spikes as a
  `SparseTensor`, including building it from the dense array each time;
- `event-driven (TF)`: gather the weight rows of the active inputs and
  `unsorted_segment_sum` them per row (exact for binary spikes);
- `BCOO (JAX)`: `jax.experimental.sparse` from the dense array, then a
  sparse-dense product.

It prints milliseconds (median of interleaved rounds, min-max), the speed-up
over dense fp32 and the largest relative error against it.

    python benchmarks/sparse_projection.py [--rounds 5] [--densities 0.02,0.05,0.2,0.5]
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROWS, INPUTS, UNITS = 128 * 250, 700, 128


def tf_paths():
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(2)

    @tf.function(jit_compile=False)
    def dense(x, w, dz):
        return tf.matmul(x, w), tf.matmul(x, dz, transpose_a=True)

    @tf.function(jit_compile=False)
    def bf16(x, w, dz):
        xb = tf.cast(x, tf.bfloat16)
        z = tf.matmul(xb, tf.cast(w, tf.bfloat16))
        dw = tf.matmul(xb, tf.cast(dz, tf.bfloat16), transpose_a=True)
        return tf.cast(z, tf.float32), tf.cast(dw, tf.float32)

    @tf.function(jit_compile=False)
    def sparse(x, w, dz):
        sp = tf.sparse.from_dense(x)
        return (tf.sparse.sparse_dense_matmul(sp, w),
                tf.sparse.sparse_dense_matmul(sp, dz, adjoint_a=True))

    @tf.function(jit_compile=False)
    def events(x, w, dz):
        idx = tf.where(x > 0)
        rows, cols = idx[:, 0], idx[:, 1]
        z = tf.math.unsorted_segment_sum(tf.gather(w, cols), rows, ROWS)
        dw = tf.math.unsorted_segment_sum(tf.gather(dz, rows), cols, INPUTS)
        return z, dw

    def wrap(fn):
        def run(x, w, dz):
            z, dw = fn(x, w, dz)
            return z.numpy(), dw.numpy()
        return run

    def to_native(a):
        return tf.constant(a)

    return to_native, {"TF dense fp32": wrap(dense), "TF bf16 operands": wrap(bf16),
                       "TF sparse_dense_matmul": wrap(sparse), "TF event-driven": wrap(events)}


def jax_paths():
    import jax
    import jax.numpy as jnp
    from jax.experimental import sparse as jsparse

    @jax.jit
    def dense(x, w, dz):
        return x @ w, x.T @ dz

    @jax.jit
    def bf16(x, w, dz):
        xb = x.astype(jnp.bfloat16)
        z = jnp.matmul(xb, w.astype(jnp.bfloat16), preferred_element_type=jnp.float32)
        dw = jnp.matmul(xb.T, dz.astype(jnp.bfloat16), preferred_element_type=jnp.float32)
        return z, dw

    def bcoo(x, w, dz):
        sp = jsparse.BCOO.fromdense(x)
        return sp @ w, sp.T @ dz

    def wrap(fn):
        def run(x, w, dz):
            z, dw = fn(x, w, dz)
            return jax.device_get(z), jax.device_get(dw)
        return run

    return jnp.asarray, {"JAX dense fp32": wrap(dense), "JAX bf16 operands": wrap(bf16),
                         "JAX BCOO": wrap(bcoo)}


def main():
    import numpy as np

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--densities", default="0.02,0.05,0.2,0.5")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    w = rng.normal(0, 0.05, (INPUTS, UNITS)).astype("float32")
    dz = rng.normal(0, 1e-3, (ROWS, UNITS)).astype("float32")
    families = [tf_paths(), jax_paths()]
    print(f"Z = X W and dW = X^T dZ, X: {ROWS} x {INPUTS} binary spikes, W: {INPUTS} x {UNITS}; "
          f"ms per pair, median of {args.rounds} interleaved rounds (min-max)")
    print(f"{'density':>7s} {'path':24s} {'ms':>8s} {'min-max':>15s} {'x dense':>8s} "
          f"{'max rel err':>11s}")
    for density in (float(d) for d in args.densities.split(",")):
        x = (rng.random((ROWS, INPUTS)) < density).astype("float32")
        ref = (x @ w, x.T @ dz)
        times, errors = {}, {}
        natives = [(to_native(x), to_native(w), to_native(dz), paths)
                   for to_native, paths in families]
        for xs, ws, dzs, paths in natives:  # warm-up and error
            for name, fn in paths.items():
                out = fn(xs, ws, dzs)
                errors[name] = max(float(np.abs(o - r).max() / np.abs(r).max())
                                   for o, r in zip(out, ref))
        for _ in range(args.rounds):
            for xs, ws, dzs, paths in natives:
                for name, fn in paths.items():
                    t0 = time.perf_counter()
                    fn(xs, ws, dzs)
                    times.setdefault(name, []).append(1e3 * (time.perf_counter() - t0))
        for name, ts in times.items():
            base = statistics.median(times[name.split(" ")[0] + " dense fp32"])
            med = statistics.median(ts)
            print(f"{100 * density:6.0f}% {name:24s} {med:8.1f} {min(ts):7.1f}-{max(ts):<7.1f} "
                  f"{base / med:8.2f} {errors[name]:11.2e}")


if __name__ == "__main__":
    main()

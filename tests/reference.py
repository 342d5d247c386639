"""NumPy reference implementations of the equations, written from the papers
(independently of snnzoo's Keras code). float64 throughout."""

import numpy as np


def H(x):
    return (x >= 0).astype(np.float64)


def spike(v, th, ternary):
    return H(v - th) - H(-v - th) if ternary else H(v - th)


def hard_sigmoid(x):
    return np.clip((x + 2.0) / 4.0, 0.0, 1.0)


def hard_tanh(x):
    return np.clip(x / 2.0, -1.0, 1.0)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _clip(x, b):
    return x if b is None else np.clip(x, b[0], b[1])


def lif(x, W, U, b, beta, th=1.0, ternary=False, vclip=None):
    B, T, _ = x.shape
    n = W.shape[1]
    v = np.zeros((B, n)); s = np.zeros((B, n)); out = []
    beta = np.clip(beta, 0, 1)
    for t in range(T):
        v = beta * v + x[:, t] @ W + s @ U + b - th * s
        v = _clip(v, vclip)
        s = spike(v, th, ternary)
        out.append(s)
    return np.stack(out, 1), v


def cuba_lif(x, W, U, b, alpha, beta, th=1.0, ternary=False, iclip=None, vclip=None):
    B, T, _ = x.shape
    n = W.shape[1]
    i = np.zeros((B, n)); v = np.zeros((B, n)); s = np.zeros((B, n)); out = []
    alpha = np.clip(alpha, 0, 1); beta = np.clip(beta, 0, 1)
    for t in range(T):
        i = _clip(alpha * i + x[:, t] @ W + s @ U + b, iclip)
        v = _clip(beta * v + (1 - beta) * i - th * s, vclip)
        s = spike(v, th, ternary)
        out.append(s)
    return np.stack(out, 1), v


def spikgru(x, W, U, b, alpha, th=1.0, ternary=False):
    B, T, _ = x.shape
    n = W.shape[1] // 2
    Wi, Wz = W[:, :n], W[:, n:]
    Ui, Uz = U[:, :n], U[:, n:]
    bi, bz = b[:n], b[n:]
    i = np.zeros((B, n)); v = np.zeros((B, n)); s = np.zeros((B, n)); out = []
    alpha = np.clip(alpha, 0, 1)
    for t in range(T):
        i = alpha * i + x[:, t] @ Wi + s @ Ui + bi
        z = sigmoid(x[:, t] @ Wz + s @ Uz + bz)
        v = z * v + (1 - z) * i - th * s
        s = spike(v, th, ternary)
        out.append(s)
    return np.stack(out, 1), v


def adaptive_lif(x, W, U, b, tau_m, tau_adp, b0=1.0, beta_a=1.8):
    B, T, _ = x.shape
    n = W.shape[1]
    v = np.zeros((B, n)); a = np.zeros((B, n)); s = np.zeros((B, n)); out = []
    alpha = np.exp(-1.0 / tau_m); rho = np.exp(-1.0 / tau_adp)
    for t in range(T):
        I = x[:, t] @ W + s @ U + b
        a = rho * a + (1 - rho) * s
        thr = b0 + beta_a * a
        v = alpha * v + (1 - alpha) * I - thr * s
        s = H(v - thr)
        out.append(s)
    return np.stack(out, 1), v


def leaky_readout(x, W, b, beta):
    B, T, _ = x.shape
    v = np.zeros((B, W.shape[1])); out = []
    beta = np.clip(beta, 0, 1)
    for t in range(T):
        v = beta * v + x[:, t] @ W + b
        out.append(v)
    return np.stack(out, 1), v


def hard_lstm(x, W, U, b, cell_clip=None):
    B, T, _ = x.shape
    n = U.shape[0]
    h = np.zeros((B, n)); c = np.zeros((B, n)); out = []
    for t in range(T):
        z = x[:, t] @ W + h @ U + b
        i = hard_sigmoid(z[:, :n]); f = hard_sigmoid(z[:, n:2 * n])
        g = hard_tanh(z[:, 2 * n:3 * n]); o = hard_sigmoid(z[:, 3 * n:])
        c = f * c + i * g
        if cell_clip is not None:
            c = np.clip(c, -cell_clip, cell_clip)
        h = o * hard_tanh(c)
        out.append(h)
    return np.stack(out, 1), (h, c)


def if_neuron(currents, th, bias=0.0, v0=0.0):
    """Step an IF neuron with soft reset over `currents` (T, ...)."""
    v = np.full(currents.shape[1:], v0, dtype=np.float64); out = []
    for cur in currents:
        v = v + cur + bias
        s = H(v - th)
        v = v - th * s
        out.append(s)
    return np.stack(out)


def dual_if_neuron(currents, th, v0=0.0):
    v = np.full(currents.shape[1:], v0, dtype=np.float64); out = []
    for cur in currents:
        v = v + cur
        s = H(v - th) - H(-v - th)
        v = v - th * s
        out.append(s)
    return np.stack(out)

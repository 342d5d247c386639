"""Surrogate gradients for the Heaviside spike function, as serializable objects.

Every surrogate computes the exact step `H(x) = 1 if x >= 0 else 0` in the
forward pass and the derivative `d(x)` of a smooth stand-in in the backward
pass. It is built as `H(x) + (F(x) - stop_gradient(F(x)))`, where `F` is an
antiderivative of `d`: the forward value is `H(x)` exactly (the bracket is
exactly zero), the gradient is `d(x)` on every backend, and an exported graph
holds only a comparison. No `custom_gradient`, so the same code runs under
JAX, TensorFlow and PyTorch.

Surrogates are looked up with `get(identifier)`: a string alias
(`"triangular"`, `"fast_sigmoid"`, `"arctan"`, `"boxcar"`,
`"straight_through"`), a config dict, an instance, or `None` (the default,
triangular).
"""

import abc
import math

import keras
from keras import ops


def heaviside(x, export=False):
    """Exact step `1 if x >= 0 else 0` in the dtype of `x` (no gradient).

    `export=True` writes it as a select between ones and zeros: SELECT_V2
    quantizes to int8, where a bool -> float CAST would leave a float island
    in a full-int8 graph. Values are identical.

    Args:
        x: a tensor.
        export: write the select form (for TFLite export).

    Returns:
        A tensor of 0s and 1s, shaped and typed as `x`.
    """
    x = ops.convert_to_tensor(x)
    if export:
        return ops.where(ops.greater_equal(x, 0.0), ops.ones_like(x), ops.zeros_like(x))
    return ops.cast(ops.greater_equal(x, 0.0), x.dtype)


class Surrogate(abc.ABC):
    """Base class: `H(x)` forward, `derivative(x)` backward.

    Subclasses implement `antiderivative(x)` (used to build the gradient) and
    `derivative(x)` (its closed form, used by tests and plots), and list their
    constructor arguments in `get_config()`.
    """

    #: Registered aliases, filled by `_register`.
    aliases = ()

    def __call__(self, x, export=False):
        """`H(x)` with this surrogate's gradient; `export=True` traces the bare
        step for an inference graph (no gradient path, identical values)."""
        x = ops.convert_to_tensor(x)
        if export:
            return heaviside(x, export=True)
        smooth = self.antiderivative(x)
        return heaviside(x) + (smooth - ops.stop_gradient(smooth))

    @abc.abstractmethod
    def antiderivative(self, x):
        """An antiderivative of `derivative` (defines the gradient)."""

    @abc.abstractmethod
    def derivative(self, x):
        """Closed-form surrogate derivative `d(x)`."""

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return type(self) is type(other) and (
            self.get_config() == other.get_config()
        )

    def __hash__(self):
        return hash((type(self).__name__, tuple(self.get_config().items())))

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


_ALIASES = {}


def _register(*names):
    def wrap(cls):
        cls = keras.saving.register_keras_serializable(package="snnzoo")(cls)
        cls.aliases = names
        for name in names:
            if name in _ALIASES:
                raise KeyError(f"Surrogate alias {name!r} registered twice.")
            _ALIASES[name] = cls
        return cls

    return wrap


def _positive(name, value):
    value = float(value)
    if not value > 0:
        raise ValueError(f"Surrogate argument `{name}` must be > 0, got {value}.")
    return value


@_register("triangular", "triangle", "piecewise_linear")
class Triangular(Surrogate):
    """Triangular (piecewise-linear) surrogate, Neftci et al. 2019.

    `d(x) = height * max(0, 1 - |x| / width)`.

    Args:
        width: float. Half-width of the support (gradient is 0 for |x| >= width).
        height: float. Peak of the derivative at x = 0.

    Reference:
        Neftci, Mostafa & Zenke, IEEE SPM 2019; Bellec et al. 2018 use
        width 1, height 0.3; Dampfhoffer et al. 2022 use this family.
    """

    def __init__(self, width=1.0, height=1.0):
        self.width = _positive("width", width)
        self.height = _positive("height", height)

    def antiderivative(self, x):
        u = ops.clip(x, -self.width, self.width)
        return self.height * (u - u * ops.abs(u) / (2.0 * self.width))

    def derivative(self, x):
        return self.height * ops.maximum(0.0, 1.0 - ops.abs(x) / self.width)

    def get_config(self):
        return {"width": self.width, "height": self.height}


@_register("fast_sigmoid", "superspike")
class FastSigmoid(Surrogate):
    """Fast-sigmoid surrogate of SuperSpike, Zenke & Ganguli 2018.

    `d(x) = 1 / (1 + slope * |x|)^2`.

    Args:
        slope: float. Sharpness (25 in snnTorch's default).
    """

    def __init__(self, slope=25.0):
        self.slope = _positive("slope", slope)

    def antiderivative(self, x):
        return x / (1.0 + self.slope * ops.abs(x))

    def derivative(self, x):
        return 1.0 / ops.square(1.0 + self.slope * ops.abs(x))

    def get_config(self):
        return {"slope": self.slope}


@_register("arctan", "atan")
class ArcTan(Surrogate):
    """Arctangent surrogate, `d(x) = 1 / (1 + gamma * x^2)`.

    Args:
        gamma: float. Sharpness; the SpikGRU code uses 10.

    Reference:
        Dampfhoffer et al., SpikGRU-DVSLip code (`layers.py`); Fang et al. 2021.
    """

    def __init__(self, gamma=10.0):
        self.gamma = _positive("gamma", gamma)

    def antiderivative(self, x):
        root = math.sqrt(self.gamma)
        return ops.arctan(root * x) / root

    def derivative(self, x):
        return 1.0 / (1.0 + self.gamma * ops.square(x))

    def get_config(self):
        return {"gamma": self.gamma}


@_register("boxcar", "rectangular")
class Boxcar(Surrogate):
    """Boxcar surrogate, `d(x) = height` for `|x| < width / 2`, else 0.

    Args:
        width: float. Width of the window around 0.
        height: float. Value of the derivative inside the window.
    """

    def __init__(self, width=1.0, height=1.0):
        self.width = _positive("width", width)
        self.height = _positive("height", height)

    def antiderivative(self, x):
        half = self.width / 2.0
        return self.height * ops.clip(x, -half, half)

    def derivative(self, x):
        inside = ops.less(ops.abs(x), self.width / 2.0)
        return self.height * ops.cast(inside, x.dtype)

    def get_config(self):
        return {"width": self.width, "height": self.height}


@_register("straight_through", "ste", "identity")
class StraightThrough(Surrogate):
    """Straight-through estimator, `d(x) = scale` everywhere (Bengio 2013).

    Args:
        scale: float. Constant gradient.
    """

    def __init__(self, scale=1.0):
        self.scale = _positive("scale", scale)

    def antiderivative(self, x):
        return self.scale * x

    def derivative(self, x):
        return self.scale * ops.ones_like(x)

    def get_config(self):
        return {"scale": self.scale}


def serialize(surrogate):
    """Config dict of a surrogate (what `get()` reads back)."""
    return keras.saving.serialize_keras_object(get(surrogate))


def deserialize(config):
    return keras.saving.deserialize_keras_object(config)


def get(identifier):
    """Resolve a surrogate from an alias, config, instance or `None`.

    Raises:
        ValueError: for an unknown alias (the message lists the known ones).
    """
    if identifier is None:
        return Triangular()
    if isinstance(identifier, Surrogate):
        return identifier
    if isinstance(identifier, str):
        key = identifier.lower()
        if key not in _ALIASES:
            raise ValueError(
                f"Unknown surrogate {identifier!r}; expected one of "
                f"{sorted(_ALIASES)}."
            )
        return _ALIASES[key]()
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
        if not isinstance(obj, Surrogate):
            raise ValueError(f"Config {identifier!r} is not a Surrogate.")
        return obj
    raise ValueError(
        "A surrogate must be None, an alias string, a config dict or a "
        f"Surrogate instance; got {identifier!r} of type {type(identifier)}."
    )


def names():
    """All registered aliases."""
    return sorted(_ALIASES)


def ternary(x_pos, x_neg, surrogate, export=False):
    """Signed spike `H(x_pos) - H(x_neg)` with the surrogate on both sides."""
    return surrogate(x_pos, export) - surrogate(x_neg, export)

"""Input normalization to [-1, 1] (Ponghiran & Roy constraint 1)."""

import keras
import numpy as np
from keras import ops


@keras.saving.register_keras_serializable(package="snnzoo")
class MaxAbsNormalization(keras.layers.Layer):
    """Center, then scale so the largest |value| seen in `adapt` is 1.

    `y = clip((x - mean) / max|x - mean|, -1, 1)`. Ponghiran normalizes
    sequential MNIST with `(x - 0.1307) / 0.8693` for exactly this reason:
    the deterministic spike generator represents values in [-1, 1] only.
    Call `adapt(data)` with a NumPy array or an iterable of arrays (or
    `(x, y)` batches) before use, or pass fitted `mean` and `scale`.

    Args:
        axis: None (one scalar for all features, as Ponghiran) or -1 (one
            per feature).
        center: bool. Subtract the mean before scaling.
        clip: bool. Clip outputs to [-1, 1] (inputs beyond the fitted range).
        mean: a fitted mean (skips `adapt` together with `scale`).
        scale: a fitted max |x - mean|.
        **kwargs: `keras.layers.Layer` arguments.

    Raises:
        ValueError: `axis` is neither None nor -1.
    """

    def __init__(self, axis=None, center=True, clip=True, mean=None,
                 scale=None, **kwargs):
        super().__init__(**kwargs)
        if axis not in (None, -1):
            raise ValueError(f"`axis` must be None or -1; got {axis!r}.")
        self.axis = axis
        self.center = bool(center)
        self.clip = bool(clip)
        self._init_mean = None if mean is None else np.asarray(mean, "float32")
        self._init_scale = None if scale is None else np.asarray(scale, "float32")

    def build(self, input_shape):
        shape = () if self.axis is None else (input_shape[-1],)
        self.mean = self.add_weight(
            shape=shape, name="mean", initializer="zeros", trainable=False
        )
        self.scale = self.add_weight(
            shape=shape, name="scale", initializer="ones", trainable=False
        )
        if self._init_mean is not None:
            self.mean.assign(np.broadcast_to(self._init_mean, shape))
        if self._init_scale is not None:
            self.scale.assign(np.broadcast_to(self._init_scale, shape))

    def adapt(self, data):
        """Fit mean and scale on `data` (array, or iterable of batches)."""
        arrays = _as_arrays(data)
        if not arrays:
            raise ValueError("`adapt` received no data.")
        feature = arrays[0].shape[-1]
        reduce_axes = None if self.axis is None else tuple(
            range(arrays[0].ndim - 1)
        )
        total = sum(a.sum(axis=reduce_axes, dtype="float64") for a in arrays)
        count = sum(a.size if self.axis is None else a.size // feature
                    for a in arrays)
        mean = total / count if self.center else np.zeros_like(total)
        peak = np.max(
            [np.abs(a - mean).max(axis=reduce_axes) for a in arrays], axis=0
        )
        peak = np.where(peak > 0, peak, 1.0)
        if not self.built:
            self.build(arrays[0].shape)
        self.mean.assign(np.asarray(mean, "float32"))
        self.scale.assign(np.asarray(1.0 / peak, "float32"))

    def call(self, inputs):
        y = (ops.cast(inputs, self.compute_dtype) - self.mean) * self.scale
        if self.clip:
            y = ops.clip(y, -1.0, 1.0)
        return y

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {"axis": self.axis, "center": self.center, "clip": self.clip}
        )
        return config


def _as_arrays(data):
    if isinstance(data, np.ndarray) or hasattr(data, "__array__"):
        return [np.asarray(data, "float32")]
    arrays = []
    for batch in data:
        if isinstance(batch, (tuple, list)):
            batch = batch[0]
        arrays.append(np.asarray(batch, "float32"))
    return arrays

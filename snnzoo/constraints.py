"""Weight constraints."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="snnzoo")
class ClipWeights(keras.constraints.Constraint):
    """Clamp every weight to `[-limit, limit]` after each update.

    Ponghiran & Roy clamp all weights and biases to [-1, 1] after every
    optimizer step (run_seqmnist.py), which bounds the input current an
    integrate-and-fire neuron sees per step.

    Args:
        limit: float > 0.
    """

    def __init__(self, limit=1.0):
        limit = float(limit)
        if not limit > 0:
            raise ValueError(f"`limit` must be > 0; got {limit}.")
        self.limit = limit

    def __call__(self, w):
        return ops.clip(w, -self.limit, self.limit)

    def get_config(self):
        return {"limit": self.limit}

"""Cross-entropy losses on sequence outputs `(batch, time, classes)`."""

import keras
from keras import ops

_MODES = ("max", "mean", "last")


@keras.saving.register_keras_serializable(package="snnzoo")
class TemporalCrossEntropy(keras.losses.Loss):
    """Sparse categorical cross-entropy after reducing logits over time.

    `over_time="max"` is the max-over-time loss of Cramer et al. 2020 used
    by Dampfhoffer et al. 2022 (CE of `max_t y_t`); `"last"` uses the last
    step; `"mean"` the time-averaged output (rate readout).

    Args:
        over_time: "max", "mean" or "last".
        from_logits: bool. The outputs are logits.
        reduction: Keras' loss reduction.
        name: the loss name (default from `over_time`).

    Raises:
        ValueError: an unknown `over_time`.
    """

    def __init__(self, over_time="max", from_logits=True,
                 reduction="sum_over_batch_size", name=None):
        if over_time not in _MODES:
            raise ValueError(
                f"Unknown `over_time` {over_time!r}; expected one of {_MODES}."
            )
        super().__init__(
            name=name or f"{over_time}_over_time_cross_entropy",
            reduction=reduction,
        )
        self.over_time = over_time
        self.from_logits = bool(from_logits)

    def call(self, y_true, y_pred):
        if len(y_pred.shape) != 3:
            raise ValueError(
                "TemporalCrossEntropy expects predictions of shape "
                f"(batch, time, classes); got {y_pred.shape}."
            )
        if self.over_time == "max":
            y = ops.max(y_pred, axis=1)
        elif self.over_time == "mean":
            y = ops.mean(y_pred, axis=1)
        else:
            y = y_pred[:, -1]
        return keras.losses.sparse_categorical_crossentropy(
            y_true, y, from_logits=self.from_logits
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            {"over_time": self.over_time, "from_logits": self.from_logits}
        )
        return config

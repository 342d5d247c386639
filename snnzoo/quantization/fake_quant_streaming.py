"""`FakeQuantStreaming`: a sequence model streamed frame by frame with 8-bit
fake quantization at every step boundary of its int8 step graph."""

import keras
from keras import ops

from snnzoo.models.step_graph import StepGraph


class FakeQuantStreaming(keras.Model):
    """`model` streamed frame by frame with 8-bit fake quantization of the
    input frames, every state after every step and the output.

    Shares `model`'s weights, so training this wrapper fine-tunes `model`.

    Args:
        model: a chain sequence model (see `StepGraph`).
        ranges: from `calibration_ranges`.
        num_bits: fake-quantization bits (8 for the int8 graphs).
    """

    def __init__(self, model, ranges, num_bits=8, **kwargs):
        super().__init__(**kwargs)
        self.inner = model
        self.graph = StepGraph(model)
        self.ranges = ranges
        self.num_bits = num_bits

    def _fq(self, x, rng):
        return keras.quantizers.fake_quant_with_min_max_vars(
            x, rng[0], rng[1], num_bits=self.num_bits)

    def call(self, x, training=False):
        batch = ops.shape(x)[0]
        sizes = list(self.graph.state_sizes)
        outputs = int(self.inner.output_shape[-1])
        splits = [sum(sizes[:k + 1]) for k in range(len(sizes))]

        def step(packed, frame):  # one frame, as the int8 step graph computes it
            frame = self._fq(frame, self.ranges["input"])
            states = ops.split(packed, splits, axis=-1)[:-1]
            out, states = self.graph.step(frame, list(states), export=False)
            states = [self._fq(s, r) for s, r in zip(states, self.ranges["states"])]
            new = ops.concatenate(states + [out], axis=-1)
            return new, new

        # A scan, not a Python loop: one traced step whatever the length
        # (an unrolled 101-frame spiking LSTM exhausted 24 GB compiling).
        # States and output travel packed in one tensor, the scan's output
        # too: the TensorFlow backend's scan needs both of one shape.
        init = ops.zeros((batch, splits[-1] + outputs), dtype=x.dtype)
        last, _ = ops.scan(step, init, ops.transpose(x, (1, 0, 2)))
        return self._fq(last[:, splits[-1]:], self.ranges["output"])

"""From a step graph's int8 outputs to keyword events, as a device does it.

Per frame t, from the graph's raw int8 output `q` (grid `(s, z)`):

1. posterior: `p_c = e_c / sum_c e_c` with `e_c = TABLE[q_c - max(q)]` and
   `TABLE[d] = exp(s d)` for `d = -255 .. 0` (a table, so that a device needs
   no `exp` and computes the very same doubles; `sum` runs over the classes
   in order);
2. smoothing: the mean of the last `smoothing_frames` posteriors (a running
   sum: add the new, subtract the one that leaves; fewer frames at the start);
3. decision: the keyword class with the largest smoothed posterior fires when
   that score is >= `threshold` and at least `refractory_frames` frames have
   passed since the last event. An event is `(frame, class, score)`.

Classes outside `keywords` (silence, unknown) never fire. The C++ of the
device bundle (`snnzoo.export.bundle.detector_c`) does the same operations in
the same order on the same doubles, so both give the same events.
"""

import numpy as np

from snnzoo import validation

TABLE_SIZE = 256


def posterior_table(scale):
    """`TABLE[k] = exp(scale * (k - 255))`, float64, k = 0..255."""
    return np.exp(float(scale) * (np.arange(TABLE_SIZE, dtype=np.float64) - (TABLE_SIZE - 1)))


class KeywordLogic:
    """Posterior smoothing, threshold and refractory window over raw int8
    outputs (see the module).

    Args:
        output_grid: the output tensor's `(scale, zero point)`.
        num_classes: outputs per frame.
        keywords: indices of the classes that may fire.
        smoothing_frames: frames averaged (>= 1).
        threshold: smoothed posterior an event needs, in (0, 1].
        refractory_frames: frames after an event during which none fires.
    """

    def __init__(self, output_grid, num_classes, keywords, smoothing_frames=10, threshold=0.6,
                 refractory_frames=50):
        self.num_classes = validation.number(num_classes, "num_classes", 2, integer=True)
        self.keywords = np.array(sorted({validation.number(
            k, "keywords", 0, self.num_classes - 1, integer=True) for k in keywords}), np.int64)
        if not len(self.keywords):
            validation.fail("keywords", "at least one class index", keywords)
        self.smoothing_frames = validation.number(smoothing_frames, "smoothing_frames", 1,
                                                  integer=True)
        self.threshold = validation.number(threshold, "threshold", 0, 1, low_open=True)
        self.refractory_frames = validation.number(refractory_frames, "refractory_frames", 0,
                                                   integer=True)
        self.table = posterior_table(output_grid[0])
        self.reset()

    def reset(self):
        self.frame = 0
        self.last_event = None
        self.history = np.zeros((self.smoothing_frames, self.num_classes), np.float64)
        self.total = np.zeros(self.num_classes, np.float64)

    def posterior(self, q):
        """Posterior (float64) of one raw int8 output `q`."""
        q = np.asarray(q, np.int64).reshape(-1)
        e = self.table[q - q.max() + TABLE_SIZE - 1]
        total = 0.0
        for value in e:  # in class order, as the device sums
            total += value
        return e / total

    def update(self, q):
        """Feed one raw int8 output; returns `(score, class)` of this frame's
        best keyword and the event `(frame, class, score)` or None."""
        p = self.posterior(q)
        slot = self.frame % self.smoothing_frames
        self.total = (self.total - self.history[slot]) + p
        self.history[slot] = p
        count = min(self.frame + 1, self.smoothing_frames)
        smoothed = self.total / count
        best = int(self.keywords[np.argmax(smoothed[self.keywords])])
        score = float(smoothed[best])
        event = None
        ready = self.last_event is None or self.frame - self.last_event >= self.refractory_frames
        if score >= self.threshold and ready:
            event = (self.frame, best, score)
            self.last_event = self.frame
        self.frame += 1
        return (score, best), event

import numpy as np
import pytest

from snnzoo import losses


def ce(logits, y):
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return -logp[np.arange(len(y)), y].mean()


@pytest.mark.parametrize("factory, reduce", [
    (losses.MaxOverTimeCrossEntropy, lambda a: a.max(1)),
    (losses.LastStepCrossEntropy, lambda a: a[:, -1]),
    (losses.MeanOverTimeCrossEntropy, lambda a: a.mean(1)),
])
def test_temporal_losses(factory, reduce, rng):
    logits = rng.normal(size=(4, 6, 3)).astype("float32")
    y = np.array([0, 2, 1, 1])
    value = float(np.asarray(factory()(y, logits)))
    assert value == pytest.approx(ce(reduce(logits.astype("float64")), y), rel=1e-5)


def test_max_over_time_hand_computed():
    logits = np.array([[[0.0, 0.0], [2.0, -1.0], [1.0, 1.0]]], "float32")
    # max over time -> [2, 1]; CE for class 1 = log(e^2 + e^1) - 1.
    expected = np.log(np.exp(2) + np.exp(1)) - 1
    value = float(np.asarray(losses.MaxOverTimeCrossEntropy()(np.array([1]), logits)))
    assert value == pytest.approx(expected, rel=1e-6)


def test_rejects_non_sequence_predictions():
    with pytest.raises(ValueError, match=r"\(batch, time, classes\)"):
        losses.MaxOverTimeCrossEntropy()(np.array([0]), np.zeros((1, 3), "float32"))
    with pytest.raises(ValueError, match="over_time"):
        losses.TemporalCrossEntropy("median")

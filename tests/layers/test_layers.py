import keras
import numpy as np
import pytest

from snnzoo import layers


def test_max_abs_normalization_global(rng):
    x = rng.uniform(0, 1, size=(20, 7, 3)).astype("float32")
    norm = layers.MaxAbsNormalization()
    norm.adapt(x)
    y = np.asarray(norm(x))
    mean = x.mean()
    np.testing.assert_allclose(y, (x - mean) / np.abs(x - mean).max(), atol=1e-5)
    assert np.abs(y).max() == pytest.approx(1.0)
    # Out-of-range data is clipped to [-1, 1].
    assert np.abs(np.asarray(norm(x * 10))).max() <= 1.0


def test_max_abs_normalization_per_feature_and_batches(rng):
    x = rng.normal(size=(30, 5, 4)).astype("float32") * [1, 2, 3, 4]
    norm = layers.MaxAbsNormalization(axis=-1, center=False)
    norm.adapt([(x[:10], None), (x[10:], None)])
    np.testing.assert_allclose(
        np.asarray(norm.scale), 1 / np.abs(x).max(axis=(0, 1)), rtol=1e-5
    )


def test_max_abs_normalization_mnist_constants():
    # Ponghiran: (x - 0.1307) / 0.8693 maps [0, 1] pixels into [-0.15, 1].
    norm = layers.MaxAbsNormalization(mean=0.1307, scale=1 / 0.8693)
    y = np.asarray(norm(np.array([[[0.0, 1.0]]], "float32")))
    np.testing.assert_allclose(y, [[[-0.1307 / 0.8693, 1.0]]], atol=1e-6)


def test_spike_encoder_shapes_and_order():
    x = np.array([[[0.5, -1.0], [0.25, 0.0]]], "float32")  # (1, 2, 2)
    enc = layers.SpikeEncoder(4, method="ternary")
    y = np.asarray(enc(x))
    assert y.shape == (1, 8, 2)
    # Element 0 over 4 steps: 0.5 -> 0,1,0,1; -1 -> -1 every step.
    np.testing.assert_array_equal(y[0, :4, 0], [0, 1, 0, 1])
    np.testing.assert_array_equal(y[0, :4, 1], [-1, -1, -1, -1])
    # Element 1: 0.25 -> one spike at step 4; 0 -> none.
    np.testing.assert_array_equal(y[0, 4:, 0], [0, 0, 0, 1])
    np.testing.assert_array_equal(y[0, 4:, 1], [0, 0, 0, 0])
    assert enc.compute_output_shape((None, 2, 2)) == (None, 8, 2)
    y2 = np.asarray(layers.SpikeEncoder(3, method="direct")(x[:, 0]))
    assert y2.shape == (1, 3, 2)


def test_spike_encoder_rejects_unknown_method():
    with pytest.raises(ValueError, match="Unknown encoding method 'gauss'"):
        layers.SpikeEncoder(4, method="gauss")


def test_time_reduce():
    x = np.arange(24, dtype="float32").reshape(2, 3, 4)
    np.testing.assert_array_equal(np.asarray(layers.TimeReduce("max")(x)), x.max(1))
    np.testing.assert_array_equal(np.asarray(layers.TimeReduce("last")(x)), x[:, -1])
    np.testing.assert_allclose(np.asarray(layers.TimeReduce("mean")(x)), x.mean(1))
    with pytest.raises(ValueError, match="mode"):
        layers.TimeReduce("median")


def test_spike_statistics_counts_signed_spikes():
    inp = keras.Input((4, 2))
    out = layers.SpikeMonitor(name="spikes")(inp)
    model = keras.Model(inp, out)
    x = np.zeros((2, 4, 2), "float32")
    x[0, 0, 0] = 1
    x[0, 1, 1] = -1
    x[1, 2, :] = 1
    stats = layers.spike_statistics(model, x)["spikes"]
    assert stats["spikes_per_sample"] == 2.0
    assert stats["rate"] == 2.0 / 8
    with pytest.raises(ValueError, match="no SpikeMonitor"):
        layers.spike_statistics(keras.Model(inp, inp * 1.0), x)

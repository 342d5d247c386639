"""Op counts against the SPEC's unit vectors and hand-built spike trains."""

import keras
import numpy as np
import pytest

from snnzoo import cells
from snnzoo import conversion
from snnzoo import energy
from snnzoo import layers
from snnzoo import testing

T = 5


def total(model, x, **kw):
    return energy.estimate(model, x, **kw).to_dict()["total"]


def test_gru_700_128_unit_vector(rng):
    x = rng.normal(size=(2, T, 700)).astype("float32")
    model = keras.Sequential([keras.Input((T, 700)), keras.layers.GRU(128)])
    assert total(model, x)["macs"] == 318_336 * T
    two = keras.Sequential([keras.Input((T, 700)),
                            keras.layers.GRU(128, return_sequences=True),
                            keras.layers.GRU(128)])
    assert total(two, x)["macs"] == 417_024 * T


def test_rnn_and_lstm_unit_vectors(rng):
    x = rng.normal(size=(2, T, 700)).astype("float32")
    rnn = keras.Sequential([keras.Input((T, 700)),
                            keras.layers.SimpleRNN(128, return_sequences=True),
                            keras.layers.SimpleRNN(128)])
    assert total(rnn, x)["macs"] == 138_752 * T
    a, b = 28, 64
    lstm = keras.Sequential([keras.Input((T, a)), keras.layers.LSTM(b)])
    expected = (4 * a * b + 4 * b * b + 3 * b) * T
    assert total(lstm, x[..., :a])["macs"] == expected
    hard = keras.Sequential([keras.Input((T, a)),
                             layers.SpikingRNN(cells.HardLSTMCell(b))])
    assert total(hard, x[..., :a])["macs"] == expected


# Hand-built spike trains: 2 input channels over 4 steps, 4 input spikes.
# With kernel row 0 = 2 and leak 0, the 3 neurons fire at steps 0 and 2
# (v = 2, then v = 0 - 1 = -1, then 2, then -1): 6 output spikes.
X = np.array([[[1, 0], [0, 1], [1, 1], [0, 0]]], "float32")


def spiking_model(cell, arrays):
    model = keras.Sequential([keras.Input((4, 2)),
                              layers.SpikingRNN(cell, return_sequences=True)])
    testing.set_weights_by_name(model.layers[0], arrays)
    return model


def base_weights(blocks=1):
    k = np.zeros((2, 3 * blocks))
    k[0, :3] = 2.0
    return {"kernel": k, "recurrent_kernel": np.zeros((3, 3 * blocks)),
            "bias": np.zeros(3 * blocks)}


def test_lif_hand_counts():
    w = base_weights()
    w["beta"] = np.zeros(3)
    model = spiking_model(cells.LIFCell(3), w)
    out = np.asarray(model(X))
    assert out.sum() == 6
    t = total(model, X)
    # MAC: n per step = 12. AC: 4 spikes x 3 + 6 spikes x 3 (recurrent)
    # + 6 resets + 3 bias adds x 4 steps = 48 (= Table 2: 12/step).
    assert t["macs"] == 12 and t["acs"] == 48
    (row,) = energy.estimate(model, X).to_dict()["layers"].values()
    assert row["input_rate"] == 0.5 and row["output_rate"] == 0.5
    assert t["energy_j"] == pytest.approx((12 * 4.6 + 48 * 0.9) * 1e-12)


def test_cuba_lif_hand_counts():
    w = base_weights()
    w["alpha"] = np.zeros(3)
    w["beta"] = np.zeros(3)
    # beta = 0: v = i - s_prev, the same spikes as the LIF case.
    model = spiking_model(cells.CubaLIFCell(3), w)
    assert np.asarray(model(X)).sum() == 6
    t = total(model, X)
    assert t["macs"] == 36 and t["acs"] == 48


def test_spikgru_hand_counts():
    w = base_weights(blocks=2)
    w["bias"][3:] = -100.0  # z = sigmoid(-100) = 0: v = i - s_prev
    w["alpha"] = np.zeros(3)
    model = spiking_model(cells.SpikGRUCell(3), w)
    assert np.asarray(model(X)).sum() == 6
    t = total(model, X)
    # AC: 4 x 6 + 6 x 6 (recurrent) + 6 resets + 2n x 4 steps = 90
    # (Table 2: 2mn a_in + (2n^2 + n) a_out + 2n = 22.5 per step).
    assert t["macs"] == 36 and t["acs"] == 90


def test_weight_sparsity_skips_zero_weights():
    w = base_weights()
    w["beta"] = np.zeros(3)
    model = spiking_model(cells.LIFCell(3), w)
    t = total(model, X, weight_sparsity=True)
    # Only input channel 0 has nonzero weights (fan-out 3, 2 spikes); the
    # recurrent kernel is all zero: 6 + 0 + 6 resets + 12 bias adds.
    assert t["acs"] == 24


def test_hybrid_hand_counts():
    inp = keras.Input((1, 2))
    model = keras.Sequential([inp, layers.SpikingRNN(cells.HybridLSTMCell(1, timesteps=4))])
    model.layers[0].set_weights([np.zeros((2, 4)), np.zeros((1, 4)), np.zeros(4)])
    x = np.array([[[0.5, -0.25]]], "float32")
    t = total(model, x)
    # Generator: floor(4*0.5) + floor(4*0.25) = 3 input spikes -> 3 x 4n ACs.
    # i, f, o neurons (V_th 4, drive 2) fire twice in 4 steps, g never: 6
    # output spikes -> 6 resets + 6 counter adds. Generator and membrane
    # adds: T (m + n + 4n) = 28. MAC: 7n = 7.
    assert t["macs"] == 7
    assert t["acs"] == 12 + 28 + 12


def test_spiking_lstm_acs_come_from_spikes(rng):
    x = rng.uniform(-1, 1, size=(8, 4, 3)).astype("float32")
    ann = keras.Sequential([
        keras.Input((4, 3)),
        layers.SpikingRNN(cells.HardLSTMCell(5), return_sequences=True),
        layers.SpikingRNN(cells.HardLSTMCell(4)),
        keras.layers.Dense(2),
    ])
    snn = conversion.convert(ann, "spiking", 2, calibration_data=x)
    rep = energy.estimate(snn, x).to_dict()["layers"]
    names = [l.name for l in snn.layers]
    probe = keras.Model(snn.inputs, [snn.layers[0].output, snn.layers[1].output])
    s1, s2 = probe.predict(x, verbose=0)
    seq2 = np.asarray(layers.SpikingRNN(snn.layers[1].cell, return_sequences=True)(s1))
    per = lambda a: float(np.abs(a).sum()) / len(x)
    # Layer 2: input spikes x 4n (W) + own spikes x 4n (U).
    assert rep[names[1]]["synaptic_acs"] == pytest.approx(per(s1) * 16 + per(seq2) * 16)
    assert rep[names[1]]["synaptic_macs"] == 0
    # Layer 1 is direct-encoded: W x once per element (4 x 3 x 20 MACs).
    assert rep[names[0]]["synaptic_macs"] == 4 * 3 * 20
    per_step = energy.estimate(snn, x, direct_macs="per_step").to_dict()["layers"]
    assert per_step[names[0]]["synaptic_macs"] == 2 * 4 * 3 * 20
    # The head reads spikes: ACs only.
    assert rep[names[2]]["synaptic_macs"] == 0
    assert rep[names[2]]["synaptic_acs"] == pytest.approx(per(s2) * 2)


def test_compare_reports_ratio_against_iso_ann(rng):
    x = (rng.uniform(size=(4, T, 20)) < 0.1).astype("float32")
    model = keras.Sequential([keras.Input((T, 20)),
                              layers.SpikingRNN(cells.CubaLIFCell(16), return_sequences=True)])
    rep = energy.compare(model, x)
    d = rep.to_dict()
    ann_macs = d["ann"]["total"]["macs"]
    assert ann_macs == (3 * 20 * 16 + 3 * 16 * 16 + 3 * 16) * T
    assert d["ratio"]["energy"] == pytest.approx(
        d["ann"]["total"]["energy_j"] / d["total"]["energy_j"])
    assert d["ratio"]["ops"] > 1
    assert "ANN / SNN" in rep.summary(print_fn=None)
    ann_model = keras.Sequential([keras.Input((T, 20)), keras.layers.GRU(16)])
    other = energy.compare(model, x, ann_model=ann_model).to_dict()
    assert other["ann"]["total"]["macs"] == ann_macs


def test_profiles_and_errors(rng, tmp_path):
    p = energy.get_profile("horowitz45_int8")
    assert (p.e_mac_pj, p.e_ac_pj) == (0.23, 0.03) and "Horowitz" in p.citation
    energy.register_profile("test_chip_xyz", 1.0, 0.5, "a test")
    with pytest.raises(KeyError, match="already registered"):
        energy.register_profile("test_chip_xyz", 1.0, 0.5, "again")
    with pytest.raises(ValueError, match="Unknown energy profile 'nope'"):
        energy.get_profile("nope")
    model = keras.Sequential([keras.Input((T, 4)), keras.layers.GRU(3)])
    with pytest.raises(ValueError, match=r"`x`: expected inputs of shape"):
        energy.estimate(model, np.zeros((2, T, 5), "float32"))
    rep = energy.compare(model, rng.normal(size=(2, T, 4)).astype("float32"))
    import matplotlib

    backend = matplotlib.get_backend()
    rep.plot(tmp_path / "e.png")
    assert (tmp_path / "e.png").stat().st_size > 1000
    assert matplotlib.get_backend() == backend  # the caller's plotting state is untouched


def test_backward_and_bidirectional_layers_are_counted_as_they_run(rng):
    """A backwards layer's spikes are those of the reversed sequence (it was
    once rebuilt forwards); a Bidirectional layer counts both directions."""
    seq = (rng.uniform(size=(4, 12, 6)) < 0.3).astype("float32")
    cell = cells.LIFCell(5)
    forward = keras.Sequential([keras.Input((12, 6)), layers.SpikingRNN(cell, name="f")])
    weights = forward.get_weights()
    weights[0] = 4 * weights[0]  # enough drive to spike
    forward.set_weights(weights)
    backward = keras.Sequential([keras.Input((12, 6)),
                                 layers.SpikingRNN(cells.LIFCell(5), go_backwards=True,
                                                   name="b")])
    backward.set_weights(forward.get_weights())
    on_reversed = energy.estimate(forward, seq[:, ::-1]).layers["f"]
    counted = energy.estimate(backward, seq).layers["b"]
    assert counted["output_rate"] > 0
    assert counted["output_rate"] == pytest.approx(on_reversed["output_rate"])
    assert counted["synaptic_acs"] == pytest.approx(on_reversed["synaptic_acs"])
    # The sequence run forwards fires differently: what the old rebuild counted.
    assert counted["synaptic_acs"] != pytest.approx(energy.estimate(forward, seq).layers["f"][
        "synaptic_acs"])
    bi = keras.Sequential([keras.Input((12, 6)), keras.layers.Bidirectional(
        layers.SpikingRNN(cells.LIFCell(5), return_sequences=True), name="bi")])
    bi.layers[0].forward_layer.set_weights(forward.get_weights())
    bi.layers[0].backward_layer.set_weights(forward.get_weights())
    rows = energy.estimate(bi, seq).layers
    assert rows["bi/forward"]["synaptic_acs"] == pytest.approx(
        energy.estimate(forward, seq).layers["f"]["synaptic_acs"])
    assert rows["bi/backward"]["synaptic_acs"] == pytest.approx(on_reversed["synaptic_acs"])

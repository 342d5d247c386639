"""Memory-aware energy and the crossover spike rate, by hand."""

import keras
import numpy as np
import pytest

from snnzoo import energy
from snnzoo.energy.profiles import Profile
from snnzoo.energy.report import EnergyReport

PROFILE = Profile("test_mem", e_mac_pj=1.0, e_ac_pj=0.1, citation="test", e_bit_pj=0.5,
                  weight_bits=8, state_bits=16, activation_bits=8)


def test_dense_on_spikes_by_hand():
    # 3 input spikes x fan-out 2 = 6 ACs = 6 weight reads of 8 bits; no state;
    # 2 outputs x 2 steps x 8 bits written. Memory: (48 + 32) bits x 0.5 pJ =
    # 40 pJ; compute 6 x 0.1 = 0.6 pJ; spike-driven part 6 x (0.1 + 8 x 0.5).
    x = np.array([[[1, 0, 1], [0, 0, 1]]], "float32")
    dense = keras.layers.Dense(2, use_bias=False)
    model = keras.Sequential([keras.Input(x.shape[1:]), dense])
    dense.set_weights([np.ones((3, 2), "float32")])
    row = energy.estimate(model, x, profile=PROFILE).to_dict()["layers"][dense.name]
    assert (row["weight_reads"], row["state_accesses"], row["output_bits"]) == (6, 0, 32)
    assert row["memory_energy_j"] == pytest.approx(40e-12)
    assert row["compute_energy_j"] == pytest.approx(0.6e-12)
    assert row["energy_j"] == pytest.approx(40.6e-12)
    assert row["variable_energy_j"] == pytest.approx(6 * 4.1e-12)


def test_lif_state_traffic_by_hand():
    # LIF state (v, s) = 2n words read and written every step: 2 x 4 x 3 = 24
    # accesses; its spikes go out at 1 bit: 2 x 3 = 6 bits.
    from snnzoo import cells
    from snnzoo import layers

    x = np.zeros((1, 3, 2), "float32")
    model = keras.Sequential([keras.Input((3, 2)), layers.SpikingRNN(
        cells.LIFCell(2), return_sequences=True, name="lif")])
    row = energy.estimate(model, x, profile=PROFILE).to_dict()["layers"]["lif"]
    assert (row["state_accesses"], row["output_bits"]) == (24, 6)
    bits = row["weight_reads"] * 8 + 24 * 16 + 6
    assert row["memory_energy_j"] == pytest.approx(bits * 0.5e-12)


def _report(fixed, variable, ann, rate):
    row = {"energy_j": fixed + variable, "variable_energy_j": variable, "output_rate": rate}
    full = {k: 0.0 for k in ("synaptic_macs", "synaptic_acs", "neuron_macs", "neuron_acs",
                             "macs", "acs", "ops", "mac_energy_j", "ac_energy_j",
                             "compute_energy_j", "memory_energy_j", "weight_reads",
                             "state_accesses", "output_bits")}
    full["ops"] = 1.0
    ann_row = dict(full, energy_j=ann, variable_energy_j=0.0)
    return EnergyReport(PROFILE, {"l": dict(full, **row)}, ann={"l": ann_row})


def test_crossover_by_hand():
    # E(k) = 4 + 3k at measured rate 0.2; the ANN takes 10: k* = 2, rate 0.4.
    c = _report(4.0, 3.0, 10.0, 0.2).crossover()
    assert c == pytest.approx({"rate": 0.4, "measured_rate": 0.2, "scale": 2.0})
    assert _report(4.0, 3.0, 10.0, 0.2).energy_at_scale(2.0) == pytest.approx(10.0)
    never = _report(12.0, 3.0, 10.0, 0.2)
    assert never.crossover()["rate"] == 0.0
    assert "more energy at any spike rate" in never.summary(print_fn=None)


def test_compute_only_profiles_are_unchanged():
    x = np.array([[[1, 0, 1], [0, 0, 1]]], "float32")
    model = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.Dense(2)])
    t = energy.estimate(model, x).total
    assert t["memory_energy_j"] == 0 and t["energy_j"] == t["compute_energy_j"]


def test_crossover_plot(tmp_path):
    report = _report(4.0, 3.0, 10.0, 0.2)
    fig = report.plot_crossover(str(tmp_path / "c.png"))
    assert (tmp_path / "c.png").stat().st_size > 0
    line = fig.axes[0].lines[0]
    rates, ratio = line.get_data()
    k = np.searchsorted(rates, 0.4)
    assert ratio[k] == pytest.approx(1.0)  # the crossover: ANN / SNN = 1 at rate 0.4
    with pytest.raises(ValueError, match="needs a report from `compare`"):
        EnergyReport(PROFILE, {"l": {}}).plot_crossover()


def test_quantized_ann_profile_by_hand():
    # Multiply (1.0 - 0.1) scaled by 2/8 activation bits, plus the add 0.1.
    qnn = PROFILE.for_activation_bits(2)
    assert (qnn.name, qnn.activation_bits, qnn.weight_bits) == ("test_mem_qnn2", 2, 8)
    assert (qnn.e_mac_pj, qnn.e_ac_pj, qnn.e_bit_pj) == pytest.approx((0.325, 0.1, 0.5))
    assert energy.get_profile("horowitz45_int8_sram").for_activation_bits(8).e_mac_pj == \
        pytest.approx(0.23)
    with pytest.raises(ValueError, match="needs an integer profile"):
        energy.get_profile("horowitz45_fp32").for_activation_bits(2)
    with pytest.raises(ValueError, match="bits"):
        PROFILE.for_activation_bits(9)


def test_rate_equivalent_bits():
    from snnzoo.energy.profiles import rate_equivalent_bits

    # T binary steps count 0..T: T + 1 levels need ceil(log2(T + 1)) bits.
    assert [rate_equivalent_bits(t) for t in (1, 2, 3, 4, 7, 8, 64)] == [1, 2, 2, 3, 3, 4, 7]


def test_compare_against_a_quantized_ann_by_hand():
    # The Dense layer's ANN counterpart: 2 steps x 3 x 2 = 12 MACs and 12 weight
    # reads of 8 bits; 2 x 2 outputs written at 2 bits (8 at the profile's 8).
    x = np.array([[[1, 0, 1], [0, 0, 1]]], "float32")
    model = keras.Sequential([keras.Input(x.shape[1:]), keras.layers.Dense(2)])
    full = energy.compare(model, x, profile=PROFILE).to_dict()["ann"]["total"]
    qnn = energy.compare(model, x, profile=PROFILE, ann_bits=2)
    t = qnn.to_dict()["ann"]["total"]
    assert full["energy_j"] == pytest.approx((12 * 1.0 + (96 + 32) * 0.5) * 1e-12)
    assert t["compute_energy_j"] == pytest.approx(12 * 0.325e-12)
    assert t["memory_energy_j"] == pytest.approx((96 + 8) * 0.5e-12)
    assert qnn.options["ann_profile"] == "test_mem_qnn2"
    # The SNN side keeps the profile itself.
    assert qnn.total == energy.compare(model, x, profile=PROFILE).total
    assert "quantized ANN (test_mem_qnn2, 2-bit" in qnn.summary(print_fn=None)
    with pytest.raises(ValueError, match="`ann_bits` must be"):
        energy.compare(model, x, profile=PROFILE, ann_bits="2")


def test_rate_equivalent_baseline_follows_the_cells_timesteps():
    from snnzoo import cells
    from snnzoo import layers

    x = np.random.default_rng(0).random((2, 3, 4)).astype("float32")
    spiking = keras.Sequential([keras.Input((3, 4)), layers.SpikingRNN(
        cells.SpikingLSTMCell(3, timesteps=3))])
    report = energy.compare(spiking, x, profile=PROFILE, ann_bits="rate")
    assert report.options["ann_activation_bits"] == 2  # ceil(log2(3 + 1))
    lif = keras.Sequential([keras.Input((3, 4)), layers.SpikingRNN(cells.LIFCell(3))])
    with pytest.raises(ValueError, match="needs a rate-coded SNN"):
        energy.compare(lif, x, profile=PROFILE, ann_bits="rate")

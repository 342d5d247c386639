"""Energy report: per-layer and total counts, energy, table and plot."""

import dataclasses
import json

from snnzoo import plots

OPS = ("synaptic_macs", "synaptic_acs", "neuron_macs", "neuron_acs")
ENERGY_PARTS = ("compute_energy_j", "memory_energy_j", "variable_energy_j", "weight_reads",
                "state_accesses", "output_bits")


def totals(counts, profile):
    macs = counts["synaptic_macs"] + counts["neuron_macs"]
    acs = counts["synaptic_acs"] + counts["neuron_acs"]
    energy = (macs * profile.e_mac_pj + acs * profile.e_ac_pj) * 1e-12
    return {"macs": macs, "acs": acs, "ops": macs + acs, "energy_j": energy,
            "mac_energy_j": macs * profile.e_mac_pj * 1e-12,
            "ac_energy_j": acs * profile.e_ac_pj * 1e-12}


@dataclasses.dataclass
class EnergyReport:
    """Counts per sample over the whole sequence, per layer and in total.

    `ops` is the unweighted figure of merit `#MAC + #AC` (Dampfhoffer et
    al.); `energy_j` weighs them by the profile. With an ANN reference
    (`compare`), `ann` holds the iso-architecture counts and `ratio` the
    energy and op ratios ANN / SNN.

    Attributes:
        profile: the `Profile` the energies are under.
        layers: `{layer name: counts}` of the measured model.
        ann: `{layer name: counts}` of the ANN reference, or None.
        options: how the counts were made (sparsity, direct MACs, the ANN
            family and profile, samples).
    """

    profile: object
    layers: dict
    ann: dict = None
    options: dict = None
    neurobench: dict = None
    """NeuroBench-convention counts (`snnzoo.energy.neurobench`), if asked."""

    def _total(self, layers):
        out = {k: 0.0 for k in OPS + ("macs", "acs", "ops", "energy_j",
                                      "mac_energy_j", "ac_energy_j") + ENERGY_PARTS}
        for row in layers.values():
            for k in out:
                out[k] += row[k]
        return out

    @property
    def total(self):
        return self._total(self.layers)

    @property
    def ratio(self):
        if not self.ann:
            return None
        ann, snn = self._total(self.ann), self.total
        return {"energy": ann["energy_j"] / snn["energy_j"] if snn["energy_j"] else None,
                "ops": ann["ops"] / snn["ops"] if snn["ops"] else None}

    def to_dict(self):
        out = {"profile": dataclasses.asdict(self.profile),
               "options": self.options or {},
               "layers": self.layers, "total": self.total}
        if self.ann:
            out["ann"] = {"layers": self.ann, "total": self._total(self.ann)}
            out["ratio"] = self.ratio
        if self.neurobench:
            out["neurobench"] = self.neurobench
        if self.ann and self.crossover() is not None:
            out["crossover"] = self.crossover()
        return out

    def measured_rate(self):
        """Mean output spike rate of the spiking layers (None if none)."""
        rates = [row["output_rate"] for row in self.layers.values()
                 if row.get("output_rate") is not None]
        return sum(rates) / len(rates) if rates else None

    def energy_at_scale(self, scale):
        """SNN energy per sample if every spike rate were `scale` times the
        measured one: the spike-driven part (ACs and their weight reads)
        scales, the rest does not."""
        t = self.total
        return t["energy_j"] + (scale - 1.0) * t["variable_energy_j"]

    def crossover(self):
        """`{"rate", "measured_rate", "scale"}`: the mean spike rate below
        which the SNN takes less energy than its ANN under this profile
        (all rates scaled together; `rate` 0: never, even silent; above 1:
        at any rate). None without an ANN or spiking layers."""
        measured = self.measured_rate()
        if not self.ann or not measured or not self.total["variable_energy_j"]:
            return None
        t = self.total
        fixed = t["energy_j"] - t["variable_energy_j"]
        scale = max(0.0, (self._total(self.ann)["energy_j"] - fixed) / t["variable_energy_j"])
        return {"rate": scale * measured, "measured_rate": measured, "scale": scale}

    def to_json(self, **kwargs):
        return json.dumps(self.to_dict(), **kwargs)

    def summary(self, print_fn=print):
        lines = [f"Energy per sample, profile {self.profile.name} "
                 f"(MAC {self.profile.e_mac_pj} pJ, AC {self.profile.e_ac_pj} pJ)",
                 f"{'layer':24s} {'MAC':>14s} {'AC':>14s} {'rate in':>8s} "
                 f"{'rate out':>8s} {'energy (J)':>11s}"]
        for name, row in self.layers.items():
            fmt = lambda v: "" if v is None else f"{v:8.4f}"
            lines.append(f"{name:24s} {row['macs']:14,.0f} {row['acs']:14,.0f} "
                         f"{fmt(row.get('input_rate')):>8s} "
                         f"{fmt(row.get('output_rate')):>8s} {row['energy_j']:11.3e}")
        t = self.total
        lines.append(f"{'total':24s} {t['macs']:14,.0f} {t['acs']:14,.0f} "
                     f"{'':8s} {'':8s} {t['energy_j']:11.3e}")
        if self.ann:
            a = self._total(self.ann)
            r = self.ratio
            lines.append(f"{'iso-architecture ANN':24s} {a['macs']:14,.0f} "
                         f"{a['acs']:14,.0f} {'':8s} {'':8s} {a['energy_j']:11.3e}")
            ann_profile = (self.options or {}).get("ann_profile", self.profile.name)
            if ann_profile != self.profile.name:
                lines.append(f"the ANN is counted as a quantized ANN ({ann_profile}, "
                             f"{self.options['ann_activation_bits']}-bit activations)")
            lines.append(f"ANN / SNN: energy {r['energy']:.2f}x, ops {r['ops']:.2f}x")
            c = self.crossover()
            if c is not None:
                verdict = ("the SNN takes more energy at any spike rate, even silent"
                           if c["rate"] == 0 else
                           "the SNN takes less energy at any spike rate up to 1"
                           if c["rate"] >= 1 else
                           f"the SNN takes less energy below a mean spike rate of "
                           f"{c['rate']:.4f}")
                lines.append(f"crossover ({self.profile.name}): {verdict} (measured "
                             f"{c['measured_rate']:.4f})")
        if self.profile.memory_aware:
            t = self.total
            lines.append(f"energy split: compute {t['compute_energy_j']:.3e} J + memory "
                         f"{t['memory_energy_j']:.3e} J ({self.profile.weight_bits}-bit weights, "
                         f"{self.profile.state_bits}-bit states)")
        if self.neurobench:
            nb = self.neurobench
            sparsity = nb.get("activation_sparsity")
            lines.append(f"NeuroBench conventions (effective ops, no bias or neuron ops): "
                         f"{nb['effective_macs']:,.0f} MAC + {nb['effective_acs']:,.0f} AC"
                         + ("" if sparsity is None else
                            f", activation sparsity {sparsity:.4f}"))
        text = "\n".join(lines)
        if print_fn:
            print_fn(text)
        return text

    def plot(self, path=None, ax=None, title=None):
        """Energy per layer, MAC and AC stacked, the SNN beside its ANN if
        known, on a log scale (a layer's energy can span decades, and no bar
        may vanish or leave the frame); on `ax` or a new figure, titled
        `title` (default: the profile), saved to `path`; returns the figure.
        Only the series with energy get a bar and a legend entry."""
        import numpy as np

        names = list(self.layers)
        x = np.arange(len(names))
        sides = [("SNN", self.layers, ("#c44e52", "#55a868"))]
        if self.ann:
            sides.append(("ANN", self.ann, ("#8c8c8c", "#c8c8c8")))
        width = 0.8 / len(sides)
        fig, ax = plots.figure_and_axes(ax, figsize=(max(5, 1.6 * len(names)), 4))
        totals = []
        for k, (side, layers, colors) in enumerate(sides):
            offset = (k - (len(sides) - 1) / 2) * width
            mac = np.array([1e9 * layers[n]["mac_energy_j"] for n in names])
            ac = np.array([1e9 * layers[n]["ac_energy_j"] for n in names])
            totals.append(mac + ac)
            for values, bottom, kind, color in ((mac, 0 * mac, "MAC", colors[0]),
                                                (ac, mac, "AC", colors[1])):
                if values.any():
                    ax.bar(x + offset, values, width, bottom=bottom, color=color,
                           label=f"{side} {kind}")
        positive = np.concatenate(totals)
        positive = positive[positive > 0]
        ax.set_yscale("log")
        if positive.size:
            ax.set_ylim(positive.min() / 3, positive.max() * 3)
        ax.set_xticks(x, names, rotation=20)
        ax.set_ylabel("energy per sample (nJ, log scale)")
        ax.set_title(title or f"Energy per layer ({self.profile.name})", fontsize=10)
        ax.legend(fontsize=8)
        return plots.finish(fig, path)

    def plot_crossover(self, path=None, ax=None):
        """Energy ratio ANN / SNN against the mean spike rate (every rate
        scaled together, see `crossover`), the measured rate marked; on `ax`
        or a new figure, saved to `path`; returns the figure."""
        import numpy as np

        c = self.crossover()
        if c is None:
            raise ValueError("`plot_crossover` needs a report from `compare` with spiking "
                             "layers.")
        rates = np.linspace(0.0, 1.0, 201)
        ann = self._total(self.ann)["energy_j"]
        ratio = [ann / self.energy_at_scale(r / c["measured_rate"]) for r in rates]
        fig, ax = plots.figure_and_axes(ax, figsize=(5.5, 3.5))
        ax.plot(rates, ratio, color="#4c72b0", label="ANN / SNN energy")
        ax.axhline(1.0, color="#8c8c8c", lw=1, ls="--", label="break-even")
        measured = ann / self.total["energy_j"]
        ax.plot([c["measured_rate"]], [measured], "o", color="#c44e52",
                label=f"measured rate {c['measured_rate']:.3f}")
        if 0 < c["rate"] < 1:
            ax.axvline(c["rate"], color="#55a868", lw=1, label=f"crossover {c['rate']:.3f}")
        ax.set_yscale("log")
        ax.set_xlabel("mean spike rate (spikes per neuron per step)")
        ax.set_ylabel("ANN / SNN energy")
        baseline = (self.options or {}).get("ann_profile", self.profile.name)
        ax.set_title(f"Energy, SNN {self.profile.name} vs ANN {baseline}", fontsize=9)
        ax.legend(fontsize=8)
        return plots.finish(fig, path)

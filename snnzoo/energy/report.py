"""Energy report: per-layer and total counts, energy, table and plot."""

import dataclasses
import json

OPS = ("synaptic_macs", "synaptic_acs", "neuron_macs", "neuron_acs")


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
    """

    profile: object
    layers: dict
    ann: dict = None
    options: dict = None
    neurobench: dict = None
    """NeuroBench-convention counts (`snnzoo.energy.neurobench`), if asked."""

    def _total(self, layers):
        out = {k: 0.0 for k in OPS + ("macs", "acs", "ops", "energy_j",
                                      "mac_energy_j", "ac_energy_j")}
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
        return out

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
            lines.append(f"ANN / SNN: energy {r['energy']:.2f}x, ops {r['ops']:.2f}x")
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

    def plot(self, path=None, ax=None):
        """Stacked MAC / AC energy per layer, SNN beside its ANN if known (on
        `ax`, or a new figure); saves to `path`; returns the figure."""
        import numpy as np

        from snnzoo import plots

        names = list(self.layers)
        x = np.arange(len(names))
        width = 0.38 if self.ann else 0.6
        fig, ax = plots.figure_and_axes(ax, figsize=(max(5, 1.6 * len(names)), 4))
        snn_mac = [1e9 * self.layers[n]["mac_energy_j"] for n in names]
        snn_ac = [1e9 * self.layers[n]["ac_energy_j"] for n in names]
        off = -width / 2 if self.ann else 0
        ax.bar(x + off, snn_mac, width, label="SNN MAC", color="#c44e52")
        ax.bar(x + off, snn_ac, width, bottom=snn_mac, label="SNN AC", color="#55a868")
        if self.ann:
            ann_mac = [1e9 * self.ann[n]["mac_energy_j"] for n in names]
            ann_ac = [1e9 * self.ann[n]["ac_energy_j"] for n in names]
            ax.bar(x + width / 2, ann_mac, width, label="ANN MAC", color="#8c8c8c")
            ax.bar(x + width / 2, ann_ac, width, bottom=ann_mac, label="ANN AC",
                   color="#c8c8c8")
        ax.set_xticks(x, names, rotation=20)
        ax.set_ylabel("energy per sample (nJ)")
        ax.set_title(f"Energy per layer ({self.profile.name})")
        ax.legend()
        return plots.finish(fig, path)

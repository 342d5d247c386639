"""What a NIR graph written by snnzoo means, stated in the graph itself."""

from snnzoo.version import __version__

CONVENTIONS = {
    "integration": "forward Euler at step dt: v_t = (1 - dt/tau) v_{t-1} + (dt/tau) r I_t; "
                   "snnzoo's leak beta is 1 - dt/tau",
    "reset": "snnzoo subtracts v_threshold on the step after a spike and the leak acts on "
             "the un-reset membrane (v_t = beta v_{t-1} + c_t - v_th s_{t-1}); NIR's LIF and "
             "CubaLIF reset to v_reset in the same step, so in the portable form the reset "
             "is not exact (the exact form spells it out as a Scale(-v_th) self-connection)",
    "update_order": "Cuba-LIF: the membrane integrates the current of the same step "
                    "(i_t, then v_t from i_t), as snnTorch does; Norse and a strict "
                    "forward-Euler step of the coupled ODE use i_{t-1}",
    "threshold": "snnzoo fires on v >= v_threshold; NIR (Threshold) and snnTorch fire on "
                 "v > v_threshold: they differ only when v equals the threshold exactly",
    "recurrence": "a recurrent edge (a graph cycle) carries the previous step's spikes, "
                  "s_{t-1}, as nirtorch and snnTorch execute cycles",
    "no_leak": "a neuron without leak (beta = 1) has tau = 2**26 dt, which is exact in "
               "float32",
}
"""The conventions NIR cannot state exactly, one line each (also in the
metadata of every graph `snnzoo.nir.export` writes)."""


def metadata(dt, form, gain, readout):
    """Flat metadata dict (NIR reads back one level of scalars and strings)."""
    meta = {"producer": f"snnzoo {__version__}", "dt": float(dt), "form": form, "gain": gain}
    meta.update({f"convention_{k}": v for k, v in CONVENTIONS.items()})
    if readout is not None:
        meta["readout"] = readout
    return meta

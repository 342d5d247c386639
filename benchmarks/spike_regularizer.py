"""Spike rate and accuracy with and without `SpikeRateRegularizer` on the
two-class toy spike task of the tests (Cuba-LIF, 16 units, 12 epochs).

    python benchmarks/spike_regularizer.py [--seeds 0,1,2]
"""

import argparse


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--regularizer", default='{"target_rate": 0.0, "l2": 10.0, "l1": 0.01}')
    args = parser.parse_args()
    import json

    import numpy as np

    from snnzoo.testing import spike_task
    from snnzoo.testing import train_toy_cuba

    regularizer = json.loads(args.regularizer)
    print(f"regularizer {regularizer}; rate = spikes per neuron per step of the first layer")
    print("| data seed | rate | accuracy | rate, regularized | accuracy, regularized |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for seed in (int(s) for s in args.seeds.split(",")):
        x, y = spike_task(np.random.default_rng(seed))
        rate, accuracy = train_toy_cuba(x, y)
        rate_reg, accuracy_reg = train_toy_cuba(x, y, regularizer)
        print(f"| {seed} | {rate:.4f} | {accuracy:.3f} | {rate_reg:.4f} | {accuracy_reg:.3f} |")


if __name__ == "__main__":
    main()

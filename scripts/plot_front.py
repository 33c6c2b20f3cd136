#!/usr/bin/env python3
"""Plot the three two-objective projections of a crimp search run file as PNG files.

Reads every evaluation of RUN.h5 with h5py, marks the Pareto front over all evaluations and the
baseline, and writes PREFIX-accuracy-ratio.png, PREFIX-mce-ratio.png and PREFIX-accuracy-mce.png.
The front is computed here from the stored objectives, the same way `crimp front` does.

Usage: scripts/plot_front.py RUN.h5 [--out PREFIX]
Needs: Debian python3-h5py and python3-matplotlib.
"""

import argparse
import sys

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def non_dominated(objectives):
    """Return a boolean mask of the rows that no other row Pareto-dominates (all objectives minimised)."""
    count = len(objectives)
    mask = np.ones(count, dtype=bool)
    for i in range(count):
        no_worse = np.all(objectives <= objectives[i], axis=1)
        better = np.any(objectives < objectives[i], axis=1)
        mask[i] = not np.any(no_worse & better)
    return mask


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="run file written by crimp search")
    parser.add_argument("--out", default=None, help="prefix of the PNG files (default: the run file without .h5)")
    arguments = parser.parse_args()
    prefix = arguments.out or arguments.run.removesuffix(".h5")

    try:
        run = h5py.File(arguments.run, "r")
    except OSError as error:
        sys.exit(f"plot_front.py: cannot open run file '{arguments.run}': {error}")
    if run.attrs.get("format") != "crimp-run":
        sys.exit(f"plot_front.py: '{arguments.run}' is not a crimp run file")

    ok = run["evaluations/ok"][:] == 1
    accuracy = 100.0 * run["evaluations/accuracy"][:][ok]
    mce = run["evaluations/mce"][:][ok]
    ratio = run["evaluations/compression_ratio"][:][ok]
    front = non_dominated(run["evaluations/objectives"][:][ok])
    baseline_accuracy = 100.0 * float(run.attrs.get("baseline_accuracy", [0.0])[0])

    views = [
        ("accuracy-ratio", ratio, accuracy, "compression ratio", "validation accuracy (%)", True, (1.0, baseline_accuracy)),
        ("mce-ratio", ratio, mce, "compression ratio", "mCE (baseline = 100)", True, (1.0, 100.0)),
        ("accuracy-mce", mce, accuracy, "mCE (baseline = 100)", "validation accuracy (%)", False, (100.0, baseline_accuracy)),
    ]
    for name, x, y, x_label, y_label, log_x, baseline in views:
        figure, axis = plt.subplots(figsize=(6, 4.5))
        axis.scatter(x[~front], y[~front], s=14, color="#99aaaa", label="evaluated")
        axis.scatter(x[front], y[front], s=30, color="#d62728", label="front")
        if baseline_accuracy > 0.0:
            axis.scatter([baseline[0]], [baseline[1]], s=50, color="black", marker="*", label="baseline")
        if log_x:
            axis.set_xscale("log")
        axis.set_xlabel(x_label)
        axis.set_ylabel(y_label)
        axis.grid(alpha=0.3)
        axis.legend(loc="best", fontsize=8)
        figure.tight_layout()
        figure.savefig(f"{prefix}-{name}.png", dpi=120)
        plt.close(figure)
        print(f"wrote {prefix}-{name}.png")


if __name__ == "__main__":
    main()

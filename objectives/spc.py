"""Control chart (individuals X-mR) and the Western Electric rules, in numpy. Pure.

Limits come from a baseline period (centre = mean, sigma = mean moving range / 1.128);
each rule flags the point that completes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

D2 = 1.128  # the bias constant of a moving range of two points


@dataclass(frozen=True)
class Limits:
    center: float
    sigma: float

    @property
    def upper(self) -> float:
        return self.center + 3 * self.sigma

    @property
    def lower(self) -> float:
        return self.center - 3 * self.sigma


def xmr_limits(baseline) -> Limits | None:
    """Limits from the baseline values; None with fewer than 2 points."""
    values = np.asarray(baseline, dtype=float)
    if values.size < 2:
        return None
    moving_range = np.abs(np.diff(values)).mean()
    return Limits(center=float(values.mean()), sigma=float(moving_range / D2))


def _runs(side: np.ndarray, window: int, needed: int) -> np.ndarray:
    """Indices ``i`` where ``needed`` of the ``window`` points ending at ``i`` are True,
    point ``i`` included."""
    if side.size < window:
        return np.array([], dtype=int)
    counts = sliding_window_view(side, window).sum(axis=1)
    ends = np.arange(window - 1, side.size)
    return ends[(counts >= needed) & side[window - 1:]]


def western_electric(values, limits: Limits) -> dict[int, list[int]]:
    """{point index: [rules broken]}: 1 beyond 3 sigma; 2 two of three beyond 2 sigma on one
    side; 3 four of five beyond 1 sigma on one side; 4 eight in a row on one side."""
    x = np.asarray(values, dtype=float)
    if limits.sigma == 0:
        z = np.sign(x - limits.center) * np.inf
        z[np.isnan(z)] = 0
    else:
        z = (x - limits.center) / limits.sigma
    flags: dict[int, set[int]] = {}

    def flag(indices, rule):
        for index in indices:
            flags.setdefault(int(index), set()).add(rule)

    flag(np.nonzero(np.abs(z) > 3)[0], 1)
    for sign in (1, -1):
        side = sign * z
        flag(_runs(side > 2, 3, 2), 2)
        flag(_runs(side > 1, 5, 4), 3)
        flag(_runs(side > 0, 8, 8), 4)
    return {index: sorted(rules) for index, rules in sorted(flags.items())}

"""Forecast of an indicator: ordinary least squares on a rolling window, with a prediction
interval, and the first step at which the forecast crosses the red threshold. Pure numpy.

The method, the window, the horizon and the interval are returned with the figures so the page
shows them: another method (damped Holt) can give another answer on the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Two-sided 95 % Student quantiles by degrees of freedom (1..30); 1.96 beyond.
T95 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
       2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)
WINDOW = 12
HORIZON = 6
MIN_POINTS = 4


def t95(dof: int) -> float:
    return T95[dof - 1] if 1 <= dof <= len(T95) else 1.96


@dataclass(frozen=True)
class Forecast:
    method: str
    window: int
    horizon: int
    slope: float
    predicted: list[float]
    lower: list[float]
    upper: list[float]
    breach_step: int | None  # 1 = the next period; None: no crossing within the horizon


def ols_forecast(values, *, red_threshold: float | None, higher_is_better: bool, window: int = WINDOW,
                 horizon: int = HORIZON) -> Forecast | None:
    """Fit y = a + b t on the last ``window`` values and project ``horizon`` periods ahead with
    a 95 % prediction interval; None with fewer than 4 values."""
    y = np.asarray(values, dtype=float)[-window:]
    n = y.size
    if n < MIN_POINTS:
        return None
    t = np.arange(n, dtype=float)
    slope, intercept = np.polyfit(t, y, 1)
    residuals = y - (intercept + slope * t)
    s = float(np.sqrt((residuals ** 2).sum() / (n - 2)))
    future = np.arange(n, n + horizon, dtype=float)
    predicted = intercept + slope * future
    spread = t95(n - 2) * s * np.sqrt(1 + 1 / n + (future - t.mean()) ** 2 / ((t - t.mean()) ** 2).sum())
    return Forecast(
        method="OLS", window=n, horizon=horizon, slope=float(slope), predicted=[float(v) for v in predicted],
        lower=[float(v) for v in predicted - spread], upper=[float(v) for v in predicted + spread],
        breach_step=_breach_step(predicted, red_threshold, higher_is_better),
    )


def _breach_step(predicted: np.ndarray, red: float | None, higher_is_better: bool) -> int | None:
    if red is None:
        return None
    crossed = predicted <= red if higher_is_better else predicted >= red
    hits = np.nonzero(crossed)[0]
    return int(hits[0]) + 1 if hits.size else None


def moving_average(values, size: int = 3) -> list[float | None]:
    """Trailing mean of ``size`` points (None before there are enough)."""
    y = np.asarray(values, dtype=float)
    if y.size < size:
        return [None] * y.size
    means = np.convolve(y, np.ones(size) / size, mode="valid")
    return [None] * (size - 1) + [float(v) for v in means]

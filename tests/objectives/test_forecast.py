"""OLS forecast with its interval and the breach of the red threshold: hand-computed figures."""

import pytest

from objectives import forecast


def test_a_straight_decline_is_projected_exactly_and_crosses_the_red_threshold_on_time():
    values = [100, 98, 96, 94, 92, 90]  # -2 per period
    result = forecast.ols_forecast(values, red_threshold=85, higher_is_better=True, horizon=6)
    assert result.method == "OLS" and result.window == 6 and result.horizon == 6
    assert result.slope == pytest.approx(-2)
    assert result.predicted == pytest.approx([88, 86, 84, 82, 80, 78])
    assert result.lower == pytest.approx(result.predicted) and result.upper == pytest.approx(result.predicted)
    assert result.breach_step == 3  # 84 is the first value at or below 85


def test_lower_is_better_breaches_upwards_and_a_flat_series_never_breaches():
    rising = forecast.ols_forecast([1, 2, 3, 4], red_threshold=6, higher_is_better=False, horizon=6)
    assert rising.breach_step == 2  # 5, then 6
    flat = forecast.ols_forecast([5, 5, 5, 5, 5], red_threshold=6, higher_is_better=False)
    assert flat.breach_step is None


def test_the_interval_widens_with_noise_and_with_the_horizon():
    result = forecast.ols_forecast([10, 12, 10, 12, 10, 12], red_threshold=None, higher_is_better=True, horizon=3)
    widths = [u - lo for u, lo in zip(result.upper, result.lower, strict=True)]
    assert widths[0] > 0 and widths[0] < widths[1] < widths[2]
    assert result.breach_step is None


def test_only_the_rolling_window_is_fitted_and_short_series_give_nothing():
    values = [0] * 20 + [50, 52, 54, 56]
    assert forecast.ols_forecast(values, red_threshold=None, higher_is_better=True, window=4).slope == pytest.approx(2)
    assert forecast.ols_forecast([1, 2, 3], red_threshold=None, higher_is_better=True) is None


def test_the_moving_average_waits_for_enough_points():
    assert forecast.moving_average([3, 6, 9, 12], 3) == [None, None, 6.0, 9.0]

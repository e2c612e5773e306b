"""Control chart limits and the Western Electric rules: hand-made series, expected flags by hand."""

import pytest

from objectives import spc

LIMITS = spc.Limits(center=10.0, sigma=1.0)  # zones: 11, 12, 13 above; 9, 8, 7 below


def test_limits_come_from_the_mean_and_the_mean_moving_range():
    limits = spc.xmr_limits([10, 12, 10, 12, 10])  # moving ranges all 2 -> sigma = 2 / 1.128
    assert limits.center == pytest.approx(10.8)
    assert limits.sigma == pytest.approx(2 / 1.128)
    assert limits.upper == pytest.approx(10.8 + 6 / 1.128)
    assert spc.xmr_limits([5]) is None


@pytest.mark.parametrize(("values", "expected"), [
    ([10, 10.5, 9.5, 10, 13.5, 10], {4: [1]}),  # one point beyond 3 sigma
    ([10, 6.5, 10], {1: [1]}),  # below too
    ([10, 12.5, 10, 12.5, 10], {3: [2]}),  # 2 of 3 beyond 2 sigma on one side, flagged on the second
    ([10, 12.5, 7.5, 10], {}),  # opposite sides: no rule 2
    ([10, 11.5, 11.5, 10, 11.5, 11.5, 10], {5: [3]}),  # 4 of 5 beyond 1 sigma: 11.5 x4 in positions 1,2,4,5
    ([10.2] * 7 + [10.2], {7: [4]}),  # 8 in a row above the centre
    ([9.8] * 9, {7: [4], 8: [4]}),  # 9 in a row below: points 8 and 9 complete a run of 8
    ([10.5, 9.5] * 6, {}),  # a stable process breaks nothing
])
def test_the_western_electric_rules_flag_the_point_that_completes_them(values, expected):
    assert spc.western_electric(values, LIMITS) == expected


def test_a_point_can_break_several_rules():
    values = [10.5] * 7 + [13.5]
    assert spc.western_electric(values, LIMITS) == {7: [1, 4]}

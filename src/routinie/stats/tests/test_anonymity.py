"""The anonymity layer's rules, one by one (P04)."""

import math

import pytest

from routinie.stats import anonymity


def test_suppress_below_k_withholds_fewer_than_k_and_shows_k():
    assert anonymity.suppress_below_k(people=9, value=123, k=10) is None
    assert anonymity.suppress_below_k(people=0, value=0, k=10) is None
    assert anonymity.suppress_below_k(people=10, value=123, k=10) == 123


@pytest.mark.parametrize(
    ("value", "bucket"),
    [
        (0, None),
        (1, None),
        (1.5, 1),
        (2, 1),
        (7, 5),
        (10, 5),
        (11, 10),
        (499_999, 200_000),
        (500_000, 200_000),
        (500_001, 500_000),
        (999_999, 500_000),
        (1_000_001, 1_000_000),
        (-40, None),
    ],
)
def test_coarsen_rounds_down_to_the_1_2_5_bucket_strictly_below(value, bucket):
    assert anonymity.coarsen(value) == bucket


@pytest.mark.promise("P04")
def test_the_headline_margin_is_exceeded_by_the_noise_at_most_once_in_a_million():
    scale = 5.0
    margin = anonymity.lower_bound_margin(scale)
    # Discrete Laplace: P(Z >= t) = e^(-t/b) / (1 + e^(-1/b)) <= e^(-t/b).
    assert math.exp(-margin / scale) <= anonymity.FAILURE_PROBABILITY * (1 + 1e-9)


@pytest.mark.promise("P04")
@pytest.mark.parametrize(("sensitivity", "epsilon"), [(1, 0.2), (4, 0.2), (1, 1.0)])
def test_count_noise_is_proven_enough_by_opendps_privacy_map(sensitivity, epsilon):
    noised = anonymity.noisy_counts([100, 5, 0], epsilon=epsilon, sensitivity=sensitivity)
    mechanism = anonymity.count_mechanism(noised.scale)
    assert mechanism.map(sensitivity) <= epsilon
    assert noised.scale >= sensitivity / epsilon - 1e-9
    assert all(isinstance(v, int) and v >= 0 for v in noised.values)


@pytest.mark.promise("P04")
def test_sum_noise_is_proven_enough_by_opendps_privacy_map():
    noised = anonymity.noisy_sums([1000.0, 20.5], epsilon=0.2, sensitivity=100.0)
    assert anonymity.sum_mechanism(noised.scale).map(100.0) <= 0.2
    assert noised.scale == pytest.approx(500.0)


@pytest.mark.promise("P04")
def test_one_more_person_changes_the_chance_of_a_noisy_count_by_at_most_e_to_epsilon():
    """Statistically: the same question on neighbouring data (100 people vs 101), 4,000 draws
    each; how often the published count is at least 101 may differ by at most e^epsilon (with
    room for sampling error). Without noise it would be never vs always."""
    epsilon, draws = 0.5, 4000
    without = anonymity.noisy_counts([100] * draws, epsilon=epsilon, sensitivity=1).values
    with_one = anonymity.noisy_counts([101] * draws, epsilon=epsilon, sensitivity=1).values
    p_without = sum(v >= 101 for v in without) / draws
    p_with = sum(v >= 101 for v in with_one) / draws
    assert 0.2 < p_without < p_with < 0.8
    assert p_with / p_without <= math.exp(epsilon) * 1.15


def test_noise_needs_a_positive_epsilon_and_sensitivity():
    with pytest.raises(ValueError):
        anonymity.noisy_counts([1], epsilon=0, sensitivity=1)
    with pytest.raises(ValueError):
        anonymity.noisy_sums([1.0], epsilon=1, sensitivity=0)


@pytest.mark.promise("P05")
def test_histogram_withholds_small_buckets_and_enough_others_to_hide_them_from_the_total():
    assert anonymity.histogram_with_k([50, 3, 20, 0], k=10) == [50, None, None, None]
    assert anonymity.histogram_with_k([50, 30, 20, 0], k=10) == [50, 30, 20, None]
    assert anonymity.histogram_with_k([50, 6, 5, 30], k=10) == [50, None, None, 30]
    assert anonymity.histogram_with_k([9], k=10) == [None]


@pytest.mark.promise("P05")
def test_a_percentile_needs_k_people_on_each_side():
    values = [(v, 1) for v in range(1, 20)]  # 19 people, values 1..19
    assert anonymity.percentile_with_k(values, 0.5, k=10) == 10  # rank 10: 10 below, 10 above
    assert anonymity.percentile_with_k(values, 0.25, k=10) is None  # rank 5: only 5 below
    assert anonymity.percentile_with_k(values, 0.9, k=10) is None
    many = [(v, 10) for v in range(1, 11)]  # 100 people
    assert anonymity.percentile_with_k(many, 0.9, k=10) == 9

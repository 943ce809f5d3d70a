"""The track-record math: Brier score, hit rate, calibration bins, the late/partly rules, caution, per topic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.domain.track_record import (
    MIN_JUDGED,
    OBSERVED,
    Forecast,
    Standing,
    band_of,
    brier_interval,
    brier_score,
    calibration,
    hit_credit,
    observed_value,
    standing_of_counts,
    standing_of_sums,
    track_record,
    track_record_by_topic,
    track_record_of_counts,
    verdict,
)


class TestObservedValue:
    @pytest.mark.parametrize(
        ("outcome", "value"),
        [("came_true", 1.0), ("came_true_late", 0.0), ("partly", 0.5), ("did_not_happen", 0.0)],
    )
    def test_judged_outcomes(self, outcome, value):
        assert observed_value(outcome) == value

    @pytest.mark.parametrize("outcome", ["pending", "cannot_judge"])
    def test_unjudged_outcomes_have_no_value(self, outcome):
        assert observed_value(outcome) is None


class TestBrier:
    def test_mean_squared_error(self):
        assert brier_score([(0.675, 1.0)]) == pytest.approx(0.105625)
        assert brier_score([(0.9, 1.0), (0.2, 0.0)]) == pytest.approx((0.01 + 0.04) / 2)

    def test_no_pairs_no_score(self):
        assert brier_score([]) is None

    def test_came_true_late_is_scored_as_not_happened_by_the_horizon(self):
        record = track_record([Forecast("came_true_late", 0.97)])
        assert record.brier_score == pytest.approx(0.97**2)
        assert record.came_true_late == 1 and record.came_true == 0

    def test_partly_is_scored_half(self):
        assert track_record([Forecast("partly", 0.8)]).brier_score == pytest.approx(0.09)

    def test_unhedged_pending_and_cannot_judge_are_left_out_of_the_brier_score(self):
        record = track_record(
            [
                Forecast("came_true", 0.8),
                Forecast("did_not_happen", None),
                Forecast("pending", 0.6),
                Forecast("cannot_judge", 0.9),
            ]
        )
        assert record.scored == 1
        assert record.brier_score == pytest.approx(0.04)

    def test_perfect_and_worst(self):
        assert track_record([Forecast("came_true", 1.0), Forecast("did_not_happen", 0.0)]).brier_score == 0
        assert track_record([Forecast("came_true", 0.0)]).brier_score == 1


class TestHitRate:
    @pytest.mark.parametrize(
        ("probability", "outcome", "credit"),
        [
            (0.8, "came_true", 1.0),
            (0.8, "did_not_happen", 0.0),
            (0.8, "came_true_late", 0.0),  # leaned "will happen": late is a miss
            (0.2, "came_true_late", 1.0),  # leaned "will not (by then)": late is a hit
            (0.2, "did_not_happen", 1.0),
            (0.2, "came_true", 0.0),
            (0.8, "partly", 0.5),
            (0.2, "partly", 0.5),
            (None, "came_true", 1.0),  # unhedged: a flat assertion leans "will happen"
            (None, "did_not_happen", 0.0),
            (0.5, "came_true", None),  # no lean, no hit or miss
            (0.8, "pending", None),
            (0.8, "cannot_judge", None),
        ],
    )
    def test_credit(self, probability, outcome, credit):
        assert hit_credit(probability, outcome) == credit

    def test_rate_over_judged_forecasts_with_a_lean(self):
        record = track_record(
            [
                Forecast("came_true", 0.8),
                Forecast("partly", 0.7),
                Forecast("did_not_happen", None),
                Forecast("came_true", 0.5),
                Forecast("pending", 0.9),
            ]
        )
        assert record.hit_rate_sample == 3
        assert record.hits == 1.5
        assert record.hit_rate == pytest.approx(0.5)

    def test_no_judged_forecast_no_rate(self):
        assert track_record([Forecast("pending", 0.9)]).hit_rate is None


class TestCalibration:
    @pytest.mark.parametrize(
        ("p", "band"),
        [
            (0.03, "almost_no_chance"),
            (0.05, "very_unlikely"),
            (0.125, "very_unlikely"),
            (0.325, "unlikely"),
            (0.5, "roughly_even"),
            (0.675, "likely"),
            (0.875, "very_likely"),
            (0.97, "almost_certain"),
            (0.99, "almost_certain"),
            (1.0, "almost_certain"),
            (0.0, "almost_no_chance"),
        ],
    )
    def test_band_of(self, p, band):
        assert band_of(p) == band

    def test_bins_hold_mean_forecast_and_observed_frequency(self):
        bins = calibration([(0.675, 1.0), (0.7, 0.0), (0.675, 0.5), (0.97, 1.0)])
        assert [b.band for b in bins] == ["likely", "almost_certain"]
        likely = bins[0]
        assert likely.count == 3
        assert likely.mean_forecast == pytest.approx((0.675 + 0.7 + 0.675) / 3)
        assert likely.observed_frequency == pytest.approx(0.5)
        assert (likely.low, likely.high, likely.label) == (0.55, 0.8, "Likely")

    def test_record_calibration_uses_only_scored_forecasts(self):
        record = track_record([Forecast("came_true", 0.875), Forecast("pending", 0.1), Forecast("came_true", None)])
        assert [(b.band, b.count) for b in record.calibration] == [("very_likely", 1)]


class TestCountsAndCaution:
    def test_counts(self):
        outcomes = ["came_true", "came_true", "came_true_late", "partly", "did_not_happen", "cannot_judge", "pending"]
        record = track_record([Forecast(o, 0.7) for o in outcomes])
        assert (record.made, record.pending, record.resolved, record.judged) == (7, 1, 6, 5)
        assert (record.came_true, record.came_true_late, record.partly) == (2, 1, 1)
        assert (record.did_not_happen, record.cannot_judge) == (1, 1)
        assert record.came_true_total == 3

    def test_caution_below_five_judged(self):
        judged = [Forecast("came_true", 0.7)] * (MIN_JUDGED - 1)
        assert track_record(judged).caution is True
        assert track_record([*judged, Forecast("cannot_judge", 0.7), Forecast("pending", 0.7)]).caution is True
        assert track_record([*judged, Forecast("did_not_happen", 0.7)]).caution is False

    def test_empty(self):
        record = track_record([])
        assert record.made == 0 and record.brier_score is None and record.hit_rate is None and record.caution


OUTCOMES = (*OBSERVED, "cannot_judge", "pending")
PROBABILITIES = (None, 0.02, 0.1, 0.3, 0.5, 0.55, 0.7, 0.925, 0.98)


class TestStanding:
    """A leaderboard ranks thousands of experts by their Standing; it must be what their whole record says."""

    @given(st.lists(st.tuples(st.sampled_from(OUTCOMES), st.sampled_from(PROBABILITIES), st.integers(1, 40))))
    def test_same_judged_count_and_brier_score_as_the_whole_record(self, groups):
        record = track_record_of_counts(groups)
        standing = standing_of_counts(groups)
        assert standing.judged == record.judged
        assert standing.brier_score == record.brier_score  # the same sum in the same order: the same bits
        assert standing.ranked == (not record.caution and record.brier_score is not None)

    def test_ranked_needs_enough_judged_forecasts_and_a_score(self):
        assert Standing(judged=MIN_JUDGED, brier_score=0.2).ranked
        assert not Standing(judged=MIN_JUDGED - 1, brier_score=0.2).ranked
        # Judged, but all unhedged: no Brier score, nothing to rank by.
        assert not standing_of_counts([("came_true", None, MIN_JUDGED + 3)]).ranked
        assert standing_of_counts([("came_true", None, 3), ("pending", 0.7, 9), ("cannot_judge", 0.7, 9)]).judged == 3

    def test_from_sums(self):
        # Two forecasts at 0.7: one came true (0.09), one did not (0.49).
        assert standing_of_sums(2, 2, 0.58) == Standing(judged=2, brier_score=0.29)
        assert standing_of_sums(3, 0, None) == Standing(judged=3, brier_score=None)


class TestByTopic:
    def test_a_forecast_counts_under_each_of_its_topics(self):
        forecasts = [
            Forecast("came_true", 0.8, ("sanctions", "summits")),
            Forecast("did_not_happen", 0.8, ("summits",)),
            Forecast("pending", 0.8, ()),
        ]
        by_topic = {t.topic: t.record for t in track_record_by_topic(forecasts)}
        assert list(by_topic) == ["sanctions", "summits"]
        assert by_topic["sanctions"].made == 1 and by_topic["sanctions"].brier_score == pytest.approx(0.04)
        assert by_topic["summits"].made == 2
        assert by_topic["summits"].brier_score == pytest.approx((0.04 + 0.64) / 2)
        assert by_topic["summits"].hit_rate == pytest.approx(0.5)


class TestBrierInterval:
    def test_interval_is_the_mean_plus_or_minus_t_standard_errors(self):
        # squared errors 0.01, 0.04, 0.09, 0.16: mean 0.075, sample sd 0.06557..., se 0.032787...; t(3) = 3.182
        low, high = brier_interval([(0.9, 1.0), (0.2, 0.0), (0.7, 1.0), (0.4, 0.0)])
        assert low == pytest.approx(0.0, abs=1e-9)  # 0.075 - 0.104 clipped at 0
        assert high == pytest.approx(0.075 + 3.182 * 0.032787, abs=1e-5)

    def test_past_thirty_forecasts_the_interval_is_the_normal_one(self):
        pairs = [(0.9, 1.0), (0.2, 0.0), (0.7, 1.0), (0.4, 0.0)] * 10  # n = 40
        errors = [(p - o) ** 2 for p, o in pairs]
        mean = sum(errors) / 40
        se = (sum((e - mean) ** 2 for e in errors) / 39 / 40) ** 0.5
        assert brier_interval(pairs) == pytest.approx((mean - 1.96 * se, mean + 1.96 * se), abs=1e-6)

    def test_two_similar_forecasts_still_give_a_wide_interval(self):
        low, high = brier_interval([(0.6, 1.0), (0.55, 1.0)])
        assert high - low > 0.3

    def test_interval_is_clipped_to_zero_and_one(self):
        low, high = brier_interval([(1.0, 1.0), (0.0, 1.0)])
        assert (low, high) == (0.0, 1.0)

    def test_one_forecast_has_no_interval(self):
        assert brier_interval([(0.9, 1.0)]) is None
        assert track_record([Forecast("came_true", 0.9)]).brier_low is None

    def test_fewer_forecasts_give_a_wider_interval(self):
        few = track_record([Forecast("came_true", 0.8), Forecast("did_not_happen", 0.3)] * 2)
        many = track_record([Forecast("came_true", 0.8), Forecast("did_not_happen", 0.3)] * 20)
        assert few.brier_score == many.brier_score
        assert few.brier_high - few.brier_low > many.brier_high - many.brier_low


class TestVerdict:
    @pytest.mark.parametrize(
        ("probability", "outcome", "expected"),
        [
            (0.12, "did_not_happen", "right"),  # a correct 12% forecast is right, though the event did not happen
            (0.8, "came_true", "right"),
            (None, "came_true", "right"),  # unhedged: a flat "it will"
            (0.8, "did_not_happen", "wrong"),
            (0.1, "came_true", "wrong"),
            (0.8, "came_true_late", "right_late"),
            (0.1, "came_true_late", "right"),  # "it will not happen by then", and it did not
            (0.8, "partly", "partly"),
            (0.8, "cannot_judge", "not_judgeable"),
            (0.5, "came_true", "not_judgeable"),
            (0.8, "pending", "pending"),
        ],
    )
    def test_verdict_says_whether_the_forecaster_was_right(self, probability, outcome, expected):
        assert verdict(probability, outcome) == expected

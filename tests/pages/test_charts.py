"""The pages' charts (claims.pages.charts, drawn by pygal): each renders the data it is given, says it in its
title and description, and carries no inline script or style (the CSP allows neither script nor eval)."""

from __future__ import annotations

import datetime
import re

from claims.domain.track_record import Forecast, track_record
from claims.pages.charts import TimelineItem, calibration_chart, timeline_chart, year_chart


def _no_inline_code(svg: str) -> None:
    assert "<script" not in svg and "<style" not in svg and "<!--" not in svg
    assert ">Pygal<" not in svg  # pygal's own <title> gives way to ours


def test_the_calibration_chart_draws_one_dot_per_band_sized_by_its_forecasts():
    forecasts = [Forecast(outcome="came_true", probability=0.9, topics=())] * 3 + [
        Forecast(outcome="did_not_happen", probability=0.2, topics=()),
        Forecast(outcome="came_true", probability=0.2, topics=()),
    ]
    record = track_record(forecasts)
    chart = calibration_chart(record, anchor="card-cal")
    svg = str(chart)
    _no_inline_code(svg)
    assert 'role="img" aria-labelledby="card-cal-title card-cal-desc"' in svg
    assert '<title id="card-cal-title">Calibration' in svg
    # The bands' figures, in the description and the dots' labels.
    assert len(record.calibration) == 2
    for band in record.calibration:
        assert f"{band.count} forecast" in chart.description
    assert "at 90% on average, observed 100%." in chart.description
    assert "at 20% on average, observed 50%." in chart.description
    # Two dots (the diagonal has none), the one of three forecasts larger than the one of two.
    radii = sorted(float(r) for r in re.findall(r'<circle[^>]* r="([\d.]+)"', svg))
    assert radii == [8.0, 10.0]


def test_a_calibration_chart_without_scored_forecasts_says_so():
    chart = calibration_chart(track_record([Forecast(outcome="pending", probability=0.5, topics=())]), anchor="x")
    assert chart.description.startswith("No scored forecasts.")
    assert "<circle" not in str(chart)


def test_the_year_chart_has_a_bar_per_year_and_prints_the_counts():
    svg = str(year_chart([(2019, 5), (2021, 2)], anchor="y").chart)
    _no_inline_code(svg)
    assert svg.count('class="rect reactive tooltip-trigger"') == 3  # 2019, 2020 (empty), 2021
    values = re.findall(r'<text[^>]*class="value[^"]*"[^>]*>(\d+)</text>', svg)
    assert values == ["5", "2"]  # zeroes are not printed
    assert "2019: 5. 2020: 0. 2021: 2." in svg


def test_the_timeline_links_every_forecast_and_colours_it_by_verdict():
    items = [
        TimelineItem(
            label="Cho Han-bum",
            summary="Cho Han-bum: a visit",
            made=datetime.date(2015, 3, 1),
            horizon_end=datetime.date(2015, 5, 31),
            events=(datetime.date(2015, 5, 9),),
            verdict="right",
            url="/predictions/7/",
        ),
        TimelineItem(
            label="Andrei Lankov",
            summary="Andrei Lankov: relief",
            made=datetime.date(2016, 1, 10),
            horizon_end=None,
            events=(),
            verdict="pending",
            url="/predictions/8/",
        ),
    ]
    chart = timeline_chart(items)
    svg = str(chart)
    _no_inline_code(svg)
    assert 'xlink:href="/predictions/7/"' in svg and 'xlink:href="/predictions/8/"' in svg
    assert "verdict-right" in svg and "verdict-pending open" in svg  # open-ended: dashed (site.css)
    assert ">Cho Han-bum</text>" in svg and ">Andrei Lankov</text>" in svg
    assert 'class="series serie-2 color-2 events"' in svg and "event 9 May 2015" in svg
    assert chart.title == "Timeline of 2 forecasts"
    assert "Cho Han-bum: a visit." in chart.description
    assert timeline_chart([]) is None
    # Over two years or less the axis is in quarters.
    ticks = re.findall(r"<text[^>]*>(\w+)</text><title>", str(timeline_chart(items[:1])))
    assert ticks == ["2015", "Apr", "Jul", "Oct", "2016"]


def test_text_in_a_chart_is_escaped():
    item = TimelineItem(
        label="<script>alert(1)</script>",
        summary="a & b",
        made=datetime.date(2020, 1, 1),
        horizon_end=None,
        events=(),
        verdict="pending",
        url="/predictions/1/",
    )
    svg = str(timeline_chart([item]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg

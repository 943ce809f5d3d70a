"""The pages' charts (claims.pages.charts, drawn by pygal): each renders the data it is given, says it in its
title and description, and carries no inline script or style (the CSP allows neither script nor eval)."""

from __future__ import annotations

import datetime
import re

import pytest

from claims.domain.track_record import Forecast, track_record
from claims.pages.charts import TimelineItem, calibration_chart, timeline_axis, timeline_chart, year_chart


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


def _plot_and_bars(svg: str) -> tuple[float, list[tuple[float, float]]]:
    """The plot's width and each bar's (x, width), from the year chart's SVG."""
    plot = float(re.findall(r'<rect x="0" y="0" width="([\d.]+)" height="[\d.]+" class="background"/>', svg)[1])
    bars = [
        (float(x), float(width))
        for x, width in re.findall(r'<rect x="([\d.]+)"[^>]* width="([\d.]+)"[^>]*class="rect reactive', svg)
    ]
    return plot, bars


@pytest.mark.parametrize("years", [1, 2, 3])
def test_one_or_a_few_years_are_bars_not_blocks_as_wide_as_the_chart(years):
    plot, bars = _plot_and_bars(str(year_chart([(2015 + n, 2) for n in range(years)]).chart))
    assert len(bars) == years
    assert all(0 < width <= 0.12 * plot for _, width in bars), (bars, plot)
    # Centred in their bands: as far from the plot's left edge as the last is from its right, evenly spaced.
    first, last = bars[0][0] + bars[0][1] / 2, bars[-1][0] + bars[-1][1] / 2
    assert abs(first - (plot - last)) < 1
    gaps = {round(b[0] - a[0], 3) for a, b in zip(bars, bars[1:], strict=False)}
    assert len(gaps) <= 1


def test_many_years_keep_pygal_s_own_bar_widths():
    _, bars = _plot_and_bars(str(year_chart([(2000 + n, 2) for n in range(12)]).chart))
    band = bars[1][0] - bars[0][0]
    assert all(abs(width - band * 0.88 * 0.88) < 0.01 for _, width in bars)


def test_over_sixteen_years_the_year_chart_gives_a_scale_instead_of_the_counts():
    svg = str(year_chart([(year, year % 7 + 1) for year in range(2000, 2021)]).chart)
    scale = svg[svg.index('class="axis y') :]
    assert re.findall(r'class="major">(\d+)</text>', scale)[:3] == ["0", "3", "7"]
    short = str(year_chart([(year, 2) for year in range(2000, 2010)]).chart)
    assert 'class="axis y' not in short  # few years: each bar says its count


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
    assert re.search(r'class="series serie-\d+ color-\d+ events"', svg) and "event 9 May 2015" in svg
    assert chart.title == "Timeline of 2 forecasts"
    assert "Cho Han-bum: a visit." in chart.description
    assert timeline_chart([]) is None
    # Over two years or less the axis is in quarters.
    ticks = re.findall(r"<text[^>]*>(\w+)</text><title>", str(timeline_chart(items[:1])))
    assert ticks == ["2015", "Apr", "Jul", "Oct", "2016"]


def test_the_phones_timeline_has_the_same_rows_drawn_narrow_with_at_most_four_dates():
    items = [
        TimelineItem(
            label=f"Expert {year}",
            summary=f"Expert {year}: a forecast",
            made=datetime.date(year, 3, 1),
            horizon_end=datetime.date(year + 1, 3, 1),
            events=(),
            verdict="pending",
            url=f"/predictions/{year}/",
        )
        for year in range(2005, 2025, 2)
    ]
    wide, narrow = str(timeline_chart(items)), str(timeline_chart(items, anchor="timeline-narrow", narrow=True))
    assert 'class="chart timeline-svg"' in wide and 'class="chart timeline-svg-narrow"' in narrow
    assert 'viewBox="0 0 1000 ' in wide and 'viewBox="0 0 380 ' in narrow
    assert 'id="timeline-narrow-title"' in narrow and 'id="timeline-title"' not in narrow  # ids stay unique
    for year in range(2005, 2025, 2):
        assert f'xlink:href="/predictions/{year}/"' in narrow and f">Expert {year}</text>" in narrow
    ticks = re.findall(r"<text[^>]*>(\w+)</text><title>", narrow)
    assert 2 <= len(ticks) <= 4, ticks
    assert len(re.findall(r"<text[^>]*>(\w+)</text><title>", wide)) > 4


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


def _series_path(svg: str, css_class: str) -> list[tuple[float, float, float, float]]:
    """The segments (x1, y1, x2, y2) of the series carrying ``css_class`` (pygal draws each as a path "M x y L x y")."""
    group = re.search(rf'<g class="series serie-\d+ color-\d+ {css_class}">(.*?)</g>', svg)
    assert group, f"no series {css_class!r}"
    return [
        tuple(float(v) for v in m)
        for m in re.findall(r'<path d="M([\d.]+) ([\d.]+) L([\d.]+) ([\d.]+)"', group.group(1))
    ]


def test_the_timeline_shades_the_horizon_and_dots_the_stretch_past_it_to_a_late_event():
    late = TimelineItem(
        label="Andrei Lankov",
        summary="Andrei Lankov: a visit in May",
        made=datetime.date(2014, 11, 20),
        horizon_start=datetime.date(2015, 5, 1),
        horizon_end=datetime.date(2015, 5, 31),
        events=(datetime.date(2019, 4, 25),),
        verdict="right_late",
        url="/predictions/3/",
    )
    on_time = TimelineItem(
        label="Cho Han-bum",
        summary="Cho Han-bum: no visit in May",
        made=datetime.date(2015, 2, 13),
        horizon_start=datetime.date(2015, 5, 1),
        horizon_end=datetime.date(2015, 5, 31),
        events=(datetime.date(2015, 5, 9),),
        verdict="right",
        url="/predictions/4/",
    )
    open_ended = TimelineItem(
        label="Park Byung-hwan",
        summary="Park Byung-hwan: a treaty",
        made=datetime.date(2016, 1, 10),
        horizon_end=None,
        events=(),
        verdict="pending",
        url="/predictions/5/",
    )
    chart = timeline_chart([late, on_time, open_ended])
    svg = str(chart)
    _no_inline_code(svg)
    # The series are drawn in order: the bands first (underneath), the events last (on top).
    order = re.findall(r'<g class="series serie-\d+ color-\d+ ([^"]+)">', svg)
    assert order[0] == "horizon-band" and order[-1] == "events"
    # One band per forecast with a horizon (the open-ended one has none), both over May 2015: the same x.
    bands = _series_path(svg, "horizon-band")
    assert len(bands) == 2 and bands[0][0] == bands[1][0] and bands[0][2] == bands[1][2] > bands[0][0]
    # The late forecast's line stops at its horizon's end; dots run on from there to the event of 2019.
    (line,) = _series_path(svg, "verdict-right_late")
    (dots,) = _series_path(svg, "late verdict-right_late")
    assert line[2] == dots[0] == bands[0][2] and dots[1] == line[1]
    event_x = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"[^>]* r="4"', svg)]
    assert max(event_x) == pytest.approx(dots[2], abs=0.01)
    # The forecast that came true within its horizon has no late stretch; the description explains both marks.
    assert set(re.findall(r' late (verdict-\w+)"', svg)) == {"verdict-right_late"}
    assert "Shaded: the horizon" in chart.description
    assert "Dotted: the time after the horizon's end" in chart.description
    # Without a horizon anywhere there is neither band nor late stretch, and no word about them.
    plain = timeline_chart([open_ended])
    assert "horizon-band" not in str(plain) and " late " not in str(plain) and "Shaded" not in plain.description


def _forecast(n: int, made: datetime.date, horizon_end: datetime.date | None, events=()) -> TimelineItem:
    return TimelineItem(
        label=f"Expert {n}",
        summary=f"Expert {n}: forecast {n}",
        made=made,
        horizon_end=horizon_end,
        events=tuple(events),
        verdict="pending",
        url=f"/predictions/{n}/",
    )


TODAY = datetime.date(2026, 11, 30)
# Eight forecasts made in 2023 to 2025 about the next months, and two about 2034.
EIGHT_AND_TWO = [_forecast(n, datetime.date(2023, 1 + n, 10), datetime.date(2024 + n % 3, 6, 30)) for n in range(8)] + [
    _forecast(8, datetime.date(2024, 5, 1), datetime.date(2034, 12, 31)),
    _forecast(9, datetime.date(2025, 2, 1), datetime.date(2034, 6, 30)),
]


def test_a_few_far_horizons_clip_the_axis_after_the_others():
    axis = timeline_axis(EIGHT_AND_TWO, today=TODAY)
    # From the earliest made date's quarter to the first 1 January after the latest made date and the others' ends.
    assert (axis.start, axis.end, axis.clipped) == (datetime.date(2023, 1, 1), datetime.date(2027, 1, 1), True)
    assert axis.ticks[0] == axis.start and axis.ticks[-1] == axis.end


def test_the_axis_starts_at_the_quarter_of_the_earliest_day_not_at_its_year():
    late_in_the_year = [_forecast(n, datetime.date(2023, 11, 20 + n), datetime.date(2026, 6, 30)) for n in range(3)]
    axis = timeline_axis(late_in_the_year, today=TODAY)
    assert axis.start == datetime.date(2023, 10, 1)
    assert axis.ticks == tuple(datetime.date(year, 1, 1) for year in range(2024, 2028))
    # Over two years or less, quarters from that quarter on.
    short = timeline_axis([_forecast(0, datetime.date(2023, 8, 1), datetime.date(2024, 3, 1))], today=TODAY)
    assert (short.start, short.ticks[0], short.ticks[-1]) == (
        datetime.date(2023, 7, 1),
        datetime.date(2023, 7, 1),
        datetime.date(2025, 1, 1),
    )


def test_the_axis_is_not_clipped_when_the_long_rows_are_many_or_not_much_longer():
    # Half the forecasts about 2034: their span is the chart's.
    many = EIGHT_AND_TWO[:5] + [_forecast(n, datetime.date(2024, 1, 1), datetime.date(2034, 1, 1)) for n in range(5)]
    axis = timeline_axis(many, today=TODAY)
    assert (axis.end, axis.clipped) == (datetime.date(2035, 1, 1), False)
    # One forecast a little further than the others: drawn whole.
    near = EIGHT_AND_TWO[:8] + [_forecast(8, datetime.date(2024, 5, 1), datetime.date(2027, 12, 31))]
    axis = timeline_axis(near, today=TODAY)
    assert (axis.end, axis.clipped) == (datetime.date(2028, 1, 1), False)
    # One or two forecasts are never clipped: their own span is the chart's.
    assert not timeline_axis(EIGHT_AND_TWO[-2:], today=TODAY).clipped
    assert not timeline_axis(EIGHT_AND_TWO[-1:], today=TODAY).clipped


def test_an_open_ended_forecast_runs_to_its_last_event_or_today_and_events_are_always_on_the_axis():
    old = [_forecast(n, datetime.date(2015, 1 + n, 1), datetime.date(2015, 12, 1)) for n in range(6)]
    # An event in 2024 decided an old forecast: the axis reaches it, nothing is clipped.
    late = old + [_forecast(6, datetime.date(2015, 3, 1), datetime.date(2016, 1, 1), [datetime.date(2024, 3, 1)])]
    assert (timeline_axis(late, today=TODAY).end, timeline_axis(late, today=TODAY).clipped) == (
        datetime.date(2025, 1, 1),
        False,
    )
    # Open-ended and undecided: its line runs to today, far after the others; it is clipped.
    open_ended = old + [_forecast(6, datetime.date(2015, 3, 1), None)]
    axis = timeline_axis(open_ended, today=TODAY)
    assert (axis.end, axis.clipped) == (datetime.date(2016, 1, 1), True)


def test_a_clipped_row_stops_at_the_edge_with_an_arrow_that_says_how_far_it_runs():
    chart = timeline_chart(EIGHT_AND_TWO)
    svg = str(chart)
    _no_inline_code(svg)
    ticks = re.findall(r"<text[^>]*>(\w+)</text><title>", svg)
    assert ticks[0] == "2023" and ticks[-1] == "2027" and "2034" not in ticks
    arrows = re.findall(r'<path d="[^"]+" class="dot arrow"><title>([^<]+)</title></path>', svg)
    assert arrows == [
        "Expert 8: runs on past the chart's edge, to 31 Dec 2034",
        "Expert 9: runs on past the chart's edge, to 30 Jun 2034",
    ]
    assert re.search(r'class="series serie-\d+ color-\d+ clipped verdict-pending"', svg)
    # Nothing is drawn past the edge: no dot, line end or band right of the plot's width.
    plot = float(re.findall(r'<rect x="0" y="0" width="([\d.]+)" height="[\d.]+" class="background"/>', svg)[1])
    xs = [float(x) for x in re.findall(r'cx="([\d.-]+)"', svg)]
    paths = re.findall(r'<path d="(M[^"]+)" class="line', svg)
    xs += [float(x) for path in paths for x, _ in re.findall(r"[ML]\s*([\d.]+)[ ,]([\d.]+)", path)]
    assert len(xs) > 40
    assert xs and max(xs) <= plot + 0.5, (max(xs), plot)
    assert (
        "Expert 8: forecast 8; drawn to the chart's right edge (2027), it runs on to 31 Dec 2034." in chart.description
    )
    assert "An arrow at the right edge" in chart.description
    unclipped = str(timeline_chart(EIGHT_AND_TWO[:8]))
    assert "arrow" not in unclipped and "right edge" not in unclipped

"""The pages' charts, drawn on the server as SVG by pygal: no script, so they work offline, under the site's
Content-Security-Policy (script-src 'self') and without JavaScript.

pygal computes the geometry (scales, ticks, bars, dots); this module chooses the data, the scales and the words,
and makes each chart accessible: ``role="img"`` with a ``<title>`` and a ``<desc>`` that says every value (the
pages also give the same numbers as text). The look is the site's (``.chart`` in pages/site.css): pygal's
inline style and configuration script are taken out, so no inline script reaches the page.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

import pygal
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from lxml import etree

from claims.domain.forecasts import BAND_LABELS
from claims.domain.track_record import TrackRecord

__all__ = [
    "Chart",
    "TimelineAxis",
    "TimelineItem",
    "YearCounts",
    "calibration_chart",
    "timeline_axis",
    "timeline_chart",
    "year_chart",
]

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Chart:
    """A rendered chart: the SVG to place in the page, and its words (title, description)."""

    svg: SafeString
    title: str
    description: str

    def __str__(self) -> str:
        return self.svg

    def __html__(self) -> str:
        return self.svg


def _style(**sizes) -> pygal.style.Style:
    """Sizes pygal uses to lay out labels; colours and fonts come from the site's stylesheet."""
    return pygal.style.Style(
        font_family="system-ui, sans-serif",
        label_font_size=sizes.get("label", 12),
        major_label_font_size=sizes.get("label", 12),
        title_font_size=14,
        value_font_size=sizes.get("value", 12),
        tooltip_font_size=12,
    )


def _config(**options) -> dict:
    return {
        "js": [],
        "css": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "explicit_size": False,
        "show_legend": False,
        "pretty_print": False,
        **options,
    }


def _render(
    chart: pygal.graph.graph.Graph,
    *,
    anchor: str,
    css_class: str,
    title: str,
    description: str,
    series_classes: list[str] = (),
    edit=None,
) -> Chart:
    """The chart's SVG without pygal's inline <style>/<script> and comments, with its title and description;
    ``series_classes`` adds a class to each series' group (pygal numbers them ``serie-<i>``), for the stylesheet;
    ``edit``, when given, is called with the SVG's root after that (to redraw a series' marks, say)."""
    root = chart.render_tree()
    for index, name in enumerate(series_classes):
        for group in root.xpath(f"//*[contains(concat(' ', @class, ' '), ' serie-{index} ')]"):
            group.set("class", f"{group.get('class')} {name}")
    if edit is not None:
        edit(root)
    # pygal's own: its style and configuration script, comments, and a "Pygal" <title> (ours is added below).
    for node in root.xpath(
        "//*[local-name()='script' or local-name()='style'] | //comment() | *[local-name()='title']"
    ):
        node.getparent().remove(node)
    for defs in root.xpath("//*[local-name()='defs'][not(*)]"):
        defs.getparent().remove(defs)
    root.attrib.pop("id", None)
    root.set("class", f"chart {css_class}")
    root.set("role", "img")
    root.set("aria-labelledby", f"{anchor}-title {anchor}-desc")
    title_node = etree.Element(f"{SVG}title", id=f"{anchor}-title")
    title_node.text = title
    desc_node = etree.Element(f"{SVG}desc", id=f"{anchor}-desc")
    desc_node.text = description
    root.insert(0, desc_node)
    root.insert(0, title_node)
    svg = etree.tostring(root, encoding="unicode")
    # Safe: lxml escaped every text and attribute it serialized.
    return Chart(svg=mark_safe(svg), title=title, description=description)


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


# Calibration ----------------------------------------------------------------------------------------------------


def calibration_chart(record: TrackRecord, *, anchor: str) -> Chart:
    """Forecast probability (x) against how often such forecasts came true (y): one dot per ICD 203 band, sized by
    its number of forecasts, and the diagonal of perfect calibration."""
    bands = list(record.calibration)
    description = (
        " ".join(
            f"{BAND_LABELS[b.band]}: {b.count} forecast{'s' if b.count != 1 else ''} at {_percent(b.mean_forecast)} "
            f"on average, observed {_percent(b.observed_frequency)}."
            for b in bands
        )
        or "No scored forecasts."
    ) + " Points on the diagonal are perfectly calibrated."
    ticks = [0, 0.25, 0.5, 0.75, 1]
    chart = pygal.XY(
        **_config(
            width=240,
            height=240,
            margin=6,
            range=(0, 1),
            xrange=(0, 1),
            x_labels=ticks,
            y_labels=ticks,
            show_x_guides=True,
            show_y_guides=True,
            value_formatter=_percent,
            x_value_formatter=_percent,
            x_title="forecast probability",
            y_title="observed",
            stroke=False,
            style=_style(label=11),
        )
    )
    chart.add("Perfect calibration", [(0, 0), (1, 1)], stroke=True, show_dots=False)
    chart.add(
        "ICD 203 bands",
        [
            {
                "value": (round(b.mean_forecast, 4), round(b.observed_frequency, 4)),
                "label": f"{BAND_LABELS[b.band]}: {b.count} forecast{'s' if b.count != 1 else ''}",
                "node": {"r": 4 + 2 * min(b.count, 6)},
            }
            for b in bands
        ],
    )
    return _render(
        chart,
        anchor=anchor,
        css_class="calibration",
        title="Calibration: forecast probability against how often it came true",
        description=description,
    )


# Claims per year ------------------------------------------------------------------------------------------------


# A bar is at most this share of the plot's width: one or two years are bars, not a block as wide as the chart
# (from about eight years on the bars are narrower than this anyway).
MAX_BAR_SHARE = 0.12


class _Bars(pygal.Bar):
    """pygal's bar chart with each bar at most ``MAX_BAR_SHARE`` of the plot's width, centred on its year: the
    margin pygal leaves each side of a bar (a share of the year's band) grows as the bands widen."""

    def _plot(self):
        self._series_margin = max(pygal.Bar._series_margin, (1 - self._len * MAX_BAR_SHARE) / 2)
        super()._plot()


@dataclass(frozen=True)
class YearCounts:
    chart: Chart | None
    total: int
    undated: int


def year_chart(rows: Iterable[tuple[int | None, int]], *, anchor: str = "years-chart") -> YearCounts:
    """One bar per year from the first to the last (empty years included); undated claims are counted apart."""
    rows = list(rows)
    undated = sum(n for year, n in rows if year is None)
    counts = {year: n for year, n in rows if year is not None}
    total = sum(counts.values()) + undated
    if not counts:
        return YearCounts(chart=None, total=total, undated=undated)
    years = list(range(min(counts), max(counts) + 1))
    # Few enough labels to stay apart when the chart is drawn phone-wide.
    every = 1 if len(years) <= 6 else 2 if len(years) <= 12 else 5 if len(years) <= 30 else 10
    chart = _Bars(
        **_config(
            # Narrow, with large type: drawn phone-wide (about 320 px) the labels stay readable.
            width=480,
            height=180,
            margin=8,
            x_labels=[str(year) for year in years],
            x_labels_major_every=every,
            show_minor_x_labels=False,
            truncate_label=-1,
            show_x_guides=False,
            # Over 16 years the bars are too narrow for their numbers: a scale on the left says them instead.
            show_y_labels=len(years) > 16,
            show_y_guides=len(years) > 16,
            y_labels_major_count=3,
            show_minor_y_labels=False,
            print_values=len(years) <= 16,
            print_zeroes=False,
            print_values_position="top",
            range=(0, max(counts.values())),
            style=_style(label=17, value=16),
        )
    )
    chart.add(
        "Claims",
        [{"value": counts.get(year, 0), "label": f"{year}: {counts.get(year, 0)} claims"} for year in years],
    )
    description = " ".join(f"{year}: {counts.get(year, 0)}." for year in years)
    if undated:
        description += f" Undated: {undated}."
    return YearCounts(
        chart=_render(
            chart,
            anchor=anchor,
            css_class="year-chart",
            title="Claims per year of publication",
            description=description,
        ),
        total=total,
        undated=undated,
    )


# Forecast timeline ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """One forecast on the timeline: made on ``made``, its horizon (or none), the events that decided it."""

    label: str  # the forecaster, as the row is named
    summary: str  # what the row's tooltip and the description say
    made: datetime.date
    horizon_end: datetime.date | None
    events: tuple[datetime.date, ...]
    verdict: str
    url: str
    horizon_start: datetime.date | None = None  # the horizon's first day, when it has one (else it starts when made)


ROW = 20  # the height of a timeline row, in the chart's units (1,000 wide)
NARROW = 380  # the width of the phone's timeline, in its units (about its width in CSS pixels on a phone)
NARROW_TICKS = 4


def _tick_label(value: float) -> str:
    day = datetime.date.fromordinal(int(value))
    return str(day.year) if day.month == 1 else f"{day:%b}"


def _ordinal(day: datetime.date) -> float:
    return float(day.toordinal())


def _horizon_band(item: TimelineItem, *, min_days: int) -> tuple[float, float] | None:
    """The horizon's window on the x axis (at least ``min_days`` wide, so a one-day horizon stays visible)."""
    if item.horizon_end is None:
        return None
    begin, end = _ordinal(item.horizon_start or item.made), _ordinal(item.horizon_end)
    if end - begin < min_days:
        middle = (begin + end) / 2
        begin, end = middle - min_days / 2, middle + min_days / 2
    return begin, end


def _late_reach(item: TimelineItem) -> datetime.date | None:
    """The last deciding event, when it came after the horizon's end (a forecast right but late, say)."""
    last = max(item.events, default=None)
    if item.horizon_end is None or last is None or last <= item.horizon_end:
        return None
    return last


# The axis is clipped when the rows reaching furthest would stretch it to more than CLIP_STRETCH times the span the
# others need (two forecasts with a horizon in 2034 crowding eight others into the left fifth); CLIP_SHARE of the
# rows' right ends (nearest rank) are always drawn whole.
CLIP_SHARE = 0.8
CLIP_STRETCH = 1.5


@dataclass(frozen=True)
class TimelineAxis:
    """The timeline's x axis: from ``start`` (the first day of a quarter) to ``end`` (a 1 January), its ticks, and
    whether it is clipped (rows reaching past ``end`` are drawn to the edge, with an arrow)."""

    start: datetime.date
    end: datetime.date
    ticks: tuple[datetime.date, ...]
    clipped: bool

    def clips(self, item: TimelineItem, *, today: datetime.date) -> bool:
        """Whether ``item``'s row runs on past the axis's end (drawn to the edge, with an arrow)."""
        return self.clipped and _row_end(item, today) > self.end


def _row_end(item: TimelineItem, today: datetime.date) -> datetime.date:
    """Where a row's line ends: its horizon's end, else its last event, else today (or the day it was made)."""
    return item.horizon_end or max(item.events, default=max(today, item.made))


def timeline_axis(items: list[TimelineItem], *, today: datetime.date, narrow: bool = False) -> TimelineAxis:
    """The x axis of the timeline of ``items`` (not empty): from the first day of the quarter of the earliest day
    drawn to a 1 January.

    It ends after the latest day drawn, unless a few rows reach so far that the others would be crowded to the left:
    it then ends at the first 1 January after the latest of every made date, every event and the 80th percentile of
    the rows' ends (the day each row's line stops: its horizon's end, else its last event, else today), and the rows
    reaching further are clipped there. It is clipped only when the full axis would be more than 1.5 times as long
    from its start (CLIP_SHARE, CLIP_STRETCH)."""
    ends = sorted(_row_end(item, today) for item in items)
    made = [item.made for item in items]
    events = [day for item in items for day in item.events]
    starts = [item.horizon_start for item in items if item.horizon_start]
    first, last = min(made + ends + events + starts), max(made + ends + events + starts)
    share = ends[math.ceil(len(ends) * CLIP_SHARE) - 1]  # the nearest-rank percentile
    kept = max([*made, *events, share])
    start = datetime.date(first.year, (first.month - 1) // 3 * 3 + 1, 1)  # the quarter of the earliest day
    clipped = last > datetime.date(kept.year + 1, 1, 1) and (last - start) > CLIP_STRETCH * (kept - start)
    end = datetime.date((kept if clipped else last).year + 1, 1, 1)
    span = end.year - start.year
    if span <= 2:  # quarters, the year written at January
        ticks = [datetime.date(y, m, 1) for y in range(start.year, end.year + 1) for m in (1, 4, 7, 10)]
        ticks = [day for day in ticks if start <= day <= end]
    else:
        step = 1 if span <= 8 else 2 if span <= 16 else 5
        first_year = start.year if start.month == 1 else start.year + 1
        ticks = [datetime.date(year, 1, 1) for year in range(first_year, end.year + 1, step)]
    if narrow and len(ticks) > NARROW_TICKS:
        ticks = ticks[:: -(-len(ticks) // NARROW_TICKS)]
    return TimelineAxis(start=start, end=end, ticks=tuple(ticks), clipped=clipped)


def _arrows(root) -> None:
    """Each dot of the clipped rows' series (at the axis's right edge) redrawn as an arrow pointing right, with its
    words (the row's horizon, past the edge) as its tooltip."""
    for group in root.xpath("//*[contains(concat(' ', @class, ' '), ' clipped ')]"):
        for circle in group.xpath("./*[local-name()='g']/*[local-name()='circle'] | ./*[local-name()='circle']"):
            x, y = float(circle.get("cx")), float(circle.get("cy"))
            arrow = etree.Element(
                f"{SVG}path", d=f"M{x - 9:.1f},{y - 7:.1f} L{x + 2:.1f},{y:.1f} L{x - 9:.1f},{y + 7:.1f} Z"
            )
            arrow.set("class", "dot arrow")
            label = circle.getprevious()
            if label is not None and "label" in (label.get("class") or "").split():
                title = etree.SubElement(arrow, f"{SVG}title")
                title.text = label.text
            circle.getparent().replace(circle, arrow)


TIMELINE_KEY = (
    "Shaded: the horizon, the period the forecast is about. Dotted: the time after the horizon's end, up to a "
    "deciding event that came after it (for a forecast right but late, when it came true)."
)


def timeline_chart(items: list[TimelineItem], *, anchor: str = "timeline", narrow: bool = False) -> Chart | None:
    """Rows top to bottom in ``items``' order: a dot on the day the forecast was made, a line to its horizon's end
    (to the last event, or today, when it has none), the horizon's window shaded behind it, a dotted line on from
    the horizon's end to a deciding event that came after it (late), and dots for the events. One series per
    verdict, so the colour says whether the forecaster was right; the rows link to each forecast's page.

    ``narrow`` draws the same rows for a phone's width (``NARROW`` units wide, so its names are read at about
    their size, with at most ``NARROW_TICKS`` dates on the axis) instead of 1,000 units scaled down to a third."""
    if not items:
        return None
    today = timezone.localdate()
    ends = [_row_end(item, today) for item in items]
    axis = timeline_axis(items, today=today, narrow=narrow)
    start, end, ticks = axis.start, axis.end, axis.ticks
    edge = _ordinal(end)
    n = len(items)
    chart = pygal.XY(
        **_config(
            width=NARROW if narrow else 1000,
            height=56 + ROW * n,
            margin=6,
            margin_left=0,
            xrange=(_ordinal(start), _ordinal(end)),
            range=(-0.6, n - 0.4),
            x_labels=[_ordinal(day) for day in ticks],
            x_value_formatter=_tick_label,
            y_labels=[{"value": n - 1 - index, "label": item.label} for index, item in enumerate(items)],
            truncate_label=20 if narrow else 30,
            show_x_guides=True,
            show_y_guides=False,
            allow_interruptions=True,
            dots_size=5,
            value_formatter=lambda v: "",
            style=_style(label=13),
        )
    )
    # pygal numbers the series in the order they are added, and draws them in that order: the horizons' bands
    # first (underneath), then one series per verdict (and per open-ended or not), the late stretches per verdict,
    # and the events on top; each gets a class for the stylesheet (site.css, svg.chart.timeline-svg).
    min_days = max(2, (end - start).days // 300)
    bands: list = []
    series: dict[tuple[str, bool], list] = {}
    late: dict[str, list] = {}
    clipped: dict[str, list] = {}
    events: list = []
    summaries = []
    for index, (item, line_end) in enumerate(zip(items, ends, strict=True)):
        y = n - 1 - index
        summary = item.summary
        if axis.clips(item, today=today):
            # Past the axis's end: the line stops at the edge, where an arrow says how far it goes.
            past = f"{line_end.day} {line_end:%b %Y}"
            summary += f"; drawn to the chart's right edge ({end.year}), it runs on to {past}"
            clipped.setdefault(item.verdict, []).append(
                {"value": (edge, y), "label": f"{item.label}: runs on past the chart's edge, to {past}"}
            )
        summaries.append(summary)
        band = _horizon_band(item, min_days=min_days)
        if band and band[0] < edge:
            bands += [{"value": (band[0], y)}, {"value": (min(band[1], edge), y)}, None]
        points = series.setdefault((item.verdict, item.horizon_end is None), [])
        points.append({"value": (_ordinal(item.made), y), "label": summary, "xlink": {"href": item.url}})
        points.append({"value": (min(_ordinal(max(line_end, item.made)), edge), y), "node": {"r": 0}})
        points.append(None)
        reach = _late_reach(item)
        if reach and _ordinal(item.horizon_end) < edge:
            late.setdefault(item.verdict, []).extend(
                [
                    {"value": (_ordinal(max(item.horizon_end, item.made)), y)},
                    {"value": (min(_ordinal(reach), edge), y)},
                    None,
                ]
            )
        events += [
            {"value": (_ordinal(day), y), "label": f"{item.label}: event {day:%-d %b %Y}"}
            for day in item.events
            if day <= end
        ]
    classes = []
    if bands:
        chart.add("horizons", bands, stroke=True, show_dots=False)
        classes.append("horizon-band")
    for (verdict, open_ended), points in series.items():
        chart.add(verdict, points, stroke=True)
        classes.append(f"verdict-{verdict}{' open' if open_ended else ''}")
    for verdict, points in late.items():
        chart.add(f"{verdict}, late", points, stroke=True, show_dots=False)
        classes.append(f"late verdict-{verdict}")
    if events:
        chart.add("events", events, stroke=False, dots_size=4)
        classes.append("events")
    for verdict, points in clipped.items():
        chart.add(f"{verdict}, past the edge", points, stroke=False)
        classes.append(f"clipped verdict-{verdict}")
    description = " ".join(summary + "." for summary in summaries)
    if bands or late:
        description += " " + TIMELINE_KEY
    if clipped:
        description += f" An arrow at the right edge: the line goes on past {end.year}, the end of the axis."
    return _render(
        chart,
        anchor=anchor,
        css_class="timeline-svg-narrow" if narrow else "timeline-svg",
        title=f"Timeline of {n} forecast{'s' if n != 1 else ''}",
        description=description,
        series_classes=classes,
        edit=_arrows if clipped else None,
    )
